"""Idempotency-Key (API.md Conventions) on the estimate, the ranking choice and marking the inbox
read: a retry answers as the first did and changes nothing again; the same key with another
body, or an order's key, is 409 `idempotency_key_reused` and changes nothing; a key over 64
characters is refused; the key's record keeps a hash, never the body."""

from datetime import UTC, datetime, timedelta

from models.estimates import SavedEstimate
from models.inbox import InboxItem
from models.mall import IdempotencyRecord
from models.rankings import RankingItem
from tests.support.mall import give_coins, make_shop


def _h(citizen, key=None):
    h = {"Authorization": citizen["Authorization"]}
    return {**h, "Idempotency-Key": key} if key else h


def _unread_item(user_id: str, at: str) -> None:
    InboxItem(
        user_id,
        at,
        kind="settlement_credit",
        title="t",
        body="b",
        created_at="2026-12-01T00:00:00+00:00",
        read=False,
        expires_at=datetime.now(UTC) + timedelta(days=1),
    ).save()


def test_inbox_read__a_retry_marks_nothing_again__another_body_409(client, citizen):
    uid = citizen["user"]["id"]
    _unread_item(uid, "2026-12-01T08:00:00+08:00#a")
    body = {"ids": ["2026-12-01T08:00:00+08:00#a"]}
    assert (
        client.post("/api/v1/inbox/read", json=body, headers=_h(citizen, "k1")).status_code == 204
    )
    _unread_item(uid, "2026-12-01T08:00:00+08:00#a")  # unread again since (as a test can make it)
    assert (
        client.post("/api/v1/inbox/read", json=body, headers=_h(citizen, "k1")).status_code == 204
    )
    assert client.get("/api/v1/inbox", headers=_h(citizen)).json["unread"] == 1  # not re-applied
    r = client.post("/api/v1/inbox/read", json={"all": True}, headers=_h(citizen, "k1"))
    assert r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"
    assert client.get("/api/v1/inbox", headers=_h(citizen)).json["unread"] == 1
    r = client.post("/api/v1/inbox/read", json={"all": True}, headers=_h(citizen, "x" * 65))
    assert r.status_code == 400 and r.json["error"]["code"] == "invalid_request"
    assert client.get("/api/v1/inbox", headers=_h(citizen)).json["unread"] == 1
    record = IdempotencyRecord.get(f"{uid}#k1")
    assert "2026-12-01" not in str(record.attribute_values)  # a hash, not the ids


def test_ranking_choice__a_retry_answers_the_first_and_writes_nothing(client, citizen):
    uid = citizen["user"]["id"]
    first = client.put(
        "/api/v1/rankings/me",
        json={"listed": True, "nickname": " 绿色骑手 "},
        headers=_h(citizen, "k2"),
    )
    assert first.json == {"listed": True, "nickname": "绿色骑手"}
    written = RankingItem.get(f"choice#{uid}", "-").updated_at
    again = client.put(
        "/api/v1/rankings/me",
        json={"listed": True, "nickname": " 绿色骑手 "},
        headers=_h(citizen, "k2"),
    )
    assert again.status_code == 200 and again.json == first.json
    assert RankingItem.get(f"choice#{uid}", "-").updated_at == written
    r = client.put("/api/v1/rankings/me", json={"listed": False}, headers=_h(citizen, "k2"))
    assert r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"
    assert client.get("/api/v1/rankings", headers=_h(citizen)).json["me"]["listed"] is True


def test_estimate__a_retry_saves_nothing_again__the_first_saved_at(client, citizen):
    uid = citizen["user"]["id"]
    body = {"household_kwh_month": 200, "save": True}
    first = client.post("/api/v1/footprint/estimate", json=body, headers=_h(citizen, "k3")).json
    again = client.post("/api/v1/footprint/estimate", json=body, headers=_h(citizen, "k3"))
    assert again.status_code == 200 and again.json == first
    kept = datetime.fromisoformat(SavedEstimate.get(uid).saved_at)
    assert kept == datetime.fromisoformat(first["saved_at"])  # saved once, by the first
    r = client.post(
        "/api/v1/footprint/estimate",
        json={**body, "household_kwh_month": 300},
        headers=_h(citizen, "k3"),
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"
    assert SavedEstimate.get(uid).answers["household_kwh_month"] == 200


def test_an_orders_key_and_these_keys_are_one_key_space(client, citizen):
    shop = make_shop(price=10)
    give_coins(citizen["user"]["id"], 100)
    r = client.post(
        "/api/v1/orders", json={"product_id": shop["product_id"]}, headers=_h(citizen, "k4")
    )
    assert r.status_code == 201
    r = client.post("/api/v1/inbox/read", json={"all": True}, headers=_h(citizen, "k4"))
    assert r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"
    client.put("/api/v1/rankings/me", json={"listed": False}, headers=_h(citizen, "k5"))
    r = client.post(
        "/api/v1/orders", json={"product_id": shop["product_id"]}, headers=_h(citizen, "k5")
    )
    assert r.status_code == 409 and r.json["error"]["code"] == "idempotency_key_reused"


def test_any_key_text__a_4xx_or_a_success__never_5xx(client, citizen):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    # What a header can carry through WSGI: Latin-1 text (odd bytes arrive as such), any length.
    keys = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(key=keys, listed=st.booleans())
    def each(key, listed):
        r = client.put(
            "/api/v1/rankings/me",
            json={"listed": listed, "nickname": "低碳小白"},
            headers=_h(citizen, key),
        )
        assert r.status_code in (200, 400, 409), (key, r.status_code, r.get_data()[:200])
        if not 1 <= len(key) <= 64:
            assert key == "" or r.status_code == 400  # an empty header is no key at all

    each()
