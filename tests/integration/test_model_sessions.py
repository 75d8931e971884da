"""Models share one botocore session per thread (models.base), and a re-bind starts a new one.

A session copies botocore's handlers when it is made; moto's in-process mock is one of them. In
the suite, an e2e test (no moto in this process) made the session, and every later mock_aws test
in that worker sent its requests to the real AWS endpoint instead of the mock. Run in a fresh
interpreter: in this one moto is imported already."""

import os
import subprocess
import sys

SCRIPT = """
import models
from core import settings as S
models.bind(S.use(S.load().with_(aws_endpoint="http://127.0.0.1:9")))
from models import User
try:
    User.exists()  # makes this thread's session, before moto is imported
except Exception:
    pass
from moto import mock_aws
from infra import tables
with mock_aws():
    tables.create_all(S.use(S.load()), wait=False)
    print("mocked", User.exists())
"""


def test_session_made_before_the_mock__a_rebind_uses_the_mock():
    env = {**os.environ, "STAGE": "test", "AWS_ENDPOINT": ""}
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))),
    )
    assert r.returncode == 0 and "mocked True" in r.stdout, r.stderr[-2000:]
