"""Request and response shapes: one class both validates what a client sends and describes itself
as JSON Schema for /openapi.json (miniprogram_api.openapi_doc), so the document cannot drift from
what the code accepts. Declared like pydantic models (`name: str = Field(max_length=40)`) and read
as leniently as pydantic read them ("5" is an int, 5 a float, extra keys ignored), with the same
messages; pydantic + SpecTree cost more than half of every cold start for this.

Types: str, int, float, bool, dict, Day, AwareDatetime, Literal[...], list[T], dict[K, V], a Model,
and `T | None`. Responses are declared the same way, for the document only."""

from __future__ import annotations

import re
import types
import typing
from datetime import date, datetime

from core import jsonbounds
from core.localday import parse_date
from miniprogram_api.lenient import read_float, read_int, read_moment

_MISSING = object()


class Day(date):
    """A YYYY-MM-DD date read by core.localday.parse_date (the one date parser)."""


class AwareDatetime(datetime):
    """An ISO 8601 moment with a UTC offset (or a Unix timestamp)."""


class Invalid(ValueError):
    def __init__(self, errors: list[tuple[tuple, str]]):
        super().__init__(errors)
        self.problems = errors  # [(location, message)], in field order


def _num(n) -> str:
    return str(int(n)) if isinstance(n, float) and n.is_integer() else str(n)


class Field:
    """A field's default and constraints (pydantic's Field arguments that this API uses)."""

    def __init__(
        self,
        default=_MISSING,
        *,
        alias=None,
        description=None,
        min_length=None,
        max_length=None,
        pattern=None,
        ge=None,
        le=None,
        gt=None,
        each=False,
    ):
        self.default, self.alias, self.description = default, alias, description
        self.each = each  # list[Model]: items read one by one, a refused one kept as Refused
        self.min_length, self.max_length, self.pattern = min_length, max_length, pattern
        self.ge, self.le, self.gt = ge, le, gt
        # `$` ends the text, as in JSON Schema (Python's `$` would also take a trailing newline)
        self.regex = re.compile(re.sub(r"\$$", r"\\Z", pattern)) if pattern else None


_PLAIN = Field()


def _check(kind, value, f: Field, loc: tuple, errs: list):
    """`value` read as `kind` under the constraints `f`, or _MISSING with the problems in errs."""
    if type(kind) is types.UnionType or typing.get_origin(kind) is typing.Union:
        if value is None:
            return None
        kind = next(k for k in typing.get_args(kind) if k is not type(None))
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    bad = None
    if kind is str:
        if not isinstance(value, str):
            bad = "Input should be a valid string"
        elif not jsonbounds.is_text(
            value
        ):  # a body's strings are checked as parsed; a query's here
            bad = "Input should be a valid string, not a lone UTF-16 surrogate"
        elif f.min_length is not None and len(value) < f.min_length:
            bad = f"String should have at least {f.min_length} character{'s' * (f.min_length != 1)}"
        elif f.max_length is not None and len(value) > f.max_length:
            bad = f"String should have at most {f.max_length} character{'s' * (f.max_length != 1)}"
        elif f.regex and not f.regex.search(value):
            bad = f"String should match pattern '{f.pattern}'"
    elif kind is int or kind is float:
        value, bad = (read_int if kind is int else read_float)(value)
        if bad is None:
            for limit, fails, words in (
                (f.le, lambda v, n: not v <= n, "less than or equal to"),
                (f.ge, lambda v, n: not v >= n, "greater than or equal to"),
                (f.gt, lambda v, n: not v > n, "greater than"),
            ):
                if limit is not None and fails(value, limit):
                    bad = f"Input should be {words} {_num(limit)}"
                    break
    elif kind is bool:
        if not isinstance(value, bool):
            bad = "Input should be a valid boolean"
    elif kind is Day:
        try:
            value = parse_date(value)
        except ValueError as e:
            bad = f"Value error, {e}"
    elif kind is AwareDatetime:
        value, bad = read_moment(value)
    elif origin is typing.Literal:
        if value not in args or not isinstance(value, str):
            names = [f"'{a}'" for a in args]
            bad = (
                f"Input should be {', '.join(names[:-1])} or {names[-1]}"
                if len(names) > 1
                else f"Input should be {names[0]}"
            )
    elif kind is dict or origin is dict:
        if not isinstance(value, dict):
            bad = "Input should be a valid dictionary"
        elif origin is dict:
            out = {}
            for k, v in value.items():
                k2 = _check(args[0], k, _PLAIN, (*loc, k, "[key]"), errs)
                v2 = _check(args[1], v, _PLAIN, (*loc, k), errs)
                out[k2] = v2
            value = out
            if f.min_length is not None and len(value) < f.min_length:
                bad = f"Dictionary should have at least {f.min_length} item after validation, not {len(value)}"
    elif origin is list:
        if not isinstance(value, list):
            bad = "Input should be a valid list"
        elif f.max_length is not None and len(value) > f.max_length:
            bad = (
                f"List should have at most {f.max_length} items after validation, not {len(value)}"
            )
        elif f.each:
            value = [_each(args[0], v) for v in value]
        else:
            value = [_check(args[0], v, _PLAIN, (*loc, i), errs) for i, v in enumerate(value)]
        # An `each` list too: an empty push is the body's fault, not an item's (the document says minItems).
        if bad is None and f.min_length is not None and len(value) < f.min_length:
            bad = (
                f"List should have at least {f.min_length} item after validation, not {len(value)}"
            )
    elif isinstance(kind, type) and issubclass(kind, Model):
        return kind._read(value, loc, errs)
    else:  # a declaration this module cannot read: a bug here, not the client's
        raise TypeError(f"unsupported field type {kind!r}")
    if bad is not None:
        errs.append((loc, bad))
        return _MISSING
    return value


class Refused:
    """An item of an `each` list that its shape refused: the raw item and the problems, so the view
    rejects that item alone (with a reason of its API) and keeps the others."""

    def __init__(self, raw, problems: list[tuple[tuple, str]]):
        self.raw, self.problems = raw, problems

    def fields(self) -> set[str]:
        """The names of the item's fields that were refused ("" for the item as a whole)."""
        return {str(loc[0]) if loc else "" for loc, _ in self.problems}

    def text(self, key: str) -> str:
        """The item's own `key` echoed back when it is a short text, else ""."""
        v = self.raw.get(key) if isinstance(self.raw, dict) else None
        return v if isinstance(v, str) and 0 < len(v) <= 64 and jsonbounds.is_text(v) else ""


def _each(kind, value):
    errs: list = []
    out = _check(kind, value, _PLAIN, (), errs)  # locations within the item: ("quantity",)
    return Refused(value, errs) if errs else out


class Model:
    """Subclasses declare fields as annotations; `Model.read(data)` is an instance or Invalid."""

    __fields__: dict = {}

    def __init_subclass__(cls):
        fields = dict(cls.__fields__)  # a subclass keeps its base's fields, in order, then its own
        for name, kind in cls.__dict__.get("__annotations__", {}).items():
            declared = cls.__dict__.get(name, _MISSING)
            fields[name] = (kind, declared if isinstance(declared, Field) else Field(declared))
        cls.__fields__ = fields

    @classmethod
    def read(cls, data):
        errs: list = []
        out = cls._read(data, (), errs)
        if errs:
            raise Invalid(errs)
        return out

    @classmethod
    def _read(cls, data, loc: tuple, errs: list):
        if not isinstance(data, dict):
            errs.append((loc, f"Input should be a valid dictionary or instance of {cls.__name__}"))
            return _MISSING
        self = cls.__new__(cls)
        for name, (kind, f) in cls.__fields__.items():
            key = f.alias or name
            if key in data:
                setattr(self, name, _check(kind, data[key], f, (*loc, key), errs))
            elif f.default is _MISSING:
                errs.append(((*loc, key), "Field required"))
            else:
                setattr(self, name, f.default)
        return self

    def model_dump(self) -> dict:
        return {n: _dump(getattr(self, n)) for n in self.__fields__}


def _dump(v):
    if isinstance(v, Model):
        return v.model_dump()
    if isinstance(v, list):
        return [_dump(x) for x in v]
    if isinstance(v, dict):
        return {k: _dump(x) for k, x in v.items()}
    return v
