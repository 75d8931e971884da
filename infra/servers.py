"""Run a WSGI app on a port in a background thread (the simulators and the local API)."""
import threading

from werkzeug.serving import make_server


class ThreadedServer:
    def __init__(self, app, host: str = "127.0.0.1", port: int = 0, name: str = "server"):
        self.server = make_server(host, port, app, threaded=True)
        self.url = f"http://{host}:{self.server.server_port}"
        self.port = self.server.server_port
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True, name=name)

    def start(self) -> "ThreadedServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=5)
