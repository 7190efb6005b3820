"""A small hostile HTTP server for tests: it answers SOAP posts the way a broken or malicious service might.

Loopback only, a few connections at a time, and it stops itself after ``lifetime`` seconds whatever the
test does; ``tls=True`` serves HTTPS with a trustme certificate (``ca_path`` verifies it). Modes (``HostileServer(mode, ...)``):

- ``drip_body``: a 200 with a Content-Length, then the body one byte every ``interval`` seconds;
- ``drip_headers``: a status line, then one header line every ``interval`` seconds, never the end;
- ``gzip_bomb``: a gzip body of about 1 MiB that unpacks to 1 GiB of zeros (built once per process, before the
  server listens: the build takes seconds, which must not count against the client's deadline);
- ``oversize``: a declared ``size``-byte body (default 200 MB), sent as fast as the client reads;
- ``oversize_stream``: the same without a Content-Length (read until the connection closes);
- ``keepalive_then_drip``: the first request on a connection gets ``reply`` (kept alive), the next one a
  dripped body — the deadline must also hold on a reused connection;
- ``mangle``: forwards the request to ``upstream`` (a sandbox URL) and applies ``rewrite(bytes) -> bytes``
  to its reply (e.g. a bad ``xsd:dateTime``).
"""

from __future__ import annotations

import functools
import http.client
import socket
import threading
import time
import zlib
from urllib.parse import urlsplit

MIB = 1024 * 1024


@functools.lru_cache(maxsize=1)
def gzip_bomb(inflated: int = 1024 * MIB) -> bytes:
    """A gzip member of ``inflated`` zero bytes (about a thousandth of that on the wire)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MIB)
    parts = [comp.compress(block) for _ in range(inflated // MIB)]
    parts.append(comp.flush())
    return b"".join(parts)


class HostileServer:
    def __init__(self, mode: str, *, interval: float = 1.0, size: int = 200 * 1000 * 1000, upstream=None,
                 rewrite=None, reply: bytes = b"", lifetime: float = 60.0, max_connections: int = 4, tls: bool = False,
                 tmp_dir=None):
        self.mode = mode
        self.interval = interval
        self.size = size
        self.upstream = upstream
        self.rewrite = rewrite or (lambda body: body)
        self.reply = reply
        self.lifetime = lifetime
        self.requests: list[bytes] = []
        self._bomb = gzip_bomb() if mode == "gzip_bomb" else b""
        self._slots = threading.BoundedSemaphore(max_connections)
        self._stop = threading.Event()
        self._sock = socket.create_server(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._tls = None
        self.ca_path = None
        if tls:
            import ssl

            import trustme

            ca = trustme.CA()
            self._tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ca.issue_cert("127.0.0.1").configure_cert(self._tls)
            self.ca_path = f"{tmp_dir}/hostile-ca.pem"
            ca.cert_pem.write_to_path(self.ca_path)
        scheme = "https" if tls else "http"
        self.url = f"{scheme}://127.0.0.1:{self.port}/scene7/services/IpsApiService"
        self._thread = threading.Thread(target=self._serve, daemon=True, name=f"hostile-{mode}")

    def __enter__(self) -> "HostileServer":
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._sock.close()

    def _expired(self) -> bool:
        return self._stop.is_set() or time.monotonic() - self._started > self.lifetime

    def _serve(self) -> None:
        while not self._expired():
            try:
                conn, _addr = self._sock.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            if not self._slots.acquire(blocking=False):
                conn.close()  # bounded: a client that opens too many is refused
                continue
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    # -- one connection -----------------------------------------------------------------------------
    def _read_request(self, conn) -> tuple[dict, bytes]:
        conn.settimeout(5)
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        head, _sep, body = data.partition(b"\r\n\r\n")
        headers = {}
        for line in head.split(b"\r\n")[1:]:
            key, _c, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return headers, body

    def _handle(self, conn) -> None:
        try:
            if self._tls is not None:
                conn.settimeout(5)
                conn = self._tls.wrap_socket(conn, server_side=True)
            headers, body = self._read_request(conn)
            self.requests.append(body)
            getattr(self, "_" + self.mode)(conn, headers, body)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            finally:
                self._slots.release()

    def _sleep(self) -> bool:
        """Wait one interval; False once the server is stopping."""
        return not self._stop.wait(self.interval) and not self._expired()

    def _drip_body(self, conn, headers, body) -> None:
        reply = b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="x">' + b" " * 4096
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % len(reply))
        for byte in reply:
            conn.sendall(bytes([byte]))
            if not self._sleep():
                return

    def _drip_headers(self, conn, headers, body) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        n = 0
        while self._sleep():
            n += 1
            conn.sendall(b"X-Drip-%d: a\r\n" % n)

    def _keepalive_then_drip(self, conn, headers, body) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n" % len(self.reply)
                     + self.reply)
        headers, body = self._read_request(conn)
        self.requests.append(body)
        self._drip_body(conn, headers, body)

    def _gzip_bomb(self, conn, headers, body) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Encoding: gzip\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(self._bomb))
        conn.sendall(self._bomb)

    def _send_big(self, conn, declared: bool) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
        head += (b"Content-Length: %d\r\n" % self.size) if declared else b"Connection: close\r\n"
        conn.sendall(head + b"\r\n")
        block = b"<a>" + b" " * (MIB - 7) + b"</a>"
        sent = 0
        conn.settimeout(10)
        while sent < self.size and not self._expired():
            piece = block[: self.size - sent]
            conn.sendall(piece)
            sent += len(piece)

    def _oversize(self, conn, headers, body) -> None:
        self._send_big(conn, True)

    def _oversize_stream(self, conn, headers, body) -> None:
        self._send_big(conn, False)

    def _mangle(self, conn, headers, body) -> None:
        target = urlsplit(self.upstream)
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        forward = {k: v for k, v in headers.items() if k in ("content-type", "soapaction")}
        upstream.request("POST", target.path, body=body, headers=forward)
        reply = upstream.getresponse()
        data = self.rewrite(reply.read())
        upstream.close()
        conn.sendall(b"HTTP/1.1 %d X\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %d\r\n"
                     b"Connection: close\r\n\r\n" % (reply.status, len(data)) + data)
