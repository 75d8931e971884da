"""JSON Schema of the shapes that validate, for /openapi.json (miniprogram_api.openapi_doc lays out
the document): keys sorted, field order kept, the shapes a shape nests named "Parent.Child" under
components. Imported only when the document is first asked for."""

from __future__ import annotations

import inspect
import types
import typing

from miniprogram_api.shapes import _MISSING, AwareDatetime, Day, Model

REF = "#/components/schemas/"


def _sorted(value, parent=None):
    """JSON Schema keys in alphabetical order, except a model's properties (declaration order)."""
    if isinstance(value, dict):
        keys = value if parent in ("properties", "default") else sorted(value)
        return {k: _sorted(value[k], k) for k in keys}
    if isinstance(value, list):
        return [_sorted(v, parent) for v in value]
    return value


def _nullable(kind):
    if type(kind) is types.UnionType or typing.get_origin(kind) is typing.Union:
        return next(k for k in typing.get_args(kind) if k is not type(None)), True
    return kind, False


def _type_schema(kind, f, defs: dict) -> dict:
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if isinstance(kind, type) and issubclass(kind, Model):
        _model_schema(kind, defs)
        return {"$ref": REF + kind.__name__}
    if kind is str:
        s = {
            "type": "string",
            "minLength": f.min_length,
            "maxLength": f.max_length,
            "pattern": f.pattern,
        }
    elif kind in (int, float):
        s = {
            "type": "integer" if kind is int else "number",
            "minimum": f.ge,
            "maximum": f.le,
            "exclusiveMinimum": f.gt,
        }
    elif kind is bool:
        s = {"type": "boolean"}
    elif kind in (Day, AwareDatetime):
        s = {"type": "string", "format": "date" if kind is Day else "date-time"}
    elif origin is typing.Literal:
        s = {"enum": list(args), "type": "string"}
    elif kind is dict:
        s = {"additionalProperties": True, "type": "object"}
    elif origin is dict:
        s = {
            "additionalProperties": _type_schema(args[1], _plain, defs),
            "type": "object",
            "minProperties": f.min_length,
        }
        if args[0] is not str:
            s["propertyNames"] = {
                k: v for k, v in _type_schema(args[0], _plain, defs).items() if k != "type"
            }
    elif origin is list:
        items = _type_schema(args[0], _plain, defs)
        if f.each:  # an item its shape refuses is rejected alone in the answer, not the whole body
            items = {
                "anyOf": [items, {"description": "any other item: rejected alone, with its reason"}]
            }
        s = {"items": items, "type": "array", "minItems": f.min_length, "maxItems": f.max_length}
    else:
        raise TypeError(f"unsupported field type {kind!r}")
    return {k: v for k, v in s.items() if v is not None}


def _field_schema(name: str, kind, f, defs: dict) -> dict:
    inner, nullable = _nullable(kind)
    s = _type_schema(inner, f, defs)
    if nullable:
        s = {"anyOf": [s, {"type": "null"}]}
    if not (isinstance(inner, type) and issubclass(inner, Model)):
        s["title"] = (f.alias or name).title().replace("_", " ")
    if f.default is not _MISSING:
        s["default"] = f.default
    if f.description:
        s["description"] = f.description
    return s


def _model_schema(model, defs: dict) -> dict:
    """The model's schema; models it names are added to `defs` (once, by class name)."""
    if model.__name__ in defs:
        if defs[model.__name__].get("model", model) is not model:
            raise ValueError(
                f"two shapes named {model.__name__}: the document would name one for the other"
            )
        return defs[model.__name__]["schema"]
    defs[model.__name__] = {"model": model, "schema": {}}  # a placeholder: a model may name itself
    props = {(f.alias or n): _field_schema(n, k, f, defs) for n, (k, f) in model.__fields__.items()}
    s = {"properties": props, "title": model.__name__, "type": "object"}
    required = [f.alias or n for n, (k, f) in model.__fields__.items() if f.default is _MISSING]
    if required:
        s["required"] = required
    if model.__dict__.get("__doc__"):
        s["description"] = inspect.cleandoc(model.__doc__)
    defs[model.__name__]["schema"] = _sorted(s)
    return defs[model.__name__]["schema"]


class Components:
    """The document's schemas: each request/response shape by name, the shapes it names as "Shape.Nested"."""

    def __init__(self):
        self.schemas, self.nested, self.owners = {}, {}, {}

    def ref(self, model) -> dict:
        name = model.__name__
        if self.owners.setdefault(name, model) is not model:
            raise ValueError(f"two shapes named {name}: the document would name one for the other")
        if name not in self.schemas:
            defs: dict = {}
            schema = _model_schema(model, defs)
            renames = {REF + k: f"{REF}{name}.{k}" for k in defs if k != name}

            def rename(v):
                if isinstance(v, dict):
                    return {
                        k: renames.get(x, x) if k == "$ref" else rename(x) for k, x in v.items()
                    }
                return [rename(x) for x in v] if isinstance(v, list) else v

            self.schemas[name] = rename(schema)
            for k, v in defs.items():
                if k != name:
                    self.nested.setdefault(f"{name}.{k}", rename(v["schema"]))
        return {"$ref": REF + name}


_plain = type(
    "Plain", (), {k: None for k in ("min_length", "max_length", "pattern", "ge", "le", "gt")}
)()
