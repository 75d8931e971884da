"""Abuse limits over real HTTP (OWASP API4 resource consumption, API6 sensitive flows):
body size, page size, input bounds, the login rate limit, merchant code guessing."""

import http.client
import json
import time

import pytest

from tests.support.citizens import balance, call, check_private, give_coins, login, make_shop, watch
from tests.support.concurrency import Reply
from tests.support.invariants import verified_stack

pytestmark = pytest.mark.e2e
OVER_LIMIT = 300 * 1024  # the app refuses bodies over 256 KiB (miniprogram_api.MAX_BODY_BYTES)
STRICT_LOGINS_PER_MINUTE = 3


@pytest.fixture(scope="module")
def strict_stack(tmp_path_factory):
    """A stack of its own with a low login limit: the shared one raises the limit for its crowds."""
    yield from verified_stack(
        str(tmp_path_factory.mktemp("strict")),
        {"LOGIN_LIMIT_PER_MINUTE": str(STRICT_LOGINS_PER_MINUTE)},
    )


def _post_declaring(stack, path: str, size: int, headers: dict) -> Reply:
    """POST announcing a `size`-byte JSON body but sending only its first KiB: the limit must be
    enforced from the declared length, before reading (and without a race against the server
    closing while a client still writes, which a loaded machine turns into connection resets)."""
    conn = http.client.HTTPConnection(stack.api.split("//")[1], timeout=120)
    try:
        conn.putrequest("POST", path)
        for k, v in {
            "Content-Type": "application/json",
            "Content-Length": str(size),
            **headers,
        }.items():
            conn.putheader(k, v)
        conn.endheaders(b'{"code": "' + b"x" * 1024)
        resp = conn.getresponse()
        r = Reply(-1, resp.status, json.loads(resp.read()), dict(resp.headers))
    finally:
        conn.close()
    check_private(r)
    return r


def test_e2e__body_over_the_limit__413_with_a_stable_code_and_nothing_written(stack):
    shop = make_shop(stack, stock=5)
    buyer = login(stack)
    give_coins(stack, buyer.user_id, 50)
    for path, headers in (
        ("/api/v1/auth/login", {}),
        ("/api/v1/orders", buyer.auth),
        ("/api/v1/cards", buyer.auth),
        ("/merchant/v1/redemptions", shop["auth"]),
    ):
        r = _post_declaring(stack, path, OVER_LIMIT, headers)
        assert (r.status, r.body["error"]["code"]) == (413, "payload_too_large"), (
            path,
            r.status,
            r.body,
        )
    assert balance(stack, buyer) == 50
    assert call(stack, "GET", "/api/v1/cards", headers=buyer.auth).body["items"] == []
    assert call(stack, "GET", "/api/v1/orders", headers=buyer.auth).body["items"] == []


@pytest.mark.parametrize("path", ["/api/v1/products", "/api/v1/orders", "/api/v1/coins/ledger"])
def test_e2e__page_size_over_the_cap__422_and_the_cap_itself_is_served(stack, path):
    # API.md: ?limit= is 1..100. The app refuses what is outside rather than clamping it.
    citizen = login(stack)
    for limit in (101, 10_000, 0, -1):
        r = call(stack, "GET", f"{path}?limit={limit}", headers=citizen.auth)
        assert (r.status, r.body["error"]["code"]) == (422, "invalid_request"), (limit, r.body)
    r = call(stack, "GET", f"{path}?limit=100", headers=citizen.auth)
    assert r.status == 200 and len(r.body["items"]) <= 100


def test_e2e__other_input_bounds__refused_before_any_work(stack):
    citizen = login(stack)
    shop = make_shop(stack, stock=50)
    give_coins(stack, citizen.user_id, 1000)
    checks = [
        ("GET", "/api/v1/reductions?from=2024-01-01&to=2025-12-31", None, {}, 422),  # > 366 days
        ("POST", "/api/v1/orders", {"product_id": shop["product_id"], "quantity": 11}, {}, 422),
        (
            "POST",
            "/api/v1/orders",
            {"product_id": shop["product_id"]},
            {"Idempotency-Key": "k" * 65},
            400,
        ),
    ]
    for method, path, body, headers, status in checks:
        r = call(stack, method, path, body, {**citizen.auth, **headers})
        assert (r.status, r.body["error"]["code"]) == (status, "invalid_request"), (path, r.body)
    assert balance(stack, citizen) == 1000


def _in_one_window(window_s: int, min_left: float, attempt, same_subject: bool):
    """Run attempt() until it starts and ends in the same fixed window of the app's rate limits,
    so counts are exact (a boundary in the middle would reset the count). A try starts only with
    min_left seconds of the window to go, else at the start of the next window; a retry on the
    same subject (address, key) starts in a fresh window, as the last one holds its hits."""
    for n in range(3):
        left = window_s - time.time() % window_s
        if left < min_left or (n and same_subject):
            time.sleep(left + 0.2)
        window = int(time.time() // window_s)
        result = attempt()
        if int(time.time() // window_s) == window:
            return result
    pytest.fail(f"three tries each crossed a {window_s} s window boundary")


def test_e2e__merchant_key_guessing_codes__429_after_10_failures(stack):
    def attempt():
        shop = make_shop(stack, stock=5)  # a fresh key: failures are counted per key
        return [
            call(stack, "POST", "/merchant/v1/redemptions", {"code": f"GUESS{i:04d}"}, shop["auth"])
            for i in range(11)
        ]

    replies = _in_one_window(600, 0, attempt, same_subject=False)  # core.mall.redemption.WINDOW_S
    assert [r.status for r in replies] == [404] * 10 + [429]
    assert (
        replies[-1].body["error"]["code"] == "rate_limited"
        and int(replies[-1].headers["Retry-After"]) > 0
    )


def test_e2e__login_rate_limit__429_with_retry_after(strict_stack):
    watch("limited")
    tries = iter(range(100))

    def attempt():
        n = next(tries)
        return [
            call(strict_stack, "POST", "/api/v1/auth/login", {"code": f"test-limited.{n}.{i}"})
            for i in range(STRICT_LOGINS_PER_MINUTE + 1)
        ]

    replies = _in_one_window(
        60, 30, attempt, same_subject=True
    )  # logins are limited per address per minute
    assert [r.status for r in replies] == [200] * STRICT_LOGINS_PER_MINUTE + [429]
    assert replies[-1].body["error"]["code"] == "rate_limited"
    assert 1 <= int(replies[-1].headers["Retry-After"]) <= 61
