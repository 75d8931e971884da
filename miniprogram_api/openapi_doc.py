"""/openapi.json from the shapes that validate: each view's query, body and response shapes become
JSON Schema (keys sorted, field order kept, nested shapes under components as "Parent.Child"), in
the document layout the API has published since its first release. Imported only when the
document is first asked for."""

from __future__ import annotations

import inspect
import re
from http import HTTPStatus

from miniprogram_api.openapi_schema import REF, Components

_RULE_VAR = re.compile(r"<(?:[a-zA-Z_][a-zA-Z0-9_]*(?:\(.*?\))?:)?([a-zA-Z_][a-zA-Z0-9_]*)>")


def _phrase(code: int) -> str:
    return "Unprocessable Content" if code == 422 else HTTPStatus(code).phrase


def _responses(resp, components: Components) -> dict:
    out = {c[5:]: {"description": _phrase(int(c[5:]))} for c in resp.codes}
    for code, model in resp.code_models.items():
        out[code[5:]] = {
            "description": _phrase(int(code[5:])),
            "content": {"application/json": {"schema": components.ref(model)}},
        }
    return out


def _operation(rule, method: str, op, components: Components, tags: dict):
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
                        "content": {"application/json": {"schema": {"$ref": REF + "Error"}}},
                    },
                )
    return paths


def build(app, spec) -> dict:
    """The document from the shapes, with the reference (summaries, errors, examples) merged in."""
    from miniprogram_api.reference import document

    return document.apply(_from_shapes(app, spec))


def _from_shapes(app, spec) -> dict:
    paths, components, tags = {}, Components(), {}
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
