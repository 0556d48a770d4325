"""A webhook receiver on 127.0.0.1 for tests and benchmarks."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver(ThreadingHTTPServer):
    """Records each request (headers, body, arrival time); fails the first ``failures``
    with 500; waits ``delay_s`` before answering, or, with ``hold``, until it is set."""

    def __init__(self, failures: int = 0, delay_s: float = 0.0,
                 hold: threading.Event | None = None):
        self.failures = failures
        self.delay_s = delay_s
        self.hold = hold
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.arrived: list[float] = []
        self._lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/hook"

    def start(self) -> Receiver:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def close(self) -> None:
        if self.hold is not None:
            self.hold.set()
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        server: Receiver = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with server._lock:
            server.arrived.append(time.perf_counter())
            server.received.append((dict(self.headers), body))
            failing = len(server.received) <= server.failures
        if server.hold is not None:
            server.hold.wait(120)
        time.sleep(server.delay_s)
        self.send_response(500 if failing else 204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass
