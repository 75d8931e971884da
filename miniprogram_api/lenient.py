"""JSON scalars read as int, float or a moment as leniently as the API always read them (pydantic's
lax mode): "5", " 5 ", 5.0 and True are the int 5 or 1; "1e3" is a float; a Unix timestamp or an
ISO 8601 text with an offset is a moment. Each reader returns (value, None) or (input, message).
What a value may be at all (finite, exact, inside the calendar) is core.jsonbounds's to say: these
readers only add the leniency of the text forms."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

from core import jsonbounds

_INT = re.compile(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?", re.ASCII)
_FLOAT = re.compile(
    r"[+-]?(?:(?:[0-9]+(?:_[0-9]+)*)?(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|inf(?:inity)?|nan)",
    re.ASCII | re.IGNORECASE,
)
_STAMP = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)", re.ASCII)
_MOMENT = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[Tt ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?"
    r"([Zz]|[+-][0-9]{2}:?[0-9]{2})?)?",
    re.ASCII,
)


_INT_LIMIT = 2**63  # a DynamoDB number holds 38 digits; no count or id this API reads comes near


def read_int(v):
    if isinstance(v, bool) or isinstance(v, int):
        if abs(v) >= _INT_LIMIT:
            return v, "Unable to parse input string as an integer, exceeded maximum size"
        return int(v), None
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            return v, "Input should be a finite number"
        if not v.is_integer():
            return v, "Input should be a valid integer, got a number with a fractional part"
        if abs(v) >= 2**63:
            return v, "Unable to parse input string as an integer, exceeded maximum size"
        return int(v), None
    if isinstance(v, str):
        s = v.strip()
        if _INT.fullmatch(s) and len(s) < 40:
            return read_int(int(s.split(".")[0]))
        return v, "Input should be a valid integer, unable to parse string as an integer"
    return v, "Input should be a valid integer"


def read_float(v):
    if isinstance(v, (bool, int, float)):
        f = jsonbounds.finite(v)
        return (f, None) if f is not None else (v, "Input should be a finite number")
    if isinstance(v, str):
        s = v.strip()
        if (
            s
            and s not in "+-."
            and _FLOAT.fullmatch(s)
            and any(c.isalnum() for c in s.lstrip("+-."))
        ):
            try:
                return read_float(float(s))
            except ValueError:
                pass
        return v, "Input should be a valid number, unable to parse string as a number"
    return v, "Input should be a valid number"


def read_moment(v):
    if (
        isinstance(v, (int, float))
        and not isinstance(v, bool)
        or isinstance(v, str)
        and _STAMP.fullmatch(v)
    ):
        seconds = jsonbounds.finite(v if not isinstance(v, str) else float(v))
        if seconds is not None:
            seconds = (
                seconds / 1000 if abs(seconds) > 2e10 else seconds
            )  # as pydantic: big numbers are milliseconds
            moment = jsonbounds.from_timestamp(seconds)
            if moment is not None:
                return moment, None
        edge = "before 0000" if str(v).lstrip().startswith("-") else "after 9999"
        return (
            v,
            f"Input should be a valid datetime, dates {edge} are not supported as unix timestamps",
        )
    if not isinstance(v, str):
        return v, "Input should be a valid datetime"
    m = _MOMENT.fullmatch(v)
    if not m:
        return v, "Input should be a valid datetime or date, invalid datetime format"
    y, mo, d, h, mi, s, frac, off = m.groups()
    if h is None or off is None:
        return v, "Input should have timezone info"
    try:
        sign, digits = (1 if off[0] == "+" else -1), off[1:].replace(":", "")
        tz = (
            UTC
            if off in "Zz"
            else timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))
        )
        moment = datetime(
            int(y),
            int(mo),
            int(d),
            int(h),
            int(mi),
            int(s or 0),
            int((frac or "0")[:6].ljust(6, "0")),
            tzinfo=tz,
        )
    except ValueError:
        return v, "Input should be a valid datetime or date, invalid datetime format"
    if not jsonbounds.in_calendar(moment):
        return v, "Input should be a valid datetime, too near the calendar's first or last day"
    return moment, None
