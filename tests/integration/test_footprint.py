"""The footprint: roll-ups kept by settlement, read without a Scan."""

from core.books import checks
from core.carbon import footprint, footprint_rules, settlement_runs
from models import LedgerEntry
from models.footprints import Footprint
from tests.support.behaviours import add_behaviour


def settle(s, date):
    return settlement_runs.run_date(s, date, workers=2)


def settled_grams(user_id: str, year: str) -> int:
    return sum(
        int(e.detail["grams"])
        for e in LedgerEntry.query(user_id)
        if e.kind == "settlement" and e.detail["date"].startswith(year)
    )


def test_footprint__two_months__totals_equal_the_ledger(aws):
    add_behaviour(aws, "u1", "2026-10-31", "metro", 1, "t1")  # a trip record is one trip
    add_behaviour(aws, "u1", "2026-10-31", "metro", 1, "t1b", "18:00")
    add_behaviour(aws, "u1", "2026-11-01", "bus", 1, "t2")
    add_behaviour(aws, "u1", "2026-11-01", "walk", 12000, "w1", source="werun")
    for d in ("2026-10-31", "2026-11-01"):
        settle(aws, d)
    fp = footprint.footprint("u1", "2026", "2026-11-27")
    assert fp["total_grams"] == settled_grams("u1", "2026") == 1030 + 212 + 240
    assert [m["month"] for m in fp["months"]] == [f"2026-{m:02d}" for m in range(1, 12)]
    by_month = {m["month"]: m for m in fp["months"]}
    assert by_month["2026-10"] == {
        "month": "2026-10",
        "grams": 1030,
        "by_scenario": {"metro": 1030},
    }
    assert by_month["2026-11"]["by_scenario"] == {"bus": 212, "walk": 240}
    assert fp["coins_earned"] == sum(
        int(e.amount) for e in LedgerEntry.query("u1") if e.kind == "settlement"
    )
    assert fp["trees_equivalent"] == round(1482 / 6000, 2) and "EPA" in fp["trees_factor"]["source"]
    assert fp["percentile"] == 0  # the only active citizen: nobody has fewer grams


def test_footprint__late_data_and_reruns__counted_once(aws):
    add_behaviour(aws, "u1", "2026-10-05", "metro", 1, "t1")
    settle(aws, "2026-10-05")
    add_behaviour(aws, "u1", "2026-10-05", "bus", 1, "t2", "18:00")
    settle(aws, "2026-10-05")
    settle(aws, "2026-10-05")
    fp = footprint.footprint("u1", "2026", "2026-11-27")
    assert (
        fp["total_grams"]
        == settled_grams("u1", "2026")
        == 727
        == footprint.standing(["u1"], "2026")["u1"][0]
    )
    assert {m["month"]: m["by_scenario"] for m in fp["months"]}["2026-10"] == {
        "bus": 212,
        "metro": 515,
    }
    assert checks.check_account("u1") == []


def test_footprint__percentile__share_of_active_citizens_with_fewer_grams(aws):
    for i, trips in enumerate([1, 2, 4, 8]):  # 515 g, 1 kg, 2 kg, 4 kg: four different buckets
        for t in range(trips):
            add_behaviour(aws, f"p{i}", "2026-10-06", "metro", 1, f"p{i}t{t}", f"0{t}:00")
    settle(aws, "2026-10-06")
    assert sum(footprint.city_counts("2026")) == 4
    assert [footprint.footprint(f"p{i}", "2026", "2026-11-27")["percentile"] for i in range(4)] == [
        0,
        33,
        66,
        100,
    ]
    assert footprint.footprint("nobody", "2026", "2026-11-27")["percentile"] is None


def test_footprint__recount__moves_a_citizen_once(aws):
    add_behaviour(aws, "u1", "2026-10-07", "metro", 1, "t1")
    settle(aws, "2026-10-07")
    before = footprint.city_counts("2026")
    assert footprint.recount(["u1"], "2026") == 0  # already in the right bucket
    Footprint("u1", "2026").update(
        actions=[Footprint.grams.add(100_000)]
    )  # as if a credit's count was lost
    assert footprint.recount(["u1"], "2026") == 1 and footprint.recount(["u1"], "2026") == 0
    after = footprint.city_counts("2026")
    assert sum(after) == sum(before) == 1 and after[footprint_rules.bucket_of(100_515)] == 1


def test_footprint__recount__a_batch_moves_in_one_write_and_a_stale_mover_alone(aws, monkeypatch):
    grams = {
        f"m{i}": 500 * 2**i for i in range(10)
    }  # ten citizens new this year, in several buckets
    for u, g in grams.items():
        Footprint(u, "2026", grams=g).save()
    from pynamodb.connection import Connection

    # Each transaction sent (committed or not), as the Footprint updates it carries.
    writes, real_transact, real_standing = [], Connection.transact_write_items, footprint.standing

    def transact(self, *args, **kwargs):
        updates = kwargs.get("update_items", args[3] if len(args) > 3 else [])
        writes.append(sum(u["TableName"] == Footprint.Meta.table_name for u in updates))
        return real_transact(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "transact_write_items", transact)
    assert footprint.recount(list(grams)[:5], "2026") == 5 and writes == [
        5
    ]  # one transaction for the batch

    # Another run moves m7 after this run read it as not yet counted.
    assert footprint.recount(["m7"], "2026") == 1

    def stale(user_ids, year):
        return {
            u: (g, None if u == "m7" else b) for u, (g, b) in real_standing(user_ids, year).items()
        }

    monkeypatch.setattr(footprint, "standing", stale)
    writes.clear()
    assert footprint.recount(list(grams)[5:], "2026") == 4 and writes == [
        5,
        1,
        1,
        1,
        1,
        1,
    ]  # then each alone
    monkeypatch.setattr(footprint, "standing", real_standing)
    assert footprint.recount(list(grams), "2026") == 0  # nobody twice, nobody left out
    counts = footprint.city_counts("2026")
    expected = [0] * footprint_rules.BUCKETS
    for fp in Footprint.batch_get([(u, "2026") for u in grams]):
        expected[footprint_rules.bucket_of(int(fp.grams))] += 1
    assert counts == expected and sum(counts) == 10


def test_footprint_api__this_year_by_default_and_bad_years_422(client, citizen):
    h = {"Authorization": citizen["Authorization"]}
    r = client.get("/api/v1/footprint", headers=h)
    assert r.status_code == 200 and r.json["total_grams"] == 0 and r.json["percentile"] is None
    for bad in ("1999", "20x6", "3000", "-1", "２０２６"):
        r = client.get(f"/api/v1/footprint?year={bad}", headers=h)
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", bad
    assert client.get("/api/v1/footprint").status_code == 401
