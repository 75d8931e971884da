"""The cash part of an order, through WeChat Pay (gateways.wechatpay).

Invariants:
- An order leaves pending_payment once: paid (-> issued, the voucher's validity starting then) by
  a conditional transaction on status = pending_payment, so a notification delivered twice, or a
  notification racing the expiry's query, makes one transition; the rest are acknowledged.
- A payment is accepted only for exactly the amount the order asked (out_trade_no = order id): an
  integer number of fen equal to the order's; anything else (a fraction, text, a list) is refused,
  the order untouched, and acknowledged so WeChat Pay stops retrying (a retry would say the same).
- Unpaid after core.mall.order_rules.PAYMENT_MINUTES, an order is closed at WeChat Pay first (so it
  can no longer be paid) and only then cancelled with coins, stock and code returned; if WeChat
  Pay says it was paid meanwhile, the payment is applied instead.
- Cash is refunded after the cancelling transaction committed (never before: a redemption could
  still win), under out_refund_no derived from the order, so a retried refund is the same refund.
  A payment that arrives for an order cancelled meanwhile is refunded at once.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

import models
from core.errors import UpstreamError
from core.logs import log
from core.mall import order_rules
from core.mall.release import release
from core.metrics import metric
from models.orders import Order, RedemptionCode


def confirm(payment, pay) -> str:
    """Apply a verified payment -> what happened: issued | already | refunded | unknown | mismatch | ignored."""
    if payment.state != "SUCCESS":
        return "ignored"
    if not payment.order_id:  # no out_trade_no of ours: nothing to look up (an empty key is no key)
        log("payment_unknown_order", level=logging.WARNING, order_id="")
        return "unknown"
    try:
        o = Order.get(payment.order_id, consistent_read=True)
    except Order.DoesNotExist:
        log("payment_unknown_order", level=logging.WARNING, order_id=payment.order_id[:40])
        return "unknown"
    if payment.total_fen is None or payment.total_fen != int(o.cash_fen or 0):
        # Refused, the order untouched; the caller acknowledges it so WeChat Pay stops retrying, and
        # ops read this line (an order id and amounts in fen: nothing about the payer).
        log(
            "payment_amount_mismatch",
            level=logging.ERROR,
            order_id=o.order_id,
            paid=payment.total_fen,
            asked=int(o.cash_fen or 0),
            reason="not_an_integer" if payment.total_fen is None else "different",
        )
        metric("PaymentsRefused", 1)
        return "mismatch"
    if o.status == "pending_payment" and _mark_paid(o, payment):
        metric("OrdersPaid", 1)
        return "issued"
    o = Order.get(payment.order_id, consistent_read=True)
    if o.status == "cancelled" and not o.transaction_id:
        # Paid after it was cancelled (unpaid expiry, or the citizen cancelled): the cash goes back.
        o.update(
            actions=[
                Order.transaction_id.set(payment.transaction_id or "-"),
                # WeChat Pay's time when it sent one (gateways.wechatpay reads it as a moment).
                Order.paid_at.set(payment.paid_at or datetime.now(UTC).isoformat()),
                Order.refund_status.set("PENDING"),
            ],
            condition=Order.transaction_id.does_not_exist(),
        )
        refund_cash(o, pay)
        return "refunded"
    return "already"


def _mark_paid(o: Order, payment) -> bool:
    now = datetime.now(UTC)
    expires = order_rules.voucher_expiry(
        now, int(o.valid_days or 30)
    ).isoformat()  # validity starts when paid
    try:
        with TransactWrite(connection=models.connection()) as tx:
            # Still waiting for payment: of any number of notifications exactly one moves it.
            tx.update(
                Order(o.order_id),
                actions=[
                    Order.status.set("issued"),
                    Order.paid_at.set(now.isoformat()),
                    Order.transaction_id.set(payment.transaction_id or "-"),
                    Order.expires_at.set(expires),
                ],
                condition=Order.status == "pending_payment",
            )
            if o.code_hash:
                tx.update(
                    RedemptionCode(o.code_hash),
                    actions=[
                        RedemptionCode.status.set("issued"),
                        RedemptionCode.expires_at.set(expires),
                    ],
                    condition=RedemptionCode.status == "pending_payment",
                )
        return True
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        return False


def settle_before_cancel(o: Order, pay) -> Order:
    """A pending order about to be cancelled: close it at WeChat Pay, or apply a payment made meanwhile.
    Returns the order as it now stands."""
    if pay.close(o.order_id):
        return o
    paid = pay.query(o.order_id)
    if paid is not None:
        confirm(paid, pay)
    return Order.get(o.order_id, consistent_read=True)


def refund_cash(o: Order, pay) -> None:
    """Send the refund of a cancelled order's cash part; PENDING stays if WeChat Pay did not answer
    (a retried cancel sends it again: the same out_refund_no is the same refund)."""
    try:
        status = pay.refund(o.order_id, int(o.cash_fen), int(o.cash_fen))
    except UpstreamError:
        log("refund_failed", level=logging.WARNING, order_id=o.order_id)
        metric("RefundsFailed", 1)
        return
    Order(o.order_id).update(actions=[Order.refund_status.set(status)])
    metric("CashRefunded", int(o.cash_fen))


def expire_unpaid(pay, now: datetime | None = None) -> dict:
    """Cancel every order still unpaid past its payment window (a Query on by_status)."""
    now_iso = (now or datetime.now(UTC)).isoformat()
    counts = {"unpaid_due": 0, "unpaid_cancelled": 0, "paid_late": 0}
    for o in Order.by_status.query("pending_payment", Order.expires_at < now_iso):
        counts["unpaid_due"] += 1
        o = settle_before_cancel(Order.get(o.order_id, consistent_read=True), pay)
        if o.status != "pending_payment":
            counts["paid_late"] += 1
        elif release(o, "cancelled", "refund", "pending_payment"):
            counts["unpaid_cancelled"] += 1
    return counts
