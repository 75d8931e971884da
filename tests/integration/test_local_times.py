"""Every time a citizen, a cashier or ops sees is at +08:00: a citizen who earned, bound a card (a trip
recorded for it), unbound another, walked, had a partner push a record, ordered, cancelled one order
and let another expire reads every one of their endpoints and their export; the merchant reads its redemptions; ops read the CLI's listings and exports. A walker takes
every string in each answer that looks like a date-time and refuses any that says Z or +00:00."""

import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from core import localday
from core.carbon import trips
from tests.support.behaviours import add_behaviour
from tests.support.cli import run_cli
from tests.support.mall import give_coins, make_shop

pytestmark = pytest.mark.usefixtures("yct_sim")
# An ISO 8601 date-time anywhere in a text (a JSON string, a CSV cell, a CLI line).
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")


def utc_times(value) -> list[str]:
    """The date-times in any JSON value or text that are not at +08:00 (Z, +00:00, no offset)."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return [m.group(0) for m in MOMENT.finditer(text) if m.group(1) not in ("+08:00", "+0800")]


def test_walker__finds_utc_and_naive_times__passes_local_ones():
    assert utc_times(
        {"a": ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05"]}
    ) == ["2026-01-02T03:04:05Z", "2026-01-02T03:04:05+00:00", "2026-01-02T03:04:05"]
    assert utc_times("at 2026-01-02T11:04:05+08:00, day 2026-01-02") == []


def test_every_time_a_citizen_merchant_or_ops_sees__is_at_plus_0800(client, citizen, aws, capsys):
    from core.carbon import settlement_batches
    from core.mall import orders

    h, user_id = {"Authorization": citizen["Authorization"]}, citizen["user"]["id"]
    day = localday.yesterday()
    add_behaviour(
        aws, user_id, day, "metro", 1, "m1", facts={"line": "3", "from_station": "体育西路"}
    )
    for shard in range(aws.settle_shards):
        settlement_batches.settle_shard(aws, day, shard)
    give_coins(user_id, 100)
    assert (
        client.post("/api/v1/cards", json={"card_no": "5300246813"}, headers=h).status_code == 201
    )
    # What the export holds beyond the API's lists: a trip of the card, a WeRun day, a partner's
    # record (a time among its facts), and a card since unbound.
    trip = f"T-lt,5300246813,bus,{localday.local_iso(datetime.now(UTC), 'microseconds')},B1,,,"
    assert (
        trips.ingest_lines(aws, io.StringIO(f"{','.join(trips.COLUMNS)}\n{trip}\n"))["accepted"]
        == 1
    )
    add_behaviour(aws, user_id, day, "walk", 8000, day, source="werun")
    add_behaviour(
        aws,
        user_id,
        day,
        "bike",
        3,
        "r-lt",
        source="partner:p_lt",
        facts={"ended": "2026-01-02T03:04:05Z"},
    )
    gone = client.post("/api/v1/cards", json={"card_no": "5300246814"}, headers=h).json
    assert client.delete(f"/api/v1/cards/{gone['id']}", headers=h).status_code == 204
    shop = make_shop(price=10)
    kept, cancelled, expiring = (
        client.post("/api/v1/orders", json={"product_id": shop["product_id"]}, headers=h).json
        for _ in range(3)
    )
    assert (
        client.post(f"/api/v1/orders/{cancelled['id']}/cancel", headers=h).status_code == 200
    )  # a refund entry
    code = client.get(f"/api/v1/orders/{kept['id']}", headers=h).json["code"]
    assert (
        client.post(
            "/merchant/v1/redemptions", json={"code": code}, headers=shop["auth"]
        ).status_code
        == 200
    )
    orders.expire_due(datetime.now(UTC) + timedelta(days=30))  # the third expires: an expiry entry
    # What brings a citizen back keeps times too: a saved estimate, the ranking choice, the inbox.
    saved = client.post(
        "/api/v1/footprint/estimate", json={"household_kwh_month": 100, "save": True}, headers=h
    ).json
    chosen = client.put(
        "/api/v1/rankings/me", json={"listed": True, "nickname": "守时的人"}, headers=h
    )
    assert saved["saved_at"] and chosen.status_code == 200

    seen = {"POST /api/v1/footprint/estimate": saved}
    for path in (
        "/api/v1/me",
        "/api/v1/me/export",
        "/api/v1/coins",
        "/api/v1/coins/ledger",
        "/api/v1/orders",
        f"/api/v1/orders/{kept['id']}",
        f"/api/v1/orders/{expiring['id']}",
        "/api/v1/cards",
        "/api/v1/partner-links",
        "/api/v1/appeals",
        "/api/v1/me/consents",
        f"/api/v1/reductions?from={day}&to={day}",
        f"/api/v1/reductions/{day}/records",
        f"/api/v1/footprint?year={day[:4]}",
        "/api/v1/footprint/estimate",
        "/api/v1/inbox",
        "/api/v1/rankings",
    ):
        r = client.get(path, headers=h)
        assert r.status_code == 200, (path, r.json)
        seen[path] = r.json
    export = seen["/api/v1/me/export"]
    assert export["trips"] and export["steps"] and export["partner_records"]
    assert any(b["unbound_at"] for b in export["card_bindings"])
    assert export["footprint_estimate"]["saved_at"] and export["ranking"]["updated_at"]
    assert export["inbox"] and seen["/api/v1/inbox"]["items"]
    kinds = {e["kind"] for e in seen["/api/v1/coins/ledger"]["items"]}
    assert {"settlement", "order", "refund", "expiry"} <= kinds, kinds
    seen["merchant"] = client.get("/merchant/v1/redemptions", headers=shop["auth"]).json
    assert seen["merchant"]["items"]
    for args in (
        ("merchant", "keys", shop["merchant_id"]),
        (
            "export",
            "redemptions",
            "--merchant",
            shop["merchant_id"],
            "--from",
            localday.today(),
            "--to",
            localday.today(),
        ),
    ):
        status, out = run_cli(capsys, *args)
        assert status == 0, out
        seen[" ".join(args)] = out
    bad = {where: utc_times(answer) for where, answer in seen.items() if utc_times(answer)}
    assert bad == {}, bad


def test_phcer_filing_and_batch_commands__at_plus_0800(client, citizen, aws, capsys):
    """Ops' PHCER commands and the batch's filing (CSV) say every moment at +08:00."""
    from core.enterprise import orgs
    from tests.integration.test_orgs import day, owner_code, readings

    org_id, key = orgs.add_org("绿能", ["pv"], by="ops-test")
    auth = {"Authorization": f"Bearer {key}"}
    body = {
        "project_id": "roof-t",
        "type": "pv",
        "owner_link_code": owner_code(client, citizen, org_id),
    }
    assert client.post("/org/v1/projects", json=body, headers=auth).status_code == 201
    assert (
        readings(client, {"auth": auth}, ("r-t", "roof-t", day(40), day(31), 100)).status_code
        == 200
    )
    seen = {}
    status, out = run_cli(
        capsys, "phcer", "batch", "--org", org_id, "--from", day(60), "--to", day(0)
    )
    assert status == 0, out
    seen["phcer batch"] = out
    batch_id = out.strip().removeprefix("batch_id=")
    status, out = run_cli(capsys, "export", "phcer", "--batch", batch_id)
    assert status == 0 and batch_id in out, out
    seen["export phcer --batch"] = out
    assert MOMENT.search(out), out  # the filing has its moment (sealed_at): the walker sees it
    status, out = run_cli(capsys, "export", "phcer", "--from", day(60), "--to", day(0))
    assert status == 0, out
    seen["export phcer --from --to"] = out
    bad = {where: utc_times(answer) for where, answer in seen.items() if utc_times(answer)}
    assert bad == {}, bad
