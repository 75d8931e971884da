"""The mall: products and placing orders.

Invariants (one DynamoDB transaction per order, through core.books.ledger.post):
- coins are debited only if the balance covers the price (never negative);
- stock is decremented only on condition stock >= quantity (never negative, never oversold);
- a user's holding of a product stays within per_user_limit (condition on the counter);
- the order, its ledger entry, its hashed code and the idempotency record commit together.
- an activation_code order takes exactly one pool code (condition: still free) in that transaction;
- an order with a cash part starts pending_payment with WeChat Pay's prepay order made first
  (out_trade_no = order id, so a retry finds the same one); core.mall.payments takes it on.
Reads before the transaction: one TransactGet (account, product, counter, user, idempotency record),
plus for an activation_code product one Query of its free codes.
"""
from __future__ import annotations

import hashlib
import json
import random
from datetime import datetime, timedelta, timezone

from pynamodb.transactions import TransactGet

import models
from core import secretbox
from core.mall import codes, shelf
from core.mall.order_views import order_view
from core.mall.product_rules import REFUND_NOTES
from core.mall.shelf import ON_SALE
from core.books import ledger
from core.errors import Conflict, IdempotencyKeyReused, NotFound, Unprocessable
from core.metrics import metric
from models import Account, User
from models.activation_codes import ActivationCode
from models.mall import IdempotencyRecord, Product, PurchaseCount
from models.orders import Order, RedemptionCode

PAYMENT_MINUTES = 15  # an order with a cash part not paid within this is cancelled, everything returned
CODE_ATTEMPTS = 5
SHANGHAI = timezone(timedelta(hours=8))


class OutOfStock(Conflict):
    code = "out_of_stock"
    message = "Sold out."
    message_zh = "该商品已兑完。"


class ProductOffSale(Conflict):
    code = "product_off_sale"
    message = "This product is no longer on sale."
    message_zh = "该商品已下架。"


class LimitReached(Conflict):
    code = "limit_reached"
    message = "You already hold as many of this product as allowed."
    message_zh = "该商品每人限兑数量已达上限。"


def product_view(p: Product) -> dict:
    fulfilment = p.fulfilment or "voucher"
    note_zh, note_en = REFUND_NOTES[fulfilment]
    return {"id": p.product_id, "name": p.name, "category": p.category, "price_coins": int(p.price_coins),
            "price_fen": int(p.price_fen or 0), "stock": int(p.stock), "merchant": p.merchant_name,
            "merchant_id": p.merchant_id, "per_user_limit": int(p.per_user_limit), "valid_days": int(p.valid_days),
            "fulfilment": fulfilment, "description": p.description, "image_url": p.image_url,
            "refund_note": note_zh, "refund_note_en": note_en, "on_sale": p.retired_at is None}


def get_product(product_id: str) -> dict:
    try:
        return product_view(Product.get(product_id))
    except Product.DoesNotExist:
        raise NotFound("No such product.", zh="找不到这个商品，可能已下架。") from None


def list_products(category: str | None, limit: int, cursor: dict | None) -> tuple[list[dict], dict | None]:
    # Products on sale only; both reads are Queries (a retired product leaves the on_sale index).
    if category:
        page = Product.by_category.query(category, limit=limit, last_evaluated_key=cursor,
                                         filter_condition=Product.retired_at.does_not_exist())
    else:
        page = Product.on_sale.query(ON_SALE, limit=limit, last_evaluated_key=cursor)
    items = [product_view(p) for p in page]
    return items, page.last_evaluated_key


def _request_hash(product_id: str, quantity: int) -> str:
    return hashlib.sha256(json.dumps([product_id, quantity]).encode()).hexdigest()


def place_order(settings, user_id: str, product_id: str, quantity: int, idem_key: str | None,
                pay=None) -> tuple[dict, bool]:
    """Returns (order view, created now?). A retried Idempotency-Key returns the first order.
    `pay` (the WeChat Pay gateway) is needed for products with a cash part."""
    req_hash = _request_hash(product_id, quantity)
    idem_id = f"{user_id}#{idem_key}" if idem_key else None
    order_id = "o_" + (hashlib.sha256(idem_id.encode()).hexdigest()[:20] if idem_id else codes.secrets.token_hex(10))
    now = datetime.now(timezone.utc)
    for _ in range(CODE_ATTEMPTS):
        with TransactGet(connection=models.connection()) as tx:
            f_acc, f_prod = tx.get(Account, user_id), tx.get(Product, product_id)
            f_count, f_user = tx.get(PurchaseCount, user_id, product_id), tx.get(User, user_id)
            f_idem = tx.get(IdempotencyRecord, idem_id) if idem_id else None
        idem = _value(f_idem)
        if idem is not None:
            return _replay(settings, idem, req_hash, pay), False
        product = _value(f_prod)
        if product is None:
            raise NotFound("No such product.", zh="找不到这个商品，可能已下架。")
        if product.retired_at:
            raise ProductOffSale()
        fulfilment = product.fulfilment or "voucher"
        if fulfilment == "activation_code" and quantity != 1:
            raise Unprocessable("Activation codes are bought one at a time.", zh="激活码商品每次只能购买一件。")
        held = int(_value(f_count).count) if _value(f_count) else 0
        if held + quantity > int(product.per_user_limit):
            raise LimitReached()
        if int(product.stock) < quantity:
            raise OutOfStock()
        try:
            posted, order = _commit(settings, user_id, product, quantity, idem_id, req_hash, order_id, now,
                                    _value(f_acc), _value(f_user), pay)
        except ledger.CauseConditionFailed:
            # Cancellation reasons are not in call order: re-read and name the rule that broke.
            idem = _get(IdempotencyRecord, idem_id) if idem_id else None
            if idem is not None:  # the same key won a race with another body or id
                return _replay(settings, idem, req_hash, pay), False
            product = Product.get(product_id, consistent_read=True)
            if int(product.stock) < quantity:
                raise OutOfStock() from None
            if product.retired_at:
                raise ProductOffSale() from None
            if fulfilment == "activation_code":
                continue  # another order took the code picked: pick again
            raise LimitReached() from None
        if posted.replayed:
            # The same Idempotency-Key won a race. Its record committed with that order, so compare
            # bodies as a sequential retry would: another body is a 409, never the other order.
            idem = _get(IdempotencyRecord, idem_id) if idem_id else None
            if idem is not None:
                return _replay(settings, idem, req_hash, pay), False
            return order_view(settings, Order.get(order_id, consistent_read=True), pay=pay), False
        metric("Orders", 1, fulfilment=fulfilment, cash=bool(order.cash_fen))
        metric("CoinsSpent", int(order.coins))
        return order_view(settings, order, reveal=True, pay=pay), True
    raise OutOfStock()  # the codes seen free were all taken by others each time


def _commit(settings, user_id, product, quantity, idem_id, req_hash, order_id, now, account, user, pay):
    """One transaction: coins, stock, holding, order, its code (voucher) or pool code (activation_code)."""
    fulfilment, product_id = product.fulfilment or "voucher", product.product_id
    coins, cash = int(product.price_coins) * quantity, int(product.price_fen or 0) * quantity
    # A cash part waits for WeChat Pay (PAYMENT_MINUTES); the voucher's validity starts when paid.
    expires = (now + (timedelta(minutes=PAYMENT_MINUTES) if cash else timedelta(days=int(product.valid_days))))
    order = Order(order_id, user_id=user_id, product_id=product_id, product_name=product.name,
                  merchant_id=product.merchant_id, quantity=quantity, coins=coins, cash_fen=cash or None,
                  status="pending_payment" if cash else "issued", fulfilment=fulfilment,
                  valid_days=int(product.valid_days), created_at=now.isoformat(), expires_at=expires.isoformat())
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
                                 expires.astimezone(SHANGHAI).isoformat(timespec="seconds"))
        order.prepay_id = params["package"].removeprefix("prepay_id=")

    cause = [
        # stock >= quantity and still on sale: never oversell, never sell a retired product.
        ledger.update(Product(product_id), [Product.stock.add(-quantity)],
                      (Product.stock >= quantity) & Product.retired_at.does_not_exist()),
        # The holding stays within the limit (the counter may not exist yet).
        ledger.update(PurchaseCount(user_id, product_id), [PurchaseCount.count.add(quantity)],
                      PurchaseCount.count.does_not_exist()
                      | (PurchaseCount.count <= int(product.per_user_limit) - quantity)),
        ledger.put(order, Order.order_id.does_not_exist()),  # an order id is used once
        *actions,
    ]
    if idem_id:
        cause.append(ledger.put(IdempotencyRecord(idem_id, status="COMPLETED", request_hash=req_hash,
                                                  order_id=order_id, ttl=now + timedelta(days=1)),
                                IdempotencyRecord.key.does_not_exist()))  # first use of this key
    movement = ledger.Movement(user_id, f"order#{order_id}", -coins, "order", ref=order_id,
                               detail={"product_id": product_id, "product": product.name, "quantity": quantity,
                                       **({"cash_fen": cash} if cash else {})},
                               totals={"spent_total": coins}, cause=tuple(cause))
    return ledger.post(movement, account=account), order


def _get(model, key):
    try:
        return model.get(key, consistent_read=True)
    except model.DoesNotExist:
        return None


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
