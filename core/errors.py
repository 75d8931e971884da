"""One error hierarchy. Each broken rule is a typed error with a stable code a
mini-program can branch on; miniprogram_api.errors maps them to JSON in one place."""


class ApiError(Exception):
    code = "internal_error"
    http_status = 500
    message = "internal error"

    def __init__(self, message: str | None = None, **details):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details


class InvalidRequest(ApiError):
    code, http_status, message = "invalid_request", 400, "invalid request"


class Unprocessable(InvalidRequest):
    http_status = 422


class Unauthorized(ApiError):
    code, http_status, message = "unauthorized", 401, "missing, invalid or expired credentials"


class Forbidden(ApiError):
    code, http_status, message = "forbidden", 403, "forbidden"


class NotFound(ApiError):
    code, http_status, message = "not_found", 404, "not found"


class Conflict(ApiError):
    code, http_status, message = "conflict", 409, "conflict"


class PayloadTooLarge(ApiError):
    code, http_status, message = "payload_too_large", 413, "request body too large"


class UnsupportedMediaType(InvalidRequest):
    http_status, message = 415, "unsupported content type"


class RateLimited(ApiError):
    code, http_status, message = "rate_limited", 429, "too many requests"


class UpstreamError(ApiError):
    code, http_status, message = "upstream_unavailable", 502, "an outside system did not answer"


class WechatCodeInvalid(Unauthorized):
    code, message = "wechat_code_invalid", "WeChat rejected the login code"


class IdempotencyKeyReused(Conflict):
    code, message = "idempotency_key_reused", "this Idempotency-Key was used with a different request"
