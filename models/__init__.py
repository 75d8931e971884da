"""PynamoDB models, one module per table. Importing this package registers every model
module in it (each declares its table with @table), so adding a table is adding a file.
Imported after bootstrap.start installed the settings (the API imports it on a first request),
it binds every model to them at once."""

import importlib
import pkgutil

from core import settings as _settings_mod
from models import base
from models.base import REGISTRY, bind, connection  # noqa: F401

for _m in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _m != "base":
        importlib.import_module(f"models.{_m}")

from models.accounts import Account  # noqa: E402,F401
from models.ledger import LedgerEntry  # noqa: E402,F401
from models.users import User  # noqa: E402,F401
from models.wechat_tokens import WechatToken  # noqa: E402,F401

if _settings_mod.get(load_missing=False) is not None and base._settings is None:
    bind(_settings_mod.get(load_missing=False))
