"""Orders after purchase: listing, cancelling, expiring.

Invariants: an order leaves `issued` once. Cancel and expiry refund the coins
(ledger entry refund#ID / expiry#ID), restore the stock and release the holding in one
transaction conditioned on the order (and its code) still being issued, so a redeemed
order is never refunded and an order is never refunded twice. An activation-code order stays
cancellable until its owner first views the code (core.mall.order_views); after that cancelling
is 409 CodeShown.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core import cursors
from core.errors import Conflict, NotFound
from core.mall.order_views import order_view
from core.mall.release import release
from models.orders import Order


class OrderNotCancellable(Conflict):
    code = "order_not_cancellable"
    message = "Only an issued, unused order can be cancelled."
    message_zh = "只有已兑换且未使用的订单可以取消。"


class CodeShown(OrderNotCancellable):
    message = "The activation code was viewed, so it counts as delivered and cannot be refunded."
    message_zh = "激活码已查看，视为已交付，不能取消退款。"


def own_order(user_id: str, order_id: str) -> Order:
    try:
        o = Order.get(order_id, consistent_read=True)
    except Order.DoesNotExist:
        raise NotFound("No such order.", zh="找不到这个订单。") from None
    if o.user_id != user_id:
        raise NotFound(
            "No such order.", zh="找不到这个订单。"
        )  # someone else's order does not exist for you
    return o


def list_orders(settings, user_id: str, status: str | None, limit: int, cursor: str | None) -> dict:
    # A cursor only pages its owner's list (core.cursors checks it before DynamoDB sees it).
    cond = Order.status == status if status else None
    page = Order.by_user.query(
        user_id,
        filter_condition=cond,
        scan_index_forward=False,
        limit=limit,
        last_evaluated_key=cursors.decode(cursor, cursors.ORDERS, owner=user_id),
    )
    return {
        "items": [order_view(settings, o) for o in page],
        "next_cursor": cursors.encode(page.last_evaluated_key),
    }


def cancel(settings, user_id: str, order_id: str, pay=None) -> dict:
    """Coins back through the ledger, a paid cash part back through WeChat Pay (core.mall.payments)."""
    from core.mall import payments

    o = own_order(user_id, order_id)
    if o.status == "pending_payment":
        o = payments.settle_before_cancel(o, pay)  # closed at WeChat Pay, or found paid meanwhile
    if o.code_shown_at:
        raise CodeShown()
    if o.status not in ("issued", "pending_payment") or not release(
        o, "cancelled", "refund", o.status
    ):
        o = Order.get(order_id, consistent_read=True)
        if o.status != "cancelled":
            raise CodeShown() if o.code_shown_at else OrderNotCancellable()
    if o.refund_status == "PENDING" or (o.cash_fen and o.transaction_id and not o.refund_status):
        payments.refund_cash(o, pay)  # a retried cancel retries a refund that did not go through
    o.status = "cancelled"
    return order_view(settings, Order.get(order_id, consistent_read=True))


def expire_due(now: datetime | None = None) -> dict:
    """Expire every issued order past its expiry (a Query on the by_status index). The hourly
    run (core.mall.expiry) logs the summary line."""
    now_iso = (now or datetime.now(UTC)).isoformat()
    counts = {"due": 0, "expired": 0, "skipped": 0}
    for o in Order.by_status.query("issued", Order.expires_at < now_iso):
        counts["due"] += 1
        if release(Order.get(o.order_id, consistent_read=True), "expired", "expiry"):
            counts["expired"] += 1
        else:
            counts["skipped"] += 1  # redeemed or cancelled meanwhile
    return counts


def release_unshown(user_id: str) -> int:
    """Account deletion: refund (and restock) the citizen's coin-only orders still issued whose
    code was never shown; an order whose code they have seen stays valid at the merchant."""
    released = 0
    for o in Order.by_user.query(user_id, filter_condition=Order.status == "issued"):
        if (
            not o.code_shown_at
            and not o.cash_fen
            and release(Order.get(o.order_id, consistent_read=True), "cancelled", "refund")
        ):
            released += 1
    return released
