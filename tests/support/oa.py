"""Build official-account pushes as WeChat sends them: signed query strings and XML bodies,
plain or encrypted (safe mode)."""

from __future__ import annotations

import hashlib
import re
import secrets
import time

OA_PATH = "/wechat/oa"


def signature(token: str, timestamp: str, nonce: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()


def signed_args(
    settings, nonce: str | None = None, timestamp: str | None = None, bad: bool = False
) -> dict:
    """A fresh signed query: now, and a new nonce each time (as WeChat's; one nonce twice is a replay)."""
    timestamp = timestamp or str(int(time.time()))
    nonce = nonce or str(secrets.randbelow(10**10))
    sig = signature(settings.oa_token + ("x" if bad else ""), timestamp, nonce)
    return {"signature": sig, "timestamp": timestamp, "nonce": nonce}


def text_xml(from_openid: str, content: str, to: str = "gh_tanpuhui") -> str:
    return (
        f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{from_openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
        f"<Content><![CDATA[{content}]]></Content><MsgId>1234567890123456</MsgId></xml>"
    )


def event_xml(from_openid: str, event: str, key: str | None = None, to: str = "gh_tanpuhui") -> str:
    key_xml = f"<EventKey><![CDATA[{key}]]></EventKey>" if key is not None else ""
    return (
        f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{from_openid}]]></FromUserName>"
        f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
        f"<Event><![CDATA[{event}]]></Event>{key_xml}</xml>"
    )


def encrypt(settings, xml: str, args: dict, bad_msg_signature: bool = False) -> tuple[dict, str]:
    """Safe mode: (query args with encrypt_type and msg_signature, the encrypted body)."""
    from wechatpy.crypto import WeChatCrypto

    crypto = WeChatCrypto(settings.oa_token, settings.oa_aes_key, settings.oa_appid)
    body = crypto.encrypt_message(xml, args["nonce"], args["timestamp"])
    msg_signature = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", body).group(1)
    if bad_msg_signature:
        msg_signature = "0" * 40
    return {**args, "encrypt_type": "aes", "msg_signature": msg_signature}, body


def decrypt_reply(settings, body: str, args: dict) -> str:
    from wechatpy.crypto import WeChatCrypto

    crypto = WeChatCrypto(settings.oa_token, settings.oa_aes_key, settings.oa_appid)
    sig = re.search(r"<MsgSignature><!\[CDATA\[(.*?)\]\]>", body).group(1)
    ts = re.search(r"<TimeStamp>(.*?)</TimeStamp>", body).group(1)
    return crypto.decrypt_message(body, sig, ts, args["nonce"])


def reply_content(xml: str) -> str:
    import xmltodict

    return xmltodict.parse(xml)["xml"]["Content"]
