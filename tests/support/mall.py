"""Shop fixtures: a merchant with a key, a product, coins on an account, an order waiting for payment."""

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


def pending_cash_order(order_id: str, cash_fen: int) -> None:
    """A cash order waiting for WeChat Pay (15 minutes to pay), for tests of its notification."""
    from datetime import UTC, datetime, timedelta

    from models.orders import Order

    now = datetime.now(UTC)
    Order(
        order_id,
        user_id="u_payer",
        product_id="p1",
        product_name="电影券",
        merchant_id="m1",
        quantity=1,
        coins=0,
        cash_fen=cash_fen,
        status="pending_payment",
        created_at=now.isoformat(),
        expires_at=(now + timedelta(minutes=15)).isoformat(),
    ).save()
