"""WeChat mini-program client (wechatpy), pointed at WeChat or the local simulator.

WeChat's error codes become typed errors here and nowhere else. wechatpy is
imported on first use: it costs ~120 ms of cold start that only login pays.
"""

from __future__ import annotations

from core.errors import PhoneCodeInvalid, UpstreamError, WechatCodeInvalid

# jscode2session codes that mean "this code is not valid": bad, used or expired.
_BAD_CODE_ERRCODES = {40029, 40163, 40226}
# Subscribe-message failures that say nothing about the user: an HTTP error (errcode None),
# system busy, the API's rate limit, an access token being replaced.
_TRANSIENT_ERRCODES = {None, -1, 45009, 40001, 42001}


def _not_sent(transient: bool, maybe_sent: bool = False) -> UpstreamError:
    e = UpstreamError("WeChat did not send the subscribe message.", zh="微信订阅消息发送失败。")
    e.transient, e.maybe_sent = transient, maybe_sent
    return e


class WechatGateway:
    def __init__(
        self, appid: str, secret: str, api_base: str, session_storage=None, timeout: float = 5.0
    ):
        self.appid, self.secret = appid, secret
        self.api_base = api_base if api_base.endswith("/") else api_base + "/"
        self._storage = session_storage
        self._timeout = timeout
        self._client = None

    @property
    def client(self):
        if self._client is None:
            self._client = _make_client(
                self.appid, self.secret, self.api_base, self._storage, self._timeout
            )
        return self._client

    def code_to_session(self, code: str) -> dict:
        """Exchange a wx.login code for {openid, session_key, unionid?}."""
        from wechatpy.exceptions import WeChatClientException

        try:
            return self.client.wxa.code_to_session(code)
        except WeChatClientException as e:
            if e.errcode in _BAD_CODE_ERRCODES:
                raise WechatCodeInvalid() from e
            raise UpstreamError(
                "WeChat sign-in failed. Please try again later.",
                zh="微信登录服务暂时不可用，请稍后再试。",
            ) from e

    def phone_number(self, code: str) -> str:
        from wechatpy.exceptions import WeChatClientException

        try:
            res = self.client.wxa._post("wxa/business/getuserphonenumber", data={"code": code})
        except WeChatClientException as e:
            if e.errcode in (40029, 40013):
                raise PhoneCodeInvalid() from e
            raise UpstreamError(
                "WeChat phone lookup failed. Please try again later.",
                zh="微信手机号查询失败，请稍后再试。",
            ) from e
        return res["phone_info"]["purePhoneNumber"]

    def send_subscribe_message(
        self, openid: str, template_id: str, data: dict, page: str | None = None
    ) -> None:
        """Raises UpstreamError; its `transient` is True when WeChat surely did not take the
        message (an HTTP error, no connection, "system busy"): sending again later is safe;
        `maybe_sent` when it was asked and did not answer: sending again could tell twice."""
        import requests
        from wechatpy.exceptions import WeChatClientException

        try:
            self.client.wxa.send_subscribe_message(openid, template_id, data, page=page)
        except WeChatClientException as e:
            raise _not_sent(e.errcode in _TRANSIENT_ERRCODES) from e
        except requests.ReadTimeout as e:
            raise _not_sent(
                False, maybe_sent=True
            ) from e  # asked, no answer: it may have been sent
        except requests.RequestException as e:
            raise _not_sent(True) from e  # it never reached WeChat

    def refresh_access_token(self, ahead: int = 900) -> int:
        """Fetch a new shared token if the stored one expires within `ahead` seconds (the schedule
        runs every 30 minutes, so no request ever waits for a fetch); return seconds it has left."""
        return refresh_shared_token(self.client, self._storage, ahead)


def refresh_shared_token(client, storage, ahead: int) -> int:
    key = client.access_token_key
    left = storage.seconds_left(key)
    if left is None or left < ahead:
        client.fetch_access_token()
        left = storage.seconds_left(key)
    return left


def _make_client(appid, secret, api_base, storage, timeout, endpoint_base=None):
    """A wechatpy client on `api_base`. `endpoint_base` is where relative endpoints resolve:
    the root for the mini-program calls (wxa paths are absolute), `cgi-bin/` for the official account."""
    from wechatpy import WeChatClient

    class Client(WeChatClient):
        # wechatpy hard-codes api.weixin.qq.com in three places; all three are redirected.
        API_BASE_URL = endpoint_base or api_base

        def fetch_access_token(self):
            return self._fetch_access_token(
                url=f"{api_base}cgi-bin/token",
                params={
                    "grant_type": "client_credential",
                    "appid": self.appid,
                    "secret": self.secret,
                },
            )

    client = Client(appid, secret, session=storage, timeout=timeout)
    client.wxa.API_BASE_URL = api_base
    return client
