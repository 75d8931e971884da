"""The reference's examples cannot drift from the API: `python -m infra.openapi_examples` re-captures
every operation against a fresh stack, and each captured example has the status and the shape (keys,
nested, and value types) of the one committed in miniprogram_api/reference/examples.json."""

import json
import pathlib
import subprocess
import sys

import pytest

from tests.e2e.conftest import SHARED_STACK_ENV
from tests.support.invariants import verified_stack
from tests.support.stack import ROOT

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def fresh_stack(tmp_path_factory):
    """A stack of its own, as `make run` starts it: the committed examples were captured on one, and
    what other tests leave on the shared stack (rankings, orders, log totals) changes some answers."""
    yield from verified_stack(str(tmp_path_factory.mktemp("examples")), SHARED_STACK_ENV)


def shape(value):
    """Keys and value types, not values (ids and times differ on every run). A list is its items'
    shapes, merged; null counts as any type (a nullable field may be null in one run only)."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        shapes = {json.dumps(shape(v), sort_keys=True) for v in value}
        return ["list", sorted(shapes)]
    return (
        None if value is None else type(value).__name__ if not isinstance(value, bool) else "bool"
    )


def differences(a, b, where="") -> list[str]:
    if a is None or b is None:
        return []
    if isinstance(a, dict) and isinstance(b, dict):
        # A key the reference shows that the API no longer returns is drift (API.md: never rename).
        # A key only in the capture is not: fields may be added, and some objects are maps keyed by
        # data (the log's totals by account and kind), whose keys depend on what the stack holds.
        out = [f"{where}.{k}: only in committed" for k in set(a) - set(b)]
        return out + [d for k in set(a) & set(b) for d in differences(a[k], b[k], f"{where}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        return [] if not a[1] or not b[1] or a == b else [f"{where}: list items {a[1]} != {b[1]}"]
    return [] if a == b else [f"{where}: {a} != {b}"]


def test_e2e__recaptured_examples_have_the_committed_statuses_and_shapes(fresh_stack, tmp_path):
    stack = fresh_stack
    out = tmp_path / "examples.json"
    r = subprocess.run(
        [sys.executable, "-m", "infra.openapi_examples", "--out", str(out), "--base", stack.api],
        cwd=ROOT,
        env=stack.tool_env(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    captured = json.loads(out.read_text(encoding="utf-8"))
    committed = json.loads(
        pathlib.Path(ROOT, "miniprogram_api", "reference", "examples.json").read_text(
            encoding="utf-8"
        )
    )
    assert sorted(captured) == sorted(committed), "regenerate: python -m infra.openapi_examples"
    problems = []
    for key in committed:
        if captured[key]["status"] != committed[key]["status"]:
            problems.append(
                f"{key}: status {captured[key]['status']} != {committed[key]['status']}"
            )
        for part in ("request", "response"):
            problems += [
                f"{key} {part}{d}"
                for d in differences(
                    shape(committed[key].get(part)), shape(captured[key].get(part))
                )
            ]
    assert not problems, problems
