"""Concurrency driver: N clients over real HTTP at once, every response collected.

Clients start together behind a barrier so requests really overlap; each client
uses its own connection. Use against the serialised local endpoint (the e2e stack).
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass


@dataclass
class Reply:
    client: int
    status: int
    body: object
    headers: dict


def http(method: str, url: str, body=None, headers=None, timeout: float = 60) -> Reply:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
            return Reply(-1, resp.status, _decode(raw, resp.headers), dict(resp.headers))
    except urllib.error.HTTPError as e:
        raw = e.read()
        return Reply(-1, e.code, _decode(raw, e.headers), dict(e.headers))


def _decode(raw: bytes, headers):
    if not raw:
        return None
    if "json" in (headers.get("Content-Type") or ""):
        return json.loads(raw)
    return raw.decode("utf-8", "replace")


def run_clients(n: int, request_for, timeout: float = 120) -> list[Reply]:
    """Run request_for(i) -> (method, url, body, headers) for i in range(n), all at once."""
    barrier = threading.Barrier(n)
    replies: list[Reply | None] = [None] * n
    errors: list[BaseException] = []

    def client(i: int):
        method, url, body, headers = request_for(i)
        barrier.wait()
        try:
            r = http(method, url, body, headers)
            r.client = i
            replies[i] = r
        except BaseException as e:  # a lost reply is a test failure, not a silent gap
            errors.append(e)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    missing = [i for i, r in enumerate(replies) if r is None]
    assert not missing, f"clients {missing} got no reply"
    return replies  # type: ignore[return-value]
