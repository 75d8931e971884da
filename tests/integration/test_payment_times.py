"""WeChat Pay's success_time is outside text: on an order paid after it was cancelled it is kept as
the order's paid_at, so it is read as a moment (core.jsonbounds.moment: an offset, inside the
calendar) or not at all. Any text, and any moment at any offset up to the calendar's edges, leaves
the order readable: its GET is 200 with paid_at a time at +08:00 (a success_time of
9999-12-31T23:59:59-12:00 made every later read of the order a 500; "NaN" was shown as paid_at)."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given

from infra.wechatpay_platform import Platform
from models.orders import Order
from tests.support.hostile import MOMENT_TEXT, RUN

pytestmark = pytest.mark.usefixtures("wechat_sim")


def _cancelled_cash_order(user_id: str) -> str:
    order_id, now = f"o_t_{uuid.uuid4().hex[:12]}", datetime.now(UTC)
    Order(
        order_id,
        user_id=user_id,
        product_id="p1",
        product_name="电影券",
        merchant_id="m1",
        quantity=1,
        coins=0,
        cash_fen=1000,
        status="cancelled",
        created_at=now.isoformat(),
        expires_at=(now + timedelta(minutes=15)).isoformat(),
    ).save()
    return order_id


def test_success_time__any_text__order_paid_after_cancel_stays_readable(client, citizen, aws):
    platform = Platform(aws.wechatpay_apiv3_key, aws.wechatpay_public_key_id)
    h = {"Authorization": citizen["Authorization"]}

    @RUN
    @given(when=MOMENT_TEXT)
    def each(when):
        order_id = _cancelled_cash_order(citizen["user"]["id"])
        trade = json.dumps(
            {
                "mchid": aws.wechatpay_mchid,
                "out_trade_no": order_id,
                "transaction_id": "42" + uuid.uuid4().hex[:16],
                "trade_state": "SUCCESS",
                "success_time": when,
                "amount": {"total": 1000, "currency": "CNY"},
            }
        )
        note = json.dumps(platform.paid_notification(trade, datetime.now(UTC).isoformat()))
        r = client.post(
            "/wechatpay/v1/notify",
            data=note.encode(),
            headers={"Content-Type": "application/json"} | platform.headers(note),
        )
        assert r.status_code == 204, r.get_data(as_text=True)[:300]
        got = client.get(f"/api/v1/orders/{order_id}", headers=h)
        assert got.status_code == 200, (when, got.get_data(as_text=True)[:300])
        assert datetime.fromisoformat(got.json["paid_at"]).utcoffset() == timedelta(hours=8), (
            when,
            got.json["paid_at"],
        )

    each()
