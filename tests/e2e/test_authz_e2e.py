"""Object- and property-level authorization over real HTTP (OWASP API1 BOLA, API3 BOPLA),
and authentication of citizens and merchants (API2).

Every path of /openapi.json that takes an id must be classified below: a new one fails
`test_e2e__every_id_endpoint_is_covered` until someone says whose objects it serves."""

import json
import random
import time

import pytest

from tests.support.citizens import balance, call, give_coins, login, make_shop

pytestmark = pytest.mark.e2e

# path -> the kind of object of user B it is called with
OWNED = {
    "/api/v1/cards/{card_id}": "card",
    "/api/v1/orders/{order_id}": "order",
    "/api/v1/orders/{order_id}/cancel": "order",
}
# The catalogue and the public transparency log are the same for everyone.
PUBLIC = {
    "/api/v1/products/{product_id}",
    "/public/v1/log/heads/{date}",
    "/public/v1/log/totals/{date}",
}
# The id names a partner or a date, not an object of someone's: the route reads only the caller's own link
# or records (keyed by the caller's user id), so no id can reach another citizen's
# (tests/integration/test_partner_links.py; the records route: tests/e2e/test_trace_e2e.py).
# A ledger entry's proof reads the caller's own ledger partition (entry ids repeat across citizens;
# another's entry is 404: tests/e2e/test_transparency_e2e.py); an org's batch is looked up under the
# calling org's own key (another org's is 404: tests/integration/test_phcer_views.py).
CALLER_SCOPED = {
    "/api/v1/partner-links/{partner_id}",
    "/api/v1/reductions/{day}/records",
    "/api/v1/coins/ledger/{entry_id}/proof",
    "/org/v1/batches/{batch_id}",
}


def _card_no() -> str:
    return str(random.randint(1_000_000_000, 8_999_999_999))


@pytest.fixture(scope="module")
def world(stack):
    """Citizens A and B, B with a card and an issued order; two merchants with a product each."""
    a, b = login(stack), login(stack)
    m1, m2 = make_shop(stack, stock=10, price=10), make_shop(stack, stock=10, price=10)
    for who in (a, b):
        give_coins(stack, who.user_id, 100)
    card_no = _card_no()
    card = call(stack, "POST", "/api/v1/cards", {"card_no": card_no}, b.auth)
    order = call(stack, "POST", "/api/v1/orders", {"product_id": m2["product_id"]}, b.auth)
    assert card.status == 201 and order.status == 201, (card.body, order.body)
    return {
        "a": a,
        "b": b,
        "m1": m1,
        "m2": m2,
        "card": card.body,
        "card_no": card_no,
        "order": order.body,
    }


def _b_secrets(world) -> list[str]:
    """What of B must never reach A: ids, the redemption code, the card."""
    b, order = world["b"], world["order"]
    return [b.user_id, order["code"], world["card_no"], world["card"]["masked_no"]]


def test_e2e__every_id_endpoint_is_covered(stack):
    paths = call(stack, "GET", "/openapi.json").body["paths"]
    assert {p for p in paths if "{" in p} == set(OWNED) | PUBLIC | CALLER_SCOPED


@pytest.mark.parametrize("path", sorted(OWNED))
def test_e2e__citizen_a_on_b_objects__not_found_and_nothing_of_b(stack, world, path):
    a, b = world["a"], world["b"]
    spec = call(stack, "GET", "/openapi.json").body["paths"][path]
    obj = world[OWNED[path]]
    url = path.replace("{card_id}", obj["id"]).replace("{order_id}", obj["id"])
    for method in spec:
        r = call(stack, method.upper(), url, headers=a.auth)
        assert r.status in (403, 404), (method, r.status, r.body)
        assert r.body["error"]["code"] in ("forbidden", "not_found")
        text = json.dumps(r.body, ensure_ascii=False)
        assert not [s for s in _b_secrets(world) if s in text]
    # B's objects are untouched.
    assert [c["id"] for c in call(stack, "GET", "/api/v1/cards", headers=b.auth).body["items"]] == [
        world["card"]["id"]
    ]
    mine = call(stack, "GET", f"/api/v1/orders/{world['order']['id']}", headers=b.auth)
    assert (mine.status, mine.body["status"], mine.body["code"]) == (
        200,
        "issued",
        world["order"]["code"],
    )
    # No refund reached B: the balance still pays for every order not cancelled.
    kept = sum(
        o["coins"]
        for o in call(stack, "GET", "/api/v1/orders", headers=b.auth).body["items"]
        if o["status"] != "cancelled"
    )
    assert balance(stack, b) == 100 - kept


def test_e2e__lists_show_only_the_callers_objects(stack, world):
    a = world["a"]
    for path in (
        "/api/v1/cards",
        "/api/v1/orders",
        "/api/v1/coins/ledger",
        "/api/v1/me",
        "/api/v1/coins",
    ):
        r = call(stack, "GET", path, headers=a.auth)
        assert r.status == 200, (path, r.body)
        text = json.dumps(r.body, ensure_ascii=False)
        assert not [s for s in _b_secrets(world) if s in text], path


def test_e2e__merchant_m1_cannot_redeem_m2s_code__m2_still_can(stack, world):
    b, m1, m2 = world["b"], world["m1"], world["m2"]
    order = call(stack, "POST", "/api/v1/orders", {"product_id": m2["product_id"]}, b.auth).body
    r = call(stack, "POST", "/merchant/v1/redemptions", {"code": order["code"]}, m1["auth"])
    assert (r.status, r.body["error"]["code"]) == (403, "code_not_yours")
    assert order["id"] not in json.dumps(r.body)
    assert (
        call(stack, "GET", f"/api/v1/orders/{order['id']}", headers=b.auth).body["status"]
        == "issued"
    )

    r = call(stack, "POST", "/merchant/v1/redemptions", {"code": order["code"]}, m2["auth"])
    assert (r.status, r.body["order_id"]) == (200, order["id"])
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 8 * 3600))
    listed = {
        m: [
            i["order_id"]
            for i in call(
                stack, "GET", f"/merchant/v1/redemptions?date={day}", headers=world[m]["auth"]
            ).body["items"]
        ]
        for m in ("m1", "m2")
    }
    assert order["id"] not in listed["m1"] and listed["m2"].count(order["id"]) == 1


def test_e2e__order_body_cannot_set_server_owned_fields(stack, world):
    a, b, m1 = world["a"], world["b"], world["m1"]
    before_a, before_b = balance(stack, a), balance(stack, b)
    forged = {
        "product_id": m1["product_id"],
        "quantity": 1,
        "coins": 0,
        "price": 0,
        "price_coins": 0,
        "status": "redeemed",
        "user_id": b.user_id,
        "balance": 10**6,
        "id": "o_forged",
        "code": "AAAA-BBBB",
    }
    r = call(stack, "POST", "/api/v1/orders", forged, a.auth)
    assert r.status in (201, 422), r.body
    if r.status == 201:  # extra fields are ignored: the server decides all of them
        assert (r.body["coins"], r.body["status"]) == (10, "issued")
        assert r.body["id"] != "o_forged" and r.body["code"] != "AAAA-BBBB"
        assert call(stack, "GET", f"/api/v1/orders/{r.body['id']}", headers=a.auth).status == 200
        assert call(stack, "GET", f"/api/v1/orders/{r.body['id']}", headers=b.auth).status == 404
    assert balance(stack, a) == before_a - (10 if r.status == 201 else 0)
    assert balance(stack, b) == before_b


def test_e2e__card_and_login_bodies_cannot_set_server_owned_fields(stack, world):
    a, b = world["a"], world["b"]
    card_no = _card_no()
    forged = {
        "card_no": card_no,
        "user_id": b.user_id,
        "id": "c_forged",
        "bound_at": "2000-01-01T00:00:00+00:00",
        "masked_no": "51****0000",
        "balance": 10**6,
    }
    r = call(stack, "POST", "/api/v1/cards", forged, a.auth)
    assert r.status in (201, 422), r.body
    a_cards = call(stack, "GET", "/api/v1/cards", headers=a.auth).body["items"]
    b_cards = call(stack, "GET", "/api/v1/cards", headers=b.auth).body["items"]
    assert "c_forged" not in [c["id"] for c in a_cards + b_cards] and len(b_cards) == 1
    if r.status == 201:
        assert r.body in a_cards and r.body["masked_no"] == card_no[:2] + "****" + card_no[-4:]
        assert not r.body["bound_at"].startswith("2000")
    me = call(
        stack,
        "POST",
        "/api/v1/auth/login",
        {"code": f"test-{a.name}.forged", "user_id": b.user_id, "balance": 10**6},
    )
    assert (me.status, me.body["user"]["id"]) == (200, a.user_id)
    assert balance(stack, a) < 10**6


def _token(stack, user_id: str, now: int, ttl: int, secret: str | None = None) -> str:
    from core.citizens import tokens

    return tokens.issue(secret or stack.settings().token_secret, user_id, now, ttl)


def test_e2e__expired_tampered_or_foreign_tokens__401(stack, world):
    a, b = world["a"], world["b"]
    head, payload, sig = a.token.split(".")
    forged_payload = _token(stack, b.user_id, int(time.time()), 3600).split(".")[1]
    bad = {
        "expired": _token(stack, a.user_id, int(time.time()) - 7200, 3600),
        "other user's payload, A's signature": f"{head}.{forged_payload}.{sig}",
        "flipped signature": f"{head}.{payload}.{sig[:-2]}{'AA' if sig[-2:] != 'AA' else 'BB'}",
        "no signature": f"{head}.{payload}.",
        "signed with another secret": _token(
            stack, a.user_id, int(time.time()), 3600, secret="not-the-secret"
        ),
        "merchant key as a citizen token": world["m1"]["key"],
    }
    for why, token in bad.items():
        for method, path in (
            ("GET", "/api/v1/me"),
            ("GET", f"/api/v1/orders/{world['order']['id']}"),
            ("POST", "/api/v1/orders"),
        ):
            r = call(
                stack,
                method,
                path,
                {"product_id": world["m1"]["product_id"]} if method == "POST" else None,
                {"Authorization": f"Bearer {token}"},
            )
            assert (r.status, r.body["error"]["code"]) == (401, "unauthorized"), (why, path, r.body)
    for header in ({}, {"Authorization": a.token}, {"Authorization": f"Basic {a.token}"}):
        r = call(stack, "GET", "/api/v1/me", headers=header)
        assert (r.status, r.body["error"]["code"]) == (401, "unauthorized")
    assert (
        call(stack, "GET", "/api/v1/me", headers=a.auth).status == 200
    )  # the real token still works


def test_e2e__bad_merchant_keys__401_and_code_not_consumed(stack, world):
    b, m2 = world["b"], world["m2"]
    order = call(stack, "POST", "/api/v1/orders", {"product_id": m2["product_id"]}, b.auth).body
    for key in ("mk_not_a_key", m2["key"] + "x", b.token, ""):
        for method, path, body in (
            ("POST", "/merchant/v1/redemptions", {"code": order["code"]}),
            ("GET", "/merchant/v1/redemptions?date=2026-01-01", None),
        ):
            r = call(stack, method, path, body, {"Authorization": f"Bearer {key}"})
            assert (r.status, r.body["error"]["code"]) == (401, "unauthorized"), (key[:6], path)
    assert (
        call(stack, "GET", f"/api/v1/orders/{order['id']}", headers=b.auth).body["status"]
        == "issued"
    )
    assert (
        call(stack, "POST", "/merchant/v1/redemptions", {"code": order["code"]}, m2["auth"]).status
        == 200
    )


def test_e2e__cursor_from_b_list_or_made_up__422(stack, world):
    import base64

    a, b, m2 = world["a"], world["b"], world["m2"]
    call(
        stack, "POST", "/api/v1/orders", {"product_id": m2["product_id"]}, b.auth
    )  # B has two orders at least
    made_up = base64.urlsafe_b64encode(json.dumps({"nope": {"S": "x"}}).encode()).decode()
    for path in ("/api/v1/orders", "/api/v1/coins/ledger"):
        b_cursor = call(stack, "GET", f"{path}?limit=1", headers=b.auth).body["next_cursor"]
        assert (
            b_cursor
            and call(stack, "GET", f"{path}?limit=1&cursor={b_cursor}", headers=b.auth).status
            == 200
        )
        for cursor in (b_cursor, made_up):
            r = call(stack, "GET", f"{path}?limit=5&cursor={cursor}", headers=a.auth)
            assert (r.status, r.body["error"]["code"]) == (422, "invalid_request"), (path, r.body)
