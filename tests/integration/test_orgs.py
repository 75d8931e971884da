"""Organisations: projects owned by linked citizens, readings certified with overlap checks."""

import pytest

from core import localday
from core.enterprise import orgs


def day(n: int) -> str:
    return localday.add_days(localday.today(), -n)  # the local day, read when the test runs


@pytest.fixture
def org(aws, client):
    org_id, key = orgs.add_org("阳光光伏", ["pv", "afforestation"], by="ops-test")
    return {"id": org_id, "auth": {"Authorization": f"Bearer {key}"}}


def owner_code(client, citizen, org_id):
    r = client.post("/api/v1/partner-links", json={"partner_id": org_id}, headers=citizen)
    assert r.status_code == 201, r.json
    return r.json["link_code"]


def readings(client, org, *rows):
    body = {
        "readings": [
            {"reading_id": rid, "project_id": p, "period_start": s, "period_end": e, "quantity": q}
            for rid, p, s, e, q in rows
        ]
    }
    return client.post("/org/v1/readings", json=body, headers=org["auth"])


def test_project__citizen_owned__listed_in_the_citizens_links(client, citizen, org):
    r = client.post(
        "/org/v1/projects",
        json={
            "project_id": "roof-1",
            "type": "pv",
            "capacity": "5 kWp",
            "owner_link_code": owner_code(client, citizen, org["id"]),
        },
        headers=org["auth"],
    )
    assert r.status_code == 201 and r.json["owned_by_citizen"] is True, r.json
    assert orgs.owner_of(org["id"], "roof-1") == citizen["user"]["id"]
    links = client.get("/api/v1/partner-links", headers=citizen).json["items"]
    assert [(i["partner_id"], i["partner_name"]) for i in links] == [(org["id"], "阳光光伏")]
    again = client.post(
        "/org/v1/projects", json={"project_id": "roof-1", "type": "pv"}, headers=org["auth"]
    )
    assert again.status_code == 409 and again.json["error"]["code"] == "project_exists"


def test_project__bad_code_or_type__nothing_registered(client, org):
    r = client.post(
        "/org/v1/projects",
        json={"project_id": "roof-2", "type": "pv", "owner_link_code": "NOPE"},
        headers=org["auth"],
    )
    assert r.status_code == 422 and r.json["error"]["code"] == "link_code_invalid"
    assert orgs.get_project(org["id"], "roof-2") is None
    r = client.post(
        "/org/v1/projects", json={"project_id": "hp-1", "type": "heat_pump"}, headers=org["auth"]
    )
    assert r.status_code == 403 and r.json["error"]["code"] == "type_not_allowed"
    assert (
        client.post("/org/v1/projects", json={"project_id": "x", "type": "pv"}).status_code == 401
    )


def test_readings__certified_overlaps_and_bounds_rejected(client, org):
    client.post(
        "/org/v1/projects", json={"project_id": "roof-3", "type": "pv"}, headers=org["auth"]
    )
    r = readings(
        client,
        org,
        ("m1", "roof-3", day(40), day(31), 300),
        ("m2", "roof-3", day(35), day(20), 10),
        ("m3", "roof-3", day(30), day(21), 250.5),
        ("m4", "roof-3", day(5), day(-1), 10),
        ("m5", "roof-3", day(10), day(10), 999999),
        ("m6", "nope", day(9), day(9), 1),
        ("m7", "roof-3", day(3), day(4), 1),
    )
    assert r.status_code == 200 and r.json["accepted"] == 2, r.json
    assert {x["reading_id"]: x["reason"] for x in r.json["rejected"]} == {
        "m2": "overlap",
        "m4": "in_future",
        "m5": "bad_quantity",
        "m6": "unknown_project",
        "m7": "bad_period",
    }
    assert readings(client, org, ("m1", "roof-3", day(40), day(31), 300)).json["duplicates"] == 1
    red = client.get(f"/org/v1/reductions?from={day(60)}&to={day(0)}", headers=org["auth"]).json
    # 300 kWh x 386.9 g and 250.5 kWh x 386.9 g, floored per reading, under project_pv v1
    assert red == {
        "items": [
            {
                "project_id": "roof-3",
                "methodology": "project_pv",
                "version": "1",
                "grams": 116070 + 96918,
                "readings": 2,
            }
        ],
        "total_grams": 212988,
    }


def test_afforestation__trees_times_days_over_a_year(aws):
    from core.carbon.methodologies import Registry
    from core.enterprise import certify

    c = certify.certify(
        "afforestation", "2025-01-01", "2025-12-31", certify.Decimal(100), Registry()
    )
    assert (c.methodology, c.grams) == (
        "project_afforestation",
        600000,
    )  # 100 trees x 6 kg x 365/365


def test_openapi__org_api_and_objects_documented(client):
    doc = client.get("/openapi.json").json
    for path in (
        "/org/v1/projects",
        "/org/v1/readings",
        "/org/v1/reductions",
        "/org/v1/batches",
        "/partner/v1/links",
        "/api/v1/partner-links",
    ):
        assert any(p.startswith(path) for p in doc["paths"]), path
    assert {"ProjectIn", "ReadingsIn", "BatchList", "LinkIn", "PartnerLinkList"} <= set(
        doc["components"]["schemas"]
    )


@pytest.mark.parametrize(
    "field,value,reason",
    [
        ("quantity", 10**400, "bad_quantity"),
        ("quantity", -5, "bad_quantity"),
        ("quantity", "lots", "bad_quantity"),
        ("period_end", "2026-02-30", "bad_period"),
        ("reading_id", "a b", "invalid_reading"),
    ],
)
def test_readings__one_bad_of_eight__seven_accepted_one_rejected(client, org, field, value, reason):
    client.post(
        "/org/v1/projects", json={"project_id": "roof-8", "type": "pv"}, headers=org["auth"]
    )
    rows = [
        {
            "reading_id": f"e{i}",
            "project_id": "roof-8",
            "period_start": day(60 - 2 * i),
            "period_end": day(60 - 2 * i),
            "quantity": 10,
        }
        for i in range(8)
    ]
    rows[3][field] = value
    r = client.post("/org/v1/readings", json={"readings": rows}, headers=org["auth"])
    assert r.status_code == 200, r.json
    assert r.json["accepted"] == 7 and r.json["duplicates"] == 0, r.json
    assert r.json["rejected"] == [
        {"reading_id": "e3" if field != "reading_id" else "a b", "reason": reason}
    ]
