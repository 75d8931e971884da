"""HTTP entry: create_app() builds the Flask app, one blueprint per resource."""
from __future__ import annotations

from flask import Flask

from core import logs
from core import settings as settings_mod

MAX_BODY_BYTES = 256 * 1024  # a partner batch of 500 records fits; anything larger is refused


def _blueprint_modules() -> list[str]:
    """Every module of this package that defines `bp`: adding a resource is adding a file."""
    import pkgutil

    import miniprogram_api

    skip = {"deps", "errors", "openapi", "requestlog", "schemas", "wsgi"}
    return [f"miniprogram_api.{m.name}" for m in pkgutil.iter_modules(miniprogram_api.__path__)
            if m.name not in skip and not m.name.startswith("_")]


class Services:
    def __init__(self, settings):
        from gateways import Gateways

        self.settings = settings
        self.gateways = Gateways(settings)


def create_app(settings=None, services=None) -> Flask:
    import importlib

    import models
    from miniprogram_api import errors, requestlog
    from miniprogram_api.openapi import spec

    settings = settings_mod.use(settings or settings_mod.get())
    logs.setup(settings.log_level)
    models.bind(settings)

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["tanpuhui"] = services or Services(settings)
    requestlog.register(app)
    errors.register(app)
    for name in _blueprint_modules():
        module = importlib.import_module(name)
        if hasattr(module, "bp"):
            app.register_blueprint(module.bp)
    spec.register(app)
    return app
