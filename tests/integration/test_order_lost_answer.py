"""Our own order's commit applied, its answer lost (the local endpoint's 'after applying' fault): the
SDK's retry finds the order's ledger entry, which only this request could have written (its order id
is random), so the answer is 201 and the Orders/CoinsSpent metrics are counted exactly once."""

import json

from core import settings as settings_mod
from core.books import checks
from core.mall.placing import place_order
from models import Account
from models.mall import Product
from models.orders import Order
from tests.support.faults import fail_write, faults
from tests.support.mall import give_coins, make_shop


def _metrics(out: str, name: str) -> list[dict]:
    lines = [json.loads(x) for x in out.splitlines() if x.startswith("{")]
    return [
        x
        for x in lines
        if any(
            m["Name"] == name
            for d in x.get("_aws", {}).get("CloudWatchMetrics", [])
            for m in d["Metrics"]
        )
    ]


def test_order__commit_applied_answer_lost__201_counted_once(endpoint_aws, capsys):
    s = settings_mod.use(endpoint_aws)
    shop = make_shop(stock=3, price=40)
    give_coins("u1", 100)
    capsys.readouterr()
    fail_write(
        s, 1, after_applying=True
    )  # the order's transaction commits, then its answer is a 500
    view, created = place_order(s, "u1", shop["product_id"], 1, None)
    assert faults(s)["failed"] == 1  # the fault did fire: the answer was lost
    assert created and view["status"] == "issued" and view["code"]
    out = capsys.readouterr().out
    assert [m["Orders"] for m in _metrics(out, "Orders")] == [1]
    assert [m["CoinsSpent"] for m in _metrics(out, "CoinsSpent")] == [40]
    assert Account.get("u1").balance == 60 and Product.get(shop["product_id"]).stock == 2
    assert [o.order_id for o in Order.scan()] == [view["id"]]
    assert checks.check_all() == []
