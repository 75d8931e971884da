"""Hostile values on every kind of input, as a property: deep JSON, odd Unicode digits, NUL,
calendar edges, forged cursors and ids. Every answer is a 4xx with a stable error code, never
a 5xx. HOSTILE_EXAMPLES sets the examples per property (`make fuzz` runs more).

The second property puts a generated JSON literal (raw text, so Infinity and 1e999 stay as written)
into one field of a body that is otherwise well formed, nested fields included: a partner record, an
org reading, the decrypted WeRun contents and the decrypted, signed WeChat Pay notification. Classes:
lone surrogates (as escapes) and non-characters in strings; integers of any size and sign; floats
with huge exponents, NaN and ±Infinity; every wrong JSON type (null, bool, number, string, list,
object), nested."""

import base64
import json
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.carbon import partners
from core.enterprise import orgs
from infra.wechatpay_platform import Platform
from tests.integration.test_partner_push import link
from tests.integration.test_steps import encrypt_text
from tests.support.hostile import RUN
from tests.support.mall import make_shop, pending_cash_order

pytestmark = pytest.mark.usefixtures(
    "yct_sim"
)  # a well-formed hostile card number reaches Yangchengtong

SEEN = {"requests": 0, "5xx": 0}
CODE = re.compile(r"^[a-z_]{3,40}$")


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode()


def _as_received(text: str) -> str:
    """A header value as a server receives it: UTF-8 bytes read as Latin-1. A line break cannot
    travel inside a header (it ends the header line), so it arrives as a space."""
    text = text.replace("\r", " ").replace("\n", " ")
    return text.encode("utf-8", "surrogatepass").decode("latin-1")


HOSTILE = st.one_of(
    st.sampled_from(
        [
            "[" * 5000,
            '{"a":' * 5000,
            "١٢٣٤٥٦٧٨٩٠",
            "²³",
            "１７００００００００",
            "\x00",
            "a\x00b",
            "0001-01-01",
            "9999-12-31",
            "0000-00-00",
            "-1",
            "1e999",
            "NaN",
            "",
            " ",
            "é" * 300,
            "\u202e\ufeff",
            "𝟙𝟚𝟛",
            "9" * 400,
            "null",
            "[]",
            "{}",
        ]
    ),
    st.builds(
        _b64,
        st.sampled_from(
            [
                {"user_id": {"S": "x"}},
                {"nope": {"S": "x"}},
                [1],
                "x",
                {"a": [[[[]]]]},
                json.loads("[" * 30 + "]" * 30),
            ]
        ),
    ),
    st.text(max_size=40),
)

# Raw JSON literals, by class.
_NONCHARACTERS = st.one_of(
    st.integers(0xFDD0, 0xFDEF),
    st.builds(
        lambda plane, last: plane * 0x10000 + last,
        st.integers(0, 16),
        st.sampled_from([0xFFFE, 0xFFFF]),
    ),
)
TEXT_LITERAL = st.one_of(
    st.builds(
        lambda pre, c: json.dumps(pre)[:-1] + f'\\u{c:04x}"',
        st.text(max_size=4),
        st.integers(0xD800, 0xDFFF),
    ),
    st.builds(
        lambda pre, c: json.dumps(pre + chr(c), ensure_ascii=False),
        st.text(max_size=4),
        _NONCHARACTERS,
    ),
    st.text(max_size=12).map(json.dumps),
)
NUMBER_LITERAL = st.one_of(
    st.integers().map(str),
    st.builds(
        lambda sign, n: sign + str(7 * 10**n + 1), st.sampled_from(["", "-"]), st.integers(18, 450)
    ),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-99, 99), st.integers(-450, 450)),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.sampled_from(["Infinity", "-Infinity", "NaN", "1e999", "-1e999", "0.5", "-0"]),
)
JSON_LITERAL = st.recursive(
    st.one_of(TEXT_LITERAL, NUMBER_LITERAL, st.sampled_from(["null", "true", "false", "[]", "{}"])),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(TEXT_LITERAL, inner), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"
        ),
    ),
    max_leaves=6,
)


def _typed_bodies(product_id: str):
    """(method, path, how the body is sent, JSON templates with one "@@" for the generated literal)."""
    now = int(time.time())
    hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    record = (
        '{"records": [{"record_id": "$rid", "user_ref": "rider-1", "scenario": "bike", "quantity": 3.5, '
        f'"occurred_at": "{hour_ago}", "facts": {{"duration_s": 900}}}}]}}'
    )
    reading = (
        '{"readings": [{"reading_id": "$rid", "project_id": "roof-3", "period_start": "$start", '
        '"period_end": "$end", "quantity": 300}]}'
    )
    trade = (
        '{"mchid": "$mchid", "appid": "$appid", "out_trade_no": "$order", "transaction_id": "4200000000123", '
        '"trade_state": "SUCCESS", "success_time": "2026-01-01T10:00:00+08:00", "payer": {"openid": "o1"}, '
        '"amount": {"total": 1000, "currency": "CNY"}}'
    )
    steps = json.dumps(
        {
            "stepInfoList": [{"timestamp": now, "step": 8000}],
            "watermark": {"appid": "$appid", "timestamp": now},
        }
    )
    return [
        ("POST", "/api/v1/auth/login", "json", ['{"code": @@}']),
        ("POST", "/api/v1/me/phone", "json", ['{"code": @@}']),
        ("POST", "/api/v1/cards", "json", ['{"card_no": @@}']),
        (
            "POST",
            "/api/v1/orders",
            "json",
            [
                '{"product_id": @@, "quantity": 1}',
                f'{{"product_id": "{product_id}", "quantity": @@}}',
            ],
        ),
        ("POST", "/merchant/v1/redemptions", "json", ['{"code": @@}']),
        ("POST", "/partner/v1/behaviours", "partner", _each_field(record)),
        ("POST", "/org/v1/readings", "org", _each_field(reading)),
        ("POST", "/api/v1/steps", "werun", _each_field(steps)),
        ("POST", "/wechatpay/v1/notify", "wechatpay", _each_field(trade)),
    ]


def _each_field(template: str) -> list[str]:
    """The template with each of its values (at any depth, containers too) replaced by "@@" in turn."""
    doc = json.loads(template)
    out = []

    def walk(node, setter):
        if setter is not None:
            out.append(setter())
        children = (
            node.items()
            if isinstance(node, dict)
            else enumerate(node)
            if isinstance(node, list)
            else ()
        )
        for key, child in list(children):

            def put(node=node, key=key):
                saved, node[key] = node[key], "@@"
                text = json.dumps(doc, ensure_ascii=False).replace('"@@"', "@@")
                node[key] = saved
                return text

            walk(child, put)

    walk(doc, None)
    return out


def _routes(shop_id: str):
    """(method, path template with {v}, where the value goes: path, query, json or header name)."""
    return [
        ("POST", "/api/v1/auth/login", "json"),
        ("POST", "/api/v1/orders", "json"),
        ("POST", "/api/v1/cards", "json"),
        ("POST", "/api/v1/me/phone", "json"),
        ("GET", "/api/v1/orders/{v}", "path"),
        ("GET", "/api/v1/products/{v}", "path"),
        ("DELETE", "/api/v1/cards/{v}", "path"),
        ("GET", "/api/v1/coins/ledger?cursor={v}", "query"),
        ("GET", "/api/v1/orders?cursor={v}", "query"),
        ("GET", "/api/v1/products?cursor={v}", "query"),
        ("GET", "/api/v1/reductions?from={v}&to=2026-01-01", "query"),
        ("GET", "/api/v1/reductions?from=0001-01-01&to={v}", "query"),
        ("GET", "/merchant/v1/redemptions?date={v}", "query"),
        ("POST", "/merchant/v1/redemptions", "json"),
        ("GET", "/api/v1/me", "Authorization"),
        ("POST", "/partner/v1/behaviours", "X-Timestamp"),
        ("POST", "/partner/v1/behaviours", "X-Partner-Id"),
        ("POST", "/partner/v1/behaviours", "json"),
        ("POST", "/api/v1/steps", "json"),
        ("POST", "/org/v1/readings", "json"),
        ("POST", "/wechatpay/v1/notify", "json"),
    ]


def _request(client, citizen, shop, route, value):
    from urllib.parse import quote

    method, path, where = route
    headers = {
        "Authorization": shop["auth"]["Authorization"]
        if path.startswith("/merchant")
        else citizen["Authorization"]
    }
    data = None
    if where == "json":
        # The value raw as the body, and inside the fields the route reads.
        data = (
            value
            if value.lstrip().startswith(("[", "{"))
            else json.dumps(
                {"code": value, "product_id": value, "card_no": value, "records": value}
            )
        )
    elif where in ("path", "query"):
        path = path.replace("{v}", quote(value, safe=""))
    else:
        headers[where] = _as_received(value)
        if where.startswith("X-"):
            headers.update(
                {k: headers.get(k, "1700000000") for k in ("X-Partner-Id", "X-Timestamp")}
            )
            headers.update({"X-Nonce": "n" * 16, "X-Signature": "0" * 64})
    r = client.open(
        path, method=method, data=data, headers=headers, content_type="application/json"
    )
    SEEN["requests"] += 1
    SEEN["5xx"] += r.status_code >= 500
    assert 400 <= r.status_code < 500 or (
        r.status_code < 300 and where not in ("Authorization",)
    ), (method, path, where, value[:80], r.status_code, r.get_data(as_text=True)[:300])
    if r.status_code >= 400:
        _stable_code(path, r)


class _Senders:
    """Bodies sent as each outside party sends them: a citizen's token, a partner's or WeChat Pay's
    signature, an org's key, WeRun contents encrypted with the citizen's session key."""

    def __init__(self, client, citizen, shop, aws):
        self.client, self.citizen, self.shop, self.aws = client, citizen, shop, aws
        self.pid, self.secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
        link(client, citizen, self.pid, self.secret)
        self.org_key = orgs.add_org("阳光光伏", ["pv"], by="ops-test")[1]
        project = client.post(
            "/org/v1/projects",
            json={"project_id": "roof-3", "type": "pv"},
            headers={"Authorization": f"Bearer {self.org_key}"},
        )
        assert project.status_code == 201, project.json
        self.sent = 0
        self.platform = Platform(aws.wechatpay_apiv3_key, aws.wechatpay_public_key_id)
        self.werun_headers = _werun_login(client, "hostile-walker")

    def send(self, path, how, text):
        aws, client = self.aws, self.client
        order = f"o_hostile_{uuid.uuid4().hex[:10]}"
        # A new record id and reading period each time: a well-formed body reaches the writes
        # (a repeated id is a duplicate and an overlapping period is refused before any write).
        self.sent += 1
        start = date(2025, 1, 1) + timedelta(days=self.sent)
        text = (
            text.replace("$rid", uuid.uuid4().hex)
            .replace("$start", start.isoformat())
            .replace("$end", (start + timedelta(days=1)).isoformat())
            .replace("$appid", aws.wechat_appid)
            .replace("$mchid", aws.wechatpay_mchid)
            .replace("$order", order)
        )
        if how == "json":
            auth = self.shop["auth"] if path.startswith("/merchant") else self.citizen
            return client.post(
                path,
                data=text.encode(),
                headers={"Authorization": auth["Authorization"]},
                content_type="application/json",
            )
        if how == "partner":
            raw, ts, nonce = text.encode(), str(int(time.time())), uuid.uuid4().hex
            return client.post(
                path,
                data=raw,
                headers={
                    "X-Partner-Id": self.pid,
                    "X-Timestamp": ts,
                    "X-Nonce": nonce,
                    "Content-Type": "application/json",
                    "X-Signature": partners.signature(self.secret, "POST", path, ts, nonce, raw),
                },
            )
        if how == "org":
            return client.post(
                path,
                data=text.encode(),
                headers={"Authorization": f"Bearer {self.org_key}"},
                content_type="application/json",
            )
        if how == "werun":
            body = encrypt_text("hostile-walker", text)
            return client.post(path, json=body, headers=self.werun_headers)
        # wechatpay: a pending 1000-fen order, and the notification for it with the literal inside.
        pending_cash_order(order, 1000)
        note = json.dumps(self.platform.paid_notification(text, datetime.now(UTC).isoformat()))
        return client.post(
            path,
            data=note.encode(),
            headers={"Content-Type": "application/json"} | self.platform.headers(note),
        )


def _werun_login(client, name):
    r = client.post("/api/v1/auth/login", json={"code": f"test-{name}.{time.time()}"})
    return {"Authorization": f"Bearer {r.json['token']}"}


def _stable_code(path, r):
    if path.startswith("/wechatpay/"):  # WeChat Pay's own answer to a notification it must resend
        assert r.json["code"] == "FAIL" and r.json["message"], r.json
    else:
        assert CODE.match(r.json["error"]["code"]), r.json


def _typed(senders, route, template, literal):
    method, path, how, _ = route
    text = template.replace("@@", literal)
    r = senders.send(path, how, text)
    SEEN["requests"] += 1
    SEEN["5xx"] += r.status_code >= 500
    assert r.status_code < 500, (
        path,
        how,
        text[:300],
        r.status_code,
        r.get_data(as_text=True)[:300],
    )
    if r.status_code >= 400:
        _stable_code(path, r)


def test_hostile_literals__in_every_field_nested_and_decrypted__never_5xx(client, citizen, aws):
    shop = make_shop()
    senders = _Senders(client, citizen, shop, aws)
    routes = _typed_bodies(shop["product_id"])

    @RUN
    @given(data=st.data())
    def each(data):
        route = data.draw(st.sampled_from(routes))
        _typed(senders, route, data.draw(st.sampled_from(route[3])), data.draw(JSON_LITERAL))

    SEEN.update(requests=0, **{"5xx": 0})
    each()
    # Every field of every body, always, with a literal of each class in turn.
    always = (
        '"\\ud800"',
        "1" + "0" * 400,
        "Infinity",
        "null",
        '[{"a": [1e999]}]',
        '"\ufffe"',
        "-1e400",
        "true",
    )
    fields = [(route, template) for route in routes for template in route[3]]
    for i, (route, template) in enumerate(fields):
        _typed(senders, route, template, always[i % len(always)])
    print(f"hostile literals: {SEEN['requests']} requests, {SEEN['5xx']} 5xx")
    assert SEEN["5xx"] == 0


def test_hostile_values__every_route__4xx_with_a_stable_code(client, citizen, aws):
    shop = make_shop()
    SEEN.update(requests=0, **{"5xx": 0})

    @RUN
    @given(route=st.sampled_from(_routes(shop["product_id"])), value=HOSTILE)
    def each(route, value):
        _request(client, citizen, shop, route, value)

    each()
    for route in _routes(shop["product_id"]):  # and every route with the nastiest values, always
        for value in (
            "[" * 5000,
            "١٢٣٤٥٦٧٨٩٠",
            "\x00",
            "9999-12-31",
            _b64({"user_id": {"S": "x"}}),
        ):
            _request(client, citizen, shop, route, value)
    print(f"hostile input: {SEEN['requests']} requests, {SEEN['5xx']} 5xx")
    assert SEEN["5xx"] == 0


# Numbers nearer zero than DynamoDB holds (its smallest magnitude is 1e-130): finite, not zero, and
# not storable (a partner's quantity of 1e-131 km was retried into a 503 the partner resends forever).
TINY_LITERAL = st.one_of(
    st.builds(
        lambda sign, m, e: f"{sign}{m}e-{e}",
        st.sampled_from(["", "-"]),
        st.integers(1, 99),
        st.integers(131, 400),
    ),
    st.sampled_from(["4.9e-324", "5e-324", "1e-131", "-2.2250738585072014e-308"]),
)


def test_tiny_numbers__in_every_field_nested_and_decrypted__never_5xx(client, citizen, aws):
    shop = make_shop()
    senders = _Senders(client, citizen, shop, aws)
    fields = [(r, t) for r in _typed_bodies(shop["product_id"]) for t in r[3]]
    SEEN.update(requests=0, **{"5xx": 0})

    @RUN
    @given(data=st.data())
    def each(data):
        route, template = data.draw(st.sampled_from(fields))
        _typed(senders, route, template, data.draw(TINY_LITERAL))

    each()
    for route, template in fields:  # every field, always
        _typed(senders, route, template, "1e-131")
    print(f"tiny numbers: {SEEN['requests']} requests, {SEEN['5xx']} 5xx")
    assert SEEN["5xx"] == 0
