"""A fake arXiv on loopback for the download tests; holds no tests itself.

The ``fake_arxiv`` fixture that serves it is in ``conftest.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_FIRST_PART = 64 * 1024
SLOW_TOTAL = 10 * SLOW_FIRST_PART


@dataclass
class FakeArxiv:
    url: str
    pdf: bytes
    release_slow: threading.Event = field(default_factory=threading.Event)
    requests: list[str] = field(default_factory=list)


def _handler(site: FakeArxiv) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            if self.path in ("/pdf/2407.17856v4", "/pdf/2407.17856"):
                self._send(200, "application/pdf", site.pdf)
            elif self.path == "/pdf/2401.00001v1":
                self._send(200, "text/html", b"<!DOCTYPE html><html><body>Captcha</body></html>")
            elif self.path == "/pdf/2401.00002v1":
                self._send_slowly()
            elif self.path == "/pdf/2401.00003v1":
                self._send(200, "application/pdf", site.pdf[:100], length=len(site.pdf))
            else:
                self._send(404, "text/plain", b"not found")

        def _send(self, code: int, kind: str, body: bytes, length: int | None = None) -> None:
            self.send_response(code)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(length if length is not None else len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _send_slowly(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(SLOW_TOTAL))
            self.end_headers()
            self.wfile.write(b"%PDF-1.7\n" + b"0" * (SLOW_FIRST_PART - 9))
            self.wfile.flush()
            # the rest never comes until the test lets it: the client must stop on its own
            site.release_slow.wait(timeout=30)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@contextmanager
def serve_fake_arxiv(pdf: bytes) -> Iterator[FakeArxiv]:
    """A real HTTP server on 127.0.0.1 answering as arXiv does, with ``pdf`` as the paper."""
    site = FakeArxiv(url="", pdf=pdf)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    site.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield site
    site.release_slow.set()
    server.shutdown()
    server.server_close()
    thread.join()
