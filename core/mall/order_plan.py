"""What an order will write, decided on what was read: `plan_order`. No I/O.

Invariants (the transaction's conditions, each write with its role):
- stock: decremented on condition stock >= quantity and the product still on sale;
- holding: the user's counter of the product stays within per_user_limit;
- order: an order id is put once (it is random, this request's alone);
- code: a voucher's hashed code, put once; pool_code: an activation code taken only while still free,
  the order created issued (or pending_payment) with the code unseen, never already redeemed;
- idempotency: the key's record, put only on its first use or after its record expired;
- the ledger movement debits the coins with its double entry (spending:<merchant>) and carries them all.
The rules (sale, limit, stock, price, status) are core.mall.order_rules; core.mall.placing loads and commits.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from core import secretbox
from core.books import ledger
from core.mall import codes, order_rules
from core.mall.order_rules import OutOfStock
from models import Account, User
from models.activation_codes import ActivationCode
from models.mall import IdempotencyRecord, Product, PurchaseCount
from models.orders import Order, RedemptionCode


@dataclass(frozen=True)
class OrderRequest:
    user_id: str
    product_id: str
    quantity: int
    idem_id: str | None  # the idempotency record's key, None without an Idempotency-Key
    req_hash: str
    order_id: str  # random, this request's alone, fixed for its retries
    now: datetime

    @classmethod
    def of(cls, user_id: str, product_id: str, quantity: int, idem_key: str | None) -> OrderRequest:
        return cls(
            user_id,
            product_id,
            quantity,
            order_rules.idempotency_id(user_id, idem_key),
            order_rules.request_hash(product_id, quantity),
            order_rules.order_id(),
            datetime.now(UTC),
        )


@dataclass(frozen=True)
class Seen:
    """What the order is decided on, read in one TransactGet (and the pool's free codes)."""

    account: Account | None
    product: Product
    held: int  # the user's holding of the product
    user: User | None
    idem: IdempotencyRecord | None  # live records only
    free_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrderPlan:
    """What to write and the conditions that guard it: the movement's cause, one role per write."""

    order: Order
    movement: ledger.Movement
    roles: tuple[
        str, ...
    ]  # stock | holding | order | code | pool_code | idempotency, as movement.cause


def plan_order(
    settings, req: OrderRequest, seen: Seen, priced: order_rules.Priced, prepay_id: str | None
) -> OrderPlan:
    """The order's writes and their conditions, decided on what was read. No I/O."""
    product, fulfilment = seen.product, seen.product.fulfilment or "voucher"
    cash = priced.cash_fen
    order = Order(
        req.order_id,
        user_id=req.user_id,
        product_id=req.product_id,
        product_name=product.name,
        merchant_id=product.merchant_id,
        quantity=req.quantity,
        coins=priced.coins,
        cash_fen=cash or None,
        status=priced.status,
        fulfilment=fulfilment,
        valid_days=int(product.valid_days),
        created_at=req.now.isoformat(),
        expires_at=priced.expires_at.isoformat(),
        prepay_id=prepay_id,
    )
    if fulfilment == "voucher":
        code = codes.new_code()
        order.code_hash, order.code = codes.code_hash(code), secretbox.seal(settings, "code", code)
        fulfil = (
            "code",
            ledger.put(
                RedemptionCode(
                    order.code_hash,
                    order_id=req.order_id,
                    merchant_id=product.merchant_id,
                    product_id=req.product_id,
                    product_name=product.name,
                    quantity=req.quantity,
                    status=order.status,
                    expires_at=order.expires_at,
                ),
                RedemptionCode.code_hash.does_not_exist(),
            ),
        )  # 80 random bits: a clash is refused
    else:
        if not seen.free_codes:
            raise OutOfStock()
        order.activation_code_id = random.choice(
            seen.free_codes
        )  # not the first: racing orders spread over the pool
        # Issued (or pending_payment), the code unseen: only the owner's GET of the paid order reveals
        # it (core.mall.order_views), so until then the order can be cancelled and the code freed.
        # Still free: exactly one order takes a code; a racing order picks again.
        fulfil = (
            "pool_code",
            ledger.update(
                ActivationCode(req.product_id, order.activation_code_id),
                [ActivationCode.order_id.set(req.order_id), ActivationCode.free_since.remove()],
                ActivationCode.free_since.exists(),
            ),
        )
    writes = [
        # stock >= quantity and still on sale: never oversell, never sell a retired product.
        (
            "stock",
            ledger.update(
                Product(req.product_id),
                [Product.stock.add(-req.quantity)],
                (Product.stock >= req.quantity) & Product.retired_at.does_not_exist(),
            ),
        ),
        # The holding stays within the limit (the counter may not exist yet).
        (
            "holding",
            ledger.update(
                PurchaseCount(req.user_id, req.product_id),
                [PurchaseCount.count.add(req.quantity)],
                PurchaseCount.count.does_not_exist()
                | (PurchaseCount.count <= priced.most_held_before),
            ),
        ),
        ("order", ledger.put(order, Order.order_id.does_not_exist())),  # an order id is used once
        fulfil,
    ]
    if req.idem_id:
        writes.append(
            (
                "idempotency",
                ledger.put(
                    IdempotencyRecord(
                        req.idem_id,
                        status="COMPLETED",
                        request_hash=req.req_hash,
                        order_id=req.order_id,
                        ttl=req.now + timedelta(days=1),
                    ),
                    # First use of this key, or its record expired (DynamoDB deletes expired items late):
                    # then this request owns the key again.
                    IdempotencyRecord.key.does_not_exist() | (IdempotencyRecord.ttl < req.now),
                ),
            )
        )
    movement = ledger.Movement(
        req.user_id,
        f"order#{req.order_id}",
        -priced.coins,
        "order",
        ref=req.order_id,
        detail={
            "product_id": req.product_id,
            "product": product.name,
            "quantity": req.quantity,
            **({"cash_fen": cash} if cash else {}),
        },
        totals={"spent_total": priced.coins},
        cause=tuple(w for _, w in writes),
        legs={f"spending:{product.merchant_id}": priced.coins},
    )  # double entry
    return OrderPlan(order, movement, tuple(role for role, _ in writes))
