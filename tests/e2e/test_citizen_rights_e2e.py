"""The citizen's side over real HTTP: a footprint that equals the ledger, an appeal answered with
a linked adjustment, a data export, and account deletion that keeps the books."""

import json
from datetime import date, timedelta

import pytest

from tests.support.behaviours import add_behaviour
from tests.support.citizens import call, login, on_stack

pytestmark = pytest.mark.e2e


def _today() -> date:
    from core import localday

    return date.fromisoformat(localday.today())


def _earn(stack, user_id: str, day: str, rows: list[tuple]) -> None:
    with on_stack(stack) as s:
        for scenario, qty, ref, at in rows:
            add_behaviour(
                s,
                user_id,
                day,
                scenario,
                qty,
                ref,
                at,
                source="werun" if scenario == "walk" else "test",
            )
    r = stack.cli("settle", "--date", day)
    assert r.returncode == 0, r.stderr


def _ledger(stack, citizen) -> list[dict]:
    r = call(stack, "GET", "/api/v1/coins/ledger?limit=100", headers=citizen.auth)
    assert r.status == 200, r.body
    return r.body["items"]


def test_citizen__earns_two_months__footprint_equals_ledger__appeal__export__delete(stack):
    citizen = login(stack)
    early, late = (
        (_today() - timedelta(days=35)).isoformat(),
        (_today() - timedelta(days=1)).isoformat(),
    )
    _earn(stack, citizen.user_id, early, [("metro", 1, "m1", "08:00"), ("bus", 1, "b1", "18:00")])
    _earn(
        stack, citizen.user_id, late, [("metro", 1, "m2", "08:30"), ("walk", 12000, late, "23:00")]
    )

    settled = [e for e in _ledger(stack, citizen) if e["kind"] == "settlement"]
    assert len(settled) == 2 and all(e["created_at"].endswith("+08:00") for e in settled)
    footprints = {}
    for year in sorted({early[:4], late[:4]}):
        r = call(stack, "GET", f"/api/v1/footprint?year={year}", headers=citizen.auth)
        assert r.status == 200, r.body
        footprints[year] = r.body
    print("footprint:", json.dumps(footprints[late[:4]], ensure_ascii=False))
    assert (
        sum(f["total_grams"] for f in footprints.values())
        == sum(e["detail"]["grams"] for e in settled)
        == 1482
    )
    assert sum(f["coins_earned"] for f in footprints.values()) == sum(e["amount"] for e in settled)
    months = {m["month"]: m for f in footprints.values() for m in f["months"]}
    assert months[early[:7]]["by_scenario"] == {"bus": 212, "metro": 515}
    assert months[late[:7]]["by_scenario"] == {"metro": 515, "walk": 240}
    assert footprints[late[:4]]["percentile"] is not None

    # "My ride didn't count": filed, listed by ops, resolved with a linked adjustment, shown.
    r = call(
        stack, "POST", "/api/v1/appeals", {"date": late, "note": "公交卡乘车未记录"}, citizen.auth
    )
    assert r.status == 201 and r.body["status"] == "open", r.body
    appeal_id = r.body["id"]
    again = call(stack, "POST", "/api/v1/appeals", {"date": late, "note": "再问一次"}, citizen.auth)
    assert again.status == 409 and again.body["error"]["code"] == "appeal_open"
    assert "申诉" in again.body["error"]["message"]
    assert appeal_id in stack.cli("appeals", "list").stdout
    for _ in range(2):  # a retried resolution moves nothing twice
        r = stack.cli(
            "appeals",
            "resolve",
            appeal_id,
            "--coins",
            "20",
            "--reason",
            "核实后补发",
            "--by",
            "ops-e2e",
        )
        assert r.returncode == 0, r.stderr
    mine = call(stack, "GET", "/api/v1/appeals", headers=citizen.auth).body["items"]
    assert mine[0]["status"] == "resolved" and mine[0]["resolution"] == {
        "coins": 20,
        "reason": "核实后补发",
    }
    assert mine[0]["resolved_at"].endswith("+08:00")
    adjustments = [e for e in _ledger(stack, citizen) if e["kind"] == "adjustment"]
    assert [(e["amount"], e["detail"]["appeal_id"]) for e in adjustments] == [(20, appeal_id)]

    # A copy of everything held, then erasure.
    phone, card = "13700135013", "5100135013"
    assert (
        call(stack, "POST", "/api/v1/me/phone", {"code": f"phone-{phone}"}, citizen.auth).status
        == 200
    )
    assert call(stack, "POST", "/api/v1/cards", {"card_no": card}, citizen.auth).status == 201
    version = call(stack, "GET", "/api/v1/me/consents", headers=citizen.auth).body[
        "current_version"
    ]
    assert (
        call(stack, "POST", "/api/v1/me/consents", {"policy_version": version}, citizen.auth).status
        == 201
    )
    export = call(stack, "GET", "/api/v1/me/export", headers=citizen.auth)
    assert export.status == 200 and export.body["profile"]["id"] == citizen.user_id
    assert len(export.body["ledger"]) == 3 and export.body["appeals"][0]["id"] == appeal_id
    assert (
        export.body["profile"]["phone"] == phone
        and export.body["cards"][0]["masked_no"] == "51****5013"
    )
    assert [c["policy_version"] for c in export.body["consents"]] == [version]
    assert export.body["consents"][0]["accepted_at"].endswith("+08:00") and card not in json.dumps(
        export.body
    )
    balance = export.body["account"]["balance"]
    assert call(stack, "DELETE", "/api/v1/me", headers=citizen.auth).status == 204
    for method, path in [
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/me/export"),
        ("GET", "/api/v1/coins"),
        ("GET", "/api/v1/coins/ledger"),
        ("GET", f"/api/v1/footprint?year={late[:4]}"),
        ("GET", "/api/v1/appeals"),
        ("GET", "/api/v1/cards"),
        ("GET", "/api/v1/orders"),
        ("DELETE", "/api/v1/me"),
    ]:
        r = call(stack, method, path, headers=citizen.auth)
        assert r.status == 401 and r.body["error"]["code"] == "unauthorized", (
            method,
            path,
            r.status,
        )
    for command in (
        ("ledger", "check"),
        ("books",),
    ):  # the forfeit has its platform leg: the books still balance
        check = stack.cli(*command)
        assert check.returncode == 0, check.stdout + check.stderr
    with on_stack(stack):
        from models import LedgerEntry

        forfeit = [e for e in LedgerEntry.query(citizen.user_id) if e.kind == "forfeit"]
    assert [(int(e.amount), int(e.balance_after)) for e in forfeit] == [(-balance, 0)]
    # The number and the card are free for another account; a late record credits the closed account nothing.
    other = login(stack)
    assert (
        call(stack, "POST", "/api/v1/me/phone", {"code": f"phone-{phone}"}, other.auth).status
        == 200
    )
    assert call(stack, "POST", "/api/v1/cards", {"card_no": card}, other.auth).status == 201
    _earn(stack, citizen.user_id, late, [("bus", 1, "b-late", "20:00")])
    with on_stack(stack):
        from models import Account

        assert int(Account.get(citizen.user_id).balance) == 0
    assert stack.cli("ledger", "check").returncode == 0 and stack.cli("books").returncode == 0


def test_errors__chinese_by_default_english_on_request(stack):
    zh = call(stack, "GET", "/api/v1/coins")
    en = call(stack, "GET", "/api/v1/coins", headers={"Accept-Language": "en-US,en;q=0.9"})
    print("error zh:", json.dumps(zh.body, ensure_ascii=False))
    print("error en:", json.dumps(en.body, ensure_ascii=False))
    assert (
        zh.status == en.status == 401
        and zh.body["error"]["code"] == en.body["error"]["code"] == "unauthorized"
    )
    assert zh.body["error"]["message"] == "登录已失效，请重新登录。"
    assert en.body["error"]["message"].startswith("Please sign in again")
