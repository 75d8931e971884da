"""A sender that dies mid-send loses no notice and sends none twice: the claim's lease runs out,
the next run makes the notice `unknown` (logged, counted), and only an operator sends it again
(`tanpuhui notices list / resend`). core.notices.notice_states says why."""

import json
from datetime import UTC

import pytest

from core.carbon import settlement_runs
from core.notices import notice_states
from infra.sim_wechat import openid_for
from models.subscriptions import Subscription
from tests.integration.test_outbox import D, accept, counts, notices, send, sim
from tests.support.behaviours import add_behaviour
from tests.support.cli import last_line, run_cli_streams

LEASE_MIN = notice_states.LEASE_S // 60 + 1  # minutes after which a claim's lease has run out


class Killed(BaseException):
    """The process ends mid-call (SIGKILL, the Lambda time limit): no except Exception runs."""


class DyingWechat:
    """The WeChat gateway of a sender killed during the call: before the message reached
    WeChat, or (delivered=True) after WeChat took it but before the sender heard back."""

    def __init__(self, real, delivered: bool):
        self.real, self.delivered = real, delivered

    def send_subscribe_message(self, *args, **kwargs):
        if self.delivered:
            self.real.send_subscribe_message(*args, **kwargs)
        raise Killed()


class NoAnswer:
    def send_subscribe_message(self, *args, **kwargs):
        from gateways.wechat import _not_sent

        raise _not_sent(False, maybe_sent=True)  # what a read timeout is: asked, no answer


def _one_credit(client, login, aws, name) -> str:
    user = accept(client, login, name)
    add_behaviour(aws, user, D, "metro", 1, "t1")
    assert settlement_runs.run_date(aws, D, workers=2)["noticed"] == 1
    return user


def _send_with(services, wechat, minutes=0):
    import bootstrap

    return send(bootstrap.Services(services.settings, gateways=_Gateways(wechat)), minutes)


class _Gateways:
    def __init__(self, wechat):
        self.wechat = wechat


def _events(capsys, name):
    out = capsys.readouterr()
    text = out.out + out.err
    return [
        p
        for p in (json.loads(x) for x in text.splitlines() if x.startswith("{"))
        if p["event"] == name
    ]


@pytest.mark.parametrize(
    "delivered", [False, True], ids=["killed_before_wechat", "killed_after_wechat"]
)
def test_sender_killed_between_claim_and_mark__unknown_after_lease__never_resent_by_itself(
    client, login, aws, services, wechat_sim, capsys, delivered
):
    user = _one_credit(client, login, aws, f"ob-kill-{delivered}")
    with pytest.raises(Killed):
        _send_with(services, DyingWechat(services.gateways.wechat, delivered))
    [n] = notices("sending")  # not lost: still there, claimed
    assert int(n.attempts) == 1 and int(Subscription.get(user, "settlement_credit").remaining) == 0
    assert send(services) == counts()  # its lease holds: nobody else sends it meanwhile
    capsys.readouterr()
    assert send(services, minutes=LEASE_MIN) == counts(unknown=1)
    [line] = _events(capsys, "notice_unknown")
    assert line["reason"] == "lease_expired" and user not in json.dumps(line)
    [n] = notices()
    assert (n.status, n.due) == ("unknown", f"unknown#settle#{D}@{user}")
    assert send(services, minutes=120) == counts()  # out of the due range: never sent by itself
    assert len(sim(wechat_sim, "/_sim/sent")["items"]) == int(delivered)


def test_unknown_metric_line_emitted(client, login, aws, services, wechat_sim, capsys):
    _one_credit(client, login, aws, "ob-metric")
    with pytest.raises(Killed):
        _send_with(services, DyingWechat(services.gateways.wechat, False))
    capsys.readouterr()
    send(services, minutes=LEASE_MIN)
    assert [m["NoticesUnknown"] for m in _events(capsys, "metric") if "NoticesUnknown" in m] == [1]


def test_no_answer_from_wechat__unknown_at_once(client, login, aws, services, wechat_sim):
    user = _one_credit(client, login, aws, "ob-noanswer")
    assert _send_with(services, NoAnswer()) == counts(unknown=1)
    [n] = notices("unknown")
    assert n.user_id == user and send(services, minutes=120) == counts()


def test_sender_outliving_its_lease__its_sent_mark_settles_the_unknown(
    client, login, aws, services, wechat_sim
):
    from datetime import datetime, timedelta

    _one_credit(client, login, aws, "ob-slow")
    [n] = notices()
    token = notice_states.claim(n, datetime.now(UTC))  # a slow sender holds it...
    assert send(services, minutes=LEASE_MIN) == counts(unknown=1)  # ...past its lease
    assert (
        notice_states.finish(n, token) and notices() == []
    )  # it did send it: nobody has to decide
    assert notice_states.claim(n, datetime.now(UTC) + timedelta(minutes=1)) is None


def test_cli__list_unknown_then_resend_by_operator__sent_once(
    client, login, aws, services, wechat_sim, capsys
):
    user = _one_credit(client, login, aws, "ob-ops")
    with pytest.raises(Killed):
        _send_with(services, DyingWechat(services.gateways.wechat, False))
    send(services, minutes=LEASE_MIN)
    code, out, err = run_cli_streams(capsys, "notices", "list", "--status", "unknown")
    [row] = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and (row["id"], row["status"], row["attempts"]) == (
        f"settle#{D}@{user}",
        "unknown",
        1,
    )
    assert row["claimed_at"].endswith("+08:00")  # ops read every time at +08:00
    assert (
        openid_for("ob-ops") not in out + err and "value" not in out
    )  # no openid, no message data
    assert "1 条通知处于 unknown 状态" in last_line(err)
    code, _, err = run_cli_streams(capsys, "notices", "resend", row["id"])
    assert code == 2  # --by is required: resending is a person's decision
    code, _, err = run_cli_streams(capsys, "notices", "resend", row["id"], "--by", "ops-li")
    assert code == 0 and "已重新排队" in last_line(err)
    assert [(e["command"], e["by"]) for e in _events_in(err, "ops_command")] == [
        ("notices resend", "ops-li")
    ]
    code, out, err = run_cli_streams(capsys, "notices", "send")
    assert code == 0 and json.loads(out) == counts(
        sent=1
    )  # its accept was spent at the first claim
    assert [m["touser"] for m in sim(wechat_sim, "/_sim/sent")["items"]] == [openid_for("ob-ops")]
    code, out, err = run_cli_streams(capsys, "notices", "send")
    assert json.loads(out) == counts() and notices() == []
    code, _, err = run_cli_streams(capsys, "notices", "resend", row["id"], "--by", "ops-li")
    assert code == 1 and "找不到" in last_line(err)  # sent: nothing left to resend


def test_cli__list_pending_and_failed(client, login, aws, services, wechat_sim, capsys):
    _one_credit(client, login, aws, "ob-list")
    code, out, _ = run_cli_streams(capsys, "notices", "list", "--status", "pending")
    assert code == 0 and [json.loads(x)["status"] for x in out.splitlines()] == ["pending"]
    sim(wechat_sim, "/_sim/refuse", {"openid": openid_for("ob-list")})
    assert send(services) == counts(failed=1)
    code, out, _ = run_cli_streams(capsys, "notices", "list", "--status", "failed")
    assert [json.loads(x)["errcode"] for x in out.splitlines()] == [43101]
    assert run_cli_streams(capsys, "notices", "list", "--status", "pending")[1] == ""


def _events_in(text, name):
    return [
        p
        for p in (json.loads(x) for x in text.splitlines() if x.startswith("{"))
        if p["event"] == name
    ]
