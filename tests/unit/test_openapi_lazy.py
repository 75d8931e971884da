"""The OpenAPI document is built on the first request for it (not at import, which every cold
start pays), from the shapes that validate; concurrent first requests must all get the whole document."""

import subprocess
import sys

from tests.support.stack import ROOT

SCRIPT = r"""
import json, sys, threading
from miniprogram_api import create_app
from miniprogram_api.openapi import spec
client = create_app().test_client()
assert spec._doc is None and "miniprogram_api.openapi_doc" not in sys.modules, "the document was built at start"
heavy = {"pydantic", "spectree", "boto3", "pynamodb", "models", "segno", "wechatpy", "cryptography"} & set(sys.modules)
assert not heavy, f"imported at start: {sorted(heavy)}"
docs, barrier = [], threading.Barrier(8)
def get():
    barrier.wait()
    docs.append(json.dumps(client.get("/openapi.json").json, sort_keys=True))
threads = [threading.Thread(target=get) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
assert len(set(docs)) == 1, "different documents"
schemas = json.loads(docs[0])["components"]["schemas"]
assert {"OrderIn", "RedeemIn", "Error"} <= set(schemas), sorted(schemas)
print("ok", len(schemas))
"""


def test_openapi__schemas_built_lazily_and_whole_under_concurrent_first_requests():
    r = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"STAGE": "local", "PATH": "/usr/bin:/bin"},
    )
    assert r.returncode == 0 and r.stdout.splitlines()[-1].startswith("ok "), r.stderr[-3000:]
