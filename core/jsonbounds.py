"""Values from outside, bounded: the one place where JSON text, numbers and times that a client, a
partner, an organisation, WeChat (WeRun contents) or WeChat Pay (a decrypted resource) sent become
values. Every request body is parsed by `loads`; the request shapes (miniprogram_api.shapes through
miniprogram_api.lenient), WeRun (core.carbon.steps) and WeChat Pay (gateways.wechatpay) read their
numbers and times through the readers below. Pure: no I/O.

Invariants of what comes out:
- JSON nests at most MAX_DEPTH levels: Python's json recurses once per level, so 256 KiB of "[" would
  end in RecursionError (a 500) deep inside the parser; the depth is counted on the raw text first.
- Every string (keys included) is a sequence of Unicode scalar values: a lone UTF-16 surrogate
  ("\\ud800" is valid JSON text) cannot be encoded as UTF-8, so DynamoDB, a log line or an HTTP call
  would fail on it later; it is refused here. Non-characters (U+FDD0..U+FDEF, U+xFFFE, U+xFFFF) are
  scalar values that UTF-8 encodes and DynamoDB stores; Unicode (Corrigendum #9) allows them in
  interchange, so they are kept as text and fields that need less declare a pattern.
- Every number is finite: NaN, Infinity and literals beyond a float (1e999) are refused; integers
  of any size are exact Python ints, compared with bounds before any float conversion.
- A number read by `finite` is zero or at least SMALLEST in magnitude: DynamoDB stores nothing
  nearer zero than 1e-130 (a partner's quantity of 1e-131 km passed every bound and was retried
  into a 503 at its write, which the partner would resend for ever).
- A moment is inside the calendar as seen from any offset (UTC and Asia/Shanghai included), so no
  later conversion overflows.
- A date-time sent as text and kept (`moment`) has an offset and lies inside the calendar: WeChat
  Pay's success_time was kept as sent on an order paid after its cancellation, and one at the
  calendar's edge made every later read of the order a 500 when it was shown at +08:00.
- A Unix time sent as header text (a partner's X-Timestamp, WeChat Pay's Wechatpay-Timestamp, the
  official account's timestamp) is at most 12 ASCII digits: str.isdigit() is also true for "²" and
  "١٢٣" (headers arrive as Latin-1, so a byte 0xB2 is "²", which int() refuses), and 400 digits are
  an int no float subtraction from the clock can hold.
Anything else is a ValueError (from `loads`) or None (from a reader): the caller turns it into a 4xx.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta

MAX_DEPTH = 32
SMALLEST = 1e-130  # DynamoDB's smallest non-zero magnitude
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
# A day of margin at both ends: any UTC offset (at most ±24 h in Python) stays inside year 1..9999.
FIRST_MOMENT = datetime(1, 1, 2, tzinfo=UTC)
LAST_MOMENT = datetime(9999, 12, 30, 23, 59, 59, 999999, tzinfo=UTC)


class TooDeep(ValueError):
    pass


class NotText(ValueError):
    """A string holding a lone surrogate: not Unicode text."""


class NotFinite(ValueError):
    """NaN, Infinity or a number no float can hold."""


def too_deep(text: str, max_depth: int) -> bool:
    """Whether arrays and objects in `text` nest deeper than max_depth (brackets in strings don't count)."""
    level = 0
    for m in _BRACKET.finditer(_STRING.sub("", text)):
        level += 1 if m.group() in "[{" else -1
        if level > max_depth:
            return True
    return False


def is_text(s: str) -> bool:
    """Whether `s` is made of Unicode scalar values only (no lone surrogate)."""
    return not _SURROGATE.search(s)


def _refuse_constant(name: str):
    raise NotFinite(f"{name} is not a JSON number")


def _finite_float(s: str) -> float:
    f = float(s)
    if not math.isfinite(f):
        raise NotFinite("number out of range")
    return f


def _check_text(value) -> None:
    # Iterative: the depth is bounded already, but a wide document must not cost a frame per item.
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if not is_text(v):
                raise NotText("a string holds a lone UTF-16 surrogate")
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)


def loads(data: str | bytes, max_depth: int = MAX_DEPTH):
    """JSON from outside as values: ValueError (never RecursionError, OverflowError or a later
    UnicodeEncodeError) for text nested too deep, a non-finite number or a lone surrogate."""
    text = data.decode("utf-8") if isinstance(data, (bytes, bytearray)) else data
    # Cheap first: fewer brackets than the limit cannot be too deep.
    if text.count("[") + text.count("{") > max_depth and too_deep(text, max_depth):
        raise TooDeep(f"JSON nested deeper than {max_depth} levels")
    value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
    if "\\" in text or not is_text(
        text
    ):  # surrogates arrive as escapes (UTF-8 bytes cannot hold one)
        _check_text(value)
    return value


def whole(value, low: int, high: int) -> int | None:
    """An integer in low..high from a JSON number (an int, or a float with no fraction); None for
    anything else (bool, text, a fraction, NaN, infinity, out of range). Compared as ints: no overflow."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return value if low <= value <= high else None


def exact_int(value, low: int, high: int) -> int | None:
    """An amount of money: a JSON integer in low..high and nothing else (not 1000.0, "1000" or True):
    money from outside is compared exactly, never rounded or truncated into agreement."""
    if type(value) is not int:
        return None
    return value if low <= value <= high else None


def finite(value) -> float | None:
    """A finite float from an int or float of any size; None if it has none (bool, text, NaN, ±inf,
    10**400) or lies nearer zero than SMALLEST without being zero (4.9e-324, 1e-131)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        f = float(value)
    except OverflowError:
        return None
    return f if math.isfinite(f) and (f == 0 or abs(f) >= SMALLEST) else None


def in_calendar(moment: datetime) -> bool:
    """Whether an aware moment can be seen at every UTC offset without leaving year 1..9999."""
    try:
        return FIRST_MOMENT <= moment.astimezone(UTC) <= LAST_MOMENT
    except (OverflowError, ValueError):
        return False


def unix_seconds(text) -> int | None:
    """A Unix time in seconds from header or query text: 1 to 12 ASCII digits, else None."""
    if not isinstance(text, str) or not (0 < len(text) <= 12 and text.isascii() and text.isdigit()):
        return None
    return int(text)


def moment(text) -> datetime | None:
    """An ISO 8601 date-time with an offset (RFC 3339, as WeChat Pay's success_time) inside the
    calendar, or None: "NaN", a naive time or 9999-12-31T23:59:59-12:00 are no moment to keep."""
    if not isinstance(text, str) or not (0 < len(text) <= 40 and text.isascii()):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None and in_calendar(value) else None


def from_timestamp(seconds) -> datetime | None:
    """A Unix timestamp (int or float, any size) as an aware UTC moment inside the calendar, or None."""
    f = finite(seconds)
    if f is None:
        return None
    try:
        moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=f)
    except (OverflowError, ValueError):
        return None
    return moment if in_calendar(moment) else None
