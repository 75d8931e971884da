"""WeChat API simulator: speaks WeChat's HTTP so wechatpy talks to it unchanged.

- GET  /cgi-bin/token                       access token (checks appid/secret)
- GET  /sns/jscode2session                  `test-<name>` -> stable openid for <name>; each code once; else 40029
- POST /wxa/business/getuserphonenumber     `phone-<11 digits>` -> that number
- POST /cgi-bin/message/subscribe/send      recorded; users listed via /_sim/refuse get 43101
- GET  /cgi-bin/user/info                   official-account follower -> unionid (the same person as a
                                            mini-program login `test-<name>`, or one added via /_sim/follow)
- POST /cgi-bin/menu/create                 the official account's menu, recorded
The token endpoint accepts the mini-program's and the official account's appid/secret.
Every call but the token fetch must carry a token it issued (40001 otherwise).
Test helpers: GET/DELETE /_sim/sent, POST /_sim/refuse {"openid"}, POST /_sim/outage {"on"} (subscribe
sends answer HTTP 500), POST /_sim/follow {"name"}, GET /_sim/menu, GET /_sim/stats.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import threading

from flask import Flask, jsonify, request

SIMULATOR = ("wechat", "wechat_port", "wechat_api_base")


def create(settings) -> Flask:
    return create_sim(
        settings.wechat_appid, settings.wechat_secret, settings.oa_appid, settings.oa_secret
    )


def openid_for(name: str) -> str:
    # 28 characters starting with 'o', like WeChat's.
    return (
        "o"
        + base64.urlsafe_b64encode(hashlib.sha256(f"openid:{name}".encode()).digest()).decode()[:27]
    )


def unionid_for(name: str) -> str:
    return (
        "o"
        + base64.urlsafe_b64encode(hashlib.sha256(f"unionid:{name}".encode()).digest()).decode()[
            :27
        ]
    )


def oa_openid_for(name: str) -> str:
    """The official account gives the same person another openid (one per app)."""
    return (
        "o"
        + base64.urlsafe_b64encode(hashlib.sha256(f"oa-openid:{name}".encode()).digest()).decode()[
            :27
        ]
    )


def session_key_for(name: str) -> str:
    """Deterministic so tests can encrypt WeRun data for a named user."""
    return base64.b64encode(hashlib.sha256(f"session:{name}".encode()).digest()[:16]).decode()


def create_sim(
    appid: str, secret: str, oa_appid: str | None = None, oa_secret: str | None = None
) -> Flask:
    app = Flask("wechat_sim")
    state = {
        "tokens": set(),
        "used_codes": set(),
        "sent": [],
        "refuse": set(),
        "token_fetches": 0,
        "followers": {},
        "menu": None,
        "outage": False,
        "oa_token_fetches": 0,
    }
    apps = {appid: secret, **({oa_appid: oa_secret} if oa_appid else {})}
    lock = threading.Lock()

    def err(code, msg):
        return jsonify(errcode=code, errmsg=msg)

    def token_ok():
        return request.args.get("access_token") in state["tokens"]

    @app.get("/cgi-bin/token")
    def token():
        if apps.get(request.args.get("appid")) != request.args.get("secret"):
            return err(40125, "invalid appsecret")
        tok = secrets.token_urlsafe(24)
        with lock:
            state["tokens"].add(tok)
            state[
                "token_fetches" if request.args.get("appid") == appid else "oa_token_fetches"
            ] += 1
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
        with lock:  # everyone who logs in also follows the official account, as one person
            state["followers"][oa_openid_for(name)] = unionid_for(name)
        return jsonify(
            openid=openid_for(name), session_key=session_key_for(name), unionid=unionid_for(name)
        )

    @app.post("/wxa/business/getuserphonenumber")
    def phone():
        if not token_ok():
            return err(40001, "invalid credential, access_token is invalid or not latest")
        code = (request.get_json(force=True, silent=True) or {}).get("code", "")
        digits = code[6:] if code.startswith("phone-") else ""
        if len(digits) != 11 or not digits.isdigit():
            return err(40029, "invalid code")
        return jsonify(
            errcode=0,
            errmsg="ok",
            phone_info={"phoneNumber": digits, "purePhoneNumber": digits, "countryCode": "86"},
        )

    @app.post("/cgi-bin/message/subscribe/send")
    def subscribe_send():
        if not token_ok():
            return err(40001, "invalid credential, access_token is invalid or not latest")
        if state["outage"]:
            return "upstream busy", 500
        body = request.get_json(force=True, silent=True) or {}
        if body.get("touser") in state["refuse"]:
            return err(43101, "user refuse to accept the msg")
        with lock:
            state["sent"].append(body)
        return jsonify(errcode=0, errmsg="ok")

    @app.get("/cgi-bin/user/info")
    def user_info():
        if not token_ok():
            return err(40001, "invalid credential, access_token is invalid or not latest")
        openid = request.args.get("openid", "")
        if openid not in state["followers"]:
            return jsonify(subscribe=0, openid=openid)
        return jsonify(
            subscribe=1, openid=openid, unionid=state["followers"][openid], language="zh_CN"
        )

    @app.post("/cgi-bin/menu/create")
    def menu_create():
        if not token_ok():
            return err(40001, "invalid credential, access_token is invalid or not latest")
        body = request.get_json(force=True, silent=True) or {}
        if not body.get("button"):
            return err(40016, "invalid button size")
        state["menu"] = body
        return jsonify(errcode=0, errmsg="ok")

    @app.get("/_sim/menu")
    def menu():
        return jsonify(menu=state["menu"])

    @app.post("/_sim/follow")
    def follow():
        name = (request.get_json(force=True) or {}).get("name", "")
        with lock:
            state["followers"][oa_openid_for(name)] = unionid_for(name)
        return jsonify(ok=True)

    @app.post("/_sim/outage")
    def outage():
        state["outage"] = bool((request.get_json(force=True) or {}).get("on"))
        return jsonify(outage=state["outage"])

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
        return jsonify(
            token_fetches=state["token_fetches"],
            oa_token_fetches=state["oa_token_fetches"],
            codes_used=len(state["used_codes"]),
        )

    return app
