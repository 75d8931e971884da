import json

import pytest

from core.citizens import tokens

pytestmark = pytest.mark.usefixtures("wechat_sim")  # every login asks WeChat


def test_login__simulator_code__returns_token_and_user(client):
    r = client.post("/api/v1/auth/login", json={"code": "test-alice"})
    assert r.status_code == 200
    body = r.json
    assert body["user"] == {"id": body["user"]["id"], "phone_bound": False, "cards": 0}
    assert body["expires_in"] > 0 and body["token"].startswith("v1.")


def test_login__same_person_twice__same_user(client):
    a = client.post("/api/v1/auth/login", json={"code": "test-bob.1"}).json
    b = client.post("/api/v1/auth/login", json={"code": "test-bob.2"}).json
    assert a["user"]["id"] == b["user"]["id"]


def test_login__code_used_twice__401_wechat_code_invalid(client):
    assert client.post("/api/v1/auth/login", json={"code": "test-carol"}).status_code == 200
    r = client.post("/api/v1/auth/login", json={"code": "test-carol"})
    assert r.status_code == 401 and r.json["error"]["code"] == "wechat_code_invalid"


def test_login__unknown_code__401_and_no_user_written(client, aws):
    from models import User

    r = client.post("/api/v1/auth/login", json={"code": "not-a-code"})
    assert r.status_code == 401 and r.json["error"]["code"] == "wechat_code_invalid"
    assert User.count() == 0


def test_login__missing_code__422_invalid_request(client):
    r = client.post("/api/v1/auth/login", json={"cod": "x"})
    assert r.status_code == 422 and r.json["error"]["code"] == "invalid_request"
    assert r.json["error"]["request_id"] == r.headers["X-Request-Id"]


def test_login__response__never_contains_openid_or_session_key(client):
    from infra.sim_wechat import openid_for, session_key_for

    r = client.post("/api/v1/auth/login", json={"code": "test-dave"})
    text = r.get_data(as_text=True)
    assert openid_for("dave") not in text and session_key_for("dave") not in text


def test_login__session_key__kept_server_side(client, aws):
    from infra.sim_wechat import session_key_for
    from models import User

    user_id = client.post("/api/v1/auth/login", json={"code": "test-erin"}).json["user"]["id"]
    assert User.get(user_id).session_key == session_key_for("erin")


def test_me__with_token__profile(client, citizen):
    r = client.get("/api/v1/me", headers={"Authorization": citizen["Authorization"]})
    assert r.status_code == 200
    assert (
        r.json["id"] == citizen["user"]["id"] and r.json["balance"] == 0 and r.json["phone"] is None
    )


def test_me__no_token__401(client):
    r = client.get("/api/v1/me")
    assert r.status_code == 401 and r.json["error"]["code"] == "unauthorized"


def test_me__tampered_token__401(client, citizen):
    head, payload, sig = citizen["token"].split(".")
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {head}.{payload}x.{sig}"})
    assert r.status_code == 401


def test_me__expired_token__401(client, citizen, aws):
    expired = tokens.issue(aws.token_secret, citizen["user"]["id"], now=1000, ttl=10)
    r = client.get("/api/v1/me", headers={"Authorization": f"Bearer {expired}"})
    assert r.status_code == 401


def test_phone__simulator_code__masked_and_me_shows_it(client, citizen):
    h = {"Authorization": citizen["Authorization"]}
    r = client.post("/api/v1/me/phone", json={"code": "phone-13800001234"}, headers=h)
    assert r.status_code == 200 and r.json == {"phone": "138****1234"}
    assert client.get("/api/v1/me", headers=h).json["phone"] == "138****1234"


def test_phone__bad_code__422_phone_code_invalid_still_signed_in_nothing_written(client, citizen):
    h = {"Authorization": citizen["Authorization"]}
    r = client.post("/api/v1/me/phone", json={"code": "phone-12"}, headers=h)
    assert r.status_code == 422 and r.json["error"]["code"] == "phone_code_invalid"
    me = client.get("/api/v1/me", headers=h)
    assert me.status_code == 200 and me.json["phone"] is None


def test_phone__bound_to_another_account__409_phone_taken(client, login):
    a, b = ({"Authorization": f"Bearer {login()[0]}"} for _ in range(2))
    assert (
        client.post("/api/v1/me/phone", json={"code": "phone-13800005555"}, headers=a).status_code
        == 200
    )
    assert (
        client.post("/api/v1/me/phone", json={"code": "phone-13800005555"}, headers=a).status_code
        == 200
    )
    r = client.post("/api/v1/me/phone", json={"code": "phone-13800005555"}, headers=b)
    assert (r.status_code, r.json["error"]["code"]) == (409, "phone_taken")
    assert client.get("/api/v1/me", headers=b).json["phone"] is None
    # A changes number: the old one is free for B, the new one is A's.
    assert (
        client.post("/api/v1/me/phone", json={"code": "phone-13900006666"}, headers=a).status_code
        == 200
    )
    assert client.post("/api/v1/me/phone", json={"code": "phone-13800005555"}, headers=b).json == {
        "phone": "138****5555"
    }
    r = client.post("/api/v1/me/phone", json={"code": "phone-13900006666"}, headers=b)
    assert (r.status_code, r.json["error"]["code"]) == (409, "phone_taken")


def test_access_token__shared_in_dynamodb__fetched_once(client, wechat_sim, aws):
    import urllib.request

    from models import WechatToken

    for i in range(3):
        client.post("/api/v1/auth/login", json={"code": f"test-frank.{i}"})
    stats = json.loads(urllib.request.urlopen(wechat_sim.url + "/_sim/stats").read())
    assert stats["token_fetches"] == 1
    assert WechatToken.get(f"{aws.wechat_appid}_access_token").value


def test_access_token__refresh_function__fetches_only_when_expiring(client, wechat_sim, aws):
    import urllib.request

    from functions import refresh_wechat_token
    from models import WechatToken

    def fetches():
        return json.loads(urllib.request.urlopen(wechat_sim.url + "/_sim/stats").read())[
            "token_fetches"
        ]

    assert refresh_wechat_token.handler({}, None)["seconds_left"] > 7000 and fetches() == 1
    assert (
        refresh_wechat_token.handler({}, None)["seconds_left"] > 7000 and fetches() == 1
    )  # still fresh
    key = f"{aws.wechat_appid}_access_token"
    item = WechatToken.get(key)
    item.update(actions=[WechatToken.expires_at.set(int(__import__("time").time()) + 200)])
    assert refresh_wechat_token.handler({}, None)["seconds_left"] > 7000 and fetches() == 2
