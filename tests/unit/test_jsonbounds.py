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
