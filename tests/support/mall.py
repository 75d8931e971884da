"""Shop fixtures: a merchant with a key, a product, coins on an account."""

from core.books import ledger
from core.mall.merchants import add_merchant, issue_key
from models.mall import Product


def make_shop(stock=10, price=10, limit=5, valid_days=7, merchant_name="测试咖啡"):
    mid = add_merchant(merchant_name)
    _, key = issue_key(mid)
    pid = f"p_{mid}"
    Product(
        pid,
        name="美式咖啡",
        category="coffee",
        price_coins=price,
        stock=stock,
        per_user_limit=limit,
        valid_days=valid_days,
        merchant_id=mid,
        merchant_name=merchant_name,
        listed="on_sale",
    ).save()
    return {
        "merchant_id": mid,
        "key": key,
        "product_id": pid,
        "auth": {"Authorization": f"Bearer {key}"},
    }


def give_coins(user_id, amount, why="test"):
    """Coins straight into the ledger (an ops adjustment), for tests that are not about earning them."""
    import uuid

    ledger.post(
        ledger.Movement(
            user_id,
            f"adjust#{uuid.uuid4().hex}",
            amount,
            "adjustment",
            ref=why,
            totals={"earned_total": amount},
        )
    )
