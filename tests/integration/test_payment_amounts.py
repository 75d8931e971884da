"""WeChat Pay's amount compared exactly: a signed, encrypted TRANSACTION.SUCCESS whose amount.total is
not the integer the order asked (1000.4, text, a list, true, 10**30 for a 1000-fen order) is refused,
acknowledged with 204 (WeChat Pay v3 stops retrying on a 200/204 without a body), the order left
pending, and one log line for ops that names the order and the amounts only."""

import json
import time
import uuid
from datetime import UTC, datetime

import pytest

from infra.wechatpay_platform import Platform
from models.orders import Order
from tests.support.mall import pending_cash_order

ORDER_FEN = 1000


@pytest.fixture
def platform(aws):
    return Platform(aws.wechatpay_apiv3_key, aws.wechatpay_public_key_id)


def _notify(client, platform, aws, order_id: str, total_text: str):
    """POST the notification WeChat Pay would send, the amount as raw JSON text (so 1000.4 stays 1000.4)."""
    trade = json.dumps(
        {
            "mchid": aws.wechatpay_mchid,
            "appid": aws.wechat_appid,
            "out_trade_no": order_id,
            "transaction_id": "4200000000" + uuid.uuid4().hex[:18],
            "trade_state": "SUCCESS",
            "success_time": datetime.now(UTC).isoformat(timespec="seconds"),
            "payer": {"openid": "oPAYER-openid-secret"},
            "amount": "@@",
        }
    )
    amount = f'{{"total": {total_text}, "currency": "CNY"}}'
    text = json.dumps(
        platform.paid_notification(trade.replace('"@@"', amount), datetime.now(UTC).isoformat())
    )
    return client.post(
        "/wechatpay/v1/notify",
        data=text.encode(),
        headers={"Content-Type": "application/json"} | platform.headers(text),
    )


@pytest.mark.parametrize(
    "total",
    [
        "1000.4",
        "999.9",
        "1000.0",
        '"1000"',
        "[1000]",
        "{}",
        "true",
        "null",
        "1" + "0" * 30,
        "-1000",
        '"abc"',
    ],
)
def test_notification__amount_not_exactly_the_orders__acknowledged_refused_logged(
    client, platform, aws, capsys, total
):
    order_id = f"o_amt_{uuid.uuid4().hex[:10]}"
    pending_cash_order(order_id, ORDER_FEN)
    capsys.readouterr()
    r = _notify(client, platform, aws, order_id, total)
    assert r.status_code == 204 and r.get_data() == b"", (
        r.status_code,
        r.get_data(as_text=True)[:300],
    )
    o = Order.get(order_id, consistent_read=True)
    assert (o.status, o.paid_at, o.transaction_id) == ("pending_payment", None, None)
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.startswith("{")]
    refused = [x for x in lines if x.get("event") == "payment_amount_mismatch"]
    assert (
        len(refused) == 1
        and order_id.startswith(refused[0]["order_id"].rstrip("*"))
        and refused[0]["asked"] == ORDER_FEN
    ), lines
    assert refused[0]["paid"] is None or isinstance(refused[0]["paid"], int)
    assert "oPAYER-openid-secret" not in json.dumps(lines)  # the payer never reaches a log line


def test_notification__exact_integer_amount__the_order_is_paid(client, platform, aws):
    order_id = f"o_amt_{uuid.uuid4().hex[:10]}"
    pending_cash_order(order_id, ORDER_FEN)
    r = _notify(client, platform, aws, order_id, str(ORDER_FEN))
    assert r.status_code == 204
    assert Order.get(order_id, consistent_read=True).status == "issued"
    time.sleep(0)  # a second identical notification is acknowledged and changes nothing
    assert _notify(client, platform, aws, order_id, str(ORDER_FEN)).status_code == 204
