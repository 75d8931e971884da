"""The notification outbox: settlement writes a notice in the credit's own transaction and
sends nothing; functions.send_notices sends each notice once; a WeChat outage delays a notice,
never loses it; two senders never send one notice twice. A sender killed mid-send:
tests/integration/test_outbox_states.py."""

import json
import threading
import urllib.request
from datetime import UTC, datetime, timedelta

from core.carbon import settlement_runs
from core.notices import notifications, outbox
from infra.sim_wechat import openid_for
from models.outbox import Notice
from tests.support.behaviours import add_behaviour

D = "2026-11-23"


def sim(wechat_sim, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        wechat_sim.url + path,
        data=data,
        method="POST" if data else "GET",
        headers={"Content-Type": "application/json"},
    )
    return json.loads(urllib.request.urlopen(req).read())


def accept(client, login, name, answer="accept"):
    token, user = login(name)
    r = client.post(
        "/api/v1/me/subscriptions",
        json={"templates": {"settlement_credit": answer}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert r.status_code == 200
    return user["id"]


def accepting_citizens(name: str, n: int) -> list[str]:
    """n users with an openid and one accept for settlement_credit, as login and the
    subscriptions route store them."""
    from models import User

    now = datetime.now(UTC)
    for i in range(n):
        User(f"u_{name}{i}", openid=openid_for(f"{name}{i}"), created_at=now).save()
        notifications.record_answers(f"u_{name}{i}", {"settlement_credit": "accept"})
    return [f"u_{name}{i}" for i in range(n)]


def notices(status=None):
    found = [
        n for b in range(outbox.BUCKETS) for n in Notice.query(f"{b:02d}", consistent_read=True)
    ]
    return [n for n in found if status is None or (n.status or "pending") == status]


def counts(**some):
    return {**dict.fromkeys(outbox.OUTCOMES, 0), **some}


def send(services, minutes=0):
    return outbox.send_due(
        services.gateways.wechat,
        notifications.template_ids(services.settings),
        now=datetime.now(UTC) + timedelta(minutes=minutes),
    )


def test_credit__notice_written_with_it__sent_once_by_the_sender(
    client, login, aws, services, wechat_sim
):
    yes, no = accept(client, login, "ob-yes"), accept(client, login, "ob-no", "reject")
    for i, u in enumerate((yes, no)):
        add_behaviour(aws, u, D, "metro", 1, f"t{i}")
    summary = settlement_runs.run_date(aws, D, workers=2)
    assert summary["credited"] == 2 and summary["noticed"] == 1
    assert sim(wechat_sim, "/_sim/sent")["items"] == []  # settlement itself sends nothing
    [n] = notices()
    assert (n.user_id, n.notice_id, n.data["number2"]["value"]) == (yes, f"settle#{D}@{yes}", "51")
    assert send(services) == counts(sent=1)
    assert send(services, minutes=60) == counts() and notices() == []
    sent = sim(wechat_sim, "/_sim/sent")["items"]
    assert [m["touser"] for m in sent] == [openid_for("ob-yes")]
    assert (
        settlement_runs.run_date(aws, D, workers=2)["noticed"] == 0
    )  # a re-run credits and tells nothing


def test_wechat_outage__notice_delayed_then_sent_once(client, login, aws, services, wechat_sim):
    from models.subscriptions import Subscription

    user = accept(client, login, "ob-down")
    add_behaviour(aws, user, D, "metro", 1, "t1")
    settlement_runs.run_date(aws, D, workers=2)
    sim(wechat_sim, "/_sim/outage", {"on": True})
    assert send(services) == counts(delayed=1)
    assert send(services) == counts()  # not due again yet
    [n] = notices()
    assert int(n.attempts) == 1 and int(Subscription.get(user, "settlement_credit").remaining) == 1
    assert send(services, minutes=2) == counts(delayed=1)  # still down: kept
    sim(wechat_sim, "/_sim/outage", {"on": False})
    assert send(services, minutes=30) == counts(sent=1)
    assert [m["touser"] for m in sim(wechat_sim, "/_sim/sent")["items"]] == [openid_for("ob-down")]
    assert notices() == [] and int(Subscription.get(user, "settlement_credit").remaining) == 0


def test_consent_withdrawn_before_sending__dropped_not_sent(
    client, login, aws, services, wechat_sim
):
    user = accept(client, login, "ob-later-no")
    add_behaviour(aws, user, D, "metro", 1, "t1")
    settlement_runs.run_date(aws, D, workers=2)
    accept(client, login, "ob-other")  # another citizen; then the first one says no
    notifications.record_answers(user, {"settlement_credit": "reject"})
    assert send(services) == counts(dropped=1)
    assert sim(wechat_sim, "/_sim/sent")["items"] == [] and notices() == []


def test_two_senders_at_once__each_notice_sent_once(endpoint_aws, wechat_sim):
    import bootstrap

    s = endpoint_aws  # settle_in_flight as configured: transactions in flight
    users = accepting_citizens("ob-race", 12)
    for i, u in enumerate(users):
        add_behaviour(s, u, D, "metro", 1, f"t{i}")
    assert settlement_runs.run_date(s, D, workers=2)["noticed"] == 12
    services = [bootstrap.Services(s), bootstrap.Services(s)]
    results = []
    threads = [threading.Thread(target=lambda sv=sv: results.append(send(sv))) for sv in services]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert sum(r["sent"] for r in results) == 12
    assert sorted(m["touser"] for m in sim(wechat_sim, "/_sim/sent")["items"]) == sorted(
        openid_for(f"ob-race{i}") for i in range(12)
    )


def test_one_time_accept__spent_by_the_send__late_credit_gets_no_notice(
    client, login, aws, services, wechat_sim
):
    user = accept(client, login, "ob-once")
    add_behaviour(aws, user, D, "metro", 1, "t1")
    settlement_runs.run_date(aws, D, workers=2)
    assert send(services)["sent"] == 1
    add_behaviour(aws, user, D, "bus", 1, "late")  # late data: credited again, but no accept left
    again = settlement_runs.run_date(aws, D, workers=2)
    assert (again["credited"], again["noticed"]) == (1, 0) and notices() == []
    assert len(sim(wechat_sim, "/_sim/sent")["items"]) == 1


def test_refused_in_wechat__kept_as_failed_not_retried__credit_stands(
    client, login, aws, services, wechat_sim
):
    from models import Account

    user = accept(client, login, "ob-refused")
    sim(wechat_sim, "/_sim/refuse", {"openid": openid_for("ob-refused")})
    add_behaviour(aws, user, D, "metro", 1, "t1")
    settlement_runs.run_date(aws, D, workers=2)
    assert send(services) == counts(failed=1)
    [n] = notices()
    assert (n.status, n.due, int(n.errcode), n.ttl is not None) == (
        "failed",
        f"failed#settle#{D}@{user}",
        43101,
        True,
    )
    assert send(services, minutes=60) == counts()  # never retried by itself
    assert int(Account.get(user).balance) == 51 and sim(wechat_sim, "/_sim/sent")["items"] == []
