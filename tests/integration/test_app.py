def test_healthz__ok_with_request_id(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok"} and r.headers["X-Request-Id"]


def test_request_id__safe_incoming_id__echoed(client):
    assert (
        client.get("/healthz", headers={"X-Request-Id": "abc-12345678"}).headers["X-Request-Id"]
        == "abc-12345678"
    )


def test_request_id__unsafe_incoming_id__replaced(client):
    assert (
        client.get("/healthz", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"]
        != "<script>"
    )


def test_unknown_route__404_error_json(client):
    r = client.get("/nope")
    assert (
        r.status_code == 404
        and r.json["error"]["code"] == "not_found"
        and r.headers["X-Request-Id"]
    )


def test_wrong_method__405_error_json(client):
    r = client.delete("/healthz")
    assert r.status_code == 405 and r.json["error"]["code"] == "method_not_allowed"


def test_body_too_large__413(client):
    r = client.post("/api/v1/auth/login", data=b"x" * (300 * 1024), content_type="application/json")
    assert r.status_code == 413 and r.json["error"]["code"] == "payload_too_large"


def test_openapi__lists_login_and_me(client):
    spec = client.get("/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert {"/api/v1/auth/login", "/api/v1/me", "/healthz"} <= set(spec["paths"])


def test_docs__html_page_pointing_at_openapi(client):
    r = client.get("/docs")
    assert r.status_code == 200 and "/openapi.json" in r.get_data(as_text=True)


def test_request_log__one_json_line_without_user_id(client, citizen, capsys):
    import json

    client.get("/api/v1/me", headers={"Authorization": citizen["Authorization"]})
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines() if x.strip()]
    req = [x for x in lines if x["event"] == "request" and x["route"] == "/api/v1/me"][-1]
    assert req["status"] == 200 and req["latency_ms"] >= 0 and req["method"] == "GET"
    assert req["user"] and citizen["user"]["id"] not in json.dumps(lines)


def test_json_endpoint__form_content_type__415_invalid_request(client):
    r = client.post("/api/v1/auth/login", data='{"code": "0"}', content_type="multipart/form-data")
    assert r.status_code == 415 and r.json["error"]["code"] == "invalid_request"


def test_json_endpoint__broken_json__4xx_not_500(client):
    r = client.post("/api/v1/auth/login", data="{not json", content_type="application/json")
    assert 400 <= r.status_code < 500 and r.json["error"]["code"] == "invalid_request"


def test_reductions__dates_must_be_yyyy_mm_dd__422(client, citizen):
    h = {"Authorization": citizen["Authorization"]}
    assert (
        client.get("/api/v1/reductions?from=2026-11-01&to=2026-11-24", headers=h).status_code == 200
    )
    for bad in ("from=0&to=1", "from=2026-11-01&to=1732406400", "from=20261101&to=2026-11-24"):
        r = client.get(f"/api/v1/reductions?{bad}", headers=h)
        assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request", bad


def test_openapi__413_documented_on_every_operation_that_takes_a_body(client):
    spec = client.get("/openapi.json").json
    with_body = {
        (m, p): op
        for p, ops in spec["paths"].items()
        for m, op in ops.items()
        if "requestBody" in op
    }
    assert ("post", "/api/v1/orders") in with_body and (
        "post",
        "/partner/v1/behaviours",
    ) in with_body
    missing = [key for key, op in with_body.items() if "413" not in op["responses"]]
    assert missing == []
    error = with_body[("post", "/api/v1/orders")]["responses"]["413"]["content"][
        "application/json"
    ]["schema"]
    assert (
        error == {"$ref": "#/components/schemas/Error"} and "Error" in spec["components"]["schemas"]
    )
    assert "413" not in spec["paths"]["/api/v1/coins"]["get"]["responses"]  # no body, no 413


def test_openapi__phone_errors_documented(client):
    phone = client.get("/openapi.json").json["paths"]["/api/v1/me/phone"]["post"]
    assert {"409", "422", "413"} <= set(phone["responses"])
    text = phone["summary"] + phone["description"]  # the view's docstring names the codes
    assert "422 `phone_code_invalid`" in text and "409 `phone_taken`" in text
