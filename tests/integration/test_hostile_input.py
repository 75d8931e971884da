"""Hostile values on every kind of input, as a property: deep JSON, odd Unicode digits, NUL,
calendar edges, forged cursors and ids. Every answer is a 4xx with a stable error code, never
a 5xx. HOSTILE_EXAMPLES sets the examples per property (`make fuzz` runs more)."""
import base64
import json
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from tests.support.mall import make_shop

pytestmark = pytest.mark.usefixtures("yct_sim")  # a well-formed hostile card number reaches Yangchengtong

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "40"))
SEEN = {"requests": 0, "5xx": 0}
CODE = re.compile(r"^[a-z_]{3,40}$")


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode()


def _as_received(text: str) -> str:
    """A header value as a server receives it: UTF-8 bytes read as Latin-1."""
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


HOSTILE = st.one_of(
    st.sampled_from(["[" * 5000, '{"a":' * 5000, "١٢٣٤٥٦٧٨٩٠", "²³", "１７００００００００", "\x00", "a\x00b",
                     "0001-01-01", "9999-12-31", "0000-00-00", "-1", "1e999", "NaN", "", " ", "é" * 300,
                     "\u202e\ufeff", "𝟙𝟚𝟛", "9" * 400, "null", "[]", "{}"]),
    st.builds(_b64, st.sampled_from([{"user_id": {"S": "x"}}, {"nope": {"S": "x"}}, [1], "x", {"a": [[[[]]]]},
                                     json.loads("[" * 30 + "]" * 30)])),
    st.text(max_size=40))


def _routes(shop_id: str):
    """(method, path template with {v}, where the value goes: path, query, json or header name)."""
    return [("POST", "/api/v1/auth/login", "json"), ("POST", "/api/v1/orders", "json"),
            ("POST", "/api/v1/cards", "json"), ("POST", "/api/v1/me/phone", "json"),
            ("GET", "/api/v1/orders/{v}", "path"), ("GET", "/api/v1/products/{v}", "path"),
            ("DELETE", "/api/v1/cards/{v}", "path"), ("GET", "/api/v1/coins/ledger?cursor={v}", "query"),
            ("GET", "/api/v1/orders?cursor={v}", "query"), ("GET", "/api/v1/products?cursor={v}", "query"),
            ("GET", "/api/v1/reductions?from={v}&to=2026-01-01", "query"),
            ("GET", "/api/v1/reductions?from=0001-01-01&to={v}", "query"),
            ("GET", "/merchant/v1/redemptions?date={v}", "query"), ("POST", "/merchant/v1/redemptions", "json"),
            ("GET", "/api/v1/me", "Authorization"), ("POST", "/partner/v1/behaviours", "X-Timestamp"),
            ("POST", "/partner/v1/behaviours", "X-Partner-Id"), ("POST", "/partner/v1/behaviours", "json")]


def _request(client, citizen, shop, route, value):
    from urllib.parse import quote

    method, path, where = route
    headers = {"Authorization": shop["auth"]["Authorization"] if path.startswith("/merchant")
               else citizen["Authorization"]}
    data = None
    if where == "json":
        # The value raw as the body, and inside the fields the route reads.
        data = value if value.lstrip().startswith(("[", "{")) else json.dumps(
            {"code": value, "product_id": value, "card_no": value, "records": value})
    elif where in ("path", "query"):
        path = path.replace("{v}", quote(value, safe=""))
    else:
        headers[where] = _as_received(value)
        if where.startswith("X-"):
            headers.update({k: headers.get(k, "1700000000") for k in ("X-Partner-Id", "X-Timestamp")})
            headers.update({"X-Nonce": "n" * 16, "X-Signature": "0" * 64})
    r = client.open(path, method=method, data=data, headers=headers, content_type="application/json")
    SEEN["requests"] += 1
    SEEN["5xx"] += r.status_code >= 500
    assert 400 <= r.status_code < 500 or (r.status_code < 300 and where not in ("Authorization",)), (
        method, path, where, value[:80], r.status_code, r.get_data(as_text=True)[:300])
    if r.status_code >= 400:
        assert CODE.match(r.json["error"]["code"]), r.json


def test_hostile_values__every_route__4xx_with_a_stable_code(client, citizen, aws):
    shop = make_shop()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(route=st.sampled_from(_routes(shop["product_id"])), value=HOSTILE)
    def each(route, value):
        _request(client, citizen, shop, route, value)

    each()
    for route in _routes(shop["product_id"]):  # and every route with the nastiest values, always
        for value in ("[" * 5000, "١٢٣٤٥٦٧٨٩٠", "\x00", "9999-12-31", _b64({"user_id": {"S": "x"}})):
            _request(client, citizen, shop, route, value)
    print(f"hostile input: {SEEN['requests']} requests, {SEEN['5xx']} 5xx")
    assert SEEN["5xx"] == 0
