import base64
import json
import os
import time

import pytest
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from infra.sim_wechat import session_key_for
from models.behaviours import Behaviour

pytestmark = pytest.mark.usefixtures("wechat_sim")  # its citizens log in through WeChat


def encrypt(name, payload, appid):
    """What WeChat does to wx.getWeRunData: AES-128-CBC with the session key, PKCS#7."""
    return encrypt_text(
        name, json.dumps({**payload, "watermark": {"appid": appid, "timestamp": int(time.time())}})
    )


def encrypt_text(name, text: str):
    """`encrypt` of contents given as JSON text, so raw literals (Infinity, 1e999) stay as written."""
    key = base64.b64decode(session_key_for(name))
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    raw = padder.update(text.encode())
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    data = enc.update(raw + padder.finalize()) + enc.finalize()
    return {"encrypted_data": base64.b64encode(data).decode(), "iv": base64.b64encode(iv).decode()}


def login_as(client, name):
    r = client.post("/api/v1/auth/login", json={"code": f"test-{name}.{time.time()}"})
    return {"Authorization": f"Bearer {r.json['token']}"}


def test_steps__today_and_yesterday__one_record_each(client, aws):
    h = login_as(client, "walker")
    now = int(time.time())
    body = encrypt(
        "walker",
        {
            "stepInfoList": [
                {"timestamp": now - 86400, "step": 8000},
                {"timestamp": now, "step": 12000},
            ]
        },
        aws.wechat_appid,
    )
    r = client.post("/api/v1/steps", json=body, headers=h)
    assert r.status_code == 200 and r.json == {"days_accepted": 2}
    assert sorted(int(b.quantity) for b in Behaviour.scan()) == [8000, 12000]


def test_steps__later_upload__replaces_never_adds(client, aws):
    h = login_as(client, "walker2")
    now = int(time.time())
    for steps in (5000, 11000):
        client.post(
            "/api/v1/steps",
            json=encrypt(
                "walker2", {"stepInfoList": [{"timestamp": now, "step": steps}]}, aws.wechat_appid
            ),
            headers=h,
        )
    assert [int(b.quantity) for b in Behaviour.scan()] == [11000]


def test_steps__old_days__not_accepted(client, aws):
    h = login_as(client, "walker3")
    body = encrypt(
        "walker3",
        {"stepInfoList": [{"timestamp": int(time.time()) - 20 * 86400, "step": 15000}]},
        aws.wechat_appid,
    )
    assert client.post("/api/v1/steps", json=body, headers=h).json == {"days_accepted": 0}


def test_steps__other_appid_watermark__422_and_nothing_written(client, aws):
    h = login_as(client, "walker4")
    body = encrypt(
        "walker4",
        {"stepInfoList": [{"timestamp": int(time.time()), "step": 15000}]},
        "wx-other-app",
    )
    r = client.post("/api/v1/steps", json=body, headers=h)
    assert (
        r.status_code == 422
        and r.json["error"]["code"] == "werun_data_invalid"
        and Behaviour.count() == 0
    )


def test_steps__encrypted_for_another_user__422(client, aws):
    h = login_as(client, "walker5")
    body = encrypt(
        "someone-else",
        {"stepInfoList": [{"timestamp": int(time.time()), "step": 15000}]},
        aws.wechat_appid,
    )
    assert client.post("/api/v1/steps", json=body, headers=h).status_code == 422


def test_scenarios__at_least_20_with_versions_and_sources(client):
    items = client.get("/api/v1/scenarios").json["items"]
    assert len(items) >= 20 and all(i["version"] and i["source"] for i in items)
    assert next(i for i in items if i["code"] == "metro")["grams_per_unit"] == "515"
    # Each version in force shows its evidence level (METHODOLOGIES.md), one of the published levels.
    levels = {"official", "government", "academic", "app", "derived", "none"}
    assert all(i["evidence"] in levels for i in items) and {i["evidence"] for i in items} - {"none"}
