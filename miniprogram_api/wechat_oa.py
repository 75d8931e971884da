"""The official account's server URL: WeChat's URL check (GET) and message pushes (POST).

Not part of the mini-program's OpenAPI document: WeChat, not a client, calls it. Every
request must carry a valid signature (403 otherwise). wechatpy is imported inside the
gateway's calls, never at import time, so a cold start stays inside WeChat's 5 s.
"""
from flask import Blueprint, Response, request

from core.citizens import official_account
from miniprogram_api.deps import gateways, settings

bp = Blueprint("wechat_oa", __name__, url_prefix="/wechat")


@bp.get("/oa")
def verify_url():
    gateways().oa.check_signature(request.args)
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/oa")
def push():
    oa = gateways().oa
    opened = oa.open_push(request.args, request.get_data())
    text = official_account.answer(settings(), oa, opened.message)
    reply = opened.reply_xml(text)
    return Response(reply, mimetype="text/plain" if reply == "success" else "application/xml")
