"""Shared by the benchmarks: a serialised local endpoint with tables, the real app
and a load driver over keep-alive HTTP connections."""
from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.request
from contextlib import contextmanager

from tests.support.stack import free_port


@contextmanager
def local_endpoint(prefix: str = "bench"):
    """A serialised moto endpoint with every table created; yields settings pointed at it."""
    import logging

    from core import settings as settings_mod
    from infra import tables
    from infra.aws_endpoint import AwsEndpoint

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    endpoint = AwsEndpoint(port=free_port()).start()
    try:
        s = settings_mod.use(settings_mod.Settings(stage="test", table_prefix=prefix, aws_endpoint=endpoint.url,
                                                   log_level="WARNING"))
        tables.create_all(s)
        yield s, endpoint
    finally:
        endpoint.stop()


def dynamodb_calls(endpoint, reset: bool = False) -> dict:
    req = urllib.request.Request(endpoint.url + "/_endpoint/stats", method="DELETE" if reset else "GET")
    return json.loads(urllib.request.urlopen(req).read())


def drive(port: int, path: str, headers: dict, clients: int, seconds: float) -> float:
    """Requests per second of GET `path` from `clients` threads, each on one keep-alive connection."""
    stop = time.perf_counter() + seconds
    counts = [0] * clients

    def client(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            conn.request("GET", path, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                raise RuntimeError(f"{path}: HTTP {resp.status}")
            counts[i] += 1
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    [t.start() for t in threads]
    [t.join() for t in threads]
    return sum(counts) / (time.perf_counter() - start)
