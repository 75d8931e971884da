import json

import pytest

from core import jsonbounds


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"a":' * 50_000,
        "[" * 33 + "]" * 33,
        '{"a":[{"b":' * 20 + "1" + "}]" * 20 + "}",
    ],
)
def test_loads__nested_deeper_than_the_limit__value_error_not_recursion(text):
    with pytest.raises(ValueError):
        jsonbounds.loads(text)


@pytest.mark.parametrize(
    "value",
    [
        [[[1]]],
        {"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["},
        {"s": '\\"' + "[" * 40},
        [[1]] * 1000,
        "x",
    ],
)
def test_loads__within_the_limit__same_as_json(value):
    text = json.dumps(value)
    assert jsonbounds.loads(text) == value and jsonbounds.loads(text.encode()) == value


@pytest.mark.parametrize("raw", [b"\xff\xfe", b"", b"\x00", "١٢٣".encode()])
def test_loads__not_json__value_error(raw):
    with pytest.raises(ValueError):
        jsonbounds.loads(raw)


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-07T10:00:00+08:00",
        "2026-12-07T02:00:00Z",
        "2026-12-07T02:00:00.123456+00:00",
        "0001-01-03T00:00:00+14:00",
    ],
)
def test_moment__a_time_with_an_offset_inside_the_calendar(text):
    assert jsonbounds.moment(text) is not None


@pytest.mark.parametrize(
    "text",
    [
        "",
        "NaN",
        "2026-12-07T10:00:00",  # naive
        "9999-12-31T23:59:59-12:00",  # past the calendar at UTC
        "0001-01-01T00:00:00+14:00",  # before it
        "２０２６-12-07T10:00:00+08:00",
        "2026-12-07T10:00:00+08:00" + " " * 40,
        None,
        1796650000,
    ],
)
def test_moment__anything_else_is_none(text):
    assert jsonbounds.moment(text) is None


def test_local_times__a_kept_time_past_the_calendar__left_as_it_is():
    from core import localday

    kept = {"uploaded_at": "9999-12-31T23:59:59-12:00", "at": "2026-12-07T02:00:00Z"}
    assert localday.local_times(kept) == {
        "uploaded_at": "9999-12-31T23:59:59-12:00",
        "at": "2026-12-07T10:00:00+08:00",
    }
