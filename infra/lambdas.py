"""The Lambda functions zappa deploys, as the alarms and the dashboard name them: read from
zappa_settings.json (the one place their names and timeouts are set), never typed again.

Zappa names a stage's function `<project_name>-<stage>` with `_` made `-`: `prod` is
tanpuhui-prod (the API), `prod_worker` tanpuhui-prod-worker (every batch job). The template's
Stage parameter is dev or prod, so a name is written `tanpuhui-${Stage}` + the role's suffix.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

SETTINGS = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "zappa_settings.json"
)
ROLES = {"api": "", "worker": "_worker"}  # zappa stage = the template's Stage + this


@dataclass(frozen=True)
class Function:
    role: str  # api | worker
    name: str  # for Fn::Sub: tanpuhui-${Stage}[-worker]
    timeout_s: int


def _stage(stages: dict, name: str) -> dict:
    """A zappa stage with what it extends merged under it, as zappa reads it."""
    stage = stages[name]
    if "extends" not in stage:
        return dict(stage)
    return {
        **_stage(stages, stage["extends"]),
        **{k: v for k, v in stage.items() if k != "extends"},
    }


def functions(path: str = SETTINGS) -> tuple[Function, ...]:
    with open(path, encoding="utf-8") as f:
        stages = json.load(f)
    out = []
    for role, suffix in ROLES.items():
        prod = _stage(
            stages, "prod" + suffix
        )  # what production runs; dev's must match (tests/unit)
        name = prod["project_name"] + "-${Stage}" + suffix.replace("_", "-")
        out.append(Function(role, name, int(prod["timeout_seconds"])))
    return tuple(out)
