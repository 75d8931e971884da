"""X-Request-Id on every response and one JSON log line per request."""
import re
import uuid

from flask import g, request

from core.logs import Timer, log, user_ref
from core.metrics import metric

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def register(app) -> None:
    @app.before_request
    def start():
        incoming = request.headers.get("X-Request-Id", "")
        # Accept a caller's id only if it is plainly an id, so nothing else is echoed into logs.
        g.request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        g.timer = Timer()

    @app.after_request
    def finish(response):
        rid = getattr(g, "request_id", None) or uuid.uuid4().hex
        response.headers["X-Request-Id"] = rid
        timer = getattr(g, "timer", None)
        log(
            "request",
            request_id=rid,
            method=request.method,
            route=request.url_rule.rule if request.url_rule else "<unmatched>",
            status=response.status_code,
            latency_ms=timer.ms if timer else None,
            user=user_ref(getattr(g, "user_id", None)),
            error_code=getattr(g, "error_code", None),
        )
        if response.status_code >= 500:
            metric("Errors", 1, source="api")
        return response
