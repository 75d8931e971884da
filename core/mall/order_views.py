"""What a citizen sees of an order.

Codes are shown only to the owner. An activation code is revealed only by the owner reading that
one paid order (GET /api/v1/orders/{id}: `reveal=True`); the 201 of POST /api/v1/orders, its
replays and the order list never reveal it. The first reveal is recorded (code_shown_at) with the
order becoming `redeemed`: the goods count as delivered and the order is no longer refundable;
until then it is `issued` and can be cancelled (the code goes back to the pool).
A pending_payment order carries the parameters wx.requestPayment needs, signed afresh, and no code
(a voucher's code appears once the payment is confirmed).
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import UpdateError

from core import secretbox
from models.activation_codes import ActivationCode
from models.orders import Order


def order_view(settings, o: Order, owner: bool = True, reveal: bool = False, pay=None) -> dict:
    fulfilment = o.fulfilment or "voucher"
    view = {
        "id": o.order_id,
        "status": o.status,
        "product_id": o.product_id,
        "product_name": o.product_name,
        "quantity": int(o.quantity),
        "coins": int(o.coins),
        "cash_fen": int(o.cash_fen or 0),
        "fulfilment": fulfilment,
        "created_at": o.created_at,
        "expires_at": o.expires_at,
        "redeemed_at": o.redeemed_at,
        "paid_at": o.paid_at,
        "refund_status": o.refund_status,
        "code": None,
        "qr_svg": None,
        "activation_code": None,
        "code_shown": bool(o.code_shown_at),
        "payment": None,
    }
    if not owner:
        return view
    if (
        fulfilment == "voucher" and o.code and o.status != "pending_payment"
    ):  # unpaid: nothing to redeem yet
        view["code"] = secretbox.open_(settings, "code", o.code)
    if (
        fulfilment == "activation_code"
        and reveal
        and o.status in ("issued", "redeemed")
        and o.activation_code_id
    ):
        from core.mall.shelf import open_code

        if o.code_shown_at or _mark_shown(o):
            item = ActivationCode.get(o.product_id, o.activation_code_id)
            view["activation_code"] = open_code(settings, item.sealed)
            # This very answer already says what the reveal made of the order: delivered.
            view.update(code_shown=True, status=o.status, redeemed_at=o.redeemed_at)
    if o.status == "pending_payment" and o.prepay_id and pay is not None:
        view["payment"] = pay.payment_params(o.prepay_id)
    return view


def _mark_shown(o: Order) -> bool:
    """Record the first reveal; False if the order was cancelled first (then nothing is shown)."""
    now = datetime.now(UTC).isoformat()
    try:
        # Still issued: a cancel that committed first keeps the code unseen. Shown, the goods are
        # delivered: the order is redeemed (no counter scans virtual goods), never expired or refunded.
        Order(o.order_id).update(
            actions=[
                Order.code_shown_at.set(now),
                Order.status.set("redeemed"),
                Order.redeemed_at.set(now),
            ],
            condition=Order.status == "issued",
        )
        o.code_shown_at, o.status, o.redeemed_at = now, "redeemed", now
        return True
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
        return False
