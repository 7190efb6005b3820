"""The sandbox server: a threaded standard-library HTTP server on loopback (HTTP or HTTPS with a trustme CA), routing,
the request log, fault injection and the :class:`Sandbox` object the app and the tests use.

It runs in a background thread of the calling process (the TUI embeds it), logs nothing to the terminal
(everything goes to the ``ips_tui.sandbox`` logger, which has a NullHandler), and keeps HTTP/1.1
connections alive.
"""

from __future__ import annotations

import copy
import functools
import gzip
import ipaddress
import logging
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from ips_tui.i18n import _
from ips_tui.sandbox import seed
from ips_tui.sandbox.clock import SandboxClock
from ips_tui.sandbox.errors import SoapFault, api_fault, invalid_param, invalid_xml
from ips_tui.sandbox.faults import HANDLED, Injector, html_page
from ips_tui.sandbox.kept import MAX_RECEIVED, BoundedLog
from ips_tui.sandbox.httpd import (  # noqa: F401  (IDLE_TIMEOUT: tests read it here)
    IDLE_TIMEOUT, MAX_CONNECTIONS, _Drop, _Handler, _no_body, _read_chunked, _reply, _Server,
)

# Nothing above imports lxml, the schema, the schedule parser (ips_tui.job.timing, cron-descriptor) or babel:
# the app embeds the sandbox, and those cost it ~9 MiB before anyone has sent a request. The request side
# (ips_tui.sandbox.soap, .service, .jobs and the schema validator) is loaded by the first SOAP request
# (Sandbox._engine). tests/test_sandbox_startup.py pins this.

# ips_tui.ips.schema.OUR_WSDL, without importing that module (it imports lxml); the test above checks they agree
OUR_WSDL = Path(__file__).resolve().parent.parent / "ips" / "wsdl" / "IpsApi-2014-04-03.wsdl"

log = logging.getLogger("ips_tui.sandbox")
log.addHandler(logging.NullHandler())

SERVICE_PATH = "/scene7/services/IpsApiService"
WSDL_PATH = "/scene7/webservice/IpsApi-2014-04-03.wsdl"
SERVER_ZONE = "America/Los_Angeles"
MAX_BODY = 16 * 1024 * 1024
#: strict authHeader modes: only the documented (unversioned) namespace, or only the request's dated one
AUTH_HEADER_MODES = ("documented", "dated")
NS_UNVERSIONED = "http://www.scene7.com/IpsApi/xsd"  # ips_tui.ips.schema's, without importing lxml


@dataclass
class Received:
    """One request as it arrived (also the rejected ones)."""

    operation: str | None  # from the Body element, else from SOAPAction
    soap_action: str | None  # the raw header
    body: bytes
    headers: dict[str, str]
    at: datetime  # wall-clock UTC arrival time
    injected: str | None = None  # the fault injection applied to it, if any


class ReceivedLog(BoundedLog):
    """The requests as they arrived: the newest :data:`~ips_tui.sandbox.kept.MAX_RECEIVED` (see BoundedLog)."""

    def __init__(self, cap: int = MAX_RECEIVED):
        super().__init__(cap)


def is_loopback(host: str) -> bool:
    host = host.strip().strip("[]")
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@functools.lru_cache(maxsize=1)
def _validator():
    """The schema validator, built once per process (the first SOAP request of the first sandbox pays)."""
    from ips_tui.sandbox.soap import Validator

    return Validator()


# ---------------------------------------------------------------------------------------------------------
# The sandbox


class Sandbox:
    """A local IPS emulator. ``start()`` serves from a background thread; ``stop()`` releases the port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, tls: bool = False, speed: float = 1.0,
                 clock: SandboxClock | datetime | None = None, allow_remote: bool = False, *,
                 zone: str = SERVER_ZONE, auth_header: str | None = None,
                 max_connections: int = MAX_CONNECTIONS, keep: int = MAX_RECEIVED):
        if auth_header not in (None, *AUTH_HEADER_MODES):
            raise ValueError(f"auth_header must be one of {AUTH_HEADER_MODES} or None, not {auth_header!r}")
        #: None: the authHeader is read in either namespace (as the service does); else only in that one
        self.auth_header = auth_header
        self.max_connections = max_connections
        if not allow_remote and not is_loopback(host):
            raise ValueError(
                f"refusing to listen on {host!r}: not a loopback address (pass allow_remote=True to do it anyway)"
            )
        self.host = host
        self.port = port
        self.tls = tls
        if isinstance(clock, SandboxClock):
            self.clock = clock
        else:
            self.clock = SandboxClock(speed, start=clock)
        self.zone = ZoneInfo(zone)
        self.directory, self.catalog = seed.build()
        # jobs, service and validator: built by the first SOAP request (see _engine)
        self._jobs = self._service = self._validator = None
        self._engine_lock = threading.Lock()
        self.injector = Injector()
        #: how many received requests and accepted submissions are kept (the newest; see sandbox/kept.py)
        self.keep = keep
        self.received = ReceivedLog(keep)
        self.user = seed.DEMO_USER
        self.password = seed.DEMO_PASSWORD
        self.companies = [{"name": name, "handle": handle} for handle, name in seed.COMPANIES]
        self.ca_path: str | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._tmp: str | None = None
        self._stopping = threading.Event()
        self._wsdl: bytes | None = None  # rendered for self.url by the first WSDL request
        self._url: str | None = None

    # -- life -----------------------------------------------------------------------------------------
    def start(self) -> Sandbox:
        if self._server is not None:
            raise RuntimeError("the sandbox is already running")
        ssl_ctx = None
        if self.tls:
            ssl_ctx = self._make_tls()
        try:
            server = _Server(self.host, self.port, self._app, handler=_Handler, max_connections=self.max_connections)
        except OSError:
            if self._tmp:
                shutil.rmtree(self._tmp, ignore_errors=True)
                self._tmp = self.ca_path = None
            raise
        if ssl_ctx is not None:
            # handshake in the connection's thread, not the accepting one
            server.socket = ssl_ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
            server.ssl_context = ssl_ctx
        self._server = server
        port = server.server_address[1]
        scheme = "https" if self.tls else "http"
        host = f"[{self.host}]" if ":" in self.host else self.host
        self._url = f"{scheme}://{host}:{port}"
        self._wsdl = None
        self._stopping.clear()
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name=f"ips-sandbox-{port}", daemon=True)
        self._thread.start()
        log.info("sandbox listening on %s", self.url)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        self._stopping.set()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._thread = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None
        log.info("sandbox stopped")

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._server is not None

    def _make_tls(self):
        import ssl

        import trustme

        ca = trustme.CA(organization_name="ips-tui sandbox")
        names = ["127.0.0.1", "localhost", "::1"]
        if self.host not in names and self.host not in ("0.0.0.0", "::"):
            names.append(self.host.strip("[]"))
        cert = ca.issue_cert(*names)
        self._tmp = tempfile.mkdtemp(prefix="ips-sandbox-")
        path = Path(self._tmp) / "sandbox-ca.pem"
        ca.cert_pem.write_to_path(str(path))
        self.ca_path = str(path)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        return ctx

    # -- the request side, loaded on first use ------------------------------------------------------------
    def _engine(self):
        """The service (and with it the job store and the schema validator), built on first use: it needs
        lxml, the WSDL's schemas, the Quartz parser and babel, which an idle sandbox never does."""
        service = self._service
        if service is None:
            with self._engine_lock:
                if self._service is None:
                    from ips_tui.sandbox.jobs import JobStore
                    from ips_tui.sandbox.service import Service

                    self._validator = _validator()
                    self._jobs = JobStore(self.clock, self.zone)
                    self._service = Service(self.directory, self.catalog, self._jobs, self.zone, keep=self.keep)
                service = self._service
        return service

    @property
    def service(self):
        return self._engine()

    @property
    def jobs(self):
        self._engine()
        return self._jobs

    @property
    def validator(self):
        self._engine()
        return self._validator

    # -- addresses ------------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._url is None:
            raise RuntimeError("the sandbox is not started")
        return self._url

    @property
    def url(self) -> str:
        return self.base_url + SERVICE_PATH

    @property
    def wsdl_url(self) -> str:
        return self.base_url + WSDL_PATH

    def _render_wsdl(self, address: str) -> bytes:
        from xml.sax.saxutils import quoteattr  # here, not at the top: it imports urllib.request

        text = OUR_WSDL.read_text(encoding="utf-8")
        start = text.index("<soap:address location=")
        end = text.index("/>", start)
        return text[:start].encode() + f"<soap:address location={quoteattr(address)}".encode() + \
            text[end:].encode()

    # -- for tests and the app ------------------------------------------------------------------------
    def submitted_jobs(self) -> list[dict]:
        """Accepted submitJob requests, parsed: jobHandle, companyHandle, userHandle, jobName, locale,
        execTime, execSchedule (as sent), description, jobType (element name), job (its fields as nested
        dicts; arrays as ``{"items": [...]}``), user, namespace, appName, appVersion."""
        service = self._service
        if service is None:  # no request yet, so nothing submitted (and no need to load the request side)
            return []
        with service._submitted_lock:
            return copy.deepcopy(service.submitted.snapshot())

    def inject(self, kind: str, *, operation: str | None = None, times: int = 1, seconds: float = 0.0) -> None:
        self.injector.add(kind, operation=operation, times=times, seconds=seconds)

    def add_user(self, email: str, password: str, roles: dict[str, str]) -> str:
        """Add a user (roles: company handle -> role name); returns the user handle."""
        for handle in roles:
            if self.directory.company(handle) is None:
                raise ValueError(f"unknown company handle {handle!r}")
        return self.directory.add_user(email, password, roles).handle

    def info(self) -> dict:
        out = {"url": self.url, "wsdl": self.wsdl_url, "user": self.user, "password": self.password,
               "companies": list(self.companies)}
        if self.ca_path:
            out["ca"] = self.ca_path
        if self.auth_header:
            out["auth_header"] = self.auth_header
        return out

    # -- WSGI -----------------------------------------------------------------------------------------
    def _app(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == SERVICE_PATH:
            if method != "POST":
                environ["ips.keep_alive"] = _no_body(environ)
                return _reply(start_response, 405, b"Use POST with a SOAP 1.1 envelope\n", "text/plain",
                              [("Allow", "POST")])
            return self._soap(environ, start_response)
        environ["ips.keep_alive"] = _no_body(environ)
        if path == WSDL_PATH and method in ("GET", "HEAD"):
            body = self._wsdl
            if body is None:
                body = self._wsdl = self._render_wsdl(self.url)
            query = environ.get("QUERY_STRING", "")
            if "serviceUrl=" in query:  # the documented address override (4.0)
                from urllib.parse import parse_qs

                target = parse_qs(query).get("serviceUrl", [""])[0]
                if target:
                    body = self._render_wsdl(target)
            return _reply(start_response, 200, body, "text/xml; charset=utf-8")
        return _reply(start_response, 404, b"Not found\n", "text/plain")

    def _soap(self, environ, start_response):
        from ips_tui.sandbox.soap import operation_of, parse_envelope

        service = self._engine()
        stream = environ["wsgi.input"]
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        declared = environ.get("CONTENT_LENGTH", "").strip()
        try:
            length = int(declared) if declared else None
        except ValueError:
            length = -1
        if environ.get("wsgi.input_terminated"):
            data = stream.read(MAX_BODY + 1)
            if len(data) > MAX_BODY:
                return _reply(start_response, 413, b"Request too large\n", "text/plain")
        elif chunked:
            data = _read_chunked(stream, MAX_BODY)
            if data is None:
                environ["ips.keep_alive"] = False
                return _reply(start_response, 413, b"Request too large or badly chunked\n", "text/plain")
        elif length is None:
            environ["ips.keep_alive"] = False
            return _reply(start_response, 411, b"A POST needs a Content-Length (or chunked encoding)\n",
                          "text/plain")
        elif length < 0 or length > MAX_BODY:
            return _reply(start_response, 413, b"Request too large\n", "text/plain")
        else:
            data = stream.read(length) if length else b""
        environ["ips.keep_alive"] = True

        raw_action = environ.get("HTTP_SOAPACTION")
        action = raw_action.strip().strip('"').strip() if raw_action is not None else None
        root = parse_error = None
        try:
            root = parse_envelope(data)
        except SoapFault as fault:
            parse_error = fault
        operation = (operation_of(root) if root is not None else None) or action or None
        injection = self.injector.take(operation)
        self.received.append(Received(
            operation=operation, soap_action=raw_action, body=data, headers=environ.get("ips.headers", {}),
            at=datetime.now(timezone.utc), injected=injection.kind if injection else None,
        ))
        if injection is not None:
            kind = injection.kind
            if kind == "delay":
                self._stopping.wait(injection.seconds)
            elif kind == "drop":
                raise _Drop()
            elif kind in ("http500_html", "http502_html"):
                status = 500 if kind == "http500_html" else 502
                return _reply(start_response, status, html_page(status), "text/html; charset=utf-8")
            elif kind == "not_xml":
                return _reply(start_response, 200, b"Service temporarily unavailable\n", "text/plain")
            assert kind in HANDLED

        status, body = self._answer(service, environ, root, parse_error, action)
        extra = []
        if injection is not None and injection.kind == "truncated":
            body = body[: len(body) // 2]
        elif self._wants_gzip(environ, root):
            body = gzip.compress(body, compresslevel=6, mtime=0)
            extra.append(("Content-Encoding", "gzip"))
        if injection is not None and injection.kind == "slow_after_receive":
            self._stopping.wait(injection.seconds)
        return _reply(start_response, status, body, "text/xml; charset=utf-8", extra)

    @staticmethod
    def _wants_gzip(environ, root) -> bool:
        """authHeader gzipResponse forces it on or off; otherwise gzip when Accept-Encoding allows
        (the service's default, ``webservice.gzip.response=accept``)."""
        from ips_tui.sandbox.soap import peek_auth

        forced = peek_auth(root).get("gzipResponse") if root is not None else None
        if forced in ("true", "1"):
            return True
        if forced in ("false", "0"):
            return False
        accept = environ.get("HTTP_ACCEPT_ENCODING", "")
        for part in accept.split(","):
            coding, *params = part.split(";")
            if coding.strip().lower() in ("gzip", "x-gzip", "*"):
                q = 1.0
                for param in params:
                    key, _sep, value = param.partition("=")
                    if key.strip().lower() == "q":
                        try:
                            q = float(value)
                        except ValueError:
                            q = 0.0
                return q > 0
        return False

    def _answer(self, service, environ, root, parse_error: SoapFault | None,
                action: str | None) -> tuple[int, bytes]:
        from ips_tui.sandbox.soap import envelope, fault_envelope, operation_of, peek_auth

        status = 500
        try:
            if parse_error is not None:
                raise parse_error
            code = peek_auth(root).get("faultHttpStatusCode")
            if code:
                try:
                    if 100 <= int(code) <= 599:
                        status = int(code)
                except ValueError:
                    pass
            ctype = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            if ctype == "application/soap+xml":
                raise invalid_xml("Invalid request: SOAP 1.2 (application/soap+xml) is not accepted; "
                                  "send SOAP 1.1 as text/xml")
            if ctype != "text/xml":
                raise invalid_xml(f"Invalid request: Content-Type must be text/xml, not '{ctype}'")
            operation = operation_of(root)
            if operation is not None:
                if not action:
                    raise invalid_xml(f"Invalid request: the SOAPAction header is missing "
                                      f"(expected '{operation}')")
                if action != operation:
                    raise invalid_xml(f"Invalid request: SOAPAction '{action}' does not match the "
                                      f"operation '{operation}' of the SOAP Body")
            req = self._validator.check_request(root)
            if self.auth_header and req.auth_ns is not None and req.auth_ns != (
                    NS_UNVERSIONED if self.auth_header == "documented" else req.ns):
                req.auth = {}  # strict mode: a header in the other namespace is not seen at all
            user = self.directory.authenticate(req.auth, environ.get("HTTP_AUTHORIZATION"))
            return 200, envelope(service.dispatch(req, user))
        except SoapFault as fault:
            return status, fault_envelope(fault)
        except OverflowError:  # a date at the edge of xsd:dateTime (9999-12-31T23:59:59-12:00 is year 10000 in UTC)
            return status, fault_envelope(invalid_param(
                "A date in the request is outside the range the service can hold (years 1 to 9999, in UTC)"))
        except Exception as exc:  # a sandbox bug: answer like a server error, log the traceback
            log.exception("sandbox error")
            return status, fault_envelope(api_fault(30000, f"Internal sandbox error: {type(exc).__name__}"))


# ---------------------------------------------------------------------------------------------------------
# Standalone


def run_standalone(host: str = "127.0.0.1", port: int = 0, tls: bool = False, allow_remote: bool = False,
                   *, speed: float = 1.0, auth_header: str | None = None) -> int:
    """Run the sandbox in the foreground: print one JSON line (url, wsdl, user, password, companies, ca),
    serve until SIGINT/SIGTERM, stop cleanly. Returns the exit code (2: refused a non-loopback host)."""
    if not allow_remote and not is_loopback(host):
        print(_("ips-tui sandbox: refusing to listen on {host}: it is not a loopback address and the sandbox "
                "has well-known demo passwords. Use --allow-remote to listen there anyway.").format(host=host),
              file=sys.stderr, flush=True)
        return 2
    sandbox = Sandbox(host=host, port=port, tls=tls, speed=speed, allow_remote=allow_remote, auth_header=auth_header)
    try:
        sandbox.start()
    except OSError as exc:
        print(_("ips-tui sandbox: cannot listen on {host}:{port}: {error}").format(host=host, port=port,
                                                                                  error=exc),
              file=sys.stderr, flush=True)
        return 1
    done = threading.Event()
    previous = {}

    def on_signal(signum, frame):
        done.set()

    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, on_signal)
        import json

        sys.stdout.write(json.dumps(sandbox.info()) + "\n")
        sys.stdout.flush()
        while not done.wait(0.5):
            pass
    finally:
        sandbox.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0
