"""PIPL: a copy of everything held about the citizen, erasure that keeps the books, consent."""

from datetime import UTC

import pytest

from core.books import checks
from models import LedgerEntry, User
from tests.support.cli import run_cli

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # cards are bound through the Yangchengtong simulator


def _h(citizen):
    return {"Authorization": citizen["Authorization"]}


def test_export__profile_cards_consents_ledger_without_wechat_ids(aws, client, citizen, capsys):
    h = _h(citizen)
    assert (
        client.post("/api/v1/cards", json={"card_no": "5100123456"}, headers=h).status_code == 201
    )
    version = client.get("/api/v1/me/consents", headers=h).json["current_version"]
    assert (
        client.post("/api/v1/me/consents", json={"policy_version": version}, headers=h).status_code
        == 201
    )
    run_cli(capsys, "adjust", "--reason", "welcome", "--by", "ops-test", citizen["user"]["id"], "7")
    r = client.get("/api/v1/me/export", headers=h)
    assert r.status_code == 200
    data = r.json
    assert data["profile"]["id"] == citizen["user"]["id"] and data["account"]["balance"] == 7
    assert [c["masked_no"] for c in data["cards"]] == ["51****3456"] and data["card_bindings"][0][
        "unbound_at"
    ] is None
    assert [c["policy_version"] for c in data["consents"]] == [version]
    assert data["consents"][0]["accepted_at"].endswith("+08:00")
    assert [e["amount"] for e in data["ledger"]] == [7]
    user = User.get(citizen["user"]["id"])
    assert user.openid not in r.get_data(as_text=True) and data["wechat"]["openid_held"] is True
    assert "5100123456" not in r.get_data(as_text=True)


def test_consent__only_the_version_in_force__once(client, citizen):
    h = _h(citizen)
    first = client.get("/api/v1/me/consents", headers=h).json
    assert first["needs_acceptance"] is True and first["history"] == []
    bad = client.post("/api/v1/me/consents", json={"policy_version": "1999-01-01"}, headers=h)
    assert bad.status_code == 422 and bad.json["error"]["code"] == "policy_version_unknown"
    for _ in range(2):
        r = client.post(
            "/api/v1/me/consents", json={"policy_version": first["current_version"]}, headers=h
        )
    assert r.json["needs_acceptance"] is False and len(r.json["history"]) == 1


def test_delete__erases_unbinds_forfeits_and_keeps_the_books(aws, client, citizen, capsys):
    h, user_id = _h(citizen), citizen["user"]["id"]
    client.post("/api/v1/cards", json={"card_no": "5100654321"}, headers=h)
    run_cli(capsys, "adjust", "--reason", "welcome", "--by", "ops-test", user_id, "12")
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    assert User.count(user_id) == 0
    forfeit = [e for e in LedgerEntry.query(user_id) if e.kind == "forfeit"]
    assert len(forfeit) == 1 and forfeit[0].amount == -12 and forfeit[0].balance_after == 0
    assert checks.check_account(user_id) == []
    for method, path in [
        ("get", "/api/v1/me"),
        ("get", "/api/v1/me/export"),
        ("delete", "/api/v1/me"),
    ]:
        assert getattr(client, method)(path, headers=h).status_code == 401, path
    # the card is free again for someone else
    other = client.post("/api/v1/auth/login", json={"code": "test-someone-else.1"}).json["token"]
    r = client.post(
        "/api/v1/cards",
        json={"card_no": "5100654321"},
        headers={"Authorization": f"Bearer {other}"},
    )
    assert r.status_code == 201


def test_delete__phone_released_records_erased_appeal_closed_and_nothing_credited_after(
    aws, client, login
):
    from core import localday
    from core.carbon import settlement_batches
    from models import Account
    from models.appeals import Appeal
    from models.behaviours import Behaviour
    from tests.support.behaviours import add_behaviour

    token, user = login("forgetful")
    h, user_id, day = {"Authorization": f"Bearer {token}"}, user["id"], localday.yesterday()
    assert (
        client.post("/api/v1/me/phone", json={"code": "phone-13600001111"}, headers=h).status_code
        == 200
    )
    add_behaviour(
        aws, user_id, day, "metro", 1, "t1", facts={"line": "3", "from_station": "体育西路"}
    )
    appeal = client.post(
        "/api/v1/appeals", json={"date": day, "note": "3号线体育西路进站未记录"}, headers=h
    ).json
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    assert Behaviour.count() == 0  # lines and stations are personal data
    stored = Appeal.get(appeal["id"])
    assert stored.status == "rejected" and stored.note == ""
    assert Account.get(user_id).closed_at is not None
    # A late record of an earlier day: the closed account is credited nothing.
    add_behaviour(aws, user_id, day, "bus", 1, "late")
    for shard in range(aws.settle_shards):
        settlement_batches.settle_shard(aws, day, shard)
    assert [e.kind for e in LedgerEntry.query(user_id)] == [] and checks.check_account(
        user_id
    ) == []
    other = client.post("/api/v1/auth/login", json={"code": "test-phone-heir.1"}).json["token"]
    r = client.post(
        "/api/v1/me/phone",
        json={"code": "phone-13600001111"},
        headers={"Authorization": f"Bearer {other}"},
    )
    assert r.status_code == 200  # the number is free for another account
    # The same WeChat user back: a new account under a new id, at balance 0, that may earn; the
    # deleted account stays closed, and nothing leads from the openid to it any more.
    back = client.post("/api/v1/auth/login", json={"code": "test-forgetful.again"})
    assert back.status_code == 200 and back.json["user"]["id"] != user_id
    assert Account.get(user_id).closed_at is not None


def test_delete__a_later_credit_to_the_closed_account_is_forfeited_in_its_own_entry(
    aws, client, citizen
):
    """A cash order's voucher stays valid after deletion (the cash is real); when it expires its coins
    come back to a closed account: they are forfeited in that entry, and the book still sums to zero."""
    from core.books import ledger
    from core.books.platform import trial_balance
    from models import Account

    h, user_id = _h(citizen), citizen["user"]["id"]
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    posted = ledger.post(
        ledger.Movement(
            user_id, "expiry#o-cash-1", 40, "expiry", ref="o-cash-1", totals={"spent_total": -40}
        )
    )
    assert (
        posted.entry.amount == 0
        and posted.entry.detail["forfeited"] == 40
        and posted.balance_after == 0
    )
    assert posted.entry.legs == {"refunds": -40, "forfeits": 40}
    assert int(Account.get(user_id).balance) == 0 and checks.check_account(user_id) == []
    assert trial_balance()["total"] == 0
    # A debit is not a credit: nothing to forfeit, the rule does not hide an overdraft.
    with pytest.raises(ledger.InsufficientCoins):
        ledger.post(ledger.Movement(user_id, "order#o-2", -1, "order"))


def test_delete__legacy_id_account__adopted_at_login__erased__next_login_is_a_new_account(
    aws, client, wechat_sim
):
    """An account made when the user id was a keyed hash of the openid: its next login finds it
    (and writes the login lookup for it); after erasure the same WeChat user is someone new."""
    from datetime import datetime

    from core.citizens import openids
    from infra.sim_wechat import openid_for
    from models import User
    from models.users import OpenidUser

    legacy = openids.legacy_user_id(openid_for("elder"), aws.hash_key)
    User(legacy, openid=openid_for("elder"), created_at=datetime.now(UTC), token_gen=1).save()
    first = client.post("/api/v1/auth/login", json={"code": "test-elder.1"}).json
    assert first["user"]["id"] == legacy
    assert OpenidUser.get(openids.openid_key(openid_for("elder"), aws.hash_key)).user_id == legacy
    assert (
        client.delete(
            "/api/v1/me", headers={"Authorization": f"Bearer {first['token']}"}
        ).status_code
        == 204
    )
    assert OpenidUser.count() == 0 and not User.count(legacy)
    back = client.post("/api/v1/auth/login", json={"code": "test-elder.2"}).json
    assert back["user"]["id"] not in (legacy, first["user"]["id"])


def test_login__two_first_logins_race__one_user_one_lookup(aws, wechat_sim, monkeypatch):
    """Another container creates the user between this login's lookup read and its create."""
    from core.citizens import users
    from infra.sim_wechat import openid_for
    from models import User
    from models.users import OpenidUser

    real, ran = users.create, []

    def raced(settings, session):
        if not ran:
            ran.append(real(settings, session))  # the other login wins
        return real(settings, session)

    monkeypatch.setattr(users, "create", raced)
    session = {"openid": openid_for("twin"), "session_key": "k"}
    user = users._get_or_create(aws, session)
    assert user.user_id == ran[0].user_id and User.count() == 1 and OpenidUser.count() == 1
