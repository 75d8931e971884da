"""The local AWS endpoint: moto's server, with every request serialised.

Measured here: moto alone loses concurrent conditional updates, and a failed
transaction restores a whole-table snapshot (undoing other clients' writes), so
one lock is held for the whole of each request, response body included.
It also counts DynamoDB calls by operation, for benchmarks: GET /_endpoint/stats.
"""
from __future__ import annotations

import json
import threading
from collections import Counter

from werkzeug.serving import make_server


class SerialisedApp:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.calls: Counter = Counter()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_endpoint/stats":
            return self._stats(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["args"] = (status, headers, exc_info)
            return lambda data: None

        with self.lock:
            if target:
                self.calls[target.split(".")[-1]] += 1
            body = self.app(environ, capture)
            try:
                chunks = [bytes(c) for c in body]
            finally:
                if hasattr(body, "close"):
                    body.close()
        status, headers, exc_info = captured["args"]
        start_response(status, headers, exc_info)
        return chunks

    def _stats(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "DELETE":
            with self.lock:
                self.calls.clear()
        payload = json.dumps(dict(self.calls)).encode()
        start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))])
        return [payload]


class AwsEndpoint:
    def __init__(self, host: str = "127.0.0.1", port: int = 8001):
        from moto.server import DomainDispatcherApplication, create_backend_app

        from infra import moto_speedups

        moto_speedups.apply()

        self.app = SerialisedApp(DomainDispatcherApplication(create_backend_app))
        self.server = make_server(host, port, self.app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True, name="aws-endpoint")

    def start(self) -> "AwsEndpoint":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)
