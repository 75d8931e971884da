"""The mall: products and placing orders.

Invariants (one DynamoDB transaction per order, through core.books.ledger.post):
- coins are debited only if the balance covers the price (never negative);
- stock is decremented only on condition stock >= quantity (never negative, never oversold);
- a user's holding of a product stays within per_user_limit (condition on the counter);
- the order, its ledger entry, its hashed code and the idempotency record commit together.
Reads before the transaction: one TransactGet (account, product, counter, idempotency record).
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

from pynamodb.transactions import TransactGet

import models
from core import secretbox
from core.mall import codes
from core.mall.product_rules import REFUND_NOTES
from core.mall.shelf import ON_SALE
from core.books import ledger
from core.errors import Conflict, IdempotencyKeyReused, NotFound
from core.metrics import metric
from models import Account
from models.mall import IdempotencyRecord, Product, PurchaseCount
from models.orders import Order, RedemptionCode


class OutOfStock(Conflict):
    code = "out_of_stock"
    message = "Sold out."
    message_zh = "该商品已兑完。"


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


def order_view(settings, o: Order, owner: bool = True) -> dict:
    view = {"id": o.order_id, "status": o.status, "product_id": o.product_id, "product_name": o.product_name,
            "quantity": int(o.quantity), "coins": int(o.coins), "created_at": o.created_at,
            "expires_at": o.expires_at, "redeemed_at": o.redeemed_at}
    if owner:
        view["code"] = secretbox.open_(settings, "code", o.code)
        view["qr_svg"] = codes.qr_svg(view["code"]) if o.status == "issued" else None
    return view


def _request_hash(product_id: str, quantity: int) -> str:
    return hashlib.sha256(json.dumps([product_id, quantity]).encode()).hexdigest()


def place_order(settings, user_id: str, product_id: str, quantity: int, idem_key: str | None) -> tuple[dict, bool]:
    """Returns (order view, created now?). A retried Idempotency-Key returns the first order."""
    req_hash = _request_hash(product_id, quantity)
    idem_id = f"{user_id}#{idem_key}" if idem_key else None
    order_id = "o_" + (hashlib.sha256(idem_id.encode()).hexdigest()[:20] if idem_id else codes.secrets.token_hex(10))
    with TransactGet(connection=models.connection()) as tx:
        f_acc, f_prod = tx.get(Account, user_id), tx.get(Product, product_id)
        f_count = tx.get(PurchaseCount, user_id, product_id)
        f_idem = tx.get(IdempotencyRecord, idem_id) if idem_id else None
    idem = _value(f_idem)
    if idem is not None:
        return _replay(settings, idem, req_hash), False
    product = _value(f_prod)
    if product is None:
        raise NotFound("No such product.", zh="找不到这个商品，可能已下架。")
    held = int(_value(f_count).count) if _value(f_count) else 0
    if held + quantity > int(product.per_user_limit):
        raise LimitReached()
    if int(product.stock) < quantity:
        raise OutOfStock()
    now = datetime.now(timezone.utc)
    code = codes.new_code()
    coins = int(product.price_coins) * quantity
    expires = (now + timedelta(days=int(product.valid_days))).isoformat()
    order = Order(order_id, user_id=user_id, product_id=product_id, product_name=product.name,
                  merchant_id=product.merchant_id, quantity=quantity, coins=coins, status="issued",
                  code_hash=codes.code_hash(code), code=secretbox.seal(settings, "code", code),
                  created_at=now.isoformat(), expires_at=expires)
    cause = (
        # stock >= quantity: never oversell, whatever runs concurrently.
        ledger.update(Product(product_id), [Product.stock.add(-quantity)], Product.stock >= quantity),
        # The holding stays within the limit (the counter may not exist yet).
        ledger.update(PurchaseCount(user_id, product_id), [PurchaseCount.count.add(quantity)],
                      PurchaseCount.count.does_not_exist()
                      | (PurchaseCount.count <= int(product.per_user_limit) - quantity)),
        ledger.put(order, Order.order_id.does_not_exist()),  # an order id is used once
        ledger.put(RedemptionCode(order.code_hash, order_id=order_id, merchant_id=product.merchant_id,
                                  product_id=product_id, product_name=product.name, quantity=quantity,
                                  status="issued", expires_at=expires),
                   RedemptionCode.code_hash.does_not_exist()),  # 80 random bits: a clash is refused
    )
    if idem_id:
        cause += (ledger.put(IdempotencyRecord(idem_id, status="COMPLETED", request_hash=req_hash, order_id=order_id,
                                               ttl=now + timedelta(days=1)),
                             IdempotencyRecord.key.does_not_exist()),)  # first use of this key
    movement = ledger.Movement(user_id, f"order#{order_id}", -coins, "order", ref=order_id,
                               detail={"product_id": product_id, "product": product.name, "quantity": quantity},
                               totals={"spent_total": coins}, cause=cause)
    try:
        posted = ledger.post(movement, account=_value(f_acc))
    except ledger.CauseConditionFailed:
        # Cancellation reasons are not in call order: re-read and name the rule that broke.
        idem = _get(IdempotencyRecord, idem_id) if idem_id else None
        if idem is not None:  # the same key won a race with another body or id
            return _replay(settings, idem, req_hash), False
        product = Product.get(product_id, consistent_read=True)
        raise (OutOfStock() if int(product.stock) < quantity else LimitReached()) from None
    if posted.replayed:
        # The same Idempotency-Key won a race. Its record committed with that order, so compare
        # bodies as a sequential retry would: another body is a 409, never the other order.
        idem = _get(IdempotencyRecord, idem_id) if idem_id else None
        if idem is not None:
            return _replay(settings, idem, req_hash), False
        return order_view(settings, Order.get(order_id, consistent_read=True)), False
    metric("Orders", 1)
    metric("CoinsSpent", coins)
    return order_view(settings, order), True


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


def _replay(settings, idem: IdempotencyRecord, req_hash: str) -> dict:
    if idem.request_hash != req_hash:
        raise IdempotencyKeyReused()
    return order_view(settings, Order.get(idem.order_id, consistent_read=True))
