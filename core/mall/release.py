"""Releasing an order: the coins back, the stock back, the order (and its code) closed.

Invariant: one transaction, conditioned on the order (and its code) still being in the state the
caller read and its code never shown, so a redeemed order is never refunded and an order is
never refunded twice (core.mall.orders cancels and expires with it, core.mall.payments cancels
an unpaid one). An expiry's inbox item (core.notices.inbox) is one more write of it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from core.books import ledger
from core.localday import local_iso
from core.notices import inbox
from models.activation_codes import ActivationCode
from models.mall import Product, PurchaseCount
from models.orders import Order, RedemptionCode


def release(o: Order, new_status: str, kind: str, from_status: str = "issued") -> bool:
    """Refund the coins, restock and close an order still in `from_status`; False if it was not.
    A paid cash part is marked refund PENDING in the same transaction (core.mall.payments sends it);
    an activation code not yet shown goes back to its pool."""
    q, now = int(o.quantity), datetime.now(UTC).isoformat()
    order_actions = [Order.status.set(new_status)]
    if o.cash_fen and o.transaction_id:
        order_actions.append(Order.refund_status.set("PENDING"))

    # Still in from_status, the code never shown: a redemption, a reveal or another
    # cancel/expiry that got there first wins.
    cause = [
        ledger.update(
            Order(o.order_id),
            order_actions,
            (Order.status == from_status) & Order.code_shown_at.does_not_exist(),
        )
    ]
    if o.code_hash:
        cause.append(
            ledger.update(
                RedemptionCode(o.code_hash),
                [RedemptionCode.status.set(new_status)],
                RedemptionCode.status == from_status,
            )
        )
    if o.activation_code_id:
        # Back to the pool, still this order's: stock stays == codes left.
        cause.append(
            ledger.update(
                ActivationCode(o.product_id, o.activation_code_id),
                [ActivationCode.order_id.remove(), ActivationCode.free_since.set(f"{now}#back")],
                ActivationCode.order_id == o.order_id,
            )
        )
    if new_status == "expired":  # the citizen's inbox says so (core.notices.inbox), with the refund
        cause.append(
            inbox.entry(
                o.user_id,
                "order_expired",
                o.order_id,
                inbox.expired_text(o.product_name, int(o.coins)),
            )
        )
    cause += [
        ledger.update(Product(o.product_id), [Product.stock.add(q)]),
        ledger.update(PurchaseCount(o.user_id, o.product_id), [PurchaseCount.count.add(-q)]),
    ]
    movement = ledger.Movement(
        o.user_id,
        f"{kind}#{o.order_id}",
        int(o.coins),
        kind,
        ref=o.order_id,
        detail={"product_id": o.product_id, "at": local_iso(now, timespec="auto")},
        totals={"spent_total": -int(o.coins)},
        cause=tuple(cause),
        legs={"refunds": -int(o.coins)},
    )
    try:
        return not ledger.post(movement).replayed
    except ledger.CauseConditionFailed:
        return False
