"""Ops keep the catalogue: create and update products, retire them, load activation codes.

Invariants:
- Only products on sale carry `listed`: the catalogue read is a Query on that sparse index.
- Stock is never overwritten blindly: a new stock is SET on condition that it still is the value
  read (an order in between makes the write fail and the change is recomputed), and a code pool
  grows by one code and one unit of stock in one transaction, so for an activation_code product
  stock == codes left, whatever orders run meanwhile.
- A code is stored sealed (core.secretbox), keyed by a keyed hash: loading it again adds nothing.
"""

from __future__ import annotations

import hashlib
import hmac

from pynamodb.exceptions import TransactWriteError, UpdateError
from pynamodb.transactions import TransactWrite

import models
from core import secretbox
from core.errors import NotFound
from core.localday import stamp as _now  # UTC storage time, one home
from core.mall.product_rules import InvalidProducts, ProductSpec, changed_fields
from models.activation_codes import ActivationCode
from models.mall import Product
from models.orders import Merchant

ON_SALE = "on_sale"
CODE_PURPOSE = "activation_code"


def _current(p: Product) -> dict:
    return {
        "name": p.name,
        "category": p.category,
        "merchant_id": p.merchant_id,
        "price_coins": int(p.price_coins),
        "price_fen": int(p.price_fen or 0),
        "per_user_limit": int(p.per_user_limit),
        "valid_days": int(p.valid_days),
        "fulfilment": p.fulfilment or "voucher",
        "description": p.description or "",
        "image_url": p.image_url,
    }


def check_merchants(specs: list[ProductSpec]) -> None:
    """InvalidProducts naming every product whose merchant does not exist (before anything is written)."""
    known = {m.merchant_id for m in Merchant.batch_get({s.merchant_id for s in specs})}
    problems = [
        f"product {s.id}: no merchant {s.merchant_id}" for s in specs if s.merchant_id not in known
    ]
    if problems:
        raise InvalidProducts(problems)


def new_product(spec: ProductSpec, merchant_name: str) -> Product:
    """A product as first put on sale (its stock as given, else 0)."""
    return Product(
        spec.id,
        merchant_name=merchant_name,
        stock=spec.stock or 0,
        listed=ON_SALE,
        updated_at=_now(),
        **spec.fields(),
    )


def upsert(spec: ProductSpec, attempts: int = 5) -> tuple[str, dict]:
    """Create or update one product -> ("created" | "updated" | "unchanged", field -> (old, new))."""
    try:
        merchant = Merchant.get(spec.merchant_id)
    except Merchant.DoesNotExist:
        raise NotFound(
            f"product {spec.id}: no merchant {spec.merchant_id}",
            zh=f"商品 {spec.id}：商户 {spec.merchant_id} 不存在",
        ) from None
    for _ in range(attempts):
        try:
            p = Product.get(spec.id, consistent_read=True)
        except Product.DoesNotExist:
            p = None
        if p is None:
            fresh = new_product(spec, merchant.name)
            try:
                fresh.save(
                    condition=Product.product_id.does_not_exist()
                )  # a concurrent upsert created it
                return "created", changed_fields(None, spec) | {"stock": (None, int(fresh.stock))}
            except (
                Exception
            ) as e:  # PutError: someone created it meanwhile; update it on the next turn
                if getattr(e, "cause_response_code", None) != "ConditionalCheckFailedException":
                    raise
                continue
        if p.fulfilment != spec.fulfilment and int(p.stock) > 0:
            raise ValueError(
                f"product {spec.id}: fulfilment cannot change while stock is {int(p.stock)}"
            )
        changes = changed_fields(_current(p), spec)
        if p.merchant_name != merchant.name:
            changes["merchant"] = (p.merchant_name, merchant.name)
        actions = [
            getattr(Product, k).set(v[1]) if v[1] is not None else getattr(Product, k).remove()
            for k, v in changes.items()
            if k != "merchant"
        ]
        if "merchant" in changes:
            actions.append(Product.merchant_name.set(merchant.name))
        condition = Product.product_id.exists()
        if spec.stock is not None and spec.stock != int(p.stock):
            changes["stock"] = (int(p.stock), spec.stock)
            actions.append(Product.stock.set(spec.stock))
            condition &= Product.stock == int(p.stock)  # no order took stock since the read
        if not actions:
            return "unchanged", {}
        try:
            p.update(actions=actions + [Product.updated_at.set(_now())], condition=condition)
            return "updated", changes
        except UpdateError as e:
            if e.cause_response_code != "ConditionalCheckFailedException":
                raise
    raise RuntimeError(f"product {spec.id}: stock kept changing under orders; run the upsert again")


def retire(product_id: str) -> bool:
    """Take a product off sale (it stays readable for its orders); False if it was retired already."""
    try:
        Product(product_id).update(
            actions=[Product.listed.remove(), Product.retired_at.set(_now())],
            condition=Product.product_id.exists() & Product.retired_at.does_not_exist(),
        )
        return True
    except UpdateError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
    try:
        Product.get(product_id)
    except Product.DoesNotExist:
        raise NotFound(f"no product {product_id}", zh=f"商品 {product_id} 不存在") from None
    return False


def code_id(settings, product_id: str, code: str) -> str:
    return hmac.new(
        settings.hash_key.encode(), f"{product_id}\n{code}".encode(), hashlib.sha256
    ).hexdigest()[:32]


def load_codes(settings, product_id: str, codes: list[str]) -> dict:
    """Add codes to a product's pool; each new code and its unit of stock commit together."""
    try:
        p = Product.get(product_id)
    except Product.DoesNotExist:
        raise NotFound(f"no product {product_id}", zh=f"商品 {product_id} 不存在") from None
    if (p.fulfilment or "voucher") != "activation_code":
        raise ValueError(
            f"product {product_id} is a {p.fulfilment or 'voucher'}, not an activation_code product"
        )
    counts = {"loaded": 0, "skipped": 0}
    for start in range(0, len(codes), CODES_PER_TRANSACTION):
        chunk = list(dict.fromkeys(codes[start : start + CODES_PER_TRANSACTION]))
        counts["skipped"] += min(len(codes) - start, CODES_PER_TRANSACTION) - len(
            chunk
        )  # repeated in the file
        if _load_all(settings, product_id, chunk):
            counts["loaded"] += len(chunk)
            continue
        for code in chunk:  # some were loaded before (or an order raced): one by one
            counts["loaded" if _load_one(settings, product_id, code) else "skipped"] += 1
    return counts


CODES_PER_TRANSACTION = 50  # a transaction holds at most 100 items


def _load_all(settings, product_id: str, chunk: list[str]) -> bool:
    """A fresh chunk in one transaction: all its codes and their stock, or nothing."""
    now = _now()
    try:
        with TransactWrite(connection=models.connection()) as tx:
            for code in chunk:
                cid = code_id(settings, product_id, code)
                tx.save(
                    ActivationCode(
                        product_id,
                        cid,
                        sealed=secretbox.seal(settings, CODE_PURPOSE, code),
                        loaded_at=now,
                        free_since=f"{now}#{cid}",
                    ),
                    condition=ActivationCode.code_id.does_not_exist(),
                )  # a code is loaded once
            tx.update(Product(product_id), actions=[Product.stock.add(len(chunk))])
        return True
    except TransactWriteError as e:
        if e.cause_response_code != "TransactionCanceledException":
            raise
        return False


def _load_one(settings, product_id: str, code: str, attempts: int = 5) -> bool:
    cid = code_id(settings, product_id, code)
    for _ in range(attempts):
        now = _now()
        try:
            with TransactWrite(connection=models.connection()) as tx:
                # A code is loaded once, however often its file is.
                tx.save(
                    ActivationCode(
                        product_id,
                        cid,
                        sealed=secretbox.seal(settings, CODE_PURPOSE, code),
                        loaded_at=now,
                        free_since=f"{now}#{cid}",
                    ),
                    condition=ActivationCode.code_id.does_not_exist(),
                )
                tx.update(Product(product_id), actions=[Product.stock.add(1)])
            return True
        except TransactWriteError as e:
            if e.cause_response_code != "TransactionCanceledException":
                raise
            try:
                ActivationCode.get(product_id, cid, consistent_read=True)
                return False  # loaded before
            except ActivationCode.DoesNotExist:
                continue  # an order was changing the product's stock at that moment: try again
    raise RuntimeError(f"product {product_id}: could not load a code (busy); run the load again")


def free_codes(product_id: str, limit: int = 8) -> list[str]:
    """Ids of a few codes still free (the index is eventually consistent: the taking transaction
    checks again)."""
    return [c.code_id for c in ActivationCode.free.query(product_id, limit=limit)]


def open_code(settings, sealed: str) -> str:
    return secretbox.open_(settings, CODE_PURPOSE, sealed)
