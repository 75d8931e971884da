"""Demo data for the local stack: `tanpuhui seed demo`. Idempotent.

Each capability adds its part to SEEDERS (a mall, a merchant with a key, a partner);
a seeder returns a short summary and writes with conditions so re-seeding changes nothing.
"""
from __future__ import annotations

SEEDERS: list = []


def seeder(fn):
    SEEDERS.append(fn)
    return fn


def seed_demo(settings) -> dict:
    import models

    models.bind(settings)
    summary = {}
    for fn in SEEDERS:
        summary[fn.__name__] = fn(settings)
    return summary
