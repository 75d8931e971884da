"""What citizens and organisations see of PHCER: a citizen's batches, sale and coins (one Query, no
Scan), the projects they own; an org's projects with certified grams and a batch's detail."""

import pytest

from core.enterprise import feedback, orgs, phcer
from core.enterprise.phcer_sale import record_sale
from tests.integration.test_orgs import day, owner_code, readings
from tests.integration.test_phcer_batches import confirmation


@pytest.fixture
def org(aws, client):
    org_id, key = orgs.add_org("骑光科技", ["pv", "cycling"], by="ops-test")
    return {"id": org_id, "auth": {"Authorization": f"Bearer {key}"}}


def test_citizen_sees_their_batch_sale_and_coins_only(client, login, org):
    people = []
    for pid, kind, q in (("roof-1", "pv", 2000), ("bikes-1", "cycling", 6000)):
        token, user = login()
        auth = {"Authorization": f"Bearer {token}"}
        body = {
            "project_id": pid,
            "type": kind,
            "owner_link_code": owner_code(client, auth, org["id"]),
        }
        assert client.post("/org/v1/projects", json=body, headers=org["auth"]).status_code == 201
        assert readings(client, org, (f"{pid}-m1", pid, day(30), day(1), q)).json["accepted"] == 1
        people.append(auth)
    assert client.get("/api/v1/phcer", headers=people[0]).json == {"items": [], "next_cursor": None}
    b = phcer.make_batch(org["id"], day(60), day(0), by="ops")
    mine = client.get("/api/v1/phcer", headers=people[0]).json["items"]
    assert mine == [
        {
            "batch_id": b.batch_id,
            "org_name": "骑光科技",
            "period_from": day(60),
            "period_to": day(0),
            "status": "sealed",
            "my_grams": 773800,
            "batch_tonnes": "1.331800",
            "sale": None,
            "my_feedback_coins": None,
        }
    ]
    record_sale(b.batch_id, confirmation(tonnes="1.2"), by="ops")
    feedback.feedback(b.batch_id, by="ops")
    got = [client.get("/api/v1/phcer", headers=p).json["items"][0] for p in people]
    assert [(x["status"], x["my_grams"], x["my_feedback_coins"]) for x in got] == [
        ("fed_back", 773800, 200),
        ("fed_back", 558000, 145),
    ]  # 345 x 773800 / 1331800 = 200.4..., 144.5...
    assert got[0]["sale"] == {
        "trade_date": day(0),
        "price_yuan_per_tonne": "60.00",
        "net_yuan": "69.00",
    }
    ledger = client.get("/api/v1/coins/ledger", headers=people[0]).json["items"]
    assert [(e["kind"], e["amount"], e["detail"]["batch_id"]) for e in ledger] == [
        ("phcer_feedback", 200, b.batch_id)
    ]
    projects = client.get("/api/v1/phcer/projects", headers=people[1]).json["items"]
    assert [(p["project_id"], p["org_name"], p["certified_grams"]) for p in projects] == [
        ("bikes-1", "骑光科技", 558000)
    ]
    assert [(r["reading_id"], r["grams"], r["batch_id"]) for r in projects[0]["readings"]] == [
        ("bikes-1-m1", 558000, b.batch_id)
    ]
    bad = client.get(
        "/api/v1/phcer?cursor=eyJ1c2VyX2lkIjogIngiLCAiYmF0Y2hfaWQiOiAieSJ9", headers=people[0]
    )
    assert bad.status_code == 422  # another user's start key is never paged
    assert client.get("/api/v1/phcer").status_code == 401


def test_org_lists_projects_with_grams_and_sees_its_batch_only(client, citizen, org):
    body = {
        "project_id": "roof-9",
        "type": "pv",
        "capacity": "5 kWp",
        "owner_link_code": owner_code(client, citizen, org["id"]),
    }
    assert client.post("/org/v1/projects", json=body, headers=org["auth"]).status_code == 201
    assert (
        client.post(
            "/org/v1/projects",
            json={"project_id": "bikes-9", "type": "cycling"},
            headers=org["auth"],
        ).status_code
        == 201
    )
    readings(
        client, org, ("a", "roof-9", day(40), day(31), 100), ("b", "roof-9", day(30), day(21), 100)
    )
    listed = client.get("/org/v1/projects", headers=org["auth"]).json
    assert [
        (p["project_id"], p["owner_linked"], p["certified_grams"]) for p in listed["items"]
    ] == [("bikes-9", False, 0), ("roof-9", True, 77380)]
    b = phcer.make_batch(org["id"], day(60), day(0), by="ops")
    record_sale(b.batch_id, confirmation(tonnes="0.07738", price="50.00", fees="0.50"), by="ops")
    feedback.feedback(b.batch_id, by="ops")
    detail = client.get(f"/org/v1/batches/{b.batch_id}", headers=org["auth"]).json
    assert (
        detail["sale"]["net_yuan"] == "3.37" and detail["tonnes"] == "0.077380"
    )  # 0.07738 x 50 = 3.869 -> 3.87
    assert detail["feedback"] == {
        "coins": 16,
        "citizens": 1,
        "share": "0.5",
        "coins_per_yuan": "10",
        "policy_from": "0001-01-01",
        "returned_yuan": "1.60",
        "kept_yuan": "1.77",
    }
    other_id, other_key = orgs.add_org("别家", ["pv"], by="ops-test")
    r = client.get(
        f"/org/v1/batches/{b.batch_id}", headers={"Authorization": f"Bearer {other_key}"}
    )
    assert r.status_code == 404 and r.json["error"]["code"] == "not_found"


def test_openapi__phcer_operations_documented_in_chinese(client):
    paths = client.get("/openapi.json").json["paths"]
    ops = [
        paths["/api/v1/phcer"]["get"],
        paths["/api/v1/phcer/projects"]["get"],
        paths["/org/v1/projects"]["get"],
        paths["/org/v1/batches/{batch_id}"]["get"],
        paths["/org/v1/batches"]["get"],
    ]
    for op in ops:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in op["summary"]) and op["description"], op[
            "operationId"
        ]
