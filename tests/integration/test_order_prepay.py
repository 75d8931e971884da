"""A cash order's WeChat Pay prepay (against the simulator over real HTTP): made once per order, and
closed when the order does not commit, so WeChat Pay never holds a payable order that does not exist."""

from datetime import UTC, datetime

import pytest

from core.books.ledger import InsufficientCoins
from core.mall.placing import place_order
from gateways.wechatpay import WechatPayGateway
from infra.servers import ThreadedServer
from infra.sim_wechatpay import create
from models import User
from models.mall import Product
from models.orders import Order
from tests.support.concurrency import http
from tests.support.mall import give_coins, make_shop
from tests.support.stack import free_port


class Counted(WechatPayGateway):
    """The real gateway, keeping the out_trade_no of each prepay it asks for."""

    def __init__(self, settings):
        super().__init__(settings)
        self.prepaid: list[str] = []

    def jsapi_order(self, order_id, *args):
        self.prepaid.append(order_id)
        return super().jsapi_order(order_id, *args)


@pytest.fixture
def paying(aws):
    sim = ThreadedServer(create(aws), port=free_port()).start()
    yield Counted(aws.with_(wechatpay_api_base=sim.url + "/")), sim
    sim.stop()


def _cash_shop(coins: int):
    shop = make_shop(stock=3, price=coins)
    Product(shop["product_id"]).update(actions=[Product.price_fen.set(990)])
    User("u1", openid="oOPENID-u1", created_at=datetime.now(UTC)).save()
    return shop


def test_cash_order__committed__one_prepay_left_payable(aws, paying):
    pay, sim = paying
    shop = _cash_shop(10)
    give_coins("u1", 10)
    view, created = place_order(aws, "u1", shop["product_id"], 1, None, pay=pay)
    assert (
        created
        and view["status"] == "pending_payment"
        and view["payment"]["package"].startswith("prepay_id=")
    )
    assert (
        view["code"] is None and view["qr_svg"] is None and view["activation_code"] is None
    )  # unpaid: no code
    assert http("GET", f"{sim.url}/_sim/trades/{view['id']}").body["trade_state"] == "NOTPAY"
    assert Order.get(view["id"]).prepay_id == view["payment"]["package"].removeprefix("prepay_id=")
    assert pay.prepaid == [view["id"]]


def test_cash_order__not_committed__its_prepay_closed(aws, paying):
    pay, sim = paying
    shop = _cash_shop(10)
    give_coins("u1", 9)  # the prepay is made, then the debit is refused
    with pytest.raises(InsufficientCoins):
        place_order(aws, "u1", shop["product_id"], 1, None, pay=pay)
    assert list(Order.scan()) == [] and len(pay.prepaid) == 1
    assert http("GET", f"{sim.url}/_sim/trades/{pay.prepaid[0]}").body["trade_state"] == "CLOSED"
