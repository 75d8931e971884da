"""The merchant directory and the partners a citizen can link: Queries, never a Scan."""

import json

import pytest

from core.carbon import partner_admin
from core.mall import directory
from core.mall.merchant_rules import DISTRICTS, InvalidMerchants, parse_merchants


def _m(i, district="天河区", category="retail", **extra):
    return {
        "id": f"m_t{i:02d}",
        "name": f"店{i}",
        "category": category,
        "district": district,
        "address": f"{district}某路{i}号",
        **extra,
    }


def test_upsert__second_run_unchanged__move_leaves_one_row(aws):
    specs = parse_merchants([_m(1), _m(2, "海珠区", "tourism"), _m(3, "越秀区", "services")])
    assert [o for o, _, _ in directory.upsert(specs)] == ["created"] * 3
    assert [o for o, _, _ in directory.upsert(specs)] == ["unchanged"] * 3
    moved = parse_merchants([_m(1, "番禺区", "services")])
    assert directory.upsert(moved)[0][:2] == ("updated", "m_t01")
    assert directory.merchants(None, "天河区", 20, None)["items"] == []
    assert [m["id"] for m in directory.merchants(None, "番禺区", 20, None)["items"]] == ["m_t01"]
    assert len(directory.merchants(None, None, 20, None)["items"]) == 3


def test_merchants__filter_by_district_category_and_pages(aws, client):
    directory.upsert(
        parse_merchants(
            [
                _m(i, DISTRICTS[i % 3], ("retail", "services", "tourism")[i // 3 % 3])
                for i in range(12)
            ]
        )
    )
    r = client.get("/api/v1/merchants", query_string={"district": DISTRICTS[0], "limit": 2})
    assert r.status_code == 200 and len(r.json["items"]) == 2 and r.json["next_cursor"]
    assert {m["district"] for m in r.json["items"]} == {DISTRICTS[0]}
    assert set(r.json["items"][0]) == {"id", "name", "category", "district", "address", "products"}
    rest = client.get(
        "/api/v1/merchants",
        query_string={"district": DISTRICTS[0], "cursor": r.json["next_cursor"]},
    )
    assert len(r.json["items"]) + len(rest.json["items"]) == 4
    both = client.get(
        "/api/v1/merchants", query_string={"district": DISTRICTS[1], "category": "services"}
    ).json
    assert both["items"] and all(
        m["category"] == "services" and m["district"] == DISTRICTS[1] for m in both["items"]
    )
    only = client.get("/api/v1/merchants", query_string={"category": "tourism", "limit": 100}).json[
        "items"
    ]
    assert len(only) == 3 and all(m["category"] == "tourism" for m in only)
    other = client.get(
        "/api/v1/merchants",
        query_string={"district": DISTRICTS[2], "cursor": r.json["next_cursor"]},
    )
    assert other.status_code == 422  # another list's cursor
    assert (
        client.get("/api/v1/merchants", query_string={"district": "北京"}).json["error"]["code"]
        == "invalid_request"
    )


def test_merchants__empty_filters_as_api_md_spells_them__every_merchant(aws, client):
    """API.md: `GET /api/v1/merchants?category=&district=`: a filter left empty filters nothing
    (as `GET /api/v1/products?category=`)."""
    directory.upsert(parse_merchants([_m(1), _m(2, "海珠区", "tourism")]))
    for q in ("?category=&district=", "?category=", "?district=", "?category=&district=海珠区"):
        r = client.get("/api/v1/merchants" + q)
        assert r.status_code == 200, (q, r.json)
    assert len(client.get("/api/v1/merchants?category=&district=").json["items"]) == 2
    only = client.get("/api/v1/merchants?category=&district=海珠区").json["items"]
    assert [m["id"] for m in only] == ["m_t02"]
    tourism = client.get("/api/v1/merchants?category=tourism&district=").json["items"]
    assert [m["id"] for m in tourism] == ["m_t02"]


def test_merchants__product_counts(aws, client):
    from core.mall import shelf
    from core.mall.product_rules import parse_products

    directory.upsert(parse_merchants([_m(1)]))
    shelf.upsert(
        parse_products(
            [
                {
                    "id": "p_t1",
                    "name": "券",
                    "category": "food",
                    "merchant_id": "m_t01",
                    "price_coins": 10,
                    "stock": 5,
                    "per_user_limit": 1,
                    "valid_days": 30,
                    "description": "一张券",
                }
            ]
        )[0]
    )
    assert client.get("/api/v1/merchants").json["items"][0]["products"] == 1
    assert shelf.retire("p_t1")  # off sale: API.md counts the products on sale only
    assert client.get("/api/v1/merchants").json["items"][0]["products"] == 0


@pytest.mark.parametrize(
    "bad, problem",
    [
        ({"district": "深圳市"}, "district"),
        ({"category": "food"}, "category"),
        ({"name": ""}, "name"),
        ({"address": "x" * 81}, "address"),
        ({"id": "shop1"}, "id"),
    ],
)
def test_parse__each_problem_named__nothing_written(bad, problem):
    with pytest.raises(InvalidMerchants) as e:
        parse_merchants([_m(1), {**_m(2), **bad}])
    assert any(problem in p for p in e.value.problems)


def test_partners__listed_with_scenarios_after_onboarding_and_scope(aws, client):
    pid, _ = partner_admin.add_partner(aws, "单车", scenarios={"bike"})
    partner_admin.set_scope(pid, {"bike", "walk"}, None)
    assert client.get("/api/v1/partners").json == {
        "items": [{"id": pid, "name": "单车", "scenarios": ["bike", "walk"]}],
        "next_cursor": None,
    }


def test_partners__paged_as_every_list(aws, client):
    """API.md Conventions, Lists: `?limit=` (1..100, default 20), `?cursor=`, `next_cursor`."""
    ids = {partner_admin.add_partner(aws, f"合作方{i}", scenarios={"bike"})[0] for i in range(23)}
    first = client.get("/api/v1/partners").json
    assert len(first["items"]) == 20 and first["next_cursor"]
    rest = client.get("/api/v1/partners", query_string={"cursor": first["next_cursor"]}).json
    assert len(rest["items"]) == 3 and rest["next_cursor"] is None
    assert {p["id"] for p in first["items"] + rest["items"]} == ids
    small = client.get("/api/v1/partners", query_string={"limit": 2}).json
    assert [p["id"] for p in small["items"]] == [p["id"] for p in first["items"][:2]]
    for bad in ({"limit": 0}, {"limit": 101}, {"cursor": "abc"}):
        r = client.get("/api/v1/partners", query_string=bad)
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", bad
    directory.upsert(parse_merchants([_m(1), _m(2)]))
    merchant_cursor = client.get("/api/v1/merchants", query_string={"limit": 1}).json["next_cursor"]
    r = client.get("/api/v1/partners", query_string={"cursor": merchant_cursor})
    assert r.status_code == 422  # another list's cursor


def test_seed_file__305_merchants_in_11_districts_3_categories():
    from pathlib import Path

    specs = parse_merchants(
        json.loads(Path("infra/seeds/merchants.json").read_text(encoding="utf-8"))
    )
    assert len(specs) >= 300 and {s.district for s in specs} == set(DISTRICTS)
    assert {s.category for s in specs} == {"retail", "services", "tourism"}
