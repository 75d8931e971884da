"""The ranking's arithmetic (core.carbon.ranking_rules): API.md's `GET /api/v1/rankings` periods,
ranks with ties, and the caller's own rank and percentile, exact when no two citizens share a bucket."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from core.carbon import ranking_rules as rules

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2999, 12, 31))


def test_ranked__best_first__equal_grams_share_a_rank__ties_stable__top_limit():
    entries = [["u4", 10], ["u1", 30], ["u3", 20], ["u2", 20], ["u5", 5]]
    assert rules.ranked(entries) == [
        (1, "u1", 30),
        (2, "u2", 20),
        (2, "u3", 20),
        (4, "u4", 10),
        (5, "u5", 5),
    ]
    assert [u for _, u, _ in rules.ranked(entries, 2)] == ["u1", "u2"]
    assert rules.ranked([]) == []


@given(DAYS)
def test_periods__the_iso_week_monday_to_sunday_and_the_calendar_month(day):
    week, month = rules.periods(day.isoformat())
    first, last = rules.bounds(week)
    assert date.fromisoformat(first).weekday() == 0
    assert date.fromisoformat(last) - date.fromisoformat(first) == timedelta(days=6)
    assert first <= day.isoformat() <= last
    first, last = rules.bounds(month)
    assert first == day.replace(day=1).isoformat()
    assert (date.fromisoformat(last) + timedelta(days=1)).day == 1
    assert last[:7] == day.isoformat()[:7]


def test_standing__no_grams__no_rank_and_no_percentile():
    assert rules.standing([0] * rules.BUCKETS, 0) == (None, None)


def _in_bucket(b: int) -> int:
    """Some grams in bucket b (its lower edge, rounded up into it)."""
    g = 50 if b == 0 else int(rules.FIRST * rules.RATIO ** (b - 1)) + 1
    assert rules.bucket_of(g) == b
    return g


@given(
    st.lists(st.integers(min_value=0, max_value=rules.BUCKETS - 1), min_size=1, unique=True),
    st.data(),
)
def test_standing__exact_when_no_two_share_a_bucket(buckets, data):
    grams = [_in_bucket(b) for b in buckets]
    counts = [0] * rules.BUCKETS
    for b in buckets:
        counts[b] += 1
    g = data.draw(st.sampled_from(grams))
    rank, pct = rules.standing(counts, g)
    assert rank == 1 + sum(other > g for other in grams)
    others, fewer = len(grams) - 1, sum(other < g for other in grams)
    assert pct == (0 if others == 0 else int(100 * fewer / others))
