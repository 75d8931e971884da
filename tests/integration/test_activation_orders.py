"""Activation codes as a citizen meets them: a coins-only order is created `issued` and its 201 (and a
replay) carries no code; it can be cancelled (coins, stock and the pool code back) until its owner
views the code with GET /api/v1/orders/{id}; that first view delivers it (`redeemed`) and from then
cancelling is 409 order_not_cancellable. Lists never show a code; account deletion refunds an unviewed one.
(The cash path, pending_payment → paid → viewed, is over real HTTP in tests/e2e/test_mall_e2e.py.)"""

import json

import pytest

from core.books import checks
from models import Account
from models.activation_codes import ActivationCode
from models.mall import Product
from tests.support.cli import run_cli
from tests.support.mall import give_coins

VIP = "p_act_vip"
CODES = ["ACT-0001", "ACT-0002", "ACT-0003"]


@pytest.fixture
def vip(aws, capsys, tmp_path):
    from core.mall.merchants import add_merchant

    add_merchant("测试会员商户", "m_act")
    spec = {
        "id": VIP,
        "name": "视频会员 7天",
        "category": "membership",
        "merchant_id": "m_act",
        "price_coins": 30,
        "per_user_limit": 2,
        "valid_days": 30,
        "fulfilment": "activation_code",
        "description": "激活码",
    }
    (tmp_path / "p.json").write_text(json.dumps([spec], ensure_ascii=False), encoding="utf-8")
    (tmp_path / "codes.txt").write_text("\n".join(CODES) + "\n", encoding="utf-8")
    assert run_cli(capsys, "product", "upsert", str(tmp_path / "p.json"))[0] == 0
    assert run_cli(capsys, "product", "codes", VIP, str(tmp_path / "codes.txt")) == (
        0,
        "loaded=3\n",
    )
    return VIP


def _h(citizen, key=None):
    return {"Authorization": citizen["Authorization"], **({"Idempotency-Key": key} if key else {})}


def _free_codes() -> int:
    return sum(1 for c in ActivationCode.query(VIP) if c.free_since and not c.order_id)


def _buy(client, citizen, key=None):
    return client.post("/api/v1/orders", json={"product_id": VIP}, headers=_h(citizen, key))


def test_coins_only__201_without_code__cancel_gives_coins_stock_and_code_back(
    aws, client, citizen, vip
):
    user_id = citizen["user"]["id"]
    give_coins(user_id, 100)
    r = _buy(client, citizen, key="k-act-1")
    assert r.status_code == 201, r.json
    assert (r.json["status"], r.json["activation_code"], r.json["code_shown"]) == (
        "issued",
        None,
        False,
    )
    assert r.json["code"] is None and r.json["redeemed_at"] is None
    assert (Account.get(user_id).balance, Product.get(VIP).stock, _free_codes()) == (70, 2, 2)
    replay = _buy(
        client, citizen, key="k-act-1"
    )  # a retry of the same click: the same order, no code
    assert (replay.status_code, replay.json["id"], replay.json["activation_code"]) == (
        200,
        r.json["id"],
        None,
    )
    listed = client.get("/api/v1/orders", headers=_h(citizen)).json["items"]
    assert [(o["id"], o["activation_code"]) for o in listed] == [(r.json["id"], None)]

    cancelled = client.post(f"/api/v1/orders/{r.json['id']}/cancel", headers=_h(citizen))
    assert cancelled.status_code == 200, cancelled.json
    assert (cancelled.json["status"], cancelled.json["activation_code"]) == ("cancelled", None)
    assert (Account.get(user_id).balance, Product.get(VIP).stock, _free_codes()) == (100, 3, 3)
    assert client.get("/api/v1/coins", headers=_h(citizen)).json["balance"] == 100
    assert client.get(f"/api/v1/products/{VIP}").json["stock"] == 3
    # Nothing revealed on the way: the cancelled order's own view shows no code either.
    after = client.get(f"/api/v1/orders/{r.json['id']}", headers=_h(citizen)).json
    assert (after["status"], after["activation_code"], after["code_shown"]) == (
        "cancelled",
        None,
        False,
    )
    assert checks.check_all() == []


def test_coins_only__get_reveals_once_delivered__cancel_409_code_shown(
    aws, client, citizen, login, vip
):
    user_id = citizen["user"]["id"]
    give_coins(user_id, 100)
    order = _buy(client, citizen).json
    other_token, _ = login("not-the-owner")
    stranger = client.get(
        f"/api/v1/orders/{order['id']}", headers={"Authorization": f"Bearer {other_token}"}
    )
    assert stranger.status_code == 404  # someone else's order does not exist for you

    shown = client.get(f"/api/v1/orders/{order['id']}", headers=_h(citizen))
    assert shown.status_code == 200
    assert shown.json["activation_code"] in CODES
    assert (shown.json["status"], shown.json["code_shown"]) == ("redeemed", True)
    assert shown.json["redeemed_at"].endswith("+08:00")
    again = client.get(f"/api/v1/orders/{order['id']}", headers=_h(citizen)).json
    assert again["activation_code"] == shown.json["activation_code"]
    listed = client.get("/api/v1/orders", headers=_h(citizen)).json["items"]
    assert [(o["status"], o["activation_code"]) for o in listed] == [("redeemed", None)]

    r = client.post(f"/api/v1/orders/{order['id']}/cancel", headers=_h(citizen))
    assert (r.status_code, r.json["error"]["code"]) == (409, "order_not_cancellable")
    assert "激活码已查看" in r.json["error"]["message"]
    assert (Account.get(user_id).balance, Product.get(VIP).stock, _free_codes()) == (70, 2, 2)
    assert checks.check_all() == []


def test_refund_note__says_what_happens(aws, client, vip):
    note = client.get(f"/api/v1/products/{VIP}").json["refund_note"]
    assert "查看前可取消" in note and "一经查看" in note


def test_account_deleted__unviewed_code_refunded_and_back_in_the_pool(aws, client, login, vip):
    token, user = login("leaving")
    h = {"Authorization": f"Bearer {token}"}
    give_coins(user["id"], 100)
    kept = _buy(client, {"Authorization": h["Authorization"]}).json  # unviewed: refunded
    seen = _buy(client, {"Authorization": h["Authorization"]}).json
    assert client.get(f"/api/v1/orders/{seen['id']}", headers=h).json["activation_code"] in CODES
    assert (Product.get(VIP).stock, _free_codes()) == (1, 1)
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    # The viewed code stays delivered; the unviewed one went back, its coins refunded then forfeited.
    assert (Product.get(VIP).stock, _free_codes()) == (2, 2)
    assert [c.order_id for c in ActivationCode.query(VIP) if c.order_id] == [seen["id"]]
    from models import LedgerEntry

    amounts = {e.entry_id: e.amount for e in LedgerEntry.query(user["id"])}
    assert amounts[f"refund#{kept['id']}"] == 30 and f"refund#{seen['id']}" not in amounts
    assert amounts["forfeit#account_deleted"] == -70  # 100 - 2 × 30 + 30 refunded
    assert checks.check_account(user["id"]) == []
