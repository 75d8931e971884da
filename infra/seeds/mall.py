"""The demo mall (infra/seeds/mall.json): 70+ products of 30 Guangzhou merchants across transit,
travel, memberships, food and daily goods, some coins plus cash, some delivered as activation codes
(a pool of demo codes each); each merchant with a local-only staff key so the merchant page can be
tried at once. The directory (infra/seeds/merchants.json): those 30 and 275 more merchants, retail,
services and tourism across Guangzhou's 11 districts. Loaded through the same paths as `tanpuhui
product codes` / `merchant upsert`; new products are built as `tanpuhui product upsert` builds them
(core.mall.shelf.new_product) but put 25 a transaction, so `make run` with 305 merchants starts as
fast as it did with 30 (README, "What brings citizens back")."""

import json
import os

from pynamodb.exceptions import PutError

DEMO_KEY = "mk_demo_{merchant_id}_local"


def demo_codes(product_id: str, n: int) -> list[str]:
    return [f"DEMO-{product_id.upper().replace('_', '')}-{i:04d}" for i in range(1, n + 1)]


def _create_new(specs) -> int:
    """The products not there yet, as `tanpuhui product upsert` would create them, but read with
    one BatchGetItem and put 25 a transaction (a fresh stack's start waits for this). Products
    already there are left alone: re-seeding never resets stock that orders have used. A chunk
    whose transaction is refused (a product created meanwhile) goes one by one through the upsert."""
    from pynamodb.exceptions import TransactWriteError
    from pynamodb.transactions import TransactWrite

    import models
    from core.mall import shelf
    from models.mall import Product
    from models.orders import Merchant

    there = {p.product_id for p in Product.batch_get([s.id for s in specs])}
    new = [s for s in specs if s.id not in there]
    names = {m.merchant_id: m.name for m in Merchant.batch_get({s.merchant_id for s in new})}
    created = 0
    for i in range(0, len(new), PRODUCTS_PER_TRANSACTION):
        chunk = new[i : i + PRODUCTS_PER_TRANSACTION]
        try:
            with TransactWrite(connection=models.connection()) as tx:
                for s in chunk:
                    tx.save(
                        shelf.new_product(s, names[s.merchant_id]),
                        condition=Product.product_id.does_not_exist(),
                    )
            created += len(chunk)
        except (KeyError, TransactWriteError):  # an unknown merchant, or a product there now
            created += sum(shelf.upsert(s)[0] == "created" for s in chunk)
    return created


PRODUCTS_PER_TRANSACTION = 25


def seed(settings) -> str:
    from core.mall import directory, shelf
    from core.mall.merchant_rules import parse_merchants
    from core.mall.merchants import add_merchant, issue_key
    from core.mall.product_rules import parse_products

    with open(os.path.join(os.path.dirname(__file__), "mall.json"), encoding="utf-8") as f:
        data = json.load(f)
    for m in data["merchants"]:
        try:
            add_merchant(m["name"], m["id"])
            if settings.stage not in ("dev", "prod"):
                issue_key(m["id"], DEMO_KEY.format(merchant_id=m["id"]))
        except PutError:
            pass
    with open(os.path.join(os.path.dirname(__file__), "merchants.json"), encoding="utf-8") as f:
        listed = sum(
            outcome != "unchanged"
            for outcome, _, _ in directory.upsert(parse_merchants(json.load(f)))
        )
    created = _create_new(parse_products(data["products"]))
    codes = 0
    for product_id, n in data["demo_codes_per_product"].items():
        codes += shelf.load_codes(settings, product_id, demo_codes(product_id, n))["loaded"]
    # The pattern, not a key: this summary goes to the stack's log, where no key may appear.
    return (
        f"{created} products created of {len(data['products'])}, {codes} activation codes loaded, "
        f"{listed} merchants listed in the directory; "
        "demo merchant keys " + DEMO_KEY.format(merchant_id="<merchant id>")
    )
