"""The one contract registry: `spec.validate` reads a view's query and JSON body through its shapes
(miniprogram_api.shapes) and notes the view's responses, tags and security; /openapi.json is built
from those same shapes (miniprogram_api.openapi_doc) on its first request, never at a cold start."""

import threading
from functools import wraps

from flask import g, request

from core.errors import Unprocessable, UnsupportedMediaType
from miniprogram_api.shapes import Invalid


class Response:
    """A view's documented answers: Response("HTTP_204", HTTP_200=Model, HTTP_401=Error)."""

    def __init__(self, *codes: str, **code_models):
        self.codes, self.code_models = codes, code_models


class Operation:
    def __init__(self, view, query, json, resp, tags, security):
        self.view, self.query, self.json, self.resp = view, query, json, resp
        self.tags, self.security = list(tags), security


def _unprocessable(e: Invalid) -> Unprocessable:
    problems, fields = [], []
    for loc, msg in e.problems[:5]:
        where = ".".join(str(p) for p in loc)
        problems.append(f"{where}: {msg}")
        fields.append(where)
    # The messages explain in English; Chinese names the fields to fix (field names are the API's).
    return Unprocessable(
        "; ".join(problems) or None,
        zh=f"请求内容不符合要求，请检查：{'、'.join(fields)}。" if fields else None,
    )


def _json_body():
    """The body as values (core.jsonbounds through the app's JSON provider); an empty body is {}."""
    data = request.get_json(silent=True)
    if data is None and request.get_data():
        raise Unprocessable(
            "The body is not valid JSON: malformed, nested too deep, a number that is not finite "
            "or text that is not Unicode.",
            zh="请求内容不是有效的 JSON（格式错误、嵌套过深、数值无效或包含无效字符）。",
        )
    return {} if data is None else data


class Spec:
    def __init__(self, security_schemes: dict, **info):
        self.info, self.operations, self.security_schemes = info, {}, security_schemes
        self._lock = (
            threading.Lock()
        )  # concurrent first requests must all get the one whole document
        self._doc = None

    def validate(self, query=None, json=None, resp=None, tags=(), security=None):
        """The view gets `query=`/`json=` as read shapes; input they refuse is a 422 naming the fields.
        A body view (POST, PUT, PATCH) called with a content type other than application/json, or
        none, is a 415 before anything is read; a body that is not JSON is a 422."""

        def decorate(view):
            @wraps(view)
            def validated(*args, **kwargs):
                body = json is not None and request.method in ("POST", "PUT", "PATCH")
                if body and request.mimetype != "application/json":
                    raise UnsupportedMediaType()  # before anything is read: a form is never read as JSON
                try:
                    if query is not None:
                        args_ = {k: v if len(v) > 1 else v[0] for k, v in request.args.lists()}
                        kwargs["query"] = query.read(args_)
                    if body:
                        kwargs["json"] = json.read(_json_body())
                except Invalid as e:
                    raise _unprocessable(e) from None
                return view(*args, **kwargs)

            self.operations[validated] = Operation(view, query, json, resp, tags, security)
            return validated

        return decorate

    @property
    def spec(self) -> dict:
        """The OpenAPI document, built once from the shapes of every validated view of the app."""
        with self._lock:
            if self._doc is None:
                from flask import current_app

                from miniprogram_api import openapi_doc

                self._doc = openapi_doc.build(current_app, self)
            return self._doc


SECURITY_SCHEMES = {
    "citizen": {"type": "http", "scheme": "bearer"},
    "merchant": {"type": "http", "scheme": "bearer"},
    "org": {
        "type": "http",
        "description": "an organisation key from `tanpuhui org add`",
        "scheme": "bearer",
    },
    "partner_hmac": {
        "type": "apiKey",
        "description": "hex HMAC-SHA256(secret, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY) "
        "with X-Partner-Id, X-Timestamp (unix s, skew <= 300) and X-Nonce (single use)",
        "name": "X-Signature",
        "in": "header",
    },
}

spec = Spec(SECURITY_SCHEMES, title="Guangzhou carbon-inclusion API", version="1.0.0")

CITIZEN = {"citizen": []}
MERCHANT = {"merchant": []}
ORG = {"org": []}


def request_id() -> str:
    return getattr(g, "request_id", "-")
