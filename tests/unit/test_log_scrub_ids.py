"""Ids survive a log line (CI once logged merchant m_4544679774 as m_45***): structured fields of
ours are written as they are, while personal data still never reaches a line."""

import io
import json

from hypothesis import given
from hypothesis import strategies as st

from core import logs

DIGITS_AND_HEX = st.text("0123456789abcdef", min_size=1, max_size=24)


def _line(**fields):
    buf = io.StringIO()
    logs.setup("INFO", stream=buf)
    try:
        logs.log("evt", **fields)
    finally:
        logs.setup("INFO")
    return json.loads(buf.getvalue())


@given(merchant=DIGITS_AND_HEX, order=DIGITS_AND_HEX, n=st.integers(0, 10**15))
def test_ids_in_their_fields__survive_whole(merchant, order, n):
    ids = {
        "merchant_id": f"m_{merchant}",
        "order_id": f"o_{order}",
        "product_id": f"p_{order}",
        "entry_id": f"order#{order}",
        "batch_id": merchant,
        "date": "2026-11-23",
        "shard": n,
        "count": n,
    }
    line = _line(**ids)
    assert {k: line[k] for k in ids} == ids


def test_the_id_ci_saw_mangled__survives():
    assert _line(merchant_id="m_4544679774")["merchant_id"] == "m_4544679774"


def test_personal_data__never_in_the_line_whatever_field_carries_it():
    phone, card, openid = "13800001234", "5100001234567890", "oAbCdEfGhIjKlMnOpQrStUvWxYz1"
    line = _line(
        openid=openid,
        session_key="q83vEjLwDpRWw9zFpqrx1A==",
        phone=phone,
        card_no=card,
        reason=f"card {card} of {phone} for {openid}",
        detail={"phone": phone, "note": f"tel {phone}"},
        keys=[f"trips/{card}.csv"],
    )
    text = json.dumps(line)
    assert phone not in text and card not in text and openid not in text and "q83vEj" not in text
    assert line["reason"] == "card 51*** of 13*** for o***" and line["detail"] == {
        "note": "tel 13***"
    }


def test_an_allow_listed_field__never_trusted_with_a_dict():
    line = _line(merchant_id={"phone": "13800001234", "name": "13800001234"})
    assert line["merchant_id"] == {"name": "13***"}
