"""The export holds everything kept about the citizen (PIPL art. 45): the trips recorded for their cards,
their WeRun step days, the records partners pushed for them and every card-binding period, of a card
since unbound too; masked card numbers only, never a number, a hash, an openid or a session key; read
by key and index, never a Scan."""

import time
from datetime import UTC, datetime

import pytest

from core.carbon import partners, trips
from infra.sim_wechat import openid_for, session_key_for
from models import User
from models.cards import CardHistory
from tests.integration.test_partner_push import PATH, link, rec, signed
from tests.integration.test_steps import encrypt
from tests.integration.test_trips import csv_of, iso
from tests.support.requests_count import count_requests

pytestmark = pytest.mark.usefixtures("yct_sim")  # cards are bound through Yangchengtong
GONE, KEPT = "4000000011", "4000000012"


def test_export__trip_steps_partner_record_and_an_unbound_card__all_there(aws, client, login):
    token, user = login("exporter")
    h, user_id = {"Authorization": f"Bearer {token}"}, user["id"]
    gone = client.post("/api/v1/cards", json={"card_no": GONE}, headers=h).json
    counts = trips.ingest_lines(
        aws, csv_of(f"T-exp-1,{GONE},metro,{iso(datetime.now(UTC))},3,体育西路,珠江新城,2.1")
    )
    assert counts["accepted"] == 1, counts
    assert client.delete(f"/api/v1/cards/{gone['id']}", headers=h).status_code == 204
    assert client.post("/api/v1/cards", json={"card_no": KEPT}, headers=h).status_code == 201
    walked = encrypt(
        "exporter",
        {"stepInfoList": [{"timestamp": int(time.time()), "step": 9000}]},
        aws.wechat_appid,
    )
    assert client.post("/api/v1/steps", json=walked, headers=h).json == {"days_accepted": 1}
    pid, secret = partners.add_partner(aws, "绿色单车", scenarios={"bike"})
    ref = link(client, h, pid, secret, "rider-exp")
    raw, sig = signed(secret, pid, {"records": [rec(ref, "ride-1", quantity=4.5)]})
    assert client.post(PATH, data=raw, headers=sig).json["accepted"] == 1

    with count_requests() as calls:
        r = client.get("/api/v1/me/export", headers=h)
    assert r.status_code == 200, r.json
    assert "Scan" not in calls, calls
    data = r.json

    [trip] = data["trips"]
    assert (trip["id"], trip["scenario"], trip["masked_no"], trip["line"]) == (
        "T-exp-1",
        "metro",
        "40****0011",
        "3",
    )
    assert (trip["from_station"], trip["to_station"], trip["distance_km"]) == (
        "体育西路",
        "珠江新城",
        2.1,
    )
    [steps] = data["steps"]
    assert (steps["steps"], steps["scenario"]) == (9000, "walk")
    [ride] = data["partner_records"]
    assert (ride["partner_id"], ride["partner_name"], ride["record_id"], ride["quantity"]) == (
        pid,
        "绿色单车",
        "ride-1",
        4.5,
    )
    assert ride["facts"] == {"duration_s": 900}
    bindings = data["card_bindings"]
    assert [(b["masked_no"], b["unbound_at"] is None) for b in bindings] == [
        ("40****0011", False),
        ("40****0012", True),
    ]
    assert bindings[0]["card_id"] == gone["id"] and [c["masked_no"] for c in data["cards"]] == [
        "40****0012"
    ]
    for moment in [
        trip["occurred_at"],
        trip["received_at"],
        steps["received_at"],
        ride["occurred_at"],
    ]:
        assert moment.endswith("+08:00"), moment
    for b in bindings:
        assert b["bound_at"].endswith("+08:00")

    text = r.get_data(as_text=True)
    held = User.get(user_id)
    secrets = [GONE, KEPT, openid_for("exporter"), session_key_for("exporter"), held.openid]
    secrets += [c.card_hash for c in CardHistory.scan()] + list(held.card_hashes)
    assert [s for s in secrets if s in text] == []


def test_account_deleted__the_periods_stay_without_the_cards_masks(aws, client, login):
    token, user = login("leaving-cards")
    h = {"Authorization": f"Bearer {token}"}
    gone = client.post("/api/v1/cards", json={"card_no": GONE}, headers=h).json
    assert client.delete(f"/api/v1/cards/{gone['id']}", headers=h).status_code == 204
    assert client.post("/api/v1/cards", json={"card_no": KEPT}, headers=h).status_code == 201
    masks = [p.masked_no for c in CardHistory.scan() for p in c.periods]
    assert sorted(masks) == ["40****0011", "40****0012"]
    assert client.delete("/api/v1/me", headers=h).status_code == 204
    periods = [p for c in CardHistory.scan() for p in c.periods]
    assert [(p.user_id, p.masked_no) for p in periods] == [(user["id"], None)] * 2
    assert all(p.unbound_at for p in periods)  # both unbound: a later trip counts for nobody
