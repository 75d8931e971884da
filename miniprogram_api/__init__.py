"""HTTP entry: create_app() builds the Flask app from the services bootstrap.py composes;
every blueprint is registered from the one list in `blueprints()`."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import Rule

from miniprogram_api.localjson import LocalTimeJSON

MAX_BODY_BYTES = 256 * 1024  # a partner batch of 500 records fits; anything larger is refused


class BoundedJSON(LocalTimeJSON):
    """Request JSON through core.jsonbounds: nesting deeper than it allows is a ValueError,
    which Flask and the request shapes answer as bad JSON (4xx), never a RecursionError (500)."""

    def loads(self, s, **kwargs):
        from core import jsonbounds

        return jsonbounds.loads(s)


class LazyBuildRule(Rule):
    """werkzeug compiles two URL builders per rule (ast + compile) as the rule is added: a third of
    building the app at every cold start, for url_for, which few requests call. Each builder is
    compiled by werkzeug's own code on its first use instead."""

    def _compile_builder(self, append_unknown: bool = True):
        name = "_build_unknown" if append_unknown else "_build"

        def build(rule, **values):
            real = Rule._compile_builder(rule, append_unknown).__get__(rule, None)
            setattr(rule, name, real)
            return real(**values)

        return build


class App(Flask):
    url_rule_class = LazyBuildRule


def blueprints() -> list:
    """Every blueprint, grouped by who calls it (../shared/DESIGN.md, "Shape"). A new resource is
    added here: tests/unit/test_blueprint_list.py fails on a module with a `bp` left out."""
    from miniprogram_api import (
        appeals,
        auth,
        cards,
        coins,
        directory,
        footprint,
        health,
        inbox,
        mall,
        merchant,
        methodologies,
        org,
        partner,
        partner_links,
        phcer,
        privacy,
        rankings,
        steps,
        subscriptions,
        transparency,
        wechat_oa,
        wechatpay,
    )

    return [
        health.bp,  # /healthz, /openapi.json, /docs
        # citizens: the mini-program's /api/v1
        auth.bp,
        cards.bp,
        coins.bp,
        steps.bp,
        subscriptions.bp,
        mall.bp,
        partner_links.bp,
        footprint.bp,
        appeals.bp,
        privacy.bp,
        phcer.bp,
        directory.bp,
        inbox.bp,
        rankings.bp,
        merchant.bp,  # merchant: /merchant/v1 and the merchant page
        partner.bp,  # partner: /partner/v1, HMAC-signed pushes
        org.bp,  # org: /org/v1, organisations' projects and readings
        wechat_oa.bp,  # wechat_oa: /wechat/oa, the official account's pushes
        wechatpay.bp,  # /wechatpay/v1: WeChat Pay's signed payment notifications
        transparency.bp,  # public: /public/v1/log, /transparency; a citizen's /api/v1/coins/ledger/{id}/proof
        methodologies.bp,  # public: /methodologies, the 公示 of every scenario, formula, parameter and version
    ]


def create_app(settings=None, services=None) -> Flask:
    """The app over `services` (bootstrap.Services); without them, bootstrap starts them from
    `settings` (or the environment)."""
    import bootstrap
    from miniprogram_api import errors, pages, requestlog

    services = services or bootstrap.start(settings)
    app = App(__name__)
    app.json = BoundedJSON(
        app
    )  # every *_at leaves at +08:00 (LocalTimeJSON); every request body's JSON: nesting bounded (size: MAX_CONTENT_LENGTH)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["tanpuhui"] = services
    requestlog.register(app)
    errors.register(app)
    pages.register(app)  # CSP and frame protection on every HTML page
    for bp in blueprints():
        app.register_blueprint(bp)
    return app
