"""The demo mall (infra/seeds/mall.json): a few dozen products of Guangzhou merchants,
each merchant with a local-only staff key so the merchant page can be tried at once."""
import json
import os

from pynamodb.exceptions import PutError

DEMO_KEY = "mk_demo_{merchant_id}_local"


def seed(settings) -> str:
    from core.mall.redemption import add_merchant, issue_key
    from models.mall import Product

    with open(os.path.join(os.path.dirname(__file__), "mall.json"), encoding="utf-8") as f:
        data = json.load(f)
    created = 0
    for m in data["merchants"]:
        try:
            add_merchant(m["name"], m["id"])
            if settings.stage not in ("dev", "prod"):
                issue_key(m["id"], DEMO_KEY.format(merchant_id=m["id"]))
        except PutError:
            pass
    for p in data["products"]:
        try:
            # Re-seeding never resets stock that orders have used.
            Product(p["id"], name=p["name"], category=p["category"], price_coins=p["price_coins"], stock=p["stock"],
                    per_user_limit=p["per_user_limit"], valid_days=p["valid_days"], merchant_id=p["merchant_id"],
                    merchant_name=p["merchant_name"]).save(condition=Product.product_id.does_not_exist())
            created += 1
        except PutError:
            pass
    # The pattern, not a key: this summary goes to the stack's log, where no key may appear.
    return f"{created} products created of {len(data['products'])}; demo merchant keys " \
           + DEMO_KEY.format(merchant_id="<merchant id>")
