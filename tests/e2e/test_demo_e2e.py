"""`make demo` against the stack: the scripted journey (login → coins → buy → redeem twice) works."""

import subprocess
import sys

import pytest

from tests.support.stack import ROOT

pytestmark = pytest.mark.e2e


def test_e2e__demo_journey_runs_to_the_end(stack):
    env = {**stack.env, "API_PORT": stack.api.rsplit(":", 1)[1]}
    r = subprocess.run(
        [sys.executable, "-m", "infra.demo"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    out = r.stdout
    assert "demo journey complete" in out
    assert "the merchant scans the code: HTTP 200" in out
    assert "scanned again: refused, exactly once: HTTP 409" in out and "code_redeemed" in out
    assert '"status": "redeemed"' in out
    assert "the bike app exchanges it for its own id of me: HTTP 201" in out
    assert '"accepted": 1' in out and "scenario_not_allowed" in out
