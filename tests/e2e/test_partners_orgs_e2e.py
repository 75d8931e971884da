"""Partners and organisations over real HTTP against the local stack, ops steps through `tanpuhui`:
a citizen links a bike partner, whose disallowed scenario is rejected and whose allowed one is
settled; an org's citizen-owned PV readings go into a PHCER batch that is filed, sold and fed
back to its citizens exactly once."""
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, datetime, timedelta

import pytest

from core.localday import SHANGHAI
from core.books.shares import largest_remainder
from core.carbon.partners import signature
from tests.support.citizens import call, login

pytestmark = pytest.mark.e2e


def outputs(r) -> dict:
    assert r.returncode == 0, r.stderr + r.stdout
    return dict(line.split("=", 1) for line in r.stdout.splitlines() if "=" in line)


def signed(stack, pid, secret, path, body) -> tuple[int, dict]:
    raw, ts, nonce = json.dumps(body).encode(), str(int(time.time())), uuid.uuid4().hex
    req = urllib.request.Request(stack.api + path, data=raw, method="POST", headers={
        "Content-Type": "application/json", "X-Partner-Id": pid, "X-Timestamp": ts, "X-Nonce": nonce,
        "X-Signature": signature(secret, "POST", path, ts, nonce, raw)})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def test_e2e__linked_partner_pushes_only_its_scenarios_and_settlement_credits_the_allowed(stack):
    p = outputs(stack.cli("partner", "add", "e2e单车", "--scenarios", "bike", "--daily-cap", "100", "--by", "e2e-ops"))
    citizen = login(stack)
    version = call(stack, "GET", "/api/v1/me/consents", headers=citizen.auth).body["current_version"]
    assert call(stack, "POST", "/api/v1/me/consents", {"policy_version": version}, citizen.auth).status == 201
    code = call(stack, "POST", "/api/v1/partner-links", {"partner_id": p["partner_id"]}, citizen.auth)
    assert code.status == 201, code.body
    status, body = signed(stack, p["partner_id"], p["secret"], "/partner/v1/links",
                          {"link_code": code.body["link_code"], "partner_user_ref": "rider-42"})
    assert status == 201 and body["partner_user_ref"] == "rider-42"
    links = call(stack, "GET", "/api/v1/partner-links", headers=citizen.auth).body["items"]
    assert [(x["partner_id"], x["partner_name"]) for x in links] == [(p["partner_id"], "e2e单车")]

    day = datetime.now(SHANGHAI).date() - timedelta(days=1)
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI).isoformat()
    records = [{"record_id": "ride-1", "user_ref": "rider-42", "scenario": "bike", "quantity": 5, "occurred_at": at,
                "facts": {"duration_s": 1200}},
               {"record_id": "tree-1", "user_ref": "rider-42", "scenario": "tree_planting", "quantity": 2,
                "occurred_at": at},
               {"record_id": "ride-2", "user_ref": citizen.user_id, "scenario": "bike", "quantity": 5,
                "occurred_at": at, "facts": {"duration_s": 1200}}]
    status, body = signed(stack, p["partner_id"], p["secret"], "/partner/v1/behaviours", {"records": records})
    assert status == 200 and body["accepted"] == 1, body
    assert body["rejected"] == [{"record_id": "tree-1", "reason": "scenario_not_allowed"},
                                {"record_id": "ride-2", "reason": "unknown_user"}]
    assert stack.cli("settle", "--date", day.isoformat()).returncode == 0
    entries = call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"]
    assert [e["kind"] for e in entries] == ["settlement"]
    assert [(s["scenario"], s["grams"]) for s in entries[0]["detail"]["scenarios"]] == [("bike", 5 * 93)]
    assert call(stack, "GET", "/api/v1/coins", headers=citizen.auth).body["balance"] == 5 * 93 // 10


def test_e2e__org_pv_batch_filed_sold_and_fed_back_once(stack):
    o = outputs(stack.cli("org", "add", "e2e光伏", "--types", "pv", "--by", "e2e-ops"))
    org_auth = {"Authorization": f"Bearer {o['key']}"}
    owners, kwh = [login(stack), login(stack)], {"roof-1": 120, "roof-2": 45}
    for citizen, project in zip(owners, kwh):
        code = call(stack, "POST", "/api/v1/partner-links", {"partner_id": o["org_id"]}, citizen.auth).body
        r = call(stack, "POST", "/org/v1/projects", {"project_id": project, "type": "pv", "capacity": "5 kWp",
                                                     "owner_link_code": code["link_code"]}, org_auth)
        assert r.status == 201 and r.body["owned_by_citizen"], r.body
    today = datetime.now(SHANGHAI).date()
    start, end = (today - timedelta(days=30)).isoformat(), (today - timedelta(days=1)).isoformat()
    rows = [{"reading_id": f"{p}-m1", "project_id": p, "period_start": start, "period_end": end, "quantity": q}
            for p, q in kwh.items()]
    rows.append({"reading_id": "roof-1-m2", "project_id": "roof-1", "period_start": end, "period_end": end,
                 "quantity": 3})
    r = call(stack, "POST", "/org/v1/readings", {"readings": rows}, org_auth)
    assert r.body == {"accepted": 2, "duplicates": 0, "rejected": [{"reading_id": "roof-1-m2", "reason": "overlap"}]}
    grams = {c.user_id: int(kwh[p] * 3869 // 10) for c, p in zip(owners, kwh)}
    period = ("--org", o["org_id"], "--from", start, "--to", today.isoformat(), "--by", "e2e-ops")

    batch = outputs(stack.cli("phcer", "batch", *period))["batch_id"]
    first, second = (stack.cli("export", "phcer", "--batch", batch) for _ in range(2))
    assert first.returncode == 0 and first.stdout == second.stdout and "roof-2,roof-2-m1" in first.stdout
    assert f"project_pv,1,kWh" in first.stdout
    assert stack.cli("phcer", "feedback", batch, "--coins", "40").returncode == 1  # not sold yet
    outputs(stack.cli("phcer", "sold", batch, "--yuan", "3.30", "--by", "e2e-ops"))
    shares = largest_remainder(40, grams)
    runs = [outputs(stack.cli("phcer", "feedback", batch, "--coins", "40", "--by", "e2e-ops")) for _ in range(2)]
    assert [r["coins_now"] for r in runs] == ["40", "0"]
    for citizen in owners:
        fb = [e for e in call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"]
              if e["kind"] == "phcer_feedback"]
        assert [(e["amount"], e["ref"]) for e in fb] == [(shares[citizen.user_id], batch)]
    assert stack.cli("export", "phcer", "--batch", batch).stdout == first.stdout  # selling changed no filing

    again = stack.cli("phcer", "batch", *period)
    assert outputs(again)["batch_id"] != batch and ": 0 readings, 0 g" in again.stderr
    batches = call(stack, "GET", "/org/v1/batches", headers=org_auth).body["items"]
    assert [(b["batch_id"], b["status"], b["readings"], b["feedback_coins"]) for b in batches][0] == \
        (batch, "sold", 2, 40)
    books = stack.cli("books")  # the trial balance, PHCER feedback included, sums to zero
    assert books.returncode == 0 and "feedback:phcer=" in books.stdout and "total=0" in books.stdout


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
        assert call(stack, "POST", "/org/v1/projects", {"project_id": f"p{p}", "type": "pv"}, org_auth).status == 201
        rows += [{"reading_id": f"p{p}-{k}", "project_id": f"p{p}", "period_start": (today - timedelta(60 - 5 * k)).isoformat(),
                  "period_end": (today - timedelta(57 - 5 * k)).isoformat(), "quantity": 7} for k in range(6)]
    assert call(stack, "POST", "/org/v1/readings", {"readings": rows}, org_auth).body["accepted"] == 24
    tanpuhui = os.path.join(os.path.dirname(sys.executable), "tanpuhui")
    args = [tanpuhui, "phcer", "batch", "--org", o["org_id"], "--from", (today - timedelta(90)).isoformat(),
            "--to", today.isoformat(), "--by", "e2e-race"]
    procs = [subprocess.Popen(args, cwd=ROOT, env=stack.tool_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(2)]
    results = [p.communicate(timeout=600) for p in procs]
    assert all(p.returncode == 0 for p in procs), results
    batches = call(stack, "GET", "/org/v1/batches", headers=org_auth).body["items"]
    assert sorted(b["number"] for b in batches) == [1, 2] and all(b["status"] == "sealed" for b in batches)
    lines = []
    for b in batches:
        csv_text = stack.cli("export", "phcer", "--batch", b["batch_id"]).stdout
        filed = [ln.split(",")[1] for ln in csv_text.split("\n\n")[2].splitlines()[1:]]
        assert len(filed) == b["readings"]
        lines += filed
    assert sorted(lines) == sorted(r["reading_id"] for r in rows)  # every reading in exactly one batch
