"""X-Request-Id on every response and one JSON log line per request."""

import re
import uuid

from flask import g, request

from core.logs import Timer, log, user_ref
from core.metrics import metric

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# The dashboard's route classes: a route's first path segment when it is one of these (a bounded
# set of metric dimension values, never a raw path).
ROUTE_CLASSES = ("api", "merchant", "partner", "org", "wechat", "wechatpay", "public")
PAGES = (
    "docs",
    "openapi.json",
    "healthz",
    "static",
    "transparency",
    "methodologies",
)  # counted as "other": pages, not the API


def route_class(rule: str | None) -> str:
    """`/api/v1/coins` -> api; `/docs`, `/healthz` -> other; no matched route -> unmatched."""
    if not rule:
        return "unmatched"
    first = rule.lstrip("/").split("/", 1)[0]
    return first if first in ROUTE_CLASSES else "other"


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
        rule = request.url_rule.rule if request.url_rule else None
        log(
            "request",
            request_id=rid,
            method=request.method,
            route=rule or "<unmatched>",
            status=response.status_code,
            latency_ms=timer.ms if timer else None,
            user=user_ref(getattr(g, "user_id", None)),
            error_code=getattr(g, "error_code", None),
        )
        # Requests (SampleCount), p50/p99 per route class on the dashboard (infra/dashboard.py).
        metric(
            "Latency", timer.ms if timer else 0, unit="Milliseconds", route_class=route_class(rule)
        )
        if response.status_code >= 500:
            metric("Errors", 1, source="api")  # the api_5xx alarm
            metric("ServerErrors", 1, route_class=route_class(rule))
        return response
