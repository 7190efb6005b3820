"""A lean SOAP POST for read-only calls (job listings): the standard library's ``http.client``, no zeep and
no requests, so a command that only lists jobs starts in a fraction of the time.

The same rules as the full transport (``transport.py``): TLS verified by default (``cacert``, else
``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` as requests reads them, else certifi's bundle, else the system's);
``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY`` honoured; one wall-clock deadline for the whole call kept by the
same watchdog (``watchdog.py``), however slowly a server drips; the reply limits with the same words (larger
defaults: a listing of many thousand jobs is a few tens of MiB); no redirects, no retries; nothing of the envelope logged or kept. Network
problems become :mod:`ips_tui.ips.faults` errors with the same words as the full transport; an HTTP status
without a SOAP envelope is judged by the full transport's own ``check_reply`` (imported only then).
"""

from __future__ import annotations

import gzip
import http.client
import os
import socket
import ssl
import zlib
from urllib.parse import urlsplit

from ips_tui import APP_NAME, __version__
from ips_tui.i18n import _
from ips_tui.ips import net_words as words
from ips_tui.ips.faults import ConnectionFailed, InvalidInput, MalformedReply, ReplyTooLarge, RequestTimeout, TlsError
from ips_tui.ips.replies import MIB, _out_of_time, _too_large
from ips_tui.ips.watchdog import Watch

#: the reply limits of a listing unless the profile sets its own (max_reply_mib, max_inflated_mib)
MAX_REPLY = 64 * MIB
MAX_INFLATED = 128 * MIB
_CHUNK = 256 * 1024


def host_of(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or url
    if ":" in host:
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


def _ca_file(cacert: str | None) -> str | None:
    if cacert:
        return cacert
    for name in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import certifi
    except ImportError:
        return None
    return certifi.where()


def _proxy_for(url: str) -> str | None:
    import urllib.request

    host = urlsplit(url).hostname or ""
    if urllib.request.proxy_bypass_environment(host):
        return None
    return urllib.request.getproxies_environment().get(urlsplit(url).scheme)


class Response:
    """What :func:`transport.check_reply` reads: status, headers, body."""

    def __init__(self, status: int, headers: dict[str, str], content: bytes):
        self.status_code = status
        self.headers = headers
        self.content = content


class LeanHttp:
    """One keep-alive connection to one service URL (one thread at a time)."""

    def __init__(self, url: str, *, cacert: str | None = None, verify: bool = True, timeout: float = 30.0,
                 connect_timeout: float = 10.0, max_reply: int | None = None, max_inflated: int | None = None):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InvalidInput(_("The service URL {url} is not valid; it looks like "
                                 "https://host/scene7/services/IpsApiService.").format(url=url))
        self.url, self.host = url, host_of(url)
        self.cacert, self.verify = cacert, verify
        self.timeout, self.connect_timeout = timeout, connect_timeout
        self.max_reply = max_reply or MAX_REPLY
        self.max_inflated = max(max_inflated or MAX_INFLATED, self.max_reply)
        self._conn: http.client.HTTPConnection | None = None
        self._proxied_plain = False

    def _connect(self) -> http.client.HTTPConnection:
        parts = urlsplit(self.url)
        proxy = _proxy_for(self.url)
        target_host, target_port = parts.hostname, parts.port
        if proxy:
            p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
            host, port = p.hostname, p.port or 8080
        else:
            host, port = target_host, target_port
        if parts.scheme == "https":
            context = ssl.create_default_context(cafile=_ca_file(self.cacert)) if self.verify else \
                ssl._create_unverified_context()
            conn = http.client.HTTPSConnection(host, port, timeout=self.connect_timeout, context=context)
            if proxy:
                conn.set_tunnel(target_host, target_port or 443)
        else:
            conn = http.client.HTTPConnection(host, port, timeout=self.connect_timeout)
        conn.connect()
        conn.sock.settimeout(self.timeout)
        self._proxied_plain = bool(proxy) and parts.scheme == "http"
        return conn

    def post(self, body: bytes, action: str) -> Response:
        """POST ``body``; the reply (any status). Raises a TransportError for network problems.

        A kept-alive connection the server closed while idle fails before any reply comes; the call is then
        made once more on a new connection. Only listings come this way (read-only), so that repeats nothing
        that matters; submitJob never does (it goes through the full client, which never retries)."""
        error = None
        try:
            reused = self._conn is not None
            try:
                return self._post(body, action)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                if not reused:
                    raise
                self.close()
                return self._post(body, action)
        except (TlsError, RequestTimeout, ConnectionFailed, MalformedReply, ReplyTooLarge) as exc:
            error = exc
        except Exception as exc:  # socket, ssl, http.client: in words, without the original
            error = self._network_error(exc)
        self.close()
        body = None
        # no traceback, cause or context: their frames hold the envelope, password included
        error.__cause__ = error.__context__ = None
        error.__suppress_context__ = True
        raise error.with_traceback(None)

    def _post(self, body: bytes, action: str) -> Response:
        with Watch(self.timeout) as watch:
            try:
                response = self._exchange(body, action, watch)
            except Exception:
                if not watch.fired:
                    raise
            if not watch.fired:
                return response
        self.close()  # the watchdog cut the socket (a cut body reads as its end): time ran out
        raise _out_of_time(self.url, self.timeout)

    def _exchange(self, body: bytes, action: str, watch: Watch) -> Response:
        if self._conn is None:
            try:
                self._conn = self._connect()
            except (TimeoutError, socket.timeout):
                raise words.connect_timeout(self.host, self.connect_timeout) from None
        watch.add(self._conn.sock)
        path = self.url if self._proxied_plain else (urlsplit(self.url).path or "/")
        if not self._proxied_plain and urlsplit(self.url).query:
            path += "?" + urlsplit(self.url).query
        self._conn.request("POST", path, body=body, headers={
            "Content-Type": "text/xml; charset=utf-8", "SOAPAction": f'"{action}"', "Accept-Encoding": "gzip",
            "User-Agent": f"{APP_NAME}/{__version__}"})
        reply = self._conn.getresponse()
        declared = reply.getheader("Content-Length") or ""
        if declared.strip().isdigit() and int(declared) > self.max_reply:
            raise _too_large(self.host, "max_reply_mib", self.max_reply)
        chunks, size = [], 0
        while chunk := reply.read1(_CHUNK):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_reply:
                raise _too_large(self.host, "max_reply_mib", self.max_reply)
        reply.close()  # read to its end; the connection stays open for the next call (unless it will close)
        content = b"".join(chunks)
        headers = {k.title(): v for k, v in reply.getheaders()}
        if reply.will_close:
            self.close()
        if headers.get("Content-Encoding", "").lower() in ("gzip", "x-gzip"):
            content = _gunzip(content, self.host, self.max_inflated)
        return Response(reply.status, headers, content)

    def _network_error(self, exc: BaseException):
        host, detail = self.host, f"{type(exc).__name__}: {exc}"
        if isinstance(exc, ssl.SSLCertVerificationError):
            return words.cert_unverified(host, (exc.verify_message or str(exc)).rstrip("."), self.cacert, detail)
        if isinstance(exc, ssl.SSLError):
            return words.tls_failed(host, str(exc), detail)
        if isinstance(exc, FileNotFoundError) and self.cacert:
            return words.ca_unreadable(self.cacert, host, detail)
        if isinstance(exc, (TimeoutError, socket.timeout)):
            return words.reply_timeout(host, self.timeout, detail)
        if isinstance(exc, socket.gaierror):
            return words.host_not_found(host, detail)
        if isinstance(exc, ConnectionRefusedError):
            return words.refused(host, detail)
        if isinstance(exc, (http.client.RemoteDisconnected, http.client.IncompleteRead, ConnectionResetError)):
            return words.closed_early(host, detail)
        return words.could_not_connect(host, str(exc), maybe_processed=True, detail=detail)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _gunzip(data: bytes, host: str, limit: int) -> bytes:
    try:
        out = zlib.decompressobj(16 + zlib.MAX_WBITS)
        content = out.decompress(data, limit + 1)
    except (zlib.error, gzip.BadGzipFile):
        raise words.cut_off(host) from None
    if len(content) > limit:
        raise _too_large(host, "max_inflated_mib", limit)
    return content
