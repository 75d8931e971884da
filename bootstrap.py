"""The one composition root: settings → gateways, the notifier, the methodology registry →
the HTTP app (miniprogram_api.create_app), every Lambda function (functions/) and the ops
CLI (infra/cli). Nothing else builds a gateway; core/ is handed what it needs.

    services = bootstrap.start()          # settings validated and installed, logs, models bound
    services.gateways.wechat              # WeChat, the official account, Yangchengtong, S3
    services.notifier()                   # subscribe messages through the WeChat gateway
    services.registry()                   # methodologies in force (built-in + published)
"""

from __future__ import annotations

import functools
import sys
import threading
import time

from core import logs, metrics
from core import settings as settings_mod

REGISTRY_TTL_SECONDS = 60  # methodology versions change rarely: re-read at most once a minute


class Services:
    """What one process (a Lambda container, a CLI run, the local stack) builds from its settings.
    Tests hand create_app a Services whose gateways are their own."""

    def __init__(self, settings, gateways=None):
        from gateways import Gateways

        self.settings = settings
        self.gateways = gateways or Gateways(settings)
        self._registry = None
        self._registry_read_at = 0.0
        self._lock = threading.Lock()

    def notifier(self):
        """Subscribe messages on this process's WeChat gateway: its shared token is read once."""
        from core.notices.notifications import Notifier

        return Notifier(self.settings, self.gateways.wechat)

    def registry(self):
        """The methodology registry (built-in versions plus the published ones)."""
        from core.carbon.methodology_store import load_registry

        with self._lock:
            now = time.monotonic()
            if self._registry is None or now - self._registry_read_at > REGISTRY_TTL_SECONDS:
                self._registry, self._registry_read_at = load_registry(), now
            return self._registry


def start(settings=None, log_stream=None) -> Services:
    """Install the settings (read from the environment unless given), set up the JSON logs and
    the metric lines (on `log_stream`, stdout by default), bind the models to their tables; return
    the services.
    Models not imported yet bind themselves to the installed settings when first imported (models/
    __init__), so a cold start does not load every table's model before its first request."""
    settings = settings_mod.use(settings or settings_mod.get())
    logs.setup(settings.log_level, stream=log_stream)
    metrics.setup(log_stream)  # whatever the level: LOG_LEVEL filters log lines, never metrics
    models = sys.modules.get("models")
    if models is not None:
        models.bind(settings)
    return Services(settings)


@functools.cache
def for_function() -> Services:
    """Services of a Lambda container, built on its first invocation and kept while it lives."""
    return start()
