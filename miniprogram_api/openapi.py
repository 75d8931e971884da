"""One SpecTree instance: the same pydantic models validate requests and
generate /openapi.json, so the document cannot drift from what the code accepts."""
import threading

from flask import g
from spectree import SecurityScheme, SpecTree
from spectree.models import SecuritySchemeData

from core.errors import InvalidRequest, Unprocessable, UnsupportedMediaType


def _expects_json(req) -> bool:
    import inspect

    from flask import current_app

    view = current_app.view_functions.get(req.endpoint)
    return view is not None and "json" in getattr(inspect.unwrap(view), "__annotations__", {})


def _raise_validation_error(req, resp, req_validation_error, instance, *_):
    # SpecTree skips body validation for form content types; a JSON endpoint must refuse them.
    if req_validation_error is None and req.method in ("POST", "PUT", "PATCH") \
            and req.mimetype != "application/json" and _expects_json(req):
        raise UnsupportedMediaType()
    # SpecTree would answer with its own JSON; raise ours so one handler shapes every error.
    if req_validation_error is not None:
        problems, fields = [], []
        try:
            for err in req_validation_error.errors()[:5]:
                loc = ".".join(str(p) for p in err.get("loc", ()))
                problems.append(f"{loc}: {err.get('msg')}")
                fields.append(loc)
        except Exception:  # a body that is not JSON at all
            raise InvalidRequest("The request body is not valid JSON.", zh="请求内容不是有效的 JSON。") from None
        # pydantic explains in English; Chinese names the fields to fix (field names are the API's).
        raise Unprocessable("; ".join(problems) or None,
                            zh=f"请求内容不符合要求，请检查：{'、'.join(fields)}。" if fields else None)


class LazySchemaSpecTree(SpecTree):
    """SpecTree builds each model's JSON schema as views are decorated: ≈ 40 ms of every cold
    start, for a document only `/openapi.json` needs. Note the models instead (same keys, same
    order) and build their schemas when the document is first generated. Request validation
    uses the model classes themselves, never these schemas."""

    def _add_model(self, model, mode="validation") -> str:
        self.__dict__.setdefault("_pending_models", []).append((model, mode))
        return self.naming_strategy(model)

    _lock = threading.Lock()  # concurrent first requests must all get the one whole document

    @property
    def spec(self):
        with self._lock:
            if not hasattr(self, "_spec"):
                for model, mode in self.__dict__.pop("_pending_models", []):
                    SpecTree._add_model(self, model, mode)
                self._spec = _with_body_limit(self._generate_spec())  # once: generating twice differs
            return self._spec


def _with_body_limit(document: dict) -> dict:
    """Every operation that takes a body may answer 413 `payload_too_large` (the app refuses any
    body over MAX_BODY_BYTES before a view runs, so no view's Response lists it): say so, once here."""
    from miniprogram_api import MAX_BODY_BYTES

    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "requestBody" in operation:
                operation["responses"].setdefault("413", {
                    "description": f"Payload Too Large: the body is over {MAX_BODY_BYTES // 1024} KiB "
                                   "(code `payload_too_large`); nothing was written",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
    return document


spec = LazySchemaSpecTree(
    "flask",
    title="Guangzhou carbon-inclusion API",
    version="1.0.0",
    path="apidoc",
    mode="strict",
    annotations=True,
    before=_raise_validation_error,
    naming_strategy=lambda model: model.__name__,
    security_schemes=[
        SecurityScheme(name="citizen", data=SecuritySchemeData(type="http", scheme="bearer")),
        SecurityScheme(name="merchant", data=SecuritySchemeData(type="http", scheme="bearer")),
        SecurityScheme(name="org", data=SecuritySchemeData(
            type="http", scheme="bearer", description="an organisation key from `tanpuhui org add`")),
        SecurityScheme(name="partner_hmac", data=SecuritySchemeData(
            type="apiKey", name="X-Signature", field_in="header",
            description="hex HMAC-SHA256(secret, METHOD\\nPATH\\nTIMESTAMP\\nNONCE\\nBODY) with X-Partner-Id, "
                        "X-Timestamp (unix s, skew <= 300) and X-Nonce (single use)")),
    ],
)

CITIZEN = {"citizen": []}
MERCHANT = {"merchant": []}
ORG = {"org": []}


def request_id() -> str:
    return getattr(g, "request_id", "-")
