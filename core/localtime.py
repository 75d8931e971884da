"""Asia/Shanghai, the platform's one clock for people. Pure: no I/O.

Times are stored in UTC; every time a person (or a client) reads leaves through `local_iso`,
with the +08:00 offset, never Z/+00:00 (API.md). China has kept UTC+8 without daylight saving
since 1991, so a fixed offset is exact and needs no tz database on Lambda.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def now() -> datetime:
    return datetime.now(SHANGHAI)


def today() -> str:
    return now().date().isoformat()


def local_iso(value, timespec: str = "seconds") -> str | None:
    """A datetime, an ISO 8601 string or unix seconds -> ISO 8601 at +08:00 (None stays None).
    A naive value is taken as UTC, as the tables store it."""
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        dt = datetime.fromtimestamp(float(value), timezone.utc)
    elif isinstance(value, datetime):
        dt = value
    else:
        dt = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(SHANGHAI).isoformat(timespec=timespec)


def end_of_local_day(day: date) -> datetime:
    """23:59:59 Asia/Shanghai of `day`: a voucher valid through a day is valid all of it."""
    return datetime.combine(day, time(23, 59, 59), SHANGHAI)


def utc_iso() -> str:
    """Now, as the tables store it (UTC, sortable)."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
