"""The official account (公众号): verifying and opening WeChat's pushes, and the few OA API
calls we make (follower -> unionid, the menu), pointed at WeChat or the local simulator.

Pushes come plain (only `signature`) or encrypted (`encrypt_type=aes`, the body encrypted and
signed with `msg_signature`); which the account accepts, freshness and replays are decided by
core.citizens.official_account. `signature` is checked on every push in both forms, so nothing
unsigned is ever parsed. wechatpy is imported inside the calls: a push must be answered within
WeChat's 5 s, cold start included.
"""

from __future__ import annotations

from core.errors import Forbidden, InvalidRequest, UpstreamError
from gateways.wechat import _make_client


class BadSignature(Forbidden):
    message = "The WeChat signature does not match."
    message_zh = "微信签名校验失败。"


# The elements of a push we read (and reply from): each must be text, never a nested element or a
# repeated one. Others (ScanCodeInfo, SendPicsInfo...) may nest; a repeated top-level element never.
TEXT_FIELDS = (
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "MsgId",
    "Event",
    "EventKey",
    "Content",
)
REQUIRED_FIELDS = ("ToUserName", "FromUserName", "MsgType")


def well_formed(xml) -> bool:
    """A push as WeChat sends it: one <xml> element whose read fields are plain text."""
    import xmltodict
    from wechatpy.utils import to_text

    root = xmltodict.parse(to_text(xml)).get("xml")
    if not isinstance(root, dict) or any(isinstance(v, list) for v in root.values()):
        return False
    if not all(isinstance(root.get(f), str) and root[f] for f in REQUIRED_FIELDS):
        return False
    return all(isinstance(root.get(f), (str, type(None))) for f in TEXT_FIELDS)


class Push:
    """An opened push: the parsed message and how to seal the reply (encrypt it in safe mode)."""

    def __init__(self, message, crypto, nonce: str, timestamp: str):
        self.message, self._crypto, self._nonce, self._timestamp = message, crypto, nonce, timestamp

    def reply_xml(self, text: str | None) -> str:
        """The passive reply; "success" tells WeChat there is nothing to say (and not to retry)."""
        if text is None:
            return "success"
        from wechatpy.replies import TextReply

        xml = TextReply(message=self.message, content=text).render()
        return (
            self._crypto.encrypt_message(xml, self._nonce, self._timestamp) if self._crypto else xml
        )


class OfficialAccountGateway:
    def __init__(
        self,
        appid: str,
        secret: str,
        token: str,
        aes_key: str,
        api_base: str,
        session_storage=None,
        timeout: float = 2.0,
    ):
        # 2 s, not 5: a balance reply makes one OA call and must still answer within WeChat's 5 s.
        self.appid, self.secret, self.token, self.aes_key = appid, secret, token, aes_key
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"
        self._storage, self._timeout, self._client = session_storage, timeout, None

    @property
    def client(self):
        if self._client is None:
            self._client = _make_client(
                self.appid,
                self.secret,
                self.api_base,
                self._storage,
                self._timeout,
                endpoint_base=self.api_base + "cgi-bin/",
            )
        return self._client

    def check_signature(self, args) -> None:
        from wechatpy.exceptions import InvalidSignatureException
        from wechatpy.utils import check_signature

        try:
            check_signature(
                self.token,
                args.get("signature", ""),
                args.get("timestamp", ""),
                args.get("nonce", ""),
            )
        except InvalidSignatureException:
            raise BadSignature() from None

    def open_push(self, args, body: bytes, encrypted: bool) -> Push:
        """Check the signature(s), decrypt an encrypted push, parse. BadSignature (403) or InvalidRequest (400)."""
        import struct
        from xml.parsers.expat import ExpatError

        from wechatpy import parse_message
        from wechatpy.crypto import WeChatCrypto
        from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

        self.check_signature(args)
        crypto = None
        nonce, timestamp = args.get("nonce", ""), args.get("timestamp", "")
        try:
            if encrypted:
                crypto = WeChatCrypto(self.token, self.aes_key, self.appid)
                body = crypto.decrypt_message(body, args.get("msg_signature", ""), timestamp, nonce)
            if not body:
                raise InvalidRequest("Empty push.", zh="推送内容为空。")
            if not well_formed(body):  # an element nested or repeated where text is expected: a 400
                raise ValueError("not a push")
            message = parse_message(body)
        except (InvalidSignatureException, InvalidAppIdException):
            raise BadSignature() from None
        except (
            ExpatError,
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            AttributeError,
            struct.error,
        ):
            # A malformed ciphertext (empty, one block, padding length 0) escapes the decryptor as
            # struct/index errors: a 400, never a 500.
            raise InvalidRequest("Not a WeChat push message.", zh="不是微信推送消息。") from None
        return Push(message, crypto, nonce, timestamp)

    def unionid(self, oa_openid: str) -> str | None:
        """The follower's unionid (None when the OA is not on the same open platform account)."""
        from wechatpy.exceptions import WeChatClientException

        try:
            return self.client.user.get(oa_openid).get("unionid")
        except WeChatClientException as e:
            raise UpstreamError(
                "WeChat user lookup failed.", zh="微信用户信息查询失败，请稍后再试。"
            ) from e

    def create_menu(self, menu: dict) -> None:
        from wechatpy.exceptions import WeChatClientException

        try:
            self.client.menu.create(menu)
        except WeChatClientException as e:
            raise UpstreamError(
                f"WeChat refused the menu (errcode {e.errcode}).",
                zh=f"微信拒绝了菜单设置（错误码 {e.errcode}）。",
            ) from e

    def refresh_access_token(self, ahead: int = 900) -> int:
        from gateways.wechat import refresh_shared_token

        return refresh_shared_token(
            self.client, self._storage, ahead
        )  # same rule as the mini-program's token
