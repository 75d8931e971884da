"""What an order may be: the sale, limit, stock and price rules, decided on plain values. Pure.

- Only a product on sale is sold; an activation code product one at a time.
- A citizen's holding of a product (what they hold + this quantity) stays within per_user_limit.
- Stock covers the quantity.
- The price is price_coins x quantity in coins plus price_fen x quantity in cash. Coins only: the
  order is issued and valid through 23:59:59 Asia/Shanghai of the valid_days-th day after the
  purchase day. With a cash part it is pending_payment and must be paid through WeChat Pay within
  PAYMENT_MINUTES (validity starts when paid).
- An Idempotency-Key names one request while its record lives: a retry (same product and
  quantity) gets that request's order, another body a 409. An order id is random, never derived
  from the key, so a key reused after its record expired makes a new order, never the old one.
The transaction (core.mall.placing) re-checks sale, stock and the limit as conditions, so a race
never oversells; when those conditions fail, `broken_rule` names the rule from what is true now.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core import localday
from core.errors import Conflict, Unprocessable

PAYMENT_MINUTES = (
    15  # an order with a cash part not paid within this is cancelled, everything returned
)


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


@dataclass(frozen=True)
class Terms:
    """What a product offers, as read just before the order."""

    price_coins: int
    stock: int
    per_user_limit: int
    valid_days: int
    price_fen: int = 0
    fulfilment: str = "voucher"  # or "activation_code"
    on_sale: bool = True


@dataclass(frozen=True)
class Priced:
    coins: int
    cash_fen: int  # 0: coins only
    status: str  # "issued" (coins only) or "pending_payment" (a cash part waits for WeChat Pay)
    expires_at: datetime  # end of validity, or of the payment window when there is cash to pay
    most_held_before: (
        int  # the holding counter may be at most this before the order (the limit's condition)
    )


def price(terms: Terms, held: int, quantity: int, now: datetime) -> Priced:
    """The order's price, status and expiry, or the first rule it breaks (sale, then the limit before stock)."""
    if not terms.on_sale:
        raise ProductOffSale()
    if terms.fulfilment == "activation_code" and quantity != 1:
        raise Unprocessable(
            "Activation codes are bought one at a time.", zh="激活码商品每次只能购买一件。"
        )
    if held + quantity > terms.per_user_limit:
        raise LimitReached()
    if terms.stock < quantity:
        raise OutOfStock()
    cash = terms.price_fen * quantity
    expires = (
        now + timedelta(minutes=PAYMENT_MINUTES) if cash else voucher_expiry(now, terms.valid_days)
    )
    return Priced(
        terms.price_coins * quantity,
        cash,
        "pending_payment" if cash else "issued",
        expires,
        terms.per_user_limit - quantity,
    )


def voucher_expiry(bought: datetime, valid_days: int) -> datetime:
    """Valid through the whole of its last day: 23:59:59 Asia/Shanghai of the valid_days-th day after
    the purchase day (never less than valid_days x 24 h), not the clock time of the purchase. In UTC,
    as tables store and compare it; responses show it at +08:00 (23:59:59+08:00)."""
    return localday.last_moment(localday.add_days(localday.day_of(bought), valid_days)).astimezone(
        UTC
    )


def broken_rule(
    stock_now: int, quantity: int, on_sale_now: bool = True, fulfilment: str = "voucher"
) -> Conflict | None:
    """Which rule a failed order broke, from the product as it is now. None: an activation code
    order lost its picked code to another order and may pick again."""
    if stock_now < quantity:
        return OutOfStock()
    if not on_sale_now:
        return ProductOffSale()
    if fulfilment == "activation_code":
        return None
    return LimitReached()


def request_hash(product_id: str, quantity: int) -> str:
    return hashlib.sha256(json.dumps([product_id, quantity]).encode()).hexdigest()


def idempotency_id(user_id: str, idem_key: str | None) -> str | None:
    return f"{user_id}#{idem_key}" if idem_key else None


def order_id() -> str:
    """Random (80 bits): never derived from the Idempotency-Key, whose record expires. A retry finds
    its order through the live idempotency record, which commits in the order's own transaction."""
    return "o_" + secrets.token_hex(10)
