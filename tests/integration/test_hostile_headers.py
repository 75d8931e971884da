"""Unix times sent as text (a partner's X-Timestamp, WeChat Pay's Wechatpay-Timestamp, the official
account's timestamp query) and WeChat Pay's signed notification envelope, as properties: any text
of digits (ASCII of any length, other scripts' digits, Latin-1's superscripts), any Latin-1 header
value, and a generated JSON literal in every field of the envelope are answered with a 4xx (or,
for a notification, its acknowledgement), never a 5xx, and every log line written meanwhile is
written (a lone surrogate reaching a log line used to be lost with a logging error)."""

import json
import uuid
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.carbon import partners
from infra.wechatpay_platform import Platform
from tests.integration.test_hostile_input import JSON_LITERAL, _as_received
from tests.support.hostile import RUN
from tests.support.oa import OA_PATH, signature, text_xml

pytestmark = pytest.mark.usefixtures("wechat_sim")

TIME_TEXT = st.one_of(
    st.integers(min_value=0, max_value=10**400).map(str),  # ASCII digits of any size
    st.builds(str.__mul__, st.sampled_from("0129"), st.integers(4000, 6000)),  # past int()'s 4300
    st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=16),  # "١٢٣", "²", "①"
    st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=16),  # any Latin-1
)


def _answered(r, capsys):
    assert r.status_code < 500, (r.status_code, r.get_data(as_text=True)[:300])
    assert "Logging error" not in capsys.readouterr().err


def _partner_push(client, pid, secret, ts: str):
    raw, nonce = b'{"records": []}', uuid.uuid4().hex
    sent = _as_received(ts)
    return client.post(
        "/partner/v1/behaviours",
        data=raw,
        headers={
            "X-Partner-Id": pid,
            "X-Timestamp": sent,
            "X-Nonce": nonce,
            "X-Signature": partners.signature(
                secret, "POST", "/partner/v1/behaviours", sent, nonce, raw
            ),
        },
        content_type="application/json",
    )


def _notify(client, platform, note: str, ts: str | None = None):
    headers = platform.headers(note)
    if ts is not None:
        sent = _as_received(ts)
        nonce = headers["Wechatpay-Nonce"]
        headers |= {
            "Wechatpay-Timestamp": sent,
            "Wechatpay-Signature": platform.sign(f"{sent}\n{nonce}\n{note}\n"),
        }
    return client.post(
        "/wechatpay/v1/notify",
        data=note.encode("utf-8"),
        headers={"Content-Type": "application/json"} | headers,
    )


def _trade(aws) -> str:
    return json.dumps(
        {
            "mchid": aws.wechatpay_mchid,
            "out_trade_no": "o_nobody",
            "trade_state": "SUCCESS",
            "amount": {"total": 1000},
        }
    )


def test_unix_time_text__partner_wechatpay_and_oa__never_5xx(client, aws, capsys):
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
    platform = Platform(aws.wechatpay_apiv3_key, aws.wechatpay_public_key_id)
    note = json.dumps(platform.paid_notification(_trade(aws), datetime.now(UTC).isoformat()))

    @RUN
    @given(ts=TIME_TEXT)
    def each(ts):
        _answered(_partner_push(client, pid, secret, ts), capsys)
        _answered(_notify(client, platform, note, ts), capsys)
        nonce = uuid.uuid4().hex
        args = {"timestamp": ts, "nonce": nonce, "signature": signature(aws.oa_token, ts, nonce)}
        r = client.post(OA_PATH, query_string=args, data=text_xml("o" * 28, "hi").encode())
        _answered(r, capsys)

    each()
    for ts in ("9" * 400, "9" * 5000, "\xb2", "\xb9\xb2", "١٢٣"):  # the known 500s, always
        _answered(_notify(client, platform, note, ts), capsys)
        _answered(_partner_push(client, pid, secret, ts), capsys)


ENVELOPE = ("id", "create_time", "resource_type", "event_type", "summary", "resource")
RESOURCE = ("algorithm", "nonce", "associated_data", "ciphertext", "original_type")


def test_hostile_literal__in_wechatpay_envelope__acknowledged_or_refused_and_logged(
    client, aws, capsys
):
    platform = Platform(aws.wechatpay_apiv3_key, aws.wechatpay_public_key_id)

    def send(where, key, literal):
        note = platform.paid_notification(_trade(aws), datetime.now(UTC).isoformat())
        (note if where == "envelope" else note["resource"])[key] = "@@"
        _answered(_notify(client, platform, json.dumps(note).replace('"@@"', literal)), capsys)

    @RUN
    @given(data=st.data())
    def each(data):
        where = data.draw(st.sampled_from(["envelope", "resource"]))
        key = data.draw(st.sampled_from(ENVELOPE if where == "envelope" else RESOURCE))
        send(where, key, data.draw(JSON_LITERAL))

    each()
    for key in ENVELOPE:  # a lone surrogate and a non-character in every field, always
        for literal in ('"x\\ud83d"', '"\\ufffe"', "1" + "0" * 400, "null"):
            send("envelope", key, literal)
