"""The local day: every date decision in the product is made on the Asia/Shanghai calendar
(UTC+8 all year, no daylight saving), through this module and nowhere else.

Which day a trip, a step count or a partner record belongs to, which day settlement settles,
what "today" means for pending grams and merchant reports, and how a date typed by a person
is read: parse_date is total (YYYY-MM-DD only, anything else is a 422 invalid_request), so no
caller meets a ValueError or a week date such as 2026-W48-1 that Python would also accept.
Pure: no I/O.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

from core.errors import Unprocessable

SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
# [0-9], not \d (which takes "٢٠٢٦"); years 2000-2999 only: the calendar's edges (0001-01-01,
# 9999-12-31) overflow when a day is turned into UTC bounds, and no record of ours lies outside.
_ISO_DAY = re.compile(r"2[0-9]{3}-[0-9]{2}-[0-9]{2}")


class InvalidDate(Unprocessable, ValueError):
    """A date that is not a real YYYY-MM-DD day. Also a ValueError, so request validators
    (the request shapes) report it as the invalid request it is."""

    message = "Dates are written YYYY-MM-DD (years 2000-2999), for example 2026-11-23."
    message_zh = "日期格式应为 YYYY-MM-DD，例如 2026-11-23。"


def to_local(moment: datetime) -> datetime:
    """The same instant on Shanghai's clock. A moment without an offset is refused: guessing
    its zone would move records across days."""
    if moment.tzinfo is None:
        raise ValueError("a moment needs a UTC offset")
    return moment.astimezone(SHANGHAI)


def day_of(moment: datetime) -> str:
    """The Shanghai date (YYYY-MM-DD) of an instant."""
    return to_local(moment).date().isoformat()


def now() -> datetime:
    return datetime.now(UTC)


def stamp() -> str:
    """Now as tables store it: UTC ISO 8601 (sortable; compared as strings by conditions)."""
    return now().isoformat()


def today(at: datetime | None = None) -> str:
    return day_of(at or now())


def yesterday(at: datetime | None = None) -> str:
    return add_days(today(at), -1)


def add_days(day: str, n: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=n)).isoformat()


def parse_date(text) -> date:
    """A YYYY-MM-DD day (2000-2999), or InvalidDate (422) for anything else: other types, other
    shapes, impossible days (2026-02-30), years outside 2000-2999."""
    if not isinstance(text, str) or not _ISO_DAY.fullmatch(text):
        raise InvalidDate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidDate() from None


def day_from_timestamp(seconds: int) -> str:
    """The Shanghai date of a Unix timestamp (WeRun stamps each day at its local midnight)."""
    return datetime.fromtimestamp(int(seconds), tz=SHANGHAI).date().isoformat()


def end_of_day(day: str) -> str:
    """The last second of a Shanghai day, with its offset (when a day's step count 'occurred')."""
    return f"{day}T23:59:59+08:00"


def utc_bounds(day: str) -> tuple[str, str]:
    """The UTC instants (ISO) where a Shanghai day starts and the next one starts."""
    start = datetime.combine(parse_date(day), datetime.min.time(), SHANGHAI)
    return start.astimezone(UTC).isoformat(), (start + timedelta(days=1)).astimezone(
        UTC
    ).isoformat()


def last_moment(day: str) -> datetime:
    """23:59:59 Asia/Shanghai of `day` (an instant): a voucher valid through a day is valid all of it."""
    return datetime.combine(parse_date(day), time(23, 59, 59), SHANGHAI)


def local_iso(value, timespec: str = "seconds") -> str | None:
    """A datetime or an ISO 8601 string -> ISO 8601 at +08:00, as every time leaves the API
    (never Z/+00:00). None stays None; a value without an offset is taken as UTC, as the tables
    store it. China has kept UTC+8 without daylight saving since 1991: a fixed offset is exact."""
    if value is None or value == "":
        return None
    moment = (
        value
        if isinstance(value, datetime)
        else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    )
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(SHANGHAI).isoformat(timespec=timespec)


def local_minute(moment_iso: str) -> str:
    """'YYYY-MM-DD HH:MM' on Shanghai's clock, as a message shows a time to a citizen."""
    return to_local(datetime.fromisoformat(moment_iso)).strftime("%Y-%m-%d %H:%M")


_AWARE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})"
)


def local_times(value):
    """A JSON value (a ledger entry's detail) with every date-time string in it at +08:00: details
    written before every writer stored local times (refund and expiry entries said UTC) read as
    the rest. Other values are returned as they are."""
    if isinstance(value, dict):
        return {k: local_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [local_times(v) for v in value]
    if isinstance(value, str) and _AWARE.fullmatch(value):
        try:
            return local_iso(value, timespec="auto" if "." in value else "seconds")
        except (ValueError, OverflowError):  # kept before facts' times were checked: as it is
            return value
    return value
