"""One error hierarchy. Each broken rule is a typed error with a stable code a
mini-program can branch on; miniprogram_api.errors maps them to JSON in one place.

Every error speaks to the person who sees it: `message_zh` (Simplified Chinese, the default,
written so a citizen or cashier knows what to do next) and `message` (English, for
`Accept-Language: en`). A class that sets its own `code` or `message` sets both languages
(tests/unit/test_error_messages.py walks every subclass). A raise site that needs a more
specific text passes both: `NotFound("no such order", zh="找不到这个订单")`. Codes never
change with the language.
"""


class ApiError(Exception):
    code = "internal_error"
    http_status = 500
    message = "Something went wrong on our side. Please try again later."
    message_zh = "系统开小差了，请稍后再试。"

    def __init__(self, message: str | None = None, *, zh: str | None = None, **details):
        super().__init__(message or self.message)
        self.message = message or type(self).message
        self.message_zh = zh or type(self).message_zh
        self.details = details

    def text(self, lang: str) -> str:
        """The message in `lang` ("zh" or "en"); anything else gets Chinese."""
        return self.message if lang == "en" else self.message_zh


class InvalidRequest(ApiError):
    code, http_status = "invalid_request", 400
    message = "The request is not valid. Please check it and try again."
    message_zh = "请求内容有误，请检查后重试。"


class Unprocessable(InvalidRequest):
    http_status = 422


class Unauthorized(ApiError):
    code, http_status = "unauthorized", 401
    message = "Please sign in again: your sign-in is missing, invalid or has expired."
    message_zh = "登录已失效，请重新登录。"


class Forbidden(ApiError):
    code, http_status = "forbidden", 403
    message = "You are not allowed to do this."
    message_zh = "没有权限进行此操作。"


class NotFound(ApiError):
    code, http_status = "not_found", 404
    message = "Not found."
    message_zh = "找不到要访问的内容。"


class MethodNotAllowed(ApiError):
    code, http_status = "method_not_allowed", 405
    message = "This address does not accept this method."
    message_zh = "该地址不支持此请求方式。"


class Conflict(ApiError):
    code, http_status = "conflict", 409
    message = "This conflicts with the current state. Please refresh and try again."
    message_zh = "操作与当前状态冲突，请刷新后重试。"


class PayloadTooLarge(ApiError):
    code, http_status = "payload_too_large", 413
    message = "The request body is too large."
    message_zh = "提交的内容过大。"


class UnsupportedMediaType(InvalidRequest):
    http_status = 415
    message = "Send the body as application/json."
    message_zh = "请以 JSON 格式（application/json）提交请求内容。"


class RateLimited(ApiError):
    code, http_status = "rate_limited", 429
    message = "Too many requests. Please wait a moment and try again."
    message_zh = "操作过于频繁，请稍后再试。"


class UpstreamError(ApiError):
    code, http_status = "upstream_unavailable", 502
    message = "An outside service did not answer. Please try again later."
    message_zh = "外部服务暂时无法响应，请稍后再试。"


class WechatCodeInvalid(Unauthorized):
    code = "wechat_code_invalid"
    message = "WeChat rejected the login code. Please sign in again."
    message_zh = "微信登录凭证无效或已使用，请重新登录。"


class PhoneCodeInvalid(Unprocessable):
    # 422, never 401: a mini-program reads 401 as "signed out", and the citizen is still signed in.
    code = "phone_code_invalid"
    message = "WeChat rejected the phone number code. Please authorise again."
    message_zh = "微信手机号授权凭证无效，请重新授权。"


class PhoneTaken(Conflict):
    code = "phone_taken"
    message = "This phone number is bound to another account."
    message_zh = "该手机号已绑定其他账户。"


class IdempotencyKeyReused(Conflict):
    code = "idempotency_key_reused"
    message = "This Idempotency-Key was already used with a different request."
    message_zh = "该幂等键（Idempotency-Key）已用于另一个不同的请求。"


class ServiceUnavailable(ApiError):
    """Nothing about the request is wrong; send it again in a moment. Raised by the local stack
    while it stops (it drains in-flight requests before its snapshot), and where a write failed
    for another reason than the request (throttling, a conflict that outlasted our retries)."""

    code, http_status = "service_unavailable", 503
    message = "Temporarily unavailable. Please send the request again in a moment."
    message_zh = "服务暂时不可用，请稍后重新发送。"
