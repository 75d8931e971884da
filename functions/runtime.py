"""Start-up shared by every function: settings, logs and models, once per container."""
from core import logs
from core import settings as settings_mod

_ready = None


def ready():
    global _ready
    if _ready is None:
        import models
        from gateways import Gateways

        s = settings_mod.get()
        logs.setup(s.log_level)
        models.bind(s)
        _ready = (s, Gateways(s))
    return _ready
