"""API.md Conventions: a body that is not JSON (a Content-Type other than application/json, or none)
-> 415 `invalid_request`, on every operation that takes a body, whoever calls it (citizen, merchant,
partner, organisation), and before the body is read: nothing is written."""

import time
import uuid

import pytest

from core.carbon import partners
from core.enterprise import orgs
from miniprogram_api.openapi import spec
from tests.support.mall import make_shop

NOT_JSON = [
    ("text/plain", b'{"code": "x"}'),
    ("application/x-www-form-urlencoded", b"code=x"),
    ("multipart/form-data; boundary=b", b"--b--"),
    (None, b'{"code": "x"}'),
    (None, b""),
]


def _body_operations(app):
    """(method, path with every parameter filled) of each validated operation that reads a JSON body."""
    out = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        while view not in spec.operations and hasattr(view, "__wrapped__"):  # under auth decorators
            view = view.__wrapped__
        op = spec.operations.get(view)
        if op is None or op.json is None:
            continue
        path = rule.rule
        for arg in rule.arguments:
            path = (
                path.replace(f"<{arg}>", "x1")
                .replace(f"<string:{arg}>", "x1")
                .replace(f"<int:{arg}>", "1")
            )
        out += [(m, path) for m in sorted(rule.methods & {"POST", "PUT", "PATCH"})]
    return out


@pytest.mark.usefixtures("wechat_sim")
def test_every_body_operation__not_json__415_invalid_request(app, client, citizen, aws):
    shop = make_shop()
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
    _, org_key = orgs.add_org("阳光光伏", ["pv"], by="ops-test")
    ops = _body_operations(app)
    assert (
        len(ops) >= 12
        and ("POST", "/partner/v1/behaviours") in ops
        and ("POST", "/org/v1/readings") in ops
    )
    seen = 0
    for method, path in ops:
        for content_type, data in NOT_JSON:
            headers = {
                "Authorization": shop["auth"]["Authorization"]
                if path.startswith("/merchant")
                else f"Bearer {org_key}"
                if path.startswith("/org")
                else citizen["Authorization"]
            }
            if path.startswith("/partner"):
                ts, nonce = str(int(time.time())), uuid.uuid4().hex
                headers = {
                    "X-Partner-Id": pid,
                    "X-Timestamp": ts,
                    "X-Nonce": nonce,
                    "X-Signature": partners.signature(secret, method, path, ts, nonce, data),
                }
            if content_type:
                headers["Content-Type"] = content_type
            r = client.open(path, method=method, data=data, headers=headers)
            assert r.status_code == 415 and r.json["error"]["code"] == "invalid_request", (
                method,
                path,
                content_type,
                r.status_code,
                r.get_data(as_text=True)[:200],
            )
            seen += 1
    print(f"415 checked on {len(ops)} operations, {seen} requests")


def test_body_that_is_not_json__422_naming_it(client):
    for data in (
        b'{"code": "\\ud800"}',
        b'{"code": NaN}',
        b'{"code": 1e999}',
        b"[" * 40 + b"]" * 40,
        b"{not json",
    ):
        r = client.post("/api/v1/auth/login", data=data, content_type="application/json")
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", (
            data[:40],
            r.json,
        )
        assert "JSON" in r.json["error"]["message"]
