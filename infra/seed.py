"""Demo data for the local stack: `tanpuhui seed demo`. Idempotent.

Each capability adds a module to infra/seeds/ with `seed(settings) -> summary`
(a mall, a merchant with a key, a partner); seeders write with conditions so
re-seeding changes nothing.
"""

from __future__ import annotations

import importlib
import pkgutil


def seed_demo(settings) -> dict:
    import infra.seeds
    import models

    models.bind(settings)
    summary = {}
    for m in sorted(pkgutil.iter_modules(infra.seeds.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"infra.seeds.{m.name}")
        summary[m.name] = module.seed(settings)
    return summary
