"""The official account's server URL: WeChat's URL check (GET) and message pushes (POST).

Not part of the mini-program's OpenAPI document: WeChat, not a client, calls it. Every
request must carry a valid, fresh signature, and a push must match the account's message mode
and not be a replay (403s, core.citizens.official_account). wechatpy is imported inside the
gateway's calls, never at import time, so a cold start stays inside WeChat's 5 s.
"""

import time

from flask import Blueprint, Response, request

from miniprogram_api.deps import gateways, settings

bp = Blueprint("wechat_oa", __name__, url_prefix="/wechat")


@bp.get("/oa")
def verify_url():
    from core.citizens import official_account

    official_account.check_url(gateways().oa, request.args, time.time())
    return Response(request.args.get("echostr", ""), mimetype="text/plain")


@bp.post("/oa")
def push():
    from core.citizens import official_account

    oa = gateways().oa
    opened = official_account.open_push(
        settings(), oa, request.args, request.get_data(), time.time()
    )
    text = official_account.answer(settings(), oa, opened.message)
    reply = opened.reply_xml(text)
    return Response(reply, mimetype="text/plain" if reply == "success" else "application/xml")
