"""Request shapes read input as the pydantic models they replaced did (lenient numbers, the same
messages, first problems in field order), and the document describes the same constraints."""

from typing import Literal

import pytest

from miniprogram_api.shapes import AwareDatetime, Day, Field, Invalid, Model


class Item(Model):
    name: str = Field(min_length=1, max_length=3, pattern=r"^[a-z]+$")
    qty: int = Field(1, ge=1, le=10)


class Body(Model):
    items: list[Item] = Field(min_length=1, max_length=2)
    ratio: float = Field(gt=0, le=1e9)
    since: Day = Field(alias="from")
    at: AwareDatetime | None = None
    answers: dict[Literal["a", "b"], Literal["yes", "no"]] = Field({"a": "yes"}, min_length=1)
    note: str | None = Field(None, max_length=5)


def problems(data) -> list:
    with pytest.raises(Invalid) as e:
        Body.read(data)
    return e.value.problems


GOOD = {"items": [{"name": "ab"}], "ratio": 1, "from": "2026-11-23"}


def test_lenient_numbers_and_defaults():
    b = Body.read({**GOOD, "items": [{"name": "ab", "qty": " 5.0 "}], "ratio": "1e3", "extra": 1})
    assert (b.items[0].qty, b.ratio, b.since.isoformat(), b.note, b.answers) == (
        5,
        1000.0,
        "2026-11-23",
        None,
        {"a": "yes"},
    )
    assert Body.read({**GOOD, "items": [{"name": "ab", "qty": True}]}).items[0].qty == 1
    assert b.model_dump()["items"] == [{"name": "ab", "qty": 5}]


@pytest.mark.parametrize(
    "qty, message",
    [
        (5.5, "Input should be a valid integer, got a number with a fractional part"),
        ("0x10", "Input should be a valid integer, unable to parse string as an integer"),
        ("５", "Input should be a valid integer, unable to parse string as an integer"),
        (None, "Input should be a valid integer"),
        (0, "Input should be greater than or equal to 1"),
        (11, "Input should be less than or equal to 10"),
        (float("nan"), "Input should be a finite number"),
    ],
)
def test_int_messages(qty, message):
    assert problems({**GOOD, "items": [{"name": "ab", "qty": qty}]}) == [
        (("items", 0, "qty"), message)
    ]


def test_strings_lists_dicts_aliases_and_order():
    assert problems(
        {"items": [], "ratio": "x", "from": "2026-1-1", "answers": {"c": "maybe"}, "note": 5}
    ) == [
        (("items",), "List should have at least 1 item after validation, not 0"),
        (("ratio",), "Input should be a valid number, unable to parse string as a number"),
        (
            ("from",),
            "Value error, Dates are written YYYY-MM-DD (years 2000-2999), for example 2026-11-23.",
        ),
        (("answers", "c", "[key]"), "Input should be 'a' or 'b'"),
        (("answers", "c"), "Input should be 'yes' or 'no'"),
        (("note",), "Input should be a valid string"),
    ]
    assert problems({**GOOD, "items": [{"name": "ab\n"}, {"name": ""}]}) == [
        (
            ("items", 0, "name"),
            "String should match pattern '^[a-z]+$'",
        ),  # `$` does not take a newline
        (("items", 1, "name"), "String should have at least 1 character"),
    ]
    assert problems({**GOOD, "items": [1, 2, 3]}) == [
        (("items",), "List should have at most 2 items after validation, not 3")
    ]
    assert problems({"since": "2026-11-23", "ratio": 1, "items": [1]}) == [
        (("items", 0), "Input should be a valid dictionary or instance of Item"),
        (("from",), "Field required"),
    ]
    assert problems([]) == [((), "Input should be a valid dictionary or instance of Body")]


def test_moments_need_an_offset():
    at = Body.read({**GOOD, "at": "2026-11-23T08:00:00.1234567+08:00"}).at
    assert at.isoformat() == "2026-11-23T08:00:00.123456+08:00"
    assert Body.read({**GOOD, "at": 1700000000}).at.isoformat() == "2023-11-14T22:13:20+00:00"
    assert problems({**GOOD, "at": "2026-11-23T08:00:00"}) == [
        (("at",), "Input should have timezone info")
    ]
    assert problems({**GOOD, "at": "2026-13-01T00:00:00Z"})[0][1].startswith(
        "Input should be a valid datetime"
    )


def test_document_schema_from_the_same_fields():
    from miniprogram_api.openapi_schema import _model_schema

    defs: dict = {}
    s = _model_schema(Body, defs)
    assert list(s["properties"]) == ["items", "ratio", "from", "at", "answers", "note"]
    assert s["required"] == ["items", "ratio", "from"]
    assert s["properties"]["ratio"] == {
        "exclusiveMinimum": 0,
        "maximum": 1e9,
        "title": "Ratio",
        "type": "number",
    }
    assert s["properties"]["note"] == {
        "anyOf": [{"maxLength": 5, "type": "string"}, {"type": "null"}],
        "default": None,
        "title": "Note",
    }
    assert s["properties"]["answers"]["propertyNames"] == {"enum": ["a", "b"]}
    assert defs["Item"]["schema"]["properties"]["name"]["pattern"] == "^[a-z]+$"
