"""`make demo`: a scripted journey over HTTP against a running `make run`.
Each step prints what it sent and what came back. Steps are added as capabilities land."""
from __future__ import annotations

import json
import sys
import time
import urllib.error
import urllib.request

from core import settings as settings_mod


class Client:
    def __init__(self, base: str):
        self.base, self.token = base.rstrip("/"), None

    def call(self, method: str, path: str, body=None, headers=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")


def step(n: int, title: str, status: int, body) -> None:
    shown = json.dumps(body, ensure_ascii=False)
    print(f"[{n}] {title}: HTTP {status} {shown[:300]}")


STEPS: list = []


def journey(fn):
    STEPS.append(fn)
    return fn


@journey
def login_and_me(c: Client, say):
    status, body = c.call("POST", "/api/v1/auth/login", {"code": f"test-demo.{int(time.time() * 1000)}"})
    say("login as the demo citizen through the WeChat simulator", status, body)
    if status != 200:
        raise SystemExit(1)
    c.token = body["token"]
    say("who am I", *c.call("GET", "/api/v1/me"))


def main() -> None:
    s = settings_mod.get()
    c = Client(f"http://127.0.0.1:{s.api_port}")
    counter = iter(range(1, 1000))
    try:
        for fn in STEPS:
            fn(c, lambda title, status, body: step(next(counter), title, status, body))
    except urllib.error.URLError:
        print(f"no local stack at {c.base}: start it with `make run` in another terminal", file=sys.stderr)
        sys.exit(1)
    print("demo journey complete")


if __name__ == "__main__":
    main()
