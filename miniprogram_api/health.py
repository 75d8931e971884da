"""Health, the OpenAPI document and its docs page."""
from flask import Blueprint, jsonify
from pydantic import BaseModel
from spectree import Response

from miniprogram_api.openapi import spec

bp = Blueprint("health", __name__)


class HealthOut(BaseModel):
    status: str


@bp.get("/healthz")
@spec.validate(resp=Response(HTTP_200=HealthOut), tags=["health"])
def healthz():
    # Liveness only: a Lambda container that answers can serve; DynamoDB health is AWS's to report.
    return jsonify(status="ok")


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec.spec)


_DOCS = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>广州市碳普惠 API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="https://unpkg.com/swagger-ui-dist@5/swagger-ui.css"></head>
<body><noscript>The machine-readable contract is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<div id="ui"><p>Loading the API reference for <a href="/openapi.json">/openapi.json</a>…</p></div>
<script src="https://unpkg.com/swagger-ui-dist@5/swagger-ui-bundle.js"></script>
<script>window.SwaggerUIBundle && SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui"});</script>
</body></html>"""


@bp.get("/docs")
def docs():
    return _DOCS, 200, {"Content-Type": "text/html; charset=utf-8"}
