import json
import time
import uuid
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.carbon import partners
from core.carbon.methodology_store import load_registry
from models.behaviours import Behaviour
from tests.support.consent import accept_policy

PATH = "/partner/v1/behaviours"


def signed(secret, pid, body: dict, ts=None, nonce=None, path=PATH):
    raw = json.dumps(body).encode()
    ts = str(int(time.time()) if ts is None else ts)
    nonce = nonce or uuid.uuid4().hex
    return raw, {
        "X-Partner-Id": pid,
        "X-Timestamp": ts,
        "X-Nonce": nonce,
        "Content-Type": "application/json",
        "X-Signature": partners.signature(secret, "POST", path, ts, nonce, raw),
    }


def link(client, citizen, pid, secret, ref="rider-1", consent=True):
    """The citizen (who accepted the privacy policy in force, unless consent=False) makes a code in
    the mini-program; the partner exchanges it for `ref`."""
    if consent:
        accept_policy(client, citizen)
    code = client.post("/api/v1/partner-links", json={"partner_id": pid}, headers=citizen)
    assert code.status_code == 201, code.json
    raw, h = signed(
        secret,
        pid,
        {"link_code": code.json["link_code"], "partner_user_ref": ref},
        path="/partner/v1/links",
    )
    r = client.post("/partner/v1/links", data=raw, headers=h)
    assert r.status_code == 201, r.json
    return ref


def rec(user, rid, scenario="bike", quantity=3.5, when=None):
    when = when or datetime.now(UTC) - timedelta(hours=1)
    return {
        "record_id": rid,
        "user_ref": user,
        "scenario": scenario,
        "quantity": quantity,
        "occurred_at": when.isoformat(),
        "facts": {"duration_s": 900},
    }


def test_push__signed__accepted_duplicates_and_rejections(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike", "teleport"})
    uid = link(client, citizen, pid, secret)
    body = {
        "records": [
            rec(uid, "r1"),
            rec(uid, "r2"),
            rec("u_nobody", "r3"),
            rec(uid, "r4", "teleport"),
            rec(uid, "r5", when=datetime.now(UTC) + timedelta(days=1)),
            rec(uid, "r6", "tree_planting"),
            rec(citizen["user"]["id"], "r7"),
        ]
    }
    raw, h = signed(secret, pid, body)
    r = client.post(PATH, data=raw, headers=h)
    assert r.status_code == 200, r.json
    assert r.json["accepted"] == 2 and {
        x["record_id"]: x["reason"] for x in r.json["rejected"]
    } == {
        "r3": "unknown_user",
        "r4": "unknown_scenario",
        "r5": "in_future",
        "r6": "scenario_not_allowed",
        "r7": "unknown_user",
    }  # the platform's own user id is no ref: only linked refs name a citizen
    raw, h = signed(secret, pid, {"records": [rec(uid, "r1")]})
    assert client.post(PATH, data=raw, headers=h).json == {
        "accepted": 0,
        "duplicates": 1,
        "rejected": [],
    }
    assert Behaviour.count() == 2


def test_push__no_consent_to_the_policy_in_force__consent_required_nothing_kept(
    client, citizen, aws
):
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
    ref = link(client, citizen, pid, secret, consent=False)
    raw, h = signed(secret, pid, {"records": [rec(ref, "r1")]})
    r = client.post(PATH, data=raw, headers=h).json
    assert r["accepted"] == 0 and r["rejected"] == [
        {"record_id": "r1", "reason": "consent_required"}
    ]
    assert Behaviour.count() == 0
    version = client.get("/api/v1/me/consents", headers=citizen).json["current_version"]
    client.post("/api/v1/me/consents", json={"policy_version": version}, headers=citizen)
    raw, h = signed(secret, pid, {"records": [rec(ref, "r1")]})
    assert client.post(PATH, data=raw, headers=h).json["accepted"] == 1
    # A new policy version: nothing more is earned from partners until the citizen accepts it too.
    newer, partner = aws.with_(privacy_policy_version="2099-01-01"), partners.Partner.get(pid)
    r = partners.push(
        newer,
        partner,
        [{**rec(ref, "r2"), "occurred_at": datetime.now(UTC)}],
        load_registry(),
        datetime.now(UTC),
    )
    assert (
        r["rejected"] == [{"record_id": "r2", "reason": "consent_required"}]
        and Behaviour.count() == 1
    )


def test_push__bad_signature__401_nothing_written(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    raw, h = signed("wrong-secret", pid, {"records": [rec(citizen["user"]["id"], "r1")]})
    r = client.post(PATH, data=raw, headers=h)
    assert (
        r.status_code == 401
        and r.json["error"]["code"] == "unauthorized"
        and Behaviour.count() == 0
    )


def test_push__stale_timestamp__401(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    raw, h = signed(
        secret, pid, {"records": [rec(citizen["user"]["id"], "r1")]}, ts=int(time.time()) - 301
    )
    assert client.post(PATH, data=raw, headers=h).status_code == 401


def test_push__replayed_nonce__401(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    raw, h = signed(
        secret, pid, {"records": [rec(citizen["user"]["id"], "r1")]}, nonce="n-0123456789"
    )
    assert client.post(PATH, data=raw, headers=h).status_code == 200
    assert client.post(PATH, data=raw, headers=h).status_code == 401


def test_push__more_than_500_records__422(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes")
    raw, h = signed(
        secret, pid, {"records": [rec(citizen["user"]["id"], f"r{i}") for i in range(501)]}
    )
    assert client.post(PATH, data=raw, headers=h).status_code in (413, 422)


def test_push__burst_of_fake_rides__capped_at_settlement(client, citizen, aws):
    from core.carbon import settlement_runs
    from models import Account

    pid, secret = partners.add_partner(aws, "bikes")
    uid = link(client, citizen, pid, secret)
    day = (datetime.now(timezone(timedelta(hours=8))) - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    raw, h = signed(
        secret,
        pid,
        {
            "records": [
                rec(uid, f"f{i}", quantity=15, when=day - timedelta(minutes=i)) for i in range(50)
            ]
        },
    )
    assert client.post(PATH, data=raw, headers=h).json["accepted"] == 50
    settlement_runs.run_date(aws, day.date().isoformat(), workers=1)
    assert (
        Account.get(citizen["user"]["id"]).grams_total == 20 * 93
    )  # 20 km cap, however many rides were pushed


@pytest.mark.parametrize(
    "field,value,reason",
    [
        ("quantity", 100000, "quantity_out_of_range"),  # past the bike scenario's max_quantity
        ("quantity", -3, "quantity_out_of_range"),
        ("quantity", 10**400, "quantity_out_of_range"),  # past every bound, and past a float
        ("quantity", "lots", "invalid_facts"),
        ("quantity", None, "invalid_facts"),
        ("occurred_at", "yesterday", "invalid_facts"),
        ("facts", {"duration_s": "long"}, "invalid_facts"),
        ("scenario", ["bike"], "invalid_facts"),
    ],
)
def test_push__one_bad_record_of_eight__seven_accepted_one_rejected_with_its_reason(
    client, citizen, aws, field, value, reason
):
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
    uid = link(client, citizen, pid, secret)
    records = [rec(uid, f"r{i}") for i in range(8)]
    records[5][field] = value
    raw, h = signed(secret, pid, {"records": records})
    r = client.post(PATH, data=raw, headers=h)
    assert r.status_code == 200, r.json
    assert r.json == {
        "accepted": 7,
        "duplicates": 0,
        "rejected": [{"record_id": "r5", "reason": reason}],
    }
    assert Behaviour.count() == 7


def test_push__a_record_that_is_no_object__rejected_alone(client, citizen, aws):
    pid, secret = partners.add_partner(aws, "bikes", scenarios={"bike"})
    uid = link(client, citizen, pid, secret)
    raw, h = signed(secret, pid, {"records": [rec(uid, "r1"), 7, {"record_id": "r3"}]})
    r = client.post(PATH, data=raw, headers=h)
    assert r.status_code == 200 and r.json["accepted"] == 1, r.json
    assert r.json["rejected"] == [
        {"record_id": "", "reason": "invalid_facts"},
        {"record_id": "r3", "reason": "invalid_facts"},
    ]
