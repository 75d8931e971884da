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


def register(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(e: ApiError):
        return error_response(e.code, e.message, e.http_status)

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(e):
        return error_response(PayloadTooLarge.code, PayloadTooLarge.message, 413)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        return error_response(_HTTP_CODES.get(e.code, "invalid_request"), e.description or e.name, e.code)

    @app.errorhandler(Exception)
    def unexpected(e: Exception):
        # The message may hold request data; log the type only, with the request id to find it.
        log("unhandled_error", level=40, error_type=type(e).__name__, request_id=request_id())
        return error_response("internal_error", "internal error", 500)
