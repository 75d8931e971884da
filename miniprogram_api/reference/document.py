"""The reference merged into the document openapi_doc builds from the shapes: each operation's
summary, description, parameter texts and error codes (from the entries), its captured examples
(examples.json) and the texts that open the sections (sections.TAGS). An operation without an
entry keeps what its view's docstring says; tests/integration/test_api_reference.py fails on it."""

from __future__ import annotations

from http import HTTPStatus

from miniprogram_api.reference import examples, operations, sections
from miniprogram_api.reference.entry import Entry

_ERROR = {"$ref": "#/components/schemas/Error"}

INTRO = """广州市碳普惠平台接口。各部分开头说明认证方式：市民（小程序）见 auth 一节的登录流程，
合作方见 partner 一节的请求签名示例，机构见 org 一节，商户见 merchant 一节。
每个接口列出用途与调用时机、参数、示例请求与示例响应（取自本地完整环境的真实响应），以及可能返回的每个 4xx 及其稳定的 `code`。
错误响应统一为 `{"error": {"code", "message", "request_id"}}`。"""


def _phrase(status: int) -> str:
    return "Unprocessable Content" if status == 422 else HTTPStatus(status).phrase


def _errors(operation: dict, errors: dict[int, list[str]]) -> None:
    responses = operation["responses"]
    if "requestBody" in operation:  # refused before the view runs: a body too large, or not JSON
        errors = {**errors, 413: ["payload_too_large"], 415: ["invalid_request"]}
    for status, codes in sorted(errors.items()):
        r = responses.setdefault(str(status), {"content": {"application/json": {"schema": _ERROR}}})
        r["description"] = f"{_phrase(status)}: " + ", ".join(f"`{c}`" for c in codes)
        r["x-error-codes"] = list(codes)


def _examples(operation: dict, example: dict) -> None:
    if "request" in example and "requestBody" in operation:
        operation["requestBody"]["content"]["application/json"]["example"] = example["request"]
    response = operation["responses"].get(str(example["status"]))
    if response is not None and example.get("response") is not None:
        response.setdefault("content", {"application/json": {}})["application/json"]["example"] = (
            example["response"]
        )


def _ref(prop: dict) -> str | None:
    items = prop.get(
        "items", {}
    )  # a list read item by item (Field(each=True)) holds its shape in anyOf
    for s in (prop, items, *prop.get("anyOf", []), *items.get("anyOf", [])):
        if "$ref" in s:
            return s["$ref"].rsplit("/", 1)[1]
    return None


def _fields(operation: dict, fields: dict[str, str], schemas: dict) -> None:
    """Each "a.b" of the request body described where its shape says nothing (shapes' own texts win)."""
    for dotted, text in fields.items():
        name = _ref(operation["requestBody"]["content"]["application/json"]["schema"])
        *path, last = dotted.split(".")
        for part in path:
            name = _ref(schemas[name]["properties"][part])
        schemas[name]["properties"][last].setdefault("description", text)


def _apply(operation: dict, entry: Entry) -> None:
    operation["summary"], operation["description"] = entry.summary, entry.description
    named = {p["name"] for p in operation["parameters"]}
    for p in operation["parameters"]:
        if entry.params.get(p["name"]):
            p["description"] = entry.params[p["name"]]
    operation["parameters"] += [
        {
            "name": h,
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": text,
        }
        for h, text in entry.headers.items()
        if h not in named
    ]
    _errors(operation, entry.errors)
    operation["responses"] = dict(sorted(operation["responses"].items()))


def apply(doc: dict) -> dict:
    entries, captured = operations(), examples()
    for path, methods in doc["paths"].items():
        for method, operation in methods.items():
            key = f"{method.upper()} {path}"
            if key in entries:
                _apply(operation, entries[key])
                if entries[key].fields:
                    _fields(operation, entries[key].fields, doc["components"]["schemas"])
            if key in captured:
                _examples(operation, captured[key])
    for tag in doc["tags"]:
        if tag["name"] in sections.TAGS:
            tag["description"] = sections.TAGS[tag["name"]]
    doc["info"]["description"] = INTRO
    return doc
