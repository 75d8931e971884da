"""Orders after purchase: listing, cancelling, expiring.

Invariants: an order leaves `issued` once. Cancel and expiry refund the coins
(ledger entry refund#ID / expiry#ID), restore the stock and release the holding in one
transaction conditioned on the order (and its code) still being issued, so a redeemed
order is never refunded and an order is never refunded twice.
"""
from __future__ import annotations

from datetime import datetime, timezone

from core.books import ledger
from core.errors import Conflict, NotFound, Unprocessable
from core.mall.catalogue import order_view
from models.mall import Product, PurchaseCount
from models.orders import Order, RedemptionCode


class OrderNotCancellable(Conflict):
    code = "order_not_cancellable"
    message = "Only an issued, unused order can be cancelled."
    message_zh = "只有已兑换且未使用的订单可以取消。"


def own_order(user_id: str, order_id: str) -> Order:
    try:
        o = Order.get(order_id, consistent_read=True)
    except Order.DoesNotExist:
        raise NotFound("No such order.", zh="找不到这个订单。") from None
    if o.user_id != user_id:
        raise NotFound("No such order.", zh="找不到这个订单。")  # someone else's order does not exist for you
    return o


def list_orders(settings, user_id: str, status: str | None, limit: int, cursor) -> tuple[list[dict], dict | None]:
    # A cursor only pages its owner's list: another user's (or a made-up) start key is refused
    # here, not passed to DynamoDB, which rejects a key outside the queried partition with an error.
    if cursor is not None and (cursor.get("user_id") or {}).get("S") != user_id:
        raise Unprocessable("The list cursor is not valid.", zh="翻页参数（cursor）无效，请从第一页重新加载。")
    cond = Order.status == status if status else None
    page = Order.by_user.query(user_id, filter_condition=cond, scan_index_forward=False, limit=limit,
                               last_evaluated_key=cursor)
    return [order_view(settings, o) for o in page], page.last_evaluated_key


def _release(o: Order, new_status: str, kind: str) -> bool:
    """Refund, restock and close an issued order; False if it was no longer issued."""
    q, now = int(o.quantity), datetime.now(timezone.utc).isoformat()

    cause = (
        # Still issued: a redemption or another cancel/expiry that got there first wins.
        ledger.update(Order(o.order_id), [Order.status.set(new_status)], Order.status == "issued"),
        ledger.update(RedemptionCode(o.code_hash), [RedemptionCode.status.set(new_status)],
                      RedemptionCode.status == "issued"),
        ledger.update(Product(o.product_id), [Product.stock.add(q)]),
        ledger.update(PurchaseCount(o.user_id, o.product_id), [PurchaseCount.count.add(-q)]),
    )
    movement = ledger.Movement(o.user_id, f"{kind}#{o.order_id}", int(o.coins), kind, ref=o.order_id,
                               detail={"product_id": o.product_id, "at": now},
                               totals={"spent_total": -int(o.coins)}, cause=cause)
    try:
        return not ledger.post(movement).replayed
    except ledger.CauseConditionFailed:
        return False


def cancel(settings, user_id: str, order_id: str) -> dict:
    o = own_order(user_id, order_id)
    if o.status != "issued" or not _release(o, "cancelled", "refund"):
        fresh = Order.get(order_id, consistent_read=True)
        if fresh.status != "cancelled":
            raise OrderNotCancellable()
        o = fresh
    o.status = "cancelled"
    return order_view(settings, o)


def expire_due(now: datetime | None = None) -> dict:
    """Expire every issued order past its expiry (a Query on the by_status index). The hourly
    run (core.mall.expiry) logs the summary line."""
    now_iso = (now or datetime.now(timezone.utc)).isoformat()
    counts = {"due": 0, "expired": 0, "skipped": 0}
    for o in Order.by_status.query("issued", Order.expires_at < now_iso):
        counts["due"] += 1
        if _release(Order.get(o.order_id, consistent_read=True), "expired", "expiry"):
            counts["expired"] += 1
        else:
            counts["skipped"] += 1  # redeemed or cancelled meanwhile
    return counts
