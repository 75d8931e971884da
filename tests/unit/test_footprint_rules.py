from core.carbon import footprint_rules as r
from models.footprints import BUCKETS


def test_buckets__same_count_as_the_table_model():
    assert r.BUCKETS == BUCKETS


def test_bucket_of__geometric_and_capped():
    assert r.bucket_of(0) is None and r.bucket_of(-5) is None
    assert r.bucket_of(1) == 0 and r.bucket_of(999) == 0 and r.bucket_of(1000) == 1
    assert r.bucket_of(1199) == 1 and r.bucket_of(1200) == 2
    assert r.bucket_of(10**15) == BUCKETS - 1
    assert all(r.bucket_of(g) <= r.bucket_of(g + 1) for g in range(1, 50_000, 7))


def test_percentile__own_bucket_counts_half():
    counts = [0] * BUCKETS
    counts[0], counts[3] = 3, 2  # the citizen is one of the two in bucket 3
    g = 1500  # bucket 3: [1440, 1728)
    assert r.bucket_of(g) == 3
    assert r.percentile(counts, g) == int(100 * 3.5 / 4)


def test_percentile__alone_is_zero_inactive_is_none():
    counts = [0] * BUCKETS
    counts[r.bucket_of(500)] = 1
    assert r.percentile(counts, 500) == 0 and r.percentile(counts, 0) is None


def test_months__every_month_to_the_last_with_scenarios_summed():
    days = [
        ("2026-01-02", 10, {"metro": 10}),
        ("2026-01-30", 5, {"bus": 3, "metro": 2}),
        ("2026-03-01", 7, {}),
    ]
    out = r.months(days, "2026", "2026-03")
    assert out == [
        {"month": "2026-01", "grams": 15, "by_scenario": {"bus": 3, "metro": 12}},
        {"month": "2026-02", "grams": 0, "by_scenario": {}},
        {"month": "2026-03", "grams": 7, "by_scenario": {}},
    ]


def test_trees__two_decimals():
    assert r.trees(9000, 6000) == 1.5 and r.trees(0, 6000) == 0
