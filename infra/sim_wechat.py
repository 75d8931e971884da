"""WeChat API simulator: speaks WeChat's HTTP so wechatpy talks to it unchanged.

- GET  /cgi-bin/token                       access token (checks appid/secret)
- GET  /sns/jscode2session                  `test-<name>` -> stable openid for <name>; each code once; else 40029
- POST /wxa/business/getuserphonenumber     `phone-<11 digits>` -> that number
- POST /cgi-bin/message/subscribe/send      recorded; users listed via /_sim/refuse get 43101
Every call but the token fetch must carry a token it issued (40001 otherwise).
Test helpers: GET/DELETE /_sim/sent, POST /_sim/refuse {"openid"}, GET /_sim/stats.
"""
from __future__ import annotations

import base64
import hashlib
import secrets
import threading

from flask import Flask, jsonify, request

SIMULATOR = ("wechat", "wechat_port", "wechat_api_base")


def create(settings) -> Flask:
    return create_sim(settings.wechat_appid, settings.wechat_secret)


def openid_for(name: str) -> str:
    # 28 characters starting with 'o', like WeChat's.
    return "o" + base64.urlsafe_b64encode(hashlib.sha256(f"openid:{name}".encode()).digest()).decode()[:27]


def unionid_for(name: str) -> str:
    return "o" + base64.urlsafe_b64encode(hashlib.sha256(f"unionid:{name}".encode()).digest()).decode()[:27]


def session_key_for(name: str) -> str:
    """Deterministic so tests can encrypt WeRun data for a named user."""
    return base64.b64encode(hashlib.sha256(f"session:{name}".encode()).digest()[:16]).decode()


def create_sim(appid: str, secret: str) -> Flask:
    app = Flask("wechat_sim")
    state = {"tokens": set(), "used_codes": set(), "sent": [], "refuse": set(), "token_fetches": 0}
    lock = threading.Lock()

    def err(code, msg):
        return jsonify(errcode=code, errmsg=msg)

    def token_ok():
        return request.args.get("access_token") in state["tokens"]

    @app.get("/cgi-bin/token")
    def token():
        if request.args.get("appid") != appid or request.args.get("secret") != secret:
            return err(40125, "invalid appsecret")
        tok = secrets.token_urlsafe(24)
        with lock:
            state["tokens"].add(tok)
            state["token_fetches"] += 1
        return jsonify(access_token=tok, expires_in=7200)

    @app.get("/sns/jscode2session")
    def jscode2session():
        if request.args.get("appid") != appid or request.args.get("secret") != secret:
            return err(40125, "invalid appsecret")
        code = request.args.get("js_code", "")
        with lock:
            if not code.startswith("test-") or len(code) <= 5 or code in state["used_codes"]:
                return err(40029, "invalid code")
            state["used_codes"].add(code)
        name = code[5:].split(".", 1)[0]  # test-<name>.<anything> gives fresh codes for one user
        return jsonify(openid=openid_for(name), session_key=session_key_for(name), unionid=unionid_for(name))

    @app.post("/wxa/business/getuserphonenumber")
    def phone():
        if not token_ok():
            return err(40001, "invalid credential, access_token is invalid or not latest")
        code = (request.get_json(force=True, silent=True) or {}).get("code", "")
        digits = code[6:] if code.startswith("phone-") else ""
        if len(digits) != 11 or not digits.isdigit():
            return err(40029, "invalid code")
        return jsonify(errcode=0, errmsg="ok", phone_info={
            "phoneNumber": digits, "purePhoneNumber": digits, "countryCode": "86"})

    @app.post("/cgi-bin/message/subscribe/send")
    def subscribe_send():
        if not token_ok():
            return err(40001, "invalid credential, access_token is invalid or not latest")
        body = request.get_json(force=True, silent=True) or {}
        if body.get("touser") in state["refuse"]:
            return err(43101, "user refuse to accept the msg")
        with lock:
            state["sent"].append(body)
        return jsonify(errcode=0, errmsg="ok")

    @app.route("/_sim/sent", methods=["GET", "DELETE"])
    def sent():
        with lock:
            if request.method == "DELETE":
                state["sent"].clear()
            return jsonify(items=list(state["sent"]))

    @app.post("/_sim/refuse")
    def refuse():
        state["refuse"].add((request.get_json(force=True) or {}).get("openid"))
        return jsonify(ok=True)

    @app.get("/_sim/stats")
    def stats():
        return jsonify(token_fetches=state["token_fetches"], codes_used=len(state["used_codes"]))

    return app
