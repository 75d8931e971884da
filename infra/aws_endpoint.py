"""The local AWS endpoint: moto's server, with every request serialised.

Measured here: moto alone loses concurrent conditional updates, and a failed
transaction restores a whole-table snapshot (undoing other clients' writes), so
one lock is held for the whole of each request, response body included.
It also counts DynamoDB calls by operation, for benchmarks: GET /_endpoint/stats, and fails
the k-th write on request, for crash tests (infra/endpoint_faults.py): `endpoint.faults.fail_write(k)`
in-process, or POST /_endpoint/faults {"fail_write": k} over HTTP.
"""

from __future__ import annotations

import json
import threading
from collections import Counter

from werkzeug.serving import make_server

from infra.endpoint_faults import Faults, error_response


class SerialisedApp:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.calls: Counter = Counter()
        self.faults = Faults()

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/_endpoint/stats":
            return self._stats(environ, start_response)
        if path == "/_endpoint/faults":
            return self._faults(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["args"] = (status, headers, exc_info)
            return lambda data: None

        with self.lock:
            operation = target.split(".")[-1]
            if target:
                self.calls[operation] += 1
            fault = self.faults.decide(operation, environ.get("HTTP_AMZ_SDK_INVOCATION_ID"))
            if fault == "refuse":
                _drain(environ)  # the request is refused unread; keep the connection usable
                return error_response(start_response)
            body = self.app(environ, capture)
            try:
                chunks = [bytes(c) for c in body]
            finally:
                if hasattr(body, "close"):
                    body.close()
        if fault == "apply_then_refuse":
            return error_response(start_response)  # applied above; the answer is what is lost
        status, headers, exc_info = captured["args"]
        start_response(status, headers, exc_info)
        return chunks

    def _faults(self, environ, start_response):
        body = _drain(environ)
        payload = json.dumps(
            self.faults.control(environ.get("REQUEST_METHOD", "GET"), body)
        ).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]

    def _stats(self, environ, start_response):
        if environ.get("REQUEST_METHOD") == "DELETE":
            with self.lock:
                self.calls.clear()
        payload = json.dumps(dict(self.calls)).encode()
        start_response(
            "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(payload)))]
        )
        return [payload]


def _drain(environ) -> bytes:
    size = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(size) if size else b""


class AwsEndpoint:
    def __init__(self, host: str = "127.0.0.1", port: int = 8001):
        from moto.server import DomainDispatcherApplication, create_backend_app

        from infra import moto_speedups

        moto_speedups.apply()

        self.app = SerialisedApp(DomainDispatcherApplication(create_backend_app))
        self.server = make_server(host, port, self.app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.faults = self.app.faults
        # Held by every request for its whole length: whoever holds it sees one still moment.
        self.lock = self.app.lock
        self._thread = threading.Thread(
            target=self.server.serve_forever, daemon=True, name="aws-endpoint"
        )

    def start(self) -> AwsEndpoint:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)
