"""Answers to official-account pushes.

A follower's OA openid is not their mini-program openid; the unionid is shared by both,
so the balance is found as OA openid -> unionid (one OA API call) -> user (the users
by_unionid index) -> account. Nothing here raises on WeChat trouble: a push always gets
an answer within WeChat's 5 s, even if that answer is "try again later".
"""
from __future__ import annotations

from core.citizens import oa_replies
from core.errors import UpstreamError
from core.logs import log
from models import Account, User


def answer(settings, oa, message) -> str | None:
    """The text to reply to a parsed push (wechatpy message), or None for no reply."""
    kind = oa_replies.intent(message.type, getattr(message, "content", None),
                             getattr(message, "event", None), getattr(message, "key", None))
    mp = settings.wechat_appid
    if kind == "welcome":
        return oa_replies.welcome_text(mp)
    if kind == "balance":
        try:
            balance = follower_balance(oa, message.source)
        except UpstreamError as e:
            log("oa_lookup_failed", level=30, error_type=type(e.__cause__ or e).__name__)
            return oa_replies.unavailable_text()
        return oa_replies.bind_text(mp) if balance is None else oa_replies.balance_text(balance)
    if kind == "help":
        return oa_replies.help_text(mp)
    return None


def user_for_unionid(unionid: str) -> str | None:
    for u in User.by_unionid.query(unionid, limit=1):
        return u.user_id
    return None


def follower_balance(oa, oa_openid: str) -> int | None:
    """The linked user's balance, or None when the follower has no mini-program user."""
    unionid = oa.unionid(oa_openid)
    user_id = user_for_unionid(unionid) if unionid else None
    if user_id is None:
        return None
    try:
        return int(Account.get(user_id).balance)
    except Account.DoesNotExist:
        return 0  # logged in, never earned
