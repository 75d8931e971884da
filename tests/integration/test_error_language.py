"""Error messages: Simplified Chinese unless the client asks for English; the code never changes."""

import pytest


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(
    "header", [None, "zh-CN", "zh-CN,zh;q=0.9,en;q=0.8", "fr", "*", ";;,q=x,\xe4"]
)
def test_error__chinese_by_default(client, header):
    headers = {"Accept-Language": header} if header else {}
    r = client.get("/api/v1/me", headers=headers)
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"
    assert _has_cjk(r.json["error"]["message"])


@pytest.mark.parametrize("header", ["en", "en-US,en;q=0.9", "en-GB;q=0.9,zh-CN;q=0.5"])
def test_error__english_when_asked(client, header):
    r = client.get("/api/v1/me", headers={"Accept-Language": header})
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"
    assert (
        r.json["error"]["message"]
        == "Please sign in again: your sign-in is missing, invalid or has expired."
    )


def test_error__flask_routing_errors_speak_both(client):
    zh = client.get("/api/v1/nowhere").json["error"]
    en = client.get("/api/v1/nowhere", headers={"Accept-Language": "en"}).json["error"]
    assert zh["code"] == en["code"] == "not_found"
    assert _has_cjk(zh["message"]) and en["message"] == "Not found."


def test_error__specific_message_in_both(client, citizen):
    h = {"Authorization": citizen["Authorization"]}
    zh = client.get("/api/v1/orders/nope", headers=h).json["error"]
    en = client.get("/api/v1/orders/nope", headers={**h, "Accept-Language": "en"}).json["error"]
    assert zh == {**zh, "code": "not_found", "message": "找不到这个订单。"}
    assert en["code"] == "not_found" and en["message"] == "No such order."


def test_error__validation_names_the_fields_in_chinese(client):
    r = client.post("/api/v1/auth/login", json={"cod": "x"})
    assert (
        r.status_code == 422
        and "code" in r.json["error"]["message"]
        and _has_cjk(r.json["error"]["message"])
    )
