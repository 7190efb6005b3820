"""HTTP for the sandbox: the standard library's threaded server with HTTP/1.1 keep-alive, a bound on the
connections served at once, no terminal output, and the small helpers replies and request bodies need.

The standard library's server, not werkzeug's: the sandbox runs inside the app, and werkzeug's import alone
costs ~13 MiB of the app's memory. Nothing here imports lxml (see ips_tui.sandbox.server).
"""

from __future__ import annotations

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

log = logging.getLogger("ips_tui.sandbox")

IDLE_TIMEOUT = 120.0  # seconds an idle keep-alive connection is kept
MAX_CONNECTIONS = 64  # connections served at once (one thread each); more are answered 503 and closed


class _Drop(Exception):
    """Close the connection without a reply."""




class _Handler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive, no terminal output. The standard library's server, not werkzeug's: the
    sandbox runs inside the app, and werkzeug's import alone costs ~13 MiB of the app's memory."""

    timeout = IDLE_TIMEOUT
    protocol_version = "HTTP/1.1"
    server_version = "ips-tui-sandbox"

    def setup(self) -> None:
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        self.server.track(self.connection, True)  # type: ignore[attr-defined]

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.track(self.connection, False)  # type: ignore[attr-defined]

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionError, TimeoutError, OSError):
            self.close_connection = True

    def _environ(self) -> dict:
        path, _q, query = self.path.partition("?")
        environ = {
            "REQUEST_METHOD": self.command,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": self.headers.get("Content-Length", ""),
            "wsgi.input": self.rfile,
            "wsgi.input_terminated": False,
            "ips.headers": dict(self.headers.items()),
        }
        for key, value in self.headers.items():
            name = "HTTP_" + key.upper().replace("-", "_")
            if name not in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"):
                environ[name] = value
        return environ

    def _run(self) -> None:
        if self.headers.get("Expect", "").lower().strip(" \t") == "100-continue":
            self.wfile.write(b"HTTP/1.1 100 Continue\r\n\r\n")
        environ = self._environ()
        started: list = []

        def start_response(status, headers, exc_info=None):
            started[:] = [status, headers]
            return lambda data: None

        try:
            body = b"".join(self.server.app(environ, start_response))  # type: ignore[attr-defined]
        except _Drop:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        status, headers = started
        code, _sp, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for key, value in headers:
            self.send_header(key, value)
        if environ.get("ips.keep_alive") and not self.close_connection:
            self.send_header("Connection", "keep-alive")
        else:
            self.send_header("Connection", "close")  # also sets close_connection
        # headers and body in one write (two small writes meet Nagle + delayed ACK: 40 ms per reply)
        self._headers_buffer.append(b"\r\n")
        if environ["REQUEST_METHOD"] != "HEAD":
            self._headers_buffer.append(body)
        self.flush_headers()

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _run

    def log_message(self, format: str, *args) -> None:
        log.debug(format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, app, handler=_Handler, max_connections: int = MAX_CONNECTIONS):
        self._slots = threading.BoundedSemaphore(max_connections)
        self._connections: set = set()
        self._conn_lock = threading.Lock()
        self.app = app
        if ":" in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), handler)

    def server_bind(self) -> None:
        # bind only: the standard library's HTTPServer.server_bind also does a reverse DNS lookup
        import socketserver

        socketserver.TCPServer.server_bind(self)

    def process_request(self, request, client_address) -> None:
        # one thread per connection, but never more than max_connections of them
        if not self._slots.acquire(blocking=False):
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\n"
                                b"Connection: close\r\n\r\n")
            except (OSError, ValueError):
                pass  # e.g. a TLS socket before its handshake: closing says enough
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def track(self, conn, opened: bool) -> None:
        with self._conn_lock:
            (self._connections.add if opened else self._connections.discard)(conn)

    def close_connections(self) -> None:
        with self._conn_lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request, client_address) -> None:
        log.debug("error handling a request from %s", client_address, exc_info=True)


def _read_chunked(stream, limit: int) -> bytes | None:
    """A chunked request body (RFC 9112 §7.1), at most ``limit`` bytes; None if larger or malformed."""
    parts, total = [], 0
    while True:
        line = stream.readline(1026)
        size_text = line.split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        if size < 0 or total + size > limit:
            return None
        if size == 0:
            while True:  # trailer fields, up to the empty line
                trailer = stream.readline(8194)
                if trailer in (b"\r\n", b"\n", b""):
                    return b"".join(parts)
        chunk = stream.read(size)
        if len(chunk) != size or stream.readline(3) not in (b"\r\n", b"\n"):
            return None
        parts.append(chunk)
        total += size


def _no_body(environ) -> bool:
    return not environ.get("CONTENT_LENGTH") or environ.get("CONTENT_LENGTH") == "0"


def _reply(start_response, status: int, body: bytes, ctype: str, extra=()) -> list[bytes]:
    reasons = {200: "OK", 404: "Not Found", 405: "Method Not Allowed", 411: "Length Required",
               413: "Payload Too Large",
               500: "Internal Server Error", 502: "Bad Gateway"}
    start_response(f"{status} {reasons.get(status, 'Status')}",
                   [("Content-Type", ctype), ("Content-Length", str(len(body))), *extra])
    return [body]
