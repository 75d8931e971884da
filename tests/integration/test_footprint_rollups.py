"""The footprint's year roll-up on the account item: a credit writes no Footprint item, every
reader adds the legacy Footprint grams, re-runs and concurrent runs count a credit once."""

import threading

import pytest
from pynamodb.attributes import NumberAttribute

from core.books import checks, ledger
from core.carbon import footprint, footprint_rules, settlement_runs
from models import Account, LedgerEntry, base
from models.accounts import rollups_of
from models.footprints import Footprint
from models.settlement import SettledDay
from tests.support.behaviours import add_behaviour


def settle(s, date):
    return settlement_runs.run_date(s, date, workers=2)


def raw(model, key: dict) -> dict:
    return base.get_items([(model, key, None)])[0] or {}


def ledger_year(user_id: str, year: str) -> tuple[int, int]:
    """(grams, coins) of the year's settlement entries: the truth every roll-up equals."""
    entries = [
        e for e in LedgerEntry.query(user_id) if e.kind == "settlement" and e.ref.startswith(year)
    ]
    return sum(int(e.detail["grams"]) for e in entries), sum(int(e.amount) for e in entries)


def days_year(user_id: str, year: str) -> tuple[int, int]:
    days = list(
        SettledDay.query(user_id, SettledDay.date.between(f"{year}-01-01", f"{year}-12-31"))
    )
    return sum(int(d.grams) for d in days), sum(int(d.coins) for d in days)


def as_before_deploy(user_id: str, year: str) -> None:
    """Move the account's roll-up of `year` onto the Footprint item, as credits wrote it before."""
    r = rollups_of(raw(Account, {"user_id": user_id}))[year]
    Footprint(user_id, year).update(
        actions=[Footprint.grams.add(r["g"]), Footprint.coins.add(r["c"])]
    )
    Account(user_id).update(
        actions=[NumberAttribute(attr_name=f"fp_{k}_{year}").remove() for k in "gc"]
    )


def test_credit__no_footprint_item_written__the_account_carries_the_year(aws):
    add_behaviour(aws, "u1", "2026-10-05", "metro", 1, "t1")
    add_behaviour(aws, "u1", "2026-10-05", "bus", 1, "t2", "18:00")
    settle(aws, "2026-10-05")
    account = raw(Account, {"user_id": "u1"})
    assert (
        rollups_of(account)
        == {"2026": {"g": 727, "c": 72}}
        == {"2026": dict(zip("gc", ledger_year("u1", "2026")))}
    )
    assert (
        int(account["balance"]["N"]) == 72
        and int(account["version"]["N"]) == 1
        and checks.check_account("u1") == []
    )
    # The only Footprint item is the recount's (the bucket this citizen is counted in): no grams, no coins.
    assert set(raw(Footprint, {"user_id": "u1", "year": "2026"})) == {
        "user_id",
        "year",
        "counted_bucket",
    }


def test_footprint__view_and_percentile_equal_the_settled_days(aws):
    for i, trips in enumerate([1, 2, 4, 8]):  # 515 g, 1 kg, 2 kg, 4 kg
        for t in range(trips):
            add_behaviour(aws, f"p{i}", "2026-10-06", "metro", 1, f"p{i}t{t}", f"0{t}:00")
    settle(aws, "2026-10-06")
    as_before_deploy("p3", "2026")  # p3's day settled before deploy: ranked from its legacy item
    for i in range(4):
        fp = footprint.footprint(f"p{i}", "2026", "2026-11-27")
        grams, coins = days_year(f"p{i}", "2026")
        assert (
            (fp["total_grams"], fp["coins_earned"])
            == (grams, coins)
            == ledger_year(f"p{i}", "2026")
        )
        on_account = rollups_of(raw(Account, {"user_id": f"p{i}"})).get("2026", {"g": 0})["g"]
        assert (
            on_account == (0 if i == 3 else grams)
            and footprint.standing([f"p{i}"], "2026")[f"p{i}"][0] == grams
        )
        assert fp["percentile"] == [0, 33, 66, 100][i]


def test_footprint__legacy_item_grams_are_added(aws):
    add_behaviour(aws, "u1", "2026-10-07", "metro", 1, "t1")
    settle(aws, "2026-10-07")
    as_before_deploy("u1", "2026")  # settled before the roll-up moved to the account
    add_behaviour(aws, "u1", "2026-10-08", "metro", 1, "t2")
    add_behaviour(aws, "u1", "2026-10-08", "metro", 1, "t3", "18:00")
    settle(aws, "2026-10-08")
    assert rollups_of(raw(Account, {"user_id": "u1"})) == {
        "2026": {"g": 1030, "c": 103}
    }  # this credit only
    legacy = Footprint.get("u1", "2026")
    assert (int(legacy.grams), int(legacy.coins)) == (515, 51)  # the new credit left it alone
    grams, coins = ledger_year("u1", "2026")
    assert footprint.standing(["u1"], "2026")["u1"][0] == grams == 1545
    fp = footprint.footprint("u1", "2026", "2026-11-27")
    assert (fp["total_grams"], fp["coins_earned"]) == (grams, coins)
    assert (
        footprint.city_counts("2026")[footprint_rules.bucket_of(1545)] == 1
        and fp["percentile"] == 0
    )
    assert footprint.years("u1") == [{"year": 2026, "grams": 1545, "coins": coins}]


def test_settlement__reruns_and_concurrent_runs__the_year_credited_once(endpoint_aws):
    users = [f"u{i}" for i in range(8)]
    for i, u in enumerate(users):
        add_behaviour(endpoint_aws, u, "2026-10-09", "metro", 1, f"t{i}")
    threads = [threading.Thread(target=settle, args=(endpoint_aws, "2026-10-09")) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    for i, u in enumerate(users):  # late data for half of them, then two re-runs
        if i % 2:
            add_behaviour(endpoint_aws, u, "2026-10-09", "bus", 1, f"b{i}", "18:00")
    settle(endpoint_aws, "2026-10-09")
    settle(endpoint_aws, "2026-10-09")
    for i, u in enumerate(users):
        grams, coins = ledger_year(u, "2026")
        assert rollups_of(raw(Account, {"user_id": u})) == {"2026": {"g": grams, "c": coins}}
        assert grams == (727 if i % 2 else 515) and footprint.standing([u], "2026")[u][0] == grams
    assert sum(footprint.city_counts("2026")) == len(users) and checks.check_all() == []


def test_credit__across_new_year__each_day_in_its_year(aws):
    add_behaviour(aws, "u1", "2026-12-31", "metro", 1, "t1", "23:30")
    add_behaviour(aws, "u1", "2027-01-01", "metro", 1, "t2", "00:10")
    add_behaviour(aws, "u1", "2027-01-01", "bus", 1, "t3", "09:00")
    settle(aws, "2026-12-31")
    settle(aws, "2027-01-01")
    add_behaviour(aws, "u1", "2026-12-31", "bus", 1, "t4", "23:50")  # a late record of the old year
    settle(aws, "2026-12-31")
    assert rollups_of(raw(Account, {"user_id": "u1"})) == {
        "2026": dict(zip("gc", ledger_year("u1", "2026"))),
        "2027": dict(zip("gc", ledger_year("u1", "2027"))),
    }
    assert ledger_year("u1", "2026")[0] == ledger_year("u1", "2027")[0] == 727
    for year in ("2026", "2027"):
        assert footprint.footprint("u1", year, "2027-01-02")["total_grams"] == 727
        assert footprint.city_counts(year)[footprint_rules.bucket_of(727)] == 1
    assert [y["year"] for y in footprint.years("u1")] == [2026, 2027]


def test_export__lists_every_year_on_the_account_or_a_legacy_item(aws):
    for date in ("2025-06-01", "2026-06-01"):
        add_behaviour(aws, "u1", date, "metro", 1, f"t{date}")
        settle(aws, date)
    as_before_deploy("u1", "2025")  # 2025 settled before deploy: only on a Footprint item
    add_behaviour(aws, "u1", "2026-06-02", "bus", 1, "t3")
    settle(aws, "2026-06-02")
    assert set(rollups_of(raw(Account, {"user_id": "u1"}))) == {"2026"}
    assert footprint.years("u1") == [
        {"year": int(y), "grams": ledger_year("u1", y)[0], "coins": ledger_year("u1", y)[1]}
        for y in ("2025", "2026")
    ]
    assert footprint.years("nobody") == []


def test_ledger__rollups_only_by_their_names(aws):
    with pytest.raises(ValueError):
        ledger.post(ledger.Movement("u1", "adj#1", 5, "adjustment", rollups={"balance": 5}))
    with pytest.raises(ValueError):
        ledger.post(ledger.Movement("u1", "adj#1", 5, "adjustment", totals={"version": 1}))
    assert ledger.read_account("u1") is None and ledger.find_entry("u1", "adj#1") is None
    ledger.post(
        ledger.Movement("u1", "adj#2", 5, "adjustment", rollups={"fp_g_2026": 7})
    )  # creates the account
    ledger.post(
        ledger.Movement("u1", "adj#3", 5, "adjustment", rollups={"fp_g_2026": 3, "fp_c_2026": 1})
    )
    account = raw(Account, {"user_id": "u1"})
    assert rollups_of(account) == {"2026": {"g": 10, "c": 1}} and int(account["balance"]["N"]) == 10
    assert {k: int(account[k]["N"]) for k in ledger.TOTALS} == dict.fromkeys(
        ledger.TOTALS, 0
    )  # as a put made them


def test_recount__reads_accounts_and_items_batched(aws, monkeypatch):
    users = [f"r{i:03d}" for i in range(120)]
    for u in users[:60]:  # half with a legacy item, half with the roll-up on the account
        Footprint(u, "2026", grams=600).save()
    for u in users[60:]:
        ledger.post(ledger.Movement(u, "adj#1", 1, "adjustment", rollups={"fp_g_2026": 600}))
    reads, real = [], base.get_items
    monkeypatch.setattr(
        base, "get_items", lambda requests: reads.append(len(requests)) or real(requests)
    )
    assert footprint.recount(users, "2026") == 120 and reads == [
        100,
        100,
        40,
    ]  # 50 citizens a BatchGetItem
    assert footprint.city_counts("2026")[footprint_rules.bucket_of(600)] == 120
