"""Merchants as they run the shop: several named staff keys (listed, revoked), today's redemptions
with coins, cash and totals, and the reconciliation export carrying the same figures."""

from core import localday
from tests.integration.test_redemption import order_for
from tests.support.cli import run_cli
from tests.support.mall import make_shop


def test_keys__named_listed_and_revoked_one_by_one(aws, capsys):
    shop = make_shop()
    code, out = run_cli(capsys, "merchant", "key", shop["merchant_id"], "--name", "前台1号收银")
    assert code == 0
    key_id = out.splitlines()[0].split("=", 1)[1]
    run_cli(capsys, "merchant", "key", shop["merchant_id"], "--name", "外卖窗口")
    code, out = run_cli(capsys, "merchant", "keys", shop["merchant_id"])
    lines = out.splitlines()
    assert (
        code == 0 and len(lines) == 3 and "mk_" not in out
    )  # the shop's first key and two named ones
    assert any(
        line.startswith(key_id) and "前台1号收银" in line and line.endswith("active")
        for line in lines
    )
    assert run_cli(capsys, "merchant", "revoke-key", key_id)[0] == 0
    out = run_cli(capsys, "merchant", "keys", shop["merchant_id"])[1]
    assert sum("revoked" in line for line in out.splitlines()) == 1
    assert (
        "+08:00" in out and "+00:00" not in out and "Z\t" not in out
    )  # issued/revoked at local time


def test_todays_list__lines_with_coins_and_totals(client, citizen, aws):
    TODAY = localday.today()  # read when the test runs: a run may cross local midnight
    shop = make_shop(price=30)
    for _ in range(2):
        order = order_for(client, citizen, shop)
        assert (
            client.post(
                "/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"]
            ).status_code
            == 200
        )
    r = client.get(f"/merchant/v1/redemptions?date={TODAY}", headers=shop["auth"])
    assert r.status_code == 200
    assert [(i["coins"], i["cash_fen"]) for i in r.json["items"]] == [(30, 0), (30, 0)]
    assert r.json["totals"] == {"count": 2, "quantity": 2, "coins": 60, "cash_fen": 0}
    assert all(i["redeemed_at"].endswith("+08:00") for i in r.json["items"])
    plain = client.get("/merchant/v1/redemptions", headers=shop["auth"])  # no ?date: today (API.md)
    assert plain.status_code == 200 and plain.json == r.json


def test_export__per_line_and_total(client, citizen, aws, capsys):
    TODAY = localday.today()
    shop = make_shop(price=25)
    order = order_for(client, citizen, shop)
    client.post("/merchant/v1/redemptions", json={"code": order["code"]}, headers=shop["auth"])
    code, out = run_cli(
        capsys,
        "export",
        "redemptions",
        "--merchant",
        shop["merchant_id"],
        "--from",
        TODAY,
        "--to",
        TODAY,
    )
    rows = out.splitlines()
    assert (
        code == 0
        and rows[0] == "date,order_id,product_id,product_name,quantity,coins,cash_yuan,redeemed_at"
    )
    assert rows[1].startswith(f"{TODAY},{order['id']},") and ",1,25,0.00," in rows[1]
    assert rows[-1] == "total,,,,1,25,0.00,"
