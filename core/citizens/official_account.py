"""Admitting and answering official-account pushes.

Admitting (`open_push`, `check_url`): WeChat's `signature` covers only token, timestamp and nonce,
never the body, so a signed URL alone proves little. Hence, in this order: the signature (403
`forbidden`); the timestamp within FRESH_S of now (403 `oa_push_stale`); the push's encryption
allowed by the account's message mode, OA_MESSAGE_MODE as set in WeChat's console (403
`oa_mode_mismatch`): `plain` takes only plain pushes, `safe` only encrypted ones (encrypt_type=aes,
the body signed by msg_signature), `compatible` both (an encrypted push is read only from its
ciphertext, never from the plain copy WeChat adds beside it); then msg_signature, decryption and
parsing (the gateway); last, the (timestamp, nonce) pair is remembered, so the same signed push
posted again is refused (403 `oa_push_replayed`). WeChat never sends an encrypted push to an
account in plain mode, so one is refused there rather than decrypted.

Answering: a follower's OA openid is not their mini-program openid; the unionid is shared by both,
so the balance is found as OA openid -> unionid (one OA API call) -> user (the users
by_unionid index) -> account. Nothing here raises on WeChat trouble: a push always gets
an answer within WeChat's 5 s, even if that answer is "try again later".
"""

from __future__ import annotations

from datetime import UTC, datetime

from pynamodb.exceptions import PutError

from core import jsonbounds
from core.citizens import oa_replies
from core.errors import Forbidden, InvalidRequest, UpstreamError
from core.logs import log
from models import Account, User
from models.oa_nonces import OaNonce

FRESH_S = 300  # a push's timestamp may be this far from now, either way


class PushStale(Forbidden):
    code = "oa_push_stale"
    message = "The push's timestamp is missing or more than 5 minutes from now."
    message_zh = "推送的时间戳缺失或与当前时间相差超过 5 分钟。"


class PushReplayed(Forbidden):
    code = "oa_push_replayed"
    message = "This push was already received."
    message_zh = "该推送已经接收过，不再处理。"


class ModeMismatch(Forbidden):
    code = "oa_mode_mismatch"
    message = "The push's encryption does not match the official account's message mode."
    message_zh = "推送的加密方式与公众号设置的消息加解密方式不符。"


def check_url(oa, args, now: float) -> None:
    """WeChat's URL check (GET): signed and fresh."""
    oa.check_signature(args)
    fresh(args.get("timestamp", ""), now)


def open_push(settings, oa, args, body: bytes, now: float):
    """A push admitted (see the module doc) and opened: the gateway's Push. Raises 403s or a 400."""
    oa.check_signature(args)  # first: nothing unsigned is looked at further
    ts = fresh(args.get("timestamp", ""), now)
    encrypted = encryption(settings.oa_message_mode, args.get("encrypt_type"))
    nonce = args.get("nonce", "")
    if not 0 < len(nonce) <= 64:
        raise InvalidRequest(
            "The push's nonce is missing or too long.", zh="推送的随机数（nonce）缺失或过长。"
        )
    opened = oa.open_push(args, body, encrypted)
    remember(ts, nonce)
    return opened


def fresh(timestamp: str, now: float) -> int:
    """The timestamp as an int, if it is within FRESH_S of now (core.jsonbounds.unix_seconds)."""
    ts = jsonbounds.unix_seconds(timestamp)
    if ts is None or abs(now - ts) > FRESH_S:
        raise PushStale()
    return ts


def encryption(mode: str, encrypt_type: str | None) -> bool:
    """Whether the push is encrypted, if the account's mode allows it."""
    if encrypt_type not in (None, "", "aes"):
        raise InvalidRequest("Unknown encrypt_type.", zh="未知的加密类型（encrypt_type）。")
    encrypted = encrypt_type == "aes"
    if (mode == "safe" and not encrypted) or (mode == "plain" and encrypted):
        raise ModeMismatch()
    return encrypted


def remember(ts: int, nonce: str) -> None:
    """First sight of this signed (timestamp, nonce), or PushReplayed. Kept until the timestamp is stale."""
    expires = datetime.fromtimestamp(ts + FRESH_S + 60, tz=UTC)
    try:
        OaNonce(f"{ts}#{nonce}", ttl=expires).save(condition=OaNonce.key.does_not_exist())
    except PutError as e:
        if e.cause_response_code != "ConditionalCheckFailedException":
            raise
        raise PushReplayed() from None


def answer(settings, oa, message) -> str | None:
    """The text to reply to a parsed push (wechatpy message), or None for no reply."""
    kind = oa_replies.intent(
        message.type,
        getattr(message, "content", None),
        getattr(message, "event", None),
        getattr(message, "key", None),
    )
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
