"""The demo mall (infra/seeds/mall.json): 70+ products of 30 Guangzhou merchants across transit,
travel, memberships, food and daily goods, some coins plus cash, some delivered as activation codes
(a pool of demo codes each); each merchant with a local-only staff key so the merchant page can be
tried at once. The directory (infra/seeds/merchants.json): those 30 and 275 more merchants, retail,
services and tourism across Guangzhou's 11 districts. Loaded through the same paths as `tanpuhui
product upsert` / `product codes` / `merchant upsert`."""

import json
import os

from pynamodb.exceptions import PutError

DEMO_KEY = "mk_demo_{merchant_id}_local"


def demo_codes(product_id: str, n: int) -> list[str]:
    return [f"DEMO-{product_id.upper().replace('_', '')}-{i:04d}" for i in range(1, n + 1)]


def seed(settings) -> str:
    from core.mall import directory, shelf
    from core.mall.merchant_rules import parse_merchants
    from core.mall.merchants import add_merchant, issue_key
    from core.mall.product_rules import parse_products
    from models.mall import Product

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
    created = codes = 0
    for spec in parse_products(data["products"]):
        try:
            Product.get(spec.id)
            continue  # re-seeding never resets stock that orders have used
        except Product.DoesNotExist:
            created += shelf.upsert(spec)[0] == "created"
    for product_id, n in data["demo_codes_per_product"].items():
        codes += shelf.load_codes(settings, product_id, demo_codes(product_id, n))["loaded"]
    # The pattern, not a key: this summary goes to the stack's log, where no key may appear.
    return (
        f"{created} products created of {len(data['products'])}, {codes} activation codes loaded, "
        f"{listed} merchants listed in the directory; "
        "demo merchant keys " + DEMO_KEY.format(merchant_id="<merchant id>")
    )
