"""Partners and organisations over real HTTP against the local stack, ops steps through `tanpuhui`:
a citizen links a bike partner, whose disallowed scenario is rejected and whose allowed one is
settled; an org's citizen-owned PV project and its bike fleet's cycling readings go into a PHCER
batch that is filed, sold from the exchange's confirmation and fed back to its citizens by the
published policy exactly once, and each citizen sees it in /api/v1/phcer; the books balance in coins and yuan."""

import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

import pytest

from core.books.shares import largest_remainder
from core.carbon.partners import signature
from core.localday import SHANGHAI
from tests.support.citizens import call, login

pytestmark = pytest.mark.e2e


def outputs(r) -> dict:
    assert r.returncode == 0, r.stderr + r.stdout
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def signed(stack, pid, secret, path, body) -> tuple[int, dict]:
    raw, ts, nonce = json.dumps(body).encode(), str(int(time.time())), uuid.uuid4().hex
    req = urllib.request.Request(
        stack.api + path,
        data=raw,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "X-Partner-Id": pid,
            "X-Timestamp": ts,
            "X-Nonce": nonce,
            "X-Signature": signature(secret, "POST", path, ts, nonce, raw),
        },
    )
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_e2e__linked_partner_pushes_only_its_scenarios_and_settlement_credits_the_allowed(stack):
    p = outputs(
        stack.cli(
            "partner",
            "add",
            "e2e单车",
            "--scenarios",
            "bike",
            "--daily-cap",
            "100",
            "--by",
            "e2e-ops",
        )
    )
    citizen = login(stack)
    version = call(stack, "GET", "/api/v1/me/consents", headers=citizen.auth).body[
        "current_version"
    ]
    assert (
        call(stack, "POST", "/api/v1/me/consents", {"policy_version": version}, citizen.auth).status
        == 201
    )
    code = call(
        stack, "POST", "/api/v1/partner-links", {"partner_id": p["partner_id"]}, citizen.auth
    )
    assert code.status == 201, code.body
    status, body = signed(
        stack,
        p["partner_id"],
        p["secret"],
        "/partner/v1/links",
        {"link_code": code.body["link_code"], "partner_user_ref": "rider-42"},
    )
    assert status == 201 and body["partner_user_ref"] == "rider-42"
    links = call(stack, "GET", "/api/v1/partner-links", headers=citizen.auth).body["items"]
    assert [(x["partner_id"], x["partner_name"]) for x in links] == [(p["partner_id"], "e2e单车")]

    day = datetime.now(SHANGHAI).date() - timedelta(days=1)
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI).isoformat()
    records = [
        {
            "record_id": "ride-1",
            "user_ref": "rider-42",
            "scenario": "bike",
            "quantity": 5,
            "occurred_at": at,
            "facts": {"duration_s": 1200},
        },
        {
            "record_id": "tree-1",
            "user_ref": "rider-42",
            "scenario": "tree_planting",
            "quantity": 2,
            "occurred_at": at,
        },
        {
            "record_id": "ride-2",
            "user_ref": citizen.user_id,
            "scenario": "bike",
            "quantity": 5,
            "occurred_at": at,
            "facts": {"duration_s": 1200},
        },
    ]
    status, body = signed(
        stack, p["partner_id"], p["secret"], "/partner/v1/behaviours", {"records": records}
    )
    assert status == 200 and body["accepted"] == 1, body
    assert body["rejected"] == [
        {"record_id": "tree-1", "reason": "scenario_not_allowed"},
        {"record_id": "ride-2", "reason": "unknown_user"},
    ]
    assert stack.cli("settle", "--date", day.isoformat()).returncode == 0
    entries = call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"]
    assert [e["kind"] for e in entries] == ["settlement"]
    assert [(s["scenario"], s["grams"]) for s in entries[0]["detail"]["scenarios"]] == [
        ("bike", 5 * 93)
    ]
    assert call(stack, "GET", "/api/v1/coins", headers=citizen.auth).body["balance"] == 5 * 93 // 10


def confirmation_file(tmp_path, name, tonnes, ref) -> str:
    from decimal import Decimal

    gross = (Decimal(tonnes) * 60).quantize(Decimal("0.01"))
    path = tmp_path / f"{name}.json"
    path.write_text(
        json.dumps(
            {
                "trade_ref": ref,
                "trade_date": datetime.now(SHANGHAI).date().isoformat(),
                "tonnes": tonnes,
                "price_yuan_per_tonne": "60.00",
                "gross_yuan": str(gross),
                "fees_yuan": "3.00",
            }
        ),
        encoding="utf-8",
    )
    return str(path)


def test_e2e__pv_and_cycling_batch_sold_from_a_confirmation_fed_back_by_policy_once(
    stack, tmp_path
):
    o = outputs(stack.cli("org", "add", "e2e骑光", "--types", "pv,cycling", "--by", "e2e-ops"))
    org_auth = {"Authorization": f"Bearer {o['key']}"}
    owners, projects = (
        [login(stack), login(stack)],
        {"roof-1": ("pv", 2000), "bikes-1": ("cycling", 6000)},
    )
    for citizen, (project, (kind, _)) in zip(owners, projects.items()):
        code = call(
            stack, "POST", "/api/v1/partner-links", {"partner_id": o["org_id"]}, citizen.auth
        ).body
        r = call(
            stack,
            "POST",
            "/org/v1/projects",
            {"project_id": project, "type": kind, "owner_link_code": code["link_code"]},
            org_auth,
        )
        assert r.status == 201 and r.body["owned_by_citizen"], r.body
    today = datetime.now(SHANGHAI).date()
    start, end = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=1)).isoformat()
    rows = [
        {
            "reading_id": f"{p}-m1",
            "project_id": p,
            "period_start": start,
            "period_end": end,
            "quantity": q,
        }
        for p, (_, q) in projects.items()
    ]  # 2000 kWh of rooftop PV; 6000 km the fleet's riders rode
    rows.append(
        {
            "reading_id": "roof-1-m2",
            "project_id": "roof-1",
            "period_start": end,
            "period_end": end,
            "quantity": 3,
        }
    )
    r = call(stack, "POST", "/org/v1/readings", {"readings": rows}, org_auth)
    assert r.body == {
        "accepted": 2,
        "duplicates": 0,
        "rejected": [{"reading_id": "roof-1-m2", "reason": "overlap"}],
    }
    grams = {
        owners[0].user_id: 2000 * 3869 // 10,
        owners[1].user_id: 6000 * 93,
    }  # 773,800 g + 558,000 g
    listed = call(stack, "GET", "/org/v1/projects", headers=org_auth).body["items"]
    assert [(p["project_id"], p["owner_linked"], p["certified_grams"]) for p in listed] == [
        ("bikes-1", True, 558000),
        ("roof-1", True, 773800),
    ]
    tomorrow = (today + timedelta(days=1)).isoformat()
    policy = ("policy", "publish", "feedback", "--share", "0.8", "--coins-per-yuan", "20")
    retroactive = stack.cli(*policy, "--source", "x", "--from", today.isoformat())
    assert retroactive.returncode == 1  # never retroactive
    outputs(
        stack.cli(*policy, "--source", "e2e: 董事会决议", "--from", tomorrow, "--by", "e2e-ops")
    )
    period = ("--org", o["org_id"], "--from", start, "--to", today.isoformat(), "--by", "e2e-ops")

    batch = outputs(stack.cli("phcer", "batch", *period))["batch_id"]
    first, second = (stack.cli("export", "phcer", "--batch", batch) for _ in range(2))
    assert (
        first.returncode == 0
        and first.stdout == second.stdout
        and "bikes-1,bikes-1-m1" in first.stdout
    )
    assert stack.cli("phcer", "feedback", batch).returncode == 1  # not sold yet
    too_much = stack.cli(
        "phcer", "sold", batch, "--confirmation", confirmation_file(tmp_path, "a", "1.4", "GZ-0")
    )
    assert too_much.returncode == 1 and "超过该批次核证" in too_much.stderr, too_much.stderr
    sold = outputs(
        stack.cli(
            "phcer",
            "sold",
            batch,
            "--confirmation",
            confirmation_file(tmp_path, "b", "1.2", "GZ-1"),
            "--by",
            "e2e-ops",
        )
    )
    assert (sold["gross_yuan"], sold["fees_yuan"], sold["net_yuan"]) == ("72.00", "3.00", "69.00")
    again = stack.cli(
        "phcer", "sold", batch, "--confirmation", confirmation_file(tmp_path, "c", "0.1", "GZ-2")
    )
    assert again.returncode == 1 and "已售出" in again.stderr, again.stderr  # one sale per batch

    runs = [outputs(stack.cli("phcer", "feedback", batch, "--by", "e2e-ops")) for _ in range(2)]
    # 0.5 x 69.00 x 10: the default policy, in force on the trade date (the published one starts tomorrow)
    assert [(r["coins"], r["citizens"], r["coins_now"]) for r in runs] == [
        ("345", "2", "345"),
        ("345", "2", "0"),
    ]
    shares = largest_remainder(345, grams)
    for citizen in owners:
        fb = [
            e
            for e in call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"]
            if e["kind"] == "phcer_feedback"
        ]
        assert [(e["amount"], e["ref"], e["detail"]["batch_id"]) for e in fb] == [
            (shares[citizen.user_id], batch, batch)
        ]
        mine = call(stack, "GET", "/api/v1/phcer", headers=citizen.auth).body
        print(
            f"GET /api/v1/phcer ({'pv' if citizen is owners[0] else 'cycling'} owner):",
            json.dumps(mine, ensure_ascii=False),
        )
        assert mine["items"] == [
            {
                "batch_id": batch,
                "org_name": "e2e骑光",
                "period_from": start,
                "period_to": today.isoformat(),
                "status": "fed_back",
                "my_grams": grams[citizen.user_id],
                "batch_tonnes": "1.331800",
                "sale": {
                    "trade_date": today.isoformat(),
                    "price_yuan_per_tonne": "60.00",
                    "net_yuan": "69.00",
                },
                "my_feedback_coins": shares[citizen.user_id],
            }
        ]
    assert sum(shares.values()) == 345
    assert (
        stack.cli("export", "phcer", "--batch", batch).stdout == first.stdout
    )  # selling changed no filing

    empty = stack.cli(
        "phcer", "batch", *period
    )  # the period is batched already: refused, not sealed empty
    assert empty.returncode == 1 and "batch_id=" not in empty.stdout
    detail = call(stack, "GET", f"/org/v1/batches/{batch}", headers=org_auth).body
    assert (
        detail["status"],
        detail["readings"],
        detail["feedback"]["coins"],
        detail["feedback"]["returned_yuan"],
        detail["feedback"]["kept_yuan"],
    ) == ("fed_back", 2, 345, "34.50", "34.50")
    assert [
        b["batch_id"] for b in call(stack, "GET", "/org/v1/batches", headers=org_auth).body["items"]
    ] == [batch]
    books = stack.cli("books")  # coins and yuan, each sums to zero
    print("tanpuhui books:\n" + books.stdout)
    assert books.returncode == 0 and "total=0" in books.stdout and "yuan_total=0.00" in books.stdout
    lines = dict(line.split("=", 1) for line in books.stdout.splitlines())
    assert int(lines["feedback:phcer"]) <= -345 and "proceeds_returned_yuan" in lines


def test_e2e__two_batch_runs_at_once_take_every_reading_exactly_once(stack):
    import os
    import subprocess
    import sys

    from tests.support.stack import ROOT

    o = outputs(stack.cli("org", "add", "e2e并发", "--types", "pv", "--by", "e2e-ops"))
    org_auth = {"Authorization": f"Bearer {o['key']}"}
    today = datetime.now(SHANGHAI).date()
    rows = []
    for p in range(4):
        assert (
            call(
                stack, "POST", "/org/v1/projects", {"project_id": f"p{p}", "type": "pv"}, org_auth
            ).status
            == 201
        )
        rows += [
            {
                "reading_id": f"p{p}-{k}",
                "project_id": f"p{p}",
                "period_start": (today - timedelta(60 - 5 * k)).isoformat(),
                "period_end": (today - timedelta(57 - 5 * k)).isoformat(),
                "quantity": 7,
            }
            for k in range(6)
        ]
    assert (
        call(stack, "POST", "/org/v1/readings", {"readings": rows}, org_auth).body["accepted"] == 24
    )
    tanpuhui = os.path.join(os.path.dirname(sys.executable), "tanpuhui")
    args = [
        tanpuhui,
        "phcer",
        "batch",
        "--org",
        o["org_id"],
        "--from",
        (today - timedelta(90)).isoformat(),
        "--to",
        today.isoformat(),
        "--by",
        "e2e-race",
    ]
    procs = [
        subprocess.Popen(
            args,
            cwd=ROOT,
            env=stack.tool_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=600) for p in procs]
    # A run that found every reading taken by the other is refused (exit 1), never sealed empty.
    assert sorted(p.returncode for p in procs) in ([0, 0], [0, 1]), results
    batches = call(stack, "GET", "/org/v1/batches", headers=org_auth).body["items"]
    assert len(batches) == sum(p.returncode == 0 for p in procs) and all(
        b["status"] == "sealed" for b in batches
    )
    lines = []
    for b in batches:
        csv_text = stack.cli("export", "phcer", "--batch", b["batch_id"]).stdout
        filed = [ln.split(",")[1] for ln in csv_text.split("\n\n")[2].splitlines()[1:]]
        assert len(filed) == b["readings"]
        lines += filed
    assert sorted(lines) == sorted(
        r["reading_id"] for r in rows
    )  # every reading in exactly one batch
