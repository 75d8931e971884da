"""The one place errors become JSON: {"error": {"code", "message", "request_id"}}."""
from flask import g, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from core.errors import ApiError, PayloadTooLarge
from core.logs import log
from miniprogram_api.openapi import request_id

_HTTP_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 409: "conflict", 415: "invalid_request", 429: "rate_limited"}


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


def register(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(e: ApiError):
        resp = error_response(e.code, e.message, e.http_status)
        if e.details.get("retry_after"):
            resp.headers["Retry-After"] = str(e.details["retry_after"])
        return resp

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e):
        return error_response(PayloadTooLarge.code, PayloadTooLarge.message, 413)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        resp = error_response(_HTTP_CODES.get(e.code, "invalid_request"), e.description or e.name, e.code)
        if getattr(e, "valid_methods", None):  # RFC 9110: a 405 names the methods that are allowed
            resp.headers["Allow"] = ", ".join(e.valid_methods)
        return resp

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        # The message may hold request data; log the type only, with the request id to find it.
        log("unhandled_error", level=40, error_type=type(e).__name__, request_id=request_id(), where=_where(e))
        return error_response("internal_error", "internal error", 500)
