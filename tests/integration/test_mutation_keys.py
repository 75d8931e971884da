"""Idempotency-Key on every other mutation (API.md Conventions; miniprogram_api/idempotent.py):
the same key and body twice answer the same status and body and change nothing the second
time; the same key with another body is 409 `idempotency_key_reused` and changes nothing; a
key's record keeps no personal data. One key space per caller."""

from models.mall import IdempotencyRecord
from models.orders import Order, RedemptionCode
from tests.integration.test_redemption import order_for
from tests.support.mall import make_shop


def _with(headers: dict, key: str) -> dict:
    return {**headers, "Idempotency-Key": key}


def _reused(r) -> bool:
    return r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"


def test_redemption__a_lost_answer_retried_with_its_key__200_the_same_body(client, citizen):
    shop = make_shop()
    order = order_for(client, citizen, shop)
    first = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=_with(shop["auth"], "r1")
    )
    assert first.status_code == 200 and first.json["order_id"] == order["id"]
    redeemed_at = Order.get(order["id"]).redeemed_at
    again = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=_with(shop["auth"], "r1")
    )
    assert (again.status_code, again.json) == (200, first.json)
    assert Order.get(order["id"]).redeemed_at == redeemed_at  # redeemed once
    # Without the key (or under a fresh one) a second scan is what it always was.
    r = client.post(
        "/merchant/v1/redemptions", json={"code": order["code"]}, headers=_with(shop["auth"], "r2")
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "code_redeemed"
    # The key's record names the code's hash (in the redemption's own transaction), not the code.
    (record,) = [r for r in IdempotencyRecord.scan() if r.key.endswith("#r1")]
    assert record.key.startswith("merchant#") and order["code"] not in str(record.attribute_values)
    assert record.ref in {c.code_hash for c in RedemptionCode.scan()}


def test_redemption__the_key_with_another_code__409_nothing_redeemed(client, citizen):
    shop = make_shop()
    one, two = order_for(client, citizen, shop), order_for(client, citizen, shop)
    h = _with(shop["auth"], "r3")
    assert (
        client.post("/merchant/v1/redemptions", json={"code": one["code"]}, headers=h).status_code
        == 200
    )
    r = client.post("/merchant/v1/redemptions", json={"code": two["code"]}, headers=h)
    assert _reused(r)
    assert Order.get(two["id"]).status == "issued"


def test_redemption__keys_of_two_staff_keys_are_apart(client, citizen):
    from core.mall.merchants import issue_key

    shop = make_shop()
    _, other_key = issue_key(shop["merchant_id"])
    one, two = order_for(client, citizen, shop), order_for(client, citizen, shop)
    h1, h2 = _with(shop["auth"], "same"), {"Authorization": f"Bearer {other_key}"}
    assert (
        client.post("/merchant/v1/redemptions", json={"code": one["code"]}, headers=h1).status_code
        == 200
    )
    r = client.post(
        "/merchant/v1/redemptions", json={"code": two["code"]}, headers=_with(h2, "same")
    )
    assert r.status_code == 200 and r.json["order_id"] == two["id"]


def _partner_post(client, pid, secret, path, body, key=None):
    from tests.integration.test_partner_push import signed

    raw, h = signed(secret, pid, body, path=path)  # a fresh nonce: a retry is signed anew
    return client.post(path, data=raw, headers={**h, "Idempotency-Key": key} if key else h)


def test_partner_link__retried__the_same_link__another_ref_409(client, citizen, aws):
    from core.carbon import partners
    from models.links import PartnerLink

    pid, secret = partners.add_partner(aws, "bikes")
    who = {"Authorization": citizen["Authorization"]}
    code = client.post("/api/v1/partner-links", json={"partner_id": pid}, headers=who).json
    body = {"link_code": code["link_code"], "partner_user_ref": "rider-1"}
    first = _partner_post(client, pid, secret, "/partner/v1/links", body, "pl1")
    again = _partner_post(client, pid, secret, "/partner/v1/links", body, "pl1")
    assert first.status_code == 201 and (again.status_code, again.json) == (201, first.json)
    other = {**body, "partner_user_ref": "rider-2"}
    assert _reused(_partner_post(client, pid, secret, "/partner/v1/links", other, "pl1"))
    assert [p.partner_user_ref for p in PartnerLink.scan()] == ["rider-1"]


def test_partner_push__retried__the_first_counts__another_batch_409(client, citizen, aws):
    from core.carbon import partners
    from models.behaviours import Behaviour
    from tests.integration.test_partner_push import link, rec

    pid, secret = partners.add_partner(aws, "bikes")
    ref = link(client, {"Authorization": citizen["Authorization"]}, pid, secret)
    body = {"records": [rec(ref, "r-1")]}
    first = _partner_post(client, pid, secret, "/partner/v1/behaviours", body, "pb1")
    again = _partner_post(client, pid, secret, "/partner/v1/behaviours", body, "pb1")
    assert first.json["accepted"] == 1 and (again.status_code, again.json) == (200, first.json)
    # Without the key the same batch is counted as duplicates, as before.
    assert (
        _partner_post(client, pid, secret, "/partner/v1/behaviours", body).json["duplicates"] == 1
    )
    other = {"records": [rec(ref, "r-2")]}
    assert _reused(_partner_post(client, pid, secret, "/partner/v1/behaviours", other, "pb1"))
    assert Behaviour.count() == 1


def test_partner_keys__one_space_per_partner(client, aws):
    from core.carbon import partners

    a, a_secret = partners.add_partner(aws, "bikes")
    b, b_secret = partners.add_partner(aws, "buses")
    body = {"records": [rec_for_nobody()]}
    assert (
        _partner_post(client, a, a_secret, "/partner/v1/behaviours", body, "k").status_code == 200
    )
    other = {"records": [{**rec_for_nobody(), "record_id": "r-9"}]}
    assert (
        _partner_post(client, b, b_secret, "/partner/v1/behaviours", other, "k").status_code == 200
    )


def rec_for_nobody() -> dict:
    from tests.integration.test_partner_push import rec

    return rec("nobody", "r-0")


def _org(aws):
    from core.enterprise import orgs

    org_id, key = orgs.add_org("阳光光伏", ["pv"], by="ops-test")
    return org_id, {"Authorization": f"Bearer {key}"}


def test_org_project__retried__registered_once_answered_as_first(client, aws):
    from models.orgs import Project

    _, auth = _org(aws)
    h = {**auth, "Idempotency-Key": "op1"}
    body = {"project_id": "roof-1", "type": "pv", "location": "天河区"}
    first = client.post("/org/v1/projects", json=body, headers=h)
    again = client.post("/org/v1/projects", json=body, headers=h)
    assert first.status_code == 201 and (again.status_code, again.json) == (201, first.json)
    r = client.post("/org/v1/projects", json={**body, "project_id": "roof-2"}, headers=h)
    assert _reused(r) and [p.project_id for p in Project.scan()] == ["roof-1"]
    assert "天河区" not in str([r.attribute_values for r in IdempotencyRecord.scan()])


def test_org_readings__retried__the_first_answer__stored_once(client, aws):
    from core import localday
    from models.orgs import Reading

    _, auth = _org(aws)
    client.post("/org/v1/projects", json={"project_id": "roof-3", "type": "pv"}, headers=auth)
    day = localday.add_days(localday.today(), -40)
    row = {"reading_id": "m1", "project_id": "roof-3", "period_start": day, "period_end": day}
    h = {**auth, "Idempotency-Key": "or1"}
    first = client.post("/org/v1/readings", json={"readings": [{**row, "quantity": 30}]}, headers=h)
    again = client.post("/org/v1/readings", json={"readings": [{**row, "quantity": 30}]}, headers=h)
    assert first.status_code == 200 and (again.status_code, again.json) == (200, first.json)
    stored = Reading.count()
    r = client.post("/org/v1/readings", json={"readings": [{**row, "quantity": 31}]}, headers=h)
    assert _reused(r) and Reading.count() == stored
