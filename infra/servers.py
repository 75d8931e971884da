"""Run a WSGI app on a port in a background thread (the simulators and the local API).

stop() drains: a new request (a kept-alive connection may still bring one after the listening
socket is closed) is refused with 503 `service_unavailable`, and stop() returns once every
request already being served has finished, so whatever runs next (the local stack's snapshot)
sees no request half-done."""

import json
import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request
from werkzeug.wsgi import ClosingIterator

from core.errors import ServiceUnavailable
from core.logs import log


class InFlight:
    """WSGI middleware counting the requests being served; after close(), refuses new ones."""

    def __init__(self, app):
        self.app = app
        self.count = 0
        self.closed = False
        self._cond = threading.Condition()

    def __call__(self, environ, start_response):
        with self._cond:
            if self.closed:
                return _refuse(environ, start_response)
            self.count += 1
        try:
            body = self.app(environ, start_response)
        except BaseException:
            self._done()
            raise
        # Done when the server has sent the whole body (a streamed body is still work in flight).
        return ClosingIterator(body, [self._done])

    def _done(self):
        with self._cond:
            self.count -= 1
            self._cond.notify_all()

    def close(self, timeout: float) -> int:
        """Refuse new requests; wait up to `timeout` s for those in flight; returns how many remain."""
        with self._cond:
            self.closed = True
            self._cond.wait_for(lambda: self.count == 0, timeout)
            return self.count


def _refuse(environ, start_response):
    error = ServiceUnavailable()
    try:
        best = Request(environ).accept_languages.best_match(["zh", "en"], default="zh")
    except Exception:  # odd header bytes: the default language
        best = "zh"
    body = json.dumps(
        {"error": {"code": error.code, "message": error.text(best or "zh"), "request_id": "-"}},
        ensure_ascii=False,
    ).encode()
    start_response(
        "503 SERVICE UNAVAILABLE",
        [
            ("Content-Type", "application/json"),
            ("Retry-After", "5"),
            ("Connection", "close"),
            ("Content-Length", str(len(body))),
        ],
    )
    return [body]


class ThreadedServer:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, name: str = "server"):
        self.in_flight = InFlight(app)
        self.server = make_server(host, port, self.in_flight, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.port = self.server.server_port
        self.name = name
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True, name=name)

    def start(self) -> "ThreadedServer":
        self._thread.start()
        return self

    def stop(self, drain_seconds: float = 30) -> None:
        """Stop accepting, refuse what still arrives, and wait for the requests in flight."""
        self.in_flight.closed = True
        self.server.shutdown()
        self._thread.join(timeout=5)
        self.server.server_close()  # new connections are refused from here on
        left = self.in_flight.close(drain_seconds)
        if left:
            log("server_drain_timeout", level=30, server=self.name, in_flight=left)
