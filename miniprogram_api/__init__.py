"""HTTP entry: create_app() builds the Flask app, one blueprint per resource."""
from __future__ import annotations

from flask import Flask

from core import logs
from core import settings as settings_mod

MAX_BODY_BYTES = 256 * 1024  # a partner batch of 500 records fits; anything larger is refused

BLUEPRINTS = [
    "miniprogram_api.health",
    "miniprogram_api.auth",
]


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
    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(name).bp)
    spec.register(app)
    return app
