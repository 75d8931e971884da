"""Placing an order: one DynamoDB transaction per order, through core.books.ledger.post.

Invariants:
- coins are debited only if the balance covers the price (never negative);
- stock is decremented only on condition stock >= quantity and the product still on sale
  (never negative, never oversold, never a retired product);
- a user's holding of a product stays within per_user_limit (condition on the counter);
- the order, its ledger entry, its hashed code and the idempotency record commit together;
- an Idempotency-Key answers with its order only while its record lives (TTL); the order id is
  random, so after expiry the key makes a new order and never returns another request's;
- an activation_code order takes exactly one pool code (condition: still free) in that transaction;
- an order with a cash part starts pending_payment with WeChat Pay's prepay order made first
  (out_trade_no = order id); core.mall.payments takes it on.
Reads before the transaction: one TransactGet (account, product, counter, user, idempotency record),
plus for an activation_code product one Query of its free codes.
The rules themselves (sale, limit, stock, price, status, ids) are core.mall.order_rules, on plain values.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from pynamodb.transactions import TransactGet

import models
from core import localday, secretbox
from core.books import ledger
from core.errors import IdempotencyKeyReused, NotFound, Unprocessable
from core.mall import codes, order_rules, shelf
from core.mall.order_rules import OutOfStock
from core.mall.order_views import order_view
from core.metrics import metric
from models import Account, User
from models.activation_codes import ActivationCode
from models.mall import IdempotencyRecord, Product, PurchaseCount
from models.orders import Order, RedemptionCode

CODE_ATTEMPTS = 5


def place_order(settings, user_id: str, product_id: str, quantity: int, idem_key: str | None,
                pay=None) -> tuple[dict, bool]:
    """Returns (order view, created now?). A retried Idempotency-Key returns the first order.
    `pay` (the WeChat Pay gateway) is needed for products with a cash part."""
    req_hash = order_rules.request_hash(product_id, quantity)
    idem_id = order_rules.idempotency_id(user_id, idem_key)
    order_id = order_rules.order_id()  # fixed for this request's retries inside ledger.post
    now = datetime.now(timezone.utc)
    for _ in range(CODE_ATTEMPTS):
        with TransactGet(connection=models.connection()) as tx:
            f_acc, f_prod = tx.get(Account, user_id), tx.get(Product, product_id)
            f_count, f_user = tx.get(PurchaseCount, user_id, product_id), tx.get(User, user_id)
            f_idem = tx.get(IdempotencyRecord, idem_id) if idem_id else None
        idem = _live(_value(f_idem), now)
        if idem is not None:
            return _replay(settings, idem, req_hash, pay), False
        product = _value(f_prod)
        if product is None:
            raise NotFound("No such product.", zh="找不到这个商品，可能已下架。")
        counter = _value(f_count)
        priced = order_rules.price(_terms(product), int(counter.count) if counter else 0, quantity, now)
        try:
            posted, order = _commit(settings, user_id, product, quantity, idem_id, req_hash, order_id, now, priced,
                                    _value(f_acc), _value(f_user), pay)
        except ledger.CauseConditionFailed:
            # Cancellation reasons are not in call order: re-read and name the rule that broke.
            idem = _live(_get(IdempotencyRecord, idem_id), now) if idem_id else None
            if idem is not None:  # the same key won a race with another body or id
                return _replay(settings, idem, req_hash, pay), False
            now_p = Product.get(product_id, consistent_read=True)
            broken = order_rules.broken_rule(int(now_p.stock), quantity, now_p.retired_at is None,
                                             product.fulfilment or "voucher")
            if broken is None:
                continue  # another order took the code picked: pick again
            raise broken from None
        if posted.replayed:
            # The same Idempotency-Key won a race. Its record committed with that order, so compare
            # bodies as a sequential retry would: another body is a 409, never the other order.
            idem = _live(_get(IdempotencyRecord, idem_id), now) if idem_id else None
            if idem is not None:
                return _replay(settings, idem, req_hash, pay), False
            return order_view(settings, Order.get(order_id, consistent_read=True), pay=pay), False
        metric("Orders", 1, fulfilment=order.fulfilment, cash=bool(order.cash_fen))
        metric("CoinsSpent", int(order.coins))
        return order_view(settings, order, reveal=True, pay=pay), True
    raise OutOfStock()  # the codes seen free were all taken by others each time


def _terms(p: Product) -> order_rules.Terms:
    return order_rules.Terms(int(p.price_coins), int(p.stock), int(p.per_user_limit), int(p.valid_days),
                             int(p.price_fen or 0), p.fulfilment or "voucher", p.retired_at is None)


def _commit(settings, user_id, product, quantity, idem_id, req_hash, order_id, now, priced, account, user, pay):
    """One transaction: coins, stock, holding, order, its code (voucher) or pool code (activation_code)."""
    fulfilment, product_id, cash = product.fulfilment or "voucher", product.product_id, priced.cash_fen
    order = Order(order_id, user_id=user_id, product_id=product_id, product_name=product.name,
                  merchant_id=product.merchant_id, quantity=quantity, coins=priced.coins, cash_fen=cash or None,
                  status=priced.status, fulfilment=fulfilment, valid_days=int(product.valid_days),
                  created_at=now.isoformat(), expires_at=priced.expires_at.isoformat())
    actions = []
    if fulfilment == "voucher":
        code = codes.new_code()
        order.code_hash, order.code = codes.code_hash(code), secretbox.seal(settings, "code", code)
        actions.append(ledger.put(
            RedemptionCode(order.code_hash, order_id=order_id, merchant_id=product.merchant_id, product_id=product_id,
                           product_name=product.name, quantity=quantity, status=order.status,
                           expires_at=order.expires_at),
            RedemptionCode.code_hash.does_not_exist()))  # 80 random bits: a clash is refused
    else:
        free = shelf.free_codes(product_id)
        if not free:
            raise OutOfStock()
        order.activation_code_id = random.choice(free)  # not the first: racing orders spread over the pool
        if not cash:  # the 201 shows the code: delivered at once
            order.status = "redeemed"
            order.code_shown_at = order.redeemed_at = now.isoformat()
        # Still free: exactly one order takes a code; a racing order picks again.
        actions.append(ledger.update(
            ActivationCode(product_id, order.activation_code_id),
            [ActivationCode.order_id.set(order_id), ActivationCode.free_since.remove()],
            ActivationCode.free_since.exists()))
    if cash:
        if pay is None or user is None or not user.openid:
            raise Unprocessable("This product is paid partly in cash through WeChat Pay.",
                                zh="该商品需通过微信支付付款。")
        params = pay.jsapi_order(order_id, product.name, cash, user.openid,
                                 localday.to_local(priced.expires_at).isoformat(timespec="seconds"))
        order.prepay_id = params["package"].removeprefix("prepay_id=")

    cause = [
        # stock >= quantity and still on sale: never oversell, never sell a retired product.
        ledger.update(Product(product_id), [Product.stock.add(-quantity)],
                      (Product.stock >= quantity) & Product.retired_at.does_not_exist()),
        # The holding stays within the limit (the counter may not exist yet).
        ledger.update(PurchaseCount(user_id, product_id), [PurchaseCount.count.add(quantity)],
                      PurchaseCount.count.does_not_exist() | (PurchaseCount.count <= priced.most_held_before)),
        ledger.put(order, Order.order_id.does_not_exist()),  # an order id is used once
        *actions,
    ]
    if idem_id:
        cause.append(ledger.put(IdempotencyRecord(idem_id, status="COMPLETED", request_hash=req_hash,
                                                  order_id=order_id, ttl=now + timedelta(days=1)),
                                # First use of this key, or its record expired (DynamoDB deletes
                                # expired items late): then this request owns the key again.
                                IdempotencyRecord.key.does_not_exist() | (IdempotencyRecord.ttl < now)))
    movement = ledger.Movement(user_id, f"order#{order_id}", -priced.coins, "order", ref=order_id,
                               detail={"product_id": product_id, "product": product.name, "quantity": quantity,
                                       **({"cash_fen": cash} if cash else {})},
                               totals={"spent_total": priced.coins}, cause=tuple(cause),
                               legs={f"spending:{product.merchant_id}": priced.coins})  # double entry
    return ledger.post(movement, account=account), order


def _get(model, key):
    try:
        return model.get(key, consistent_read=True)
    except model.DoesNotExist:
        return None


def _live(idem: IdempotencyRecord | None, now: datetime) -> IdempotencyRecord | None:
    """The record while it lives: past its TTL it names nothing, even before DynamoDB deletes it."""
    return idem if idem is not None and idem.ttl > now else None


def _value(future):
    if future is None:
        return None
    try:
        return future.get()
    except Exception:  # DoesNotExist of the future's model
        return None


def _replay(settings, idem: IdempotencyRecord, req_hash: str, pay=None) -> dict:
    if idem.request_hash != req_hash:
        raise IdempotencyKeyReused()
    return order_view(settings, Order.get(idem.order_id, consistent_read=True), reveal=True, pay=pay)
