"""A day's records' grams add up exactly to the day's total: the grams the per-record floors
leave over go to the largest remainders first (GET /api/v1/reductions/{date}/records)."""

from core import localday
from tests.support.behaviours import add_behaviour


def test_day_records__grams_sum_to_the_days_total(client, citizen, aws):
    h, user_id, day = (
        {"Authorization": citizen["Authorization"]},
        citizen["user"]["id"],
        localday.yesterday(),
    )
    for i, at in enumerate(("08:00", "12:00", "18:00")):
        add_behaviour(aws, user_id, day, "metro", 1, f"m{i}", at)
    add_behaviour(aws, user_id, day, "bus", 1, "b1", "19:00")
    r = client.get(f"/api/v1/reductions/{day}/records", headers=h)
    assert r.status_code == 200, r.json
    grams = [i["grams"] for i in r.json["items"]]
    assert sum(grams) == r.json["total_grams"] > 0, r.json
    metro = [i for i in r.json["items"] if i["scenario"] == "metro"]
    exact = sum(float(i["counted_quantity"]) * float(i["grams_per_unit"]) for i in metro)
    assert sum(i["grams"] for i in metro) == int(exact)  # the scenario's floor, not the floors' sum
    assert (
        max(i["grams"] for i in metro) - min(i["grams"] for i in metro) <= 1
    )  # each within a gram


def test_gram_shares__fractional_grams__the_floors_leftover_goes_to_the_largest_remainders():
    from decimal import Decimal
    from types import SimpleNamespace as NS

    from core.carbon.trace import gram_shares

    def counted(rid, qty, per):
        return NS(
            record=NS(record_id=rid, scenario="bike"),
            quantity=Decimal(qty),
            grams_per_unit=Decimal(per),
        )

    # 46.5 + 46.5 + 46.5 + 46.7 = 186.2 -> the day counts 186 g; the floors (46 x 4 = 184) lose 2.
    items = [
        counted("a", "0.5", "93"),
        counted("b", "0.5", "93"),
        counted("c", "0.5", "93"),
        counted("d", "0.5", "93.4"),
    ]
    shares = gram_shares([NS(scenario="bike", grams=186)], items)
    assert sum(shares.values()) == 186
    assert shares == {
        "a": 47,
        "b": 46,
        "c": 46,
        "d": 47,
    }  # d's remainder (.7) first, then a (.5, smaller key)
