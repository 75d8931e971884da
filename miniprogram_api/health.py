"""Health, the OpenAPI document and its docs page."""

import os

from flask import Blueprint, jsonify, send_from_directory

from core.errors import NotFound
from miniprogram_api import pages
from miniprogram_api.openapi import Response, spec
from miniprogram_api.shapes import Model

bp = Blueprint("health", __name__)


class HealthOut(Model):
    status: str


@bp.get("/healthz")
@spec.validate(resp=Response(HTTP_200=HealthOut), tags=["health"])
def healthz():
    # Liveness only: a Lambda container that answers can serve; DynamoDB health is AWS's to report.
    return jsonify(status="ok")


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec.spec)


# /docs: Swagger UI from the kept flask-swagger-ui package (its dist/ folder; the package's own
# blueprint is not used: its page carries an inline script). The page, its initializer
# (static/docs.js) and Swagger UI's files all come from this app, so the reference renders
# offline and wherever a public CDN is slow or blocked.
_DOCS = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>广州市碳普惠 API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"><link rel="icon" href="data:,"></head>
<body><noscript>接口说明需要 JavaScript；机器可读的接口文档见 <a href="/openapi.json">/openapi.json</a>。
The machine-readable contract is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="ui"><p>正在加载接口说明（Loading the API reference for <a href="/openapi.json">/openapi.json</a>）…</p></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>"""
# Swagger UI writes style attributes as it draws (its own, not request data): style-src must allow them.
_DOCS_CSP = pages.csp(style_src="'self' 'unsafe-inline'")
_ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css")


def _swagger_dist() -> str:
    import importlib.util

    # find_spec locates the package without importing it (its module reads the package metadata).
    return os.path.join(
        importlib.util.find_spec("flask_swagger_ui").submodule_search_locations[0], "dist"
    )


@bp.get("/docs")
def docs():
    return (
        _DOCS,
        200,
        {"Content-Type": "text/html; charset=utf-8", "Content-Security-Policy": _DOCS_CSP},
    )


@bp.get("/docs/assets/<name>")
def docs_asset(name: str):
    if name not in _ASSETS:
        raise NotFound()
    return send_from_directory(_swagger_dist(), name, max_age=86400)
