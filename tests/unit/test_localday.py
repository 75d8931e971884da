"""The local day (core.localday): Asia/Shanghai dates, and one total date parser."""

from datetime import UTC, date, datetime

import pytest

from core import localday
from core.errors import Unprocessable

LATE_UTC = datetime(2026, 11, 22, 16, 30, tzinfo=UTC)  # 00:30 on 23 Nov in Guangzhou


def test_day_of__utc_evening_is_next_shanghai_day():
    assert localday.day_of(LATE_UTC) == "2026-11-23"
    assert localday.day_of(datetime(2026, 11, 22, 15, 59, 59, tzinfo=UTC)) == "2026-11-22"


def test_today_and_yesterday__on_shanghai_calendar():
    assert (localday.today(LATE_UTC), localday.yesterday(LATE_UTC)) == ("2026-11-23", "2026-11-22")
    assert localday.yesterday(datetime(2026, 3, 1, 1, tzinfo=UTC)) == "2026-02-28"


def test_to_local__naive_moment_refused():
    with pytest.raises(ValueError):
        localday.to_local(datetime(2026, 11, 23, 8, 0))


@pytest.mark.parametrize("text", ["2026-11-23", "2024-02-29"])
def test_parse_date__iso_day(text):
    assert localday.parse_date(text) == date.fromisoformat(text)


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "20261123",
        "2026-W48-1",
        "2026-02-30",
        "2026-11-23T00:00",
        " 2026-11-23",
        "２０２６-11-23",
        None,
        0,
        20261123,
        date(2026, 11, 23),
        "2026-13-01",
    ],
)
def test_parse_date__anything_else_is_a_422_not_a_crash(bad):
    with pytest.raises(Unprocessable) as e:
        localday.parse_date(bad)
    assert e.value.http_status == 422 and e.value.code == "invalid_request"
    assert isinstance(e.value, ValueError)  # request validators report it as invalid input
    assert "YYYY-MM-DD" in e.value.text("zh") and "YYYY-MM-DD" in e.value.text("en")


def test_utc_bounds__shanghai_midnight_to_midnight():
    assert localday.utc_bounds("2026-11-23") == (
        "2026-11-22T16:00:00+00:00",
        "2026-11-23T16:00:00+00:00",
    )


def test_day_from_timestamp__werun_local_midnight():
    assert localday.day_from_timestamp(1763827200) == "2025-11-23"  # 2025-11-22T16:00Z


def test_local_minute__as_a_citizen_reads_it():
    assert localday.local_minute("2026-11-22T16:30:00+00:00") == "2026-11-23 00:30"


@pytest.mark.parametrize(
    "stored, shown",
    [
        ("2026-11-22T16:30:00+00:00", "2026-11-23T00:30:00+08:00"),
        ("2026-11-22T16:30:00Z", "2026-11-23T00:30:00+08:00"),
        ("2026-11-22T16:30:00", "2026-11-23T00:30:00+08:00"),  # no offset: UTC, as tables store it
        (LATE_UTC, "2026-11-23T00:30:00+08:00"),
        (None, None),
    ],
)
def test_local_iso__every_time_leaves_at_plus_eight(stored, shown):
    assert localday.local_iso(stored) == shown


def test_last_moment__the_last_second_of_the_shanghai_day():
    assert localday.last_moment("2026-12-31").isoformat() == "2026-12-31T23:59:59+08:00"
    assert (
        localday.last_moment("2026-12-31").astimezone(UTC).isoformat()
        == "2026-12-31T15:59:59+00:00"
    )
