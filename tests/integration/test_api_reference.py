"""The API reference in /openapi.json is complete and true: every operation has an entry in
miniprogram_api/reference (a Chinese summary, a description, its parameters described, every 4xx
it declares listed with codes that an error class of the app really has), and the worked partner
signature in the partner section is what core.carbon.partners.signature computes."""

import re

import pytest

from tests.unit.test_error_messages import ERRORS

CJK = re.compile(r"[\u4e00-\u9fff]")
WHERE = "miniprogram_api/reference/{citizens,merchant,partners,public}.py"


@pytest.fixture(scope="module")
def doc():
    from miniprogram_api import create_app
    from miniprogram_api.openapi import spec

    spec._doc = None  # the document of this code, not one an earlier test built
    app = create_app(services=object())  # building the document reads no service
    with app.app_context():
        return spec.spec


def _operations(doc):
    return [(f"{m.upper()} {p}", op) for p, ops in doc["paths"].items() for m, op in ops.items()]


def test_reference__every_operation_has_an_entry_and_every_entry_an_operation(doc):
    from miniprogram_api.reference import operations

    keys = {k for k, _ in _operations(doc)}
    assert not keys - set(operations()), (
        f"operations without an entry (add them to {WHERE}): {sorted(keys - set(operations()))}"
    )
    assert not set(operations()) - keys, (
        f"entries for no operation: {sorted(set(operations()) - keys)}"
    )


def test_reference__chinese_summary_and_description(doc):
    bad = [
        k
        for k, op in _operations(doc)
        if not (CJK.search(op["summary"]) and CJK.search(op["description"]))
    ]
    assert not bad, f"without a Chinese summary and description: {bad}"


def test_reference__every_parameter_described(doc):
    bad = [
        (k, p["name"])
        for k, op in _operations(doc)
        for p in op["parameters"]
        if not p["description"].strip()
    ]
    assert not bad, f"parameters without a description: {bad}"


def test_reference__every_4xx_lists_codes_that_exist_with_that_status(doc):
    known = {(cls.code, cls.http_status) for cls in ERRORS}
    missing, unknown = [], []
    for key, op in _operations(doc):
        for status, response in op["responses"].items():
            if not status.startswith("4"):
                continue
            codes = response.get("x-error-codes") or []
            if not codes:
                missing.append((key, status))
            unknown += [(key, status, c) for c in codes if (c, int(status)) not in known]
    assert not missing, f"a 4xx without its codes: {missing}"
    assert not unknown, f"codes no error class answers with that status: {unknown}"


def test_reference__codes_listed_in_the_responses_are_the_entrys(doc):
    from miniprogram_api.reference import operations

    entries = operations()
    op = dict(_operations(doc))["POST /api/v1/orders"]
    assert op["responses"]["409"]["x-error-codes"] == entries["POST /api/v1/orders"].errors[409]
    assert "insufficient_coins" in op["responses"]["409"]["description"]


def test_reference__sections_open_with_the_login_flow_and_the_signature(doc):
    tags = {t["name"]: t.get("description", "") for t in doc["tags"]}
    assert (
        "wx.login" in tags["auth"]
        and "/api/v1/auth/login" in tags["auth"]
        and "401" in tags["auth"]
    )
    assert "X-Signature" in tags["partner"] and "Authorization: Bearer" in tags["org"]


def test_reference__worked_signature_is_what_the_server_computes():
    from core.carbon.partners import signature
    from miniprogram_api.reference.sections import PARTNER_SIGNATURE
    from miniprogram_api.reference.sections import SIGNATURE_EXAMPLE as s

    assert (
        signature(
            s["secret"], s["method"], s["path"], s["timestamp"], s["nonce"], s["body"].encode()
        )
        == s["signature"]
    )
    assert f"X-Signature: {s['signature']}" in PARTNER_SIGNATURE


def test_reference__login_flow_states_the_configured_token_lifetime():
    from core.settings import Settings
    from miniprogram_api.reference.sections import LOGIN_FLOW

    assert f'"expires_in": {Settings().token_ttl_seconds}' in LOGIN_FLOW


def _validator(doc, schema):
    from jsonschema import Draft202012Validator

    return Draft202012Validator({**schema, "components": doc["components"]})


def test_reference__every_operation_has_a_captured_example_of_its_success(doc):
    from miniprogram_api.reference import examples

    captured, missing = examples(), []
    for key, op in _operations(doc):
        ex = captured.get(key)
        if ex is None or str(ex["status"]) not in op["responses"] or not 200 <= ex["status"] < 300:
            missing.append(key)
        elif "requestBody" in op and "request" not in ex:
            missing.append(f"{key} (its request)")
    assert not missing, (
        f"without a captured example (regenerate: python -m infra.openapi_examples): {missing}"
    )


def test_reference__examples_valid_against_their_schemas_and_shown_in_the_document(doc):
    from miniprogram_api.reference import examples

    problems = []
    for key, op in _operations(doc):
        ex = examples().get(key)
        if ex is None:
            continue
        response = op["responses"].get(str(ex["status"]), {})
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            if ex["response"] is not None:
                problems.append(f"{key}: a body where {ex['status']} documents none")
        else:
            problems += [
                f"{key} response: {e.message}"
                for e in _validator(doc, schema).iter_errors(ex["response"])
            ]
            if response["content"]["application/json"].get("example") != ex["response"]:
                problems.append(f"{key}: the document does not show the captured response")
        if "request" in ex:
            body = op["requestBody"]["content"]["application/json"]
            problems += [
                f"{key} request: {e.message}"
                for e in _validator(doc, body["schema"]).iter_errors(ex["request"])
            ]
            if body.get("example") != ex["request"]:
                problems.append(f"{key}: the document does not show the captured request")
    assert not problems, problems


def test_reference__example_validation_catches_a_wrong_example(doc):
    op = doc["paths"]["/api/v1/orders"]["post"]
    schema = op["responses"]["201"]["content"]["application/json"]["schema"]
    good = op["responses"]["201"]["content"]["application/json"]["example"]
    assert not list(_validator(doc, schema).iter_errors(good))
    assert list(_validator(doc, schema).iter_errors({**good, "quantity": "one"}))


def test_reference__no_example_shows_a_whole_bearer_token():
    from miniprogram_api.reference import examples

    token = examples()["POST /api/v1/auth/login"]["response"]["token"]
    assert token.endswith("...") and len(token) <= 15


def test_reference__every_request_body_field_described(doc):
    schemas, bad = doc["components"]["schemas"], []

    def walk(name, where, seen):
        for field, prop in schemas[name]["properties"].items():
            if not prop.get("description"):
                bad.append(f"{where}.{field}")
            nested = next(
                (
                    s["$ref"].rsplit("/", 1)[1]
                    for s in (prop, prop.get("items", {}), *prop.get("anyOf", []))
                    if "$ref" in s
                ),
                None,
            )
            if nested and nested not in seen:
                walk(nested, f"{where}.{field}", seen | {nested})

    for key, op in _operations(doc):
        if "requestBody" in op:
            name = op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit(
                "/", 1
            )[1]
            walk(name, key, {name})
    assert not bad, f"request body fields without a description (an entry's fields=): {bad}"


# A login answer holds a token (never kept); signing out everywhere and deleting the account are
# final as they are (README: Conventions). WeChat Pay's notify and the official account's /oa are
# not in the document (WeChat's own retry protocols): none of these reads Idempotency-Key.
WITHOUT_KEY = {"POST /api/v1/auth/login", "POST /api/v1/auth/logout_all", "DELETE /api/v1/me"}


def _declares_key(op) -> bool:
    header = any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in op["parameters"])
    reused = "idempotency_key_reused" in op["responses"].get("409", {}).get("x-error-codes", [])
    return header and reused


def test_reference__every_mutation_declares_its_idempotency_key(doc):
    mutations = {k: op for k, op in _operations(doc) if k.split()[0] in {"POST", "PUT", "DELETE"}}
    assert WITHOUT_KEY <= set(mutations)
    bad = [k for k, op in mutations.items() if k not in WITHOUT_KEY and not _declares_key(op)]
    assert not bad, f"mutations that do not declare Idempotency-Key: {bad}"
    assert not [k for k in WITHOUT_KEY if _declares_key(mutations[k])]
