"""/openapi.json from the shapes that validate: each view's query, body and response shapes become
JSON Schema (keys sorted, field order kept, nested shapes under components as "Parent.Child"), in
the document layout the API has published since its first release. Imported only when the
document is first asked for."""

from __future__ import annotations

import inspect
import re
import types
import typing
from http import HTTPStatus

from miniprogram_api.shapes import _MISSING, AwareDatetime, Day, Model

_REF = "#/components/schemas/"
_RULE_VAR = re.compile(r"<(?:[a-zA-Z_][a-zA-Z0-9_]*(?:\(.*?\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


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
        return {"$ref": _REF + kind.__name__}
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


class _Components:
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
            renames = {_REF + k: f"{_REF}{name}.{k}" for k in defs if k != name}

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
        return {"$ref": _REF + name}


_plain = type(
    "Plain", (), {k: None for k in ("min_length", "max_length", "pattern", "ge", "le", "gt")}
)()


def _phrase(code: int) -> str:
    return "Unprocessable Content" if code == 422 else HTTPStatus(code).phrase


def _responses(resp, components: _Components) -> dict:
    out = {c[5:]: {"description": _phrase(int(c[5:]))} for c in resp.codes}
    for code, model in resp.code_models.items():
        out[code[5:]] = {
            "description": _phrase(int(code[5:])),
            "content": {"application/json": {"schema": components.ref(model)}},
        }
    return out


def _operation(rule, method: str, op, components: _Components, tags: dict):
    path = _RULE_VAR.sub(r"{\1}", rule.rule)
    doc = re.split("\f", inspect.getdoc(op.view) or "", maxsplit=1)[0]
    parts = [p.rstrip().replace("\n", " ") for p in re.split(r"\n\s*\n", doc)] if doc else []
    params = [
        {"name": v, "in": "path", "required": True, "schema": {"type": "string"}, "description": ""}
        for v in _RULE_VAR.findall(rule.rule)
    ]
    if op.query is not None:
        components.ref(op.query)
        schema = components.schemas[op.query.__name__]
        params += [
            {
                "name": n,
                "in": "query",
                "schema": dict(s),
                "required": n in schema.get("required", []),
                "description": s.get("description", ""),
            }
            for n, s in schema["properties"].items()
        ]
    for t in op.tags:
        tags.setdefault(t, {"name": t})
    out = {
        "summary": parts[0] if parts else f"{op.view.__name__} <{method}>",
        "operationId": f"{method.lower()}_{path.replace('/', '_')}",
        "description": "\n\n".join(parts[1:]),
        "tags": op.tags,
        "parameters": params,
        "responses": _responses(op.resp, components) if op.resp else {},
    }
    if op.security is not None:
        out["security"] = [op.security] if op.security else []
    if op.json is not None:
        out["requestBody"] = {
            "content": {"application/json": {"schema": components.ref(op.json)}},
            "required": True,
        }
    return path, out


def _operation_of(spec, view):
    """The validated view under any decorators (functools.wraps) around it, e.g. citizen_required."""
    while view is not None and view not in spec.operations:
        view = getattr(view, "__wrapped__", None)
    return spec.operations.get(view)


def _with_body_limit(paths: dict) -> dict:
    """Every operation that takes a body may answer 413 `payload_too_large` (the app refuses any
    body over MAX_BODY_BYTES before a view runs, so no view's Response lists it): say so, once here."""
    from miniprogram_api import MAX_BODY_BYTES

    for operations in paths.values():
        for operation in operations.values():
            if "requestBody" in operation:
                operation["responses"].setdefault(
                    "413",
                    {
                        "description": f"Payload Too Large: the body is over {MAX_BODY_BYTES // 1024} KiB "
                        "(code `payload_too_large`); nothing was written",
                        "content": {"application/json": {"schema": {"$ref": _REF + "Error"}}},
                    },
                )
    return paths


def build(app, spec) -> dict:
    """The document from the shapes, with the reference (summaries, errors, examples) merged in."""
    from miniprogram_api.reference import document

    return document.apply(_from_shapes(app, spec))


def _from_shapes(app, spec) -> dict:
    paths, components, tags = {}, _Components(), {}
    for rule in app.url_map.iter_rules():
        op = _operation_of(spec, app.view_functions[rule.endpoint])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}) if op else ():
            path, operation = _operation(rule, method, op, components, tags)
            paths.setdefault(path, {})[method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": dict(spec.info),
        "tags": list(tags.values()),
        "paths": _with_body_limit(paths),
        "components": {
            "schemas": {**components.schemas, **components.nested},
            "securitySchemes": spec.security_schemes,
        },
        "security": [],
    }
