"""The one place errors become JSON: {"error": {"code", "message", "request_id"}}, and the one
place the message's language is chosen: Simplified Chinese unless the client prefers English."""

from flask import g, jsonify, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from core.errors import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidRequest,
    MethodNotAllowed,
    NotFound,
    PayloadTooLarge,
    RateLimited,
    Unauthorized,
)
from core.logs import log
from miniprogram_api.openapi import request_id

# Errors Flask/werkzeug raise before a view runs, as the hierarchy's own (bilingual) errors.
_HTTP_ERRORS = {
    400: InvalidRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    409: Conflict,
    413: PayloadTooLarge,
    415: InvalidRequest,
    429: RateLimited,
}


def language() -> str:
    """ "en" when Accept-Language ranks English above Chinese, else "zh" (the mini-program's language)."""
    try:
        best = request.accept_languages.best_match(["zh", "en"], default="zh")
    except Exception:  # odd header bytes: the default, never a 5xx
        return "zh"
    return "en" if best and best.lower().startswith("en") else "zh"


def error_response(code: str, message: str, status: int):
    g.error_code = code
    resp = jsonify(error={"code": code, "message": message, "request_id": request_id()})
    resp.status_code = status
    return resp


def _where(e: BaseException) -> list[str]:
    """file:line of the innermost frames: enough to find the bug, without the message's data."""
    import traceback

    frames = traceback.extract_tb(e.__traceback__)[-4:]
    return [f"{f.filename.rsplit('site-packages/', 1)[-1]}:{f.lineno}" for f in frames]


def _respond(e: ApiError, status: int | None = None):
    return error_response(e.code, e.text(language()), status or e.http_status)


def register(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(e: ApiError):
        resp = _respond(e)
        if e.details.get("retry_after"):
            resp.headers["Retry-After"] = str(e.details["retry_after"])
        return resp

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e):
        return _respond(PayloadTooLarge())

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        resp = _respond(_HTTP_ERRORS.get(e.code, InvalidRequest)(), e.code)
        if getattr(e, "valid_methods", None):  # RFC 9110: a 405 names the methods that are allowed
            resp.headers["Allow"] = ", ".join(e.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        # The message may hold request data; log the type only, with the request id to find it.
        log(
            "unhandled_error",
            level=40,
            error_type=type(e).__name__,
            request_id=request_id(),
            where=_where(e),
        )
        return _respond(ApiError())
