"""Ops keep the catalogue with the CLI: upsert (validated, idempotent, says what changed), retire,
activation code pools; the catalogue read is a Query on the on-sale index, never a Scan."""

import json

import pytest

from tests.support.cli import run_cli

PRODUCT = {
    "id": "p_adm_1",
    "name": "地铁乘车券",
    "category": "transit",
    "merchant_id": "m_adm",
    "price_coins": 50,
    "per_user_limit": 2,
    "valid_days": 30,
    "description": "进站刷码抵扣",
    "stock": 10,
    "image_url": "https://img.example.com/p.jpg",
}
MEMBERSHIP = {
    "id": "p_adm_vip",
    "name": "视频会员 7天",
    "category": "membership",
    "merchant_id": "m_adm",
    "price_coins": 100,
    "price_fen": 990,
    "per_user_limit": 1,
    "valid_days": 30,
    "fulfilment": "activation_code",
    "description": "激活码",
}


@pytest.fixture
def shop(aws):
    from core.mall.merchants import add_merchant

    add_merchant("测试商户", "m_adm")
    return aws


def write(tmp_path, data, name="p.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_upsert__creates_then_changes_nothing_then_reports_changes(shop, client, capsys, tmp_path):
    code, out = run_cli(capsys, "product", "upsert", write(tmp_path, [PRODUCT]))
    assert code == 0 and out.startswith("created p_adm_1:")
    assert client.get("/api/v1/products/p_adm_1").json["stock"] == 10
    code, out = run_cli(capsys, "product", "upsert", write(tmp_path, [PRODUCT]))
    assert (code, out) == (0, "")  # nothing changed, nothing printed but the summary (stderr)
    code, out = run_cli(
        capsys, "product", "upsert", write(tmp_path, [PRODUCT | {"price_coins": 60, "stock": 15}])
    )
    assert code == 0 and out.strip() == "updated p_adm_1: price_coins 50 -> 60, stock 10 -> 15"
    listed = client.get("/api/v1/products?limit=100").json["items"]
    assert [p["id"] for p in listed] == ["p_adm_1"] and listed[0]["price_coins"] == 60


def test_upsert__any_bad_product__writes_nothing(shop, client, capsys, tmp_path):
    bad = [
        PRODUCT,
        PRODUCT | {"id": "p_adm_2", "price_coins": -1},
        PRODUCT | {"id": "p_adm_3", "merchant_id": "m_x"},
    ]
    assert run_cli(capsys, "product", "upsert", write(tmp_path, bad))[0] == 1
    assert client.get("/api/v1/products/p_adm_1").status_code == 404
    code, _ = run_cli(
        capsys, "product", "upsert", write(tmp_path, [PRODUCT | {"merchant_id": "m_nobody"}])
    )
    assert code == 1 and client.get("/api/v1/products/p_adm_1").status_code == 404


def test_retire__leaves_the_catalogue_but_stays_readable(shop, client, capsys, tmp_path):
    run_cli(capsys, "product", "upsert", write(tmp_path, [PRODUCT, PRODUCT | {"id": "p_adm_2"}]))
    assert run_cli(capsys, "product", "retire", "p_adm_1")[0] == 0
    assert [p["id"] for p in client.get("/api/v1/products").json["items"]] == ["p_adm_2"]
    assert [p["id"] for p in client.get("/api/v1/products?category=transit").json["items"]] == [
        "p_adm_2"
    ]
    assert client.get("/api/v1/products/p_adm_1").json["on_sale"] is False
    assert run_cli(capsys, "product", "retire", "p_nope")[0] == 1


def test_codes__stock_is_codes_left_and_a_reload_adds_nothing(shop, client, capsys, tmp_path):
    from models.activation_codes import ActivationCode

    run_cli(capsys, "product", "upsert", write(tmp_path, [MEMBERSHIP]))
    codes = tmp_path / "codes.txt"
    codes.write_text("VIP-0001\nVIP-0002\n\nVIP-0003\n", encoding="utf-8")
    code, out = run_cli(capsys, "product", "codes", "p_adm_vip", str(codes))
    assert (code, out.strip()) == (0, "loaded=3")
    code, out = run_cli(capsys, "product", "codes", "p_adm_vip", str(codes))
    assert (code, out.strip()) == (0, "loaded=0")
    product = client.get("/api/v1/products/p_adm_vip").json
    assert (product["stock"], product["fulfilment"], product["price_fen"]) == (
        3,
        "activation_code",
        990,
    )
    assert "不可" in product["refund_note"]
    stored = [c.sealed for c in ActivationCode.query("p_adm_vip")]
    assert len(stored) == 3 and not any("VIP-000" in s for s in stored)  # sealed at rest
    assert run_cli(capsys, "product", "codes", "p_adm_1", str(codes))[0] == 1  # no such product


def test_upsert__stock_of_an_activation_code_product__refused(shop, capsys, tmp_path):
    code, _ = run_cli(capsys, "product", "upsert", write(tmp_path, [MEMBERSHIP | {"stock": 5}]))
    assert code == 1


def test_demo_seed__is_a_real_catalogue(aws, client):
    from infra.seed import seed_demo

    seed_demo(aws)
    items, cursor = [], None
    while True:
        page = client.get(
            "/api/v1/products?limit=100" + (f"&cursor={cursor}" if cursor else "")
        ).json
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(items) >= 70 and len({p["merchant_id"] for p in items}) >= 20
    assert {"transit", "travel", "membership", "food", "daily"} <= {p["category"] for p in items}
    assert all(p["description"] for p in items)
    vip = [p for p in items if p["fulfilment"] == "activation_code"]
    assert vip and all(p["stock"] == 20 for p in vip)
    assert any(p["price_fen"] > 0 for p in items)
