"""Placing an order: load, let the rules decide (`plan_order`), commit the plan in one transaction.

Invariants:
- coins are debited only if the balance covers the price (never negative);
- stock is decremented only on condition stock >= quantity and the product still on sale
  (never negative, never oversold, never a retired product);
- a user's holding of a product stays within per_user_limit (condition on the counter);
- the order, its ledger entry, its hashed code and the idempotency record commit together;
- an Idempotency-Key answers with its order only while its record lives (TTL); the order id is
  random, so after expiry the key makes a new order and never returns another request's;
- an activation_code order takes exactly one pool code (condition: still free) in that transaction;
  the only way round the loop again is a picked code taken by another order; the answer (201, or a
  replay's 200) never carries the code: the order is issued, its code unseen and cancellable;
- an order with a cash part gets WeChat Pay's prepay order (out_trade_no = order id) once, before
  its first commit, and the prepay is closed if the order does not commit; core.mall.payments takes
  a committed one on;
- the order id is this request's alone, so a ledger entry already there for it is our own commit
  whose answer was lost (the SDK's retry found it): that is a 201, counted in the metrics once.
Reads before the transaction: one TransactGet (account, product, counter, user, idempotency record),
plus for an activation_code product one Query of its free codes. A failed transaction reads nothing
more: each failed condition comes back with its item as it is now (core.books.ledger).
The rules themselves (sale, limit, stock, price, status, ids) are core.mall.order_rules, on plain values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from pynamodb.exceptions import DoesNotExist
from pynamodb.transactions import TransactGet

import models
from core import localday
from core.books import ledger
from core.errors import IdempotencyKeyReused, NotFound, Unprocessable
from core.logs import log
from core.mall import order_rules, shelf
from core.mall.order_plan import OrderPlan, OrderRequest, Seen, plan_order
from core.mall.order_rules import LimitReached, OutOfStock, ProductOffSale
from core.mall.order_views import order_view
from core.metrics import metric
from models import Account, User
from models.mall import IdempotencyRecord, Product, PurchaseCount
from models.orders import Order

CODE_ATTEMPTS = 5


def place_order(
    settings, user_id: str, product_id: str, quantity: int, idem_key: str | None, pay=None
) -> tuple[dict, bool]:
    """Returns (order view, created now?). A retried Idempotency-Key returns the first order.
    `pay` (the WeChat Pay gateway) is needed for products with a cash part."""
    req = OrderRequest.of(user_id, product_id, quantity, idem_key)
    prepay = Prepay(pay, req.order_id)
    placed = None
    try:
        placed = _place(settings, req, prepay)
    finally:
        if placed is None or not placed.created:  # an error, or another request's order for the key
            prepay.close_unless_committed()
    if placed.created:
        metric("Orders", 1, fulfilment=placed.order.fulfilment, cash=bool(placed.order.cash_fen))
        metric("CoinsSpent", int(placed.order.coins))
    # Never reveals an activation code (nor does a replay): only the owner's GET of the paid order does,
    # so the order stays cancellable until the code is viewed.
    return order_view(settings, placed.order, pay=pay), placed.created


@dataclass(frozen=True)
class Placed:
    order: Order
    created: bool  # False: the order an earlier request with the same Idempotency-Key made


def _place(settings, req: OrderRequest, prepay: Prepay) -> Placed:
    """Tries until one attempt places the order; only a picked activation code taken by another order
    makes another attempt (its pool is read again)."""
    for _ in range(CODE_ATTEMPTS):
        placed = _attempt(settings, req, prepay)
        if placed is not None:
            return placed
    raise OutOfStock()  # the codes seen free were all taken by others each time


def _attempt(settings, req: OrderRequest, prepay: Prepay) -> Placed | None:
    """Load, decide, commit. None: the picked code was taken, decide again."""
    seen = _load(req)
    if seen.idem is not None:
        return Placed(_replayed(seen.idem, req.req_hash), False)
    priced = order_rules.price(_terms(seen.product), seen.held, req.quantity, req.now)
    plan = plan_order(settings, req, seen, priced, prepay.once(seen, priced))
    outcome = _commit(plan, seen.account)
    if outcome is COMMITTED:
        return Placed(plan.order, True)
    if outcome is PICK_AGAIN:
        return None
    return Placed(
        _replayed(outcome, req.req_hash), False
    )  # the same key won a race with this request


COMMITTED, PICK_AGAIN = "committed", "pick again"


def _commit(plan: OrderPlan, account: Account | None) -> IdempotencyRecord | str:
    """One transaction for the plan. COMMITTED: now, or before (a replayed entry is our own commit whose
    answer was lost: the order id is this request's alone). Otherwise the failed conditions, returned
    with their items as they are now, say what happened: the key's live record (another request with
    it committed first), PICK_AGAIN (the picked code was taken), or the rule broken, raised."""
    try:
        ledger.post(plan.movement, account=account)
        return COMMITTED
    except ledger.CauseConditionFailed as cancelled:
        failed = {plan.roles[i]: item for i, item in cancelled.failed.items()}
    if failed.get("idempotency") is not None:
        return IdempotencyRecord.from_raw_data(failed["idempotency"])
    if "stock" in failed:  # out of stock or off sale, from the product as it is now
        now = Product.from_raw_data(failed["stock"]) if failed["stock"] else None
        raise (
            ProductOffSale()
            if now is None
            else order_rules.broken_rule(
                int(now.stock), int(plan.order.quantity), now.retired_at is None
            )
        )
    if "holding" in failed:
        raise LimitReached()
    return PICK_AGAIN  # the picked pool code (or, once in 2^80, the voucher code) was taken


class Prepay:
    """WeChat Pay's prepay order for a cash order: made once, however often the order is decided again,
    and closed when the order does not commit (it must never be payable for an order that does not exist)."""

    def __init__(self, pay, order_id: str):
        self.pay, self.order_id, self.prepay_id = pay, order_id, None

    def once(self, seen: Seen, priced: order_rules.Priced) -> str | None:
        if not priced.cash_fen or self.prepay_id is not None:
            return self.prepay_id
        if self.pay is None or seen.user is None or not seen.user.openid:
            raise Unprocessable(
                "This product is paid partly in cash through WeChat Pay.",
                zh="该商品需通过微信支付付款。",
            )
        params = self.pay.jsapi_order(
            self.order_id,
            seen.product.name,
            priced.cash_fen,
            seen.user.openid,
            localday.to_local(priced.expires_at).isoformat(timespec="seconds"),
        )
        self.prepay_id = params["package"].removeprefix("prepay_id=")
        return self.prepay_id

    def close_unless_committed(self) -> None:
        if self.prepay_id is None or _get(Order, self.order_id) is not None:
            return
        try:
            self.pay.close(self.order_id)
        except Exception as e:  # the prepay expires at its time_expire anyway (PAYMENT_MINUTES)
            log(
                "prepay_close_failed",
                level=logging.WARNING,
                order_id=self.order_id,
                error=type(e).__name__,
            )


def _load(req: OrderRequest) -> Seen:
    with TransactGet(connection=models.connection()) as tx:
        f_acc, f_prod = tx.get(Account, req.user_id), tx.get(Product, req.product_id)
        f_count, f_user = (
            tx.get(PurchaseCount, req.user_id, req.product_id),
            tx.get(User, req.user_id),
        )
        f_idem = tx.get(IdempotencyRecord, req.idem_id) if req.idem_id else None
    product = _value(f_prod)
    if product is None:
        raise NotFound("No such product.", zh="找不到这个商品，可能已下架。")
    counter, idem = _value(f_count), _live(_value(f_idem), req.now)
    free = (
        tuple(shelf.free_codes(req.product_id))
        if idem is None and product.fulfilment == "activation_code"
        else ()
    )
    return Seen(
        _value(f_acc), product, int(counter.count) if counter else 0, _value(f_user), idem, free
    )


def _terms(p: Product) -> order_rules.Terms:
    return order_rules.Terms(
        int(p.price_coins),
        int(p.stock),
        int(p.per_user_limit),
        int(p.valid_days),
        int(p.price_fen or 0),
        p.fulfilment or "voucher",
        p.retired_at is None,
    )


def _get(model, key):
    try:
        return model.get(key, consistent_read=True)
    except model.DoesNotExist:
        return None


def _live(idem: IdempotencyRecord | None, now: datetime) -> IdempotencyRecord | None:
    """The record while it lives: past its TTL it names nothing, even before DynamoDB deletes it."""
    return idem if idem is not None and idem.ttl > now else None


def _value(future):
    """The item a TransactGet read, None when it does not exist (only that: any other error is raised)."""
    if future is None:
        return None
    try:
        return future.get()
    except DoesNotExist:
        return None


def _replayed(idem: IdempotencyRecord, req_hash: str) -> Order:
    if idem.request_hash != req_hash:
        raise IdempotencyKeyReused()
    return Order.get(idem.order_id, consistent_read=True)
