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
        s = settings_mod.use(
            settings_mod.Settings(
                stage="test", table_prefix=prefix, aws_endpoint=endpoint.url, log_level="WARNING"
            )
        )
        tables.create_all(s)
        yield s, endpoint
    finally:
        endpoint.stop()


@contextmanager
def endpoint_process(prefix: str = "bench"):
    """Like local_endpoint, but the endpoint runs in a child process, so this process's
    tracemalloc and CPU time measure the client side only (moto keeps every item in memory)."""
    import subprocess
    import sys

    from core import settings as settings_mod
    from gateways import aws_client
    from infra import tables

    port = free_port()
    code = (
        "import logging, sys, time; logging.getLogger('werkzeug').setLevel(logging.ERROR); "
        "from infra.aws_endpoint import AwsEndpoint; AwsEndpoint(port=int(sys.argv[1])).start(); "
        "time.sleep(10**6)"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(port)])
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):  # moto's server takes a moment to import
            try:
                urllib.request.urlopen(url + "/_endpoint/stats", timeout=1)
                break
            except OSError:
                time.sleep(0.05)
        s = settings_mod.use(
            settings_mod.Settings(
                stage="test", table_prefix=prefix, aws_endpoint=url, log_level="WARNING"
            )
        )
        tables.create_all(s)
        tables.ensure_bucket(s, aws_client("s3", s))
        yield s, type("Endpoint", (), {"url": url})()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def dynamodb_calls(endpoint, reset: bool = False) -> dict:
    req = urllib.request.Request(
        endpoint.url + "/_endpoint/stats", method="DELETE" if reset else "GET"
    )
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
