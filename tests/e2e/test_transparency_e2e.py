"""The transparency log end to end: trips → settle → `tanpuhui log append` → the citizen's proof
over HTTP, checked by the standalone verifier in its own isolated process (nothing of the
project importable), which must refuse a changed leaf, a changed amount and a changed head; the
day's public totals equal `tanpuhui books` for the day."""

import json
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.e2e.test_journey_e2e import _card_boarded_today, _put_trips
from tests.support.citizens import call, login

pytestmark = pytest.mark.e2e
VERIFIER = Path(__file__).resolve().parents[2] / "infra" / "verify_proof.py"


def _verify(
    tmp_path, proof: dict, key: dict, head: dict | None = None
) -> subprocess.CompletedProcess:
    (tmp_path / "proof.json").write_text(json.dumps(proof, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "key.json").write_text(json.dumps(key), encoding="utf-8")
    args = [sys.executable, "-I", str(VERIFIER), "proof.json", "--key", "key.json"]
    if head is not None:
        (tmp_path / "head.json").write_text(json.dumps(head), encoding="utf-8")
        args += ["--head", "head.json"]
    return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=60, env={})


def _kv(text: str) -> dict:
    return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)


def test_e2e__a_citizens_credit_is_proven_in_the_signed_log__tampering_refused(stack, tmp_path):
    citizen, card_no, day, at, tag = _card_boarded_today(stack)
    key = _put_trips(stack, day, [f"t-{tag}-1,{card_no},metro,{at},3号线,体育西路,珠江新城,2.1"])
    assert stack.cli("ingest", "s3", key).returncode == 0
    r = stack.cli("settle", "--date", day)
    assert r.returncode == 0, r.stderr[-2000:]
    entry = call(stack, "GET", "/api/v1/coins/ledger", headers=citizen.auth).body["items"][0]
    path = f"/api/v1/coins/ledger/{quote(entry['id'], safe='')}/proof"

    r = stack.cli("log", "append")
    assert r.returncode == 0, r.stderr[-2000:]
    appended = _kv(r.stdout)
    proof = call(stack, "GET", path, headers=citizen.auth)
    assert proof.status == 200, proof.body
    p = proof.body
    assert p["leaf"]["amount"] == entry["amount"] and p["leaf"]["kind"] == "settlement"
    assert p["leaf"]["versions"] == {"metro": "1"} and len(p["leaf"]["records_digest"]) == 64
    assert int(appended["tree_size"]) >= p["tree_size"] > p["leaf_index"]
    log_key = call(stack, "GET", "/public/v1/log/key").body
    ok = _verify(tmp_path, p, log_key)
    assert ok.returncode == 0 and ok.stdout.strip() == "ok", ok.stderr

    refusals = {
        "changed amount": ({**p, "leaf": {**p["leaf"], "amount": p["leaf"]["amount"] + 1}}, None),
        "changed leaf": (
            {**p, "leaf": {**p["leaf"], "records_digest": "0" * 64}, "leaf_hash": None},
            None,
        ),
        "changed head": (p, {**p["head"], "root_hash": "ab" * 32}),
        "other index": ({**p, "leaf_index": (p["leaf_index"] + 1) % max(p["tree_size"], 2)}, None),
    }
    for why, (changed, head) in refusals.items():
        if changed.get("leaf_hash", "") is None:
            changed = {k: v for k, v in changed.items() if k != "leaf_hash"}
        bad = _verify(tmp_path, changed, log_key, head)
        assert bad.returncode == 1 and "FAILED" in bad.stderr, why

    # Only the owner gets it; nobody without a sign-in.
    assert call(stack, "GET", path, headers=login(stack).auth).status == 404
    assert call(stack, "GET", path).status == 401

    # Public: the head in the proof is the latest (nothing appended since), consistent with an earlier size.
    latest = call(stack, "GET", "/public/v1/log/heads/latest")
    assert latest.status == 200 and latest.body == p["head"]
    assert (
        call(stack, "GET", f"/public/v1/log/heads/{latest.body['date']}").body["tree_size"]
        == latest.body["tree_size"]
    )
    if p["tree_size"] > 1:
        c = call(stack, "GET", f"/public/v1/log/consistency?first=1&second={p['tree_size']}")
        assert c.status == 200 and c.body["proof"]

    # The day's public totals equal the books of the day (appended again first: nothing left out).
    assert stack.cli("log", "append").returncode == 0
    today = latest.body["date"]
    totals = call(stack, "GET", f"/public/v1/log/totals/{today}").body
    books = stack.cli("books", "--from", today, "--to", today)
    assert books.returncode == 0, books.stderr[-2000:]
    coin_book = (
        books.stdout.split("\ntotal=")[0]
        + "\ntotal="
        + books.stdout.split("\ntotal=")[1].splitlines()[0]
    )
    lines = _kv(
        coin_book
    )  # the coin book: citizens, the platform accounts, total (the yuan book follows)
    assert int(lines.pop("citizens")) == totals["citizens"] and lines.pop("total") == "0"
    assert {k: int(v) for k, v in lines.items() if int(v)} == totals["platform"]

    r = stack.cli("log", "verify", "--date", today)
    assert r.returncode == 0 and "problems=0" in r.stdout, r.stderr[-2000:]
