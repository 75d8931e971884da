"""Idempotency-Key on a citizen's mutations (API.md Conventions; miniprogram_api/idempotent.py):
the same key and body twice answer the same status and body and have no second effect; the same
key with another body (or path) is 409 `idempotency_key_reused` and changes nothing; no personal
data in the key's record."""

import pytest

from core.carbon import partners
from models.appeals import Appeal
from models.cards import Card
from models.links import LinkCode, PartnerLink
from models.mall import IdempotencyRecord
from tests.support.mall import give_coins, make_shop

pytestmark = pytest.mark.usefixtures("yct_sim", "wechat_sim")


def _h(citizen, key=None) -> dict:
    h = {"Authorization": citizen["Authorization"]}
    return {**h, "Idempotency-Key": key} if key else h


def _twice(client, method, path, citizen, key, body=None):
    """The request sent twice under one key: both answers, asserted equal."""
    first = client.open(path, method=method, json=body, headers=_h(citizen, key))
    again = client.open(path, method=method, json=body, headers=_h(citizen, key))
    assert first.status_code < 300, first.get_data()
    assert (again.status_code, again.get_data()) == (first.status_code, first.get_data())
    return first


def _reused(r) -> bool:
    return r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"


def _records() -> str:
    return str([r.attribute_values for r in IdempotencyRecord.scan()])


def test_bind_card__retried__one_binding__even_after_an_unbind(client, citizen):
    first = _twice(client, "POST", "/api/v1/cards", citizen, "c1", {"card_no": "1234563456"})
    assert first.status_code == 201 and Card.count() == 1
    assert client.get("/api/v1/me", headers=_h(citizen)).json["cards"] == 1
    assert (
        client.delete(f"/api/v1/cards/{first.json['id']}", headers=_h(citizen)).status_code == 204
    )
    again = client.post("/api/v1/cards", json={"card_no": "1234563456"}, headers=_h(citizen, "c1"))
    assert (again.status_code, again.json) == (201, first.json)  # the first answer...
    assert Card.count() == 0  # ...and the card stays unbound
    r = client.post("/api/v1/cards", json={"card_no": "5100123456"}, headers=_h(citizen, "c1"))
    assert _reused(r) and Card.count() == 0
    assert "1234563456" not in _records() and "3456" not in _records()


def test_unbind_card__retried_after_a_rebind__the_card_stays(client, citizen):
    card = client.post("/api/v1/cards", json={"card_no": "1234563456"}, headers=_h(citizen)).json
    _twice(client, "DELETE", f"/api/v1/cards/{card['id']}", citizen, "c2")
    client.post("/api/v1/cards", json={"card_no": "1234563456"}, headers=_h(citizen))
    r = client.delete(f"/api/v1/cards/{card['id']}", headers=_h(citizen, "c2"))
    assert r.status_code == 204 and Card.count() == 1
    r = client.delete("/api/v1/cards/c_other", headers=_h(citizen, "c2"))  # another path
    assert _reused(r) and Card.count() == 1


def test_appeal__retried__one_appeal_answered_as_filed(client, citizen):
    from core import localday

    body = {"date": localday.add_days(localday.today(), -1), "note": "我的骑行没有计入"}
    first = _twice(client, "POST", "/api/v1/appeals", citizen, "a1", body)
    assert first.status_code == 201 and first.json["status"] == "open"
    opened = [a for a in Appeal.scan() if a.note]
    assert len(opened) == 1
    r = client.post("/api/v1/appeals", json={**body, "note": "另一条"}, headers=_h(citizen, "a1"))
    assert _reused(r) and len([a for a in Appeal.scan() if a.note]) == 1
    assert "骑行" not in _records()
    # The record committed with the appeal names it: a record without an appeal is never left.
    (record,) = IdempotencyRecord.scan()
    assert record.ref == first.json["id"]


def test_phone__retried__answered_the_bound_number__another_code_409(client, citizen):
    first = _twice(client, "POST", "/api/v1/me/phone", citizen, "p1", {"code": "phone-13800001234"})
    assert first.json == {"phone": "138****1234"}
    r = client.post(
        "/api/v1/me/phone", json={"code": "phone-13900009999"}, headers=_h(citizen, "p1")
    )
    assert _reused(r)
    assert client.get("/api/v1/me", headers=_h(citizen)).json["phone"] == "138****1234"
    assert "13800001234" not in _records()


def test_consent__retried__one_acceptance(client, citizen):
    version = client.get("/api/v1/me/consents", headers=_h(citizen)).json["current_version"]
    body = {"policy_version": version}
    first = _twice(client, "POST", "/api/v1/me/consents", citizen, "k1", body)
    assert first.status_code == 201 and len(first.json["history"]) == 1
    r = client.post("/api/v1/me/consents", json={"policy_version": "x"}, headers=_h(citizen, "k1"))
    assert _reused(r)


def test_link_code__retried__the_same_code__stored_once(client, citizen, aws):
    pid, _ = partners.add_partner(aws, "bikes")
    other, _ = partners.add_partner(aws, "recycler")
    first = _twice(client, "POST", "/api/v1/partner-links", citizen, "l1", {"partner_id": pid})
    assert first.status_code == 201 and LinkCode.count() == 1
    r = client.post("/api/v1/partner-links", json={"partner_id": other}, headers=_h(citizen, "l1"))
    assert _reused(r) and LinkCode.count() == 1
    assert first.json["link_code"] not in _records()
    # Without a key each request is a new code, as before.
    client.post("/api/v1/partner-links", json={"partner_id": pid}, headers=_h(citizen))
    assert LinkCode.count() == 2


def test_remove_link__retried_after_a_relink__the_link_stays(client, citizen, aws):
    from tests.integration.test_partner_push import link

    pid, secret = partners.add_partner(aws, "bikes")
    link(client, _h(citizen), pid, secret)
    _twice(client, "DELETE", f"/api/v1/partner-links/{pid}", citizen, "l2")
    link(client, _h(citizen), pid, secret, ref="rider-2", consent=False)
    r = client.delete(f"/api/v1/partner-links/{pid}", headers=_h(citizen, "l2"))
    assert r.status_code == 204 and PartnerLink.count() == 1


def test_steps__retried__the_first_answer__stored_once(client, aws):
    import time

    from models.behaviours import Behaviour
    from tests.integration.test_steps import encrypt, login_as

    h = login_as(client, "walker-k")
    who = {"Authorization": h["Authorization"]}
    now = int(time.time())
    body = encrypt(
        "walker-k", {"stepInfoList": [{"timestamp": now, "step": 9000}]}, aws.wechat_appid
    )
    first = _twice(client, "POST", "/api/v1/steps", who, "s1", body)
    assert first.json == {"days_accepted": 1}
    stored = [(b.quantity, b.facts["uploaded_at"]) for b in Behaviour.scan()]
    other = encrypt(
        "walker-k", {"stepInfoList": [{"timestamp": now, "step": 100}]}, aws.wechat_appid
    )
    r = client.post("/api/v1/steps", json=other, headers=_h(who, "s1"))
    assert _reused(r)
    assert [(b.quantity, b.facts["uploaded_at"]) for b in Behaviour.scan()] == stored


def test_subscriptions__retried__an_accept_counted_once(client, citizen):
    body = {"templates": {"settlement_credit": "accept"}}
    first = _twice(client, "POST", "/api/v1/me/subscriptions", citizen, "n1", body)
    assert first.json["templates"]["settlement_credit"]["remaining"] == 1
    r = client.post(
        "/api/v1/me/subscriptions",
        json={"templates": {"settlement_credit": "reject"}},
        headers=_h(citizen, "n1"),
    )
    assert _reused(r)
    state = client.get("/api/v1/me/subscriptions", headers=_h(citizen)).json
    assert state["templates"]["settlement_credit"]["remaining"] == 1


def test_cancel__retried__coins_back_once__another_order_409(client, citizen):
    shop = make_shop(price=10)
    give_coins(citizen["user"]["id"], 100)
    one, two = (
        client.post(
            "/api/v1/orders", json={"product_id": shop["product_id"]}, headers=_h(citizen)
        ).json
        for _ in range(2)
    )
    first = _twice(client, "POST", f"/api/v1/orders/{one['id']}/cancel", citizen, "o1")
    assert first.json["status"] == "cancelled"
    assert client.get("/api/v1/coins", headers=_h(citizen)).json["balance"] == 90
    r = client.post(f"/api/v1/orders/{two['id']}/cancel", headers=_h(citizen, "o1"))
    assert _reused(r)
    assert client.get(f"/api/v1/orders/{two['id']}", headers=_h(citizen)).json["status"] == "issued"
