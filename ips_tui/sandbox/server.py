"""The sandbox server: a threaded standard-library HTTP server on loopback (HTTP or HTTPS with a trustme CA), the
request log, fault injection and the :class:`Sandbox` object the app and the tests use (its WSGI routes and SOAP
answers are in ``routes.py``).

It runs in a background thread of the calling process (the TUI embeds it), logs nothing to the terminal
(everything goes to the ``ips_tui.sandbox`` logger, which has a NullHandler), and keeps HTTP/1.1
connections alive.
"""

from __future__ import annotations

import copy
import functools
import ipaddress
import logging
import shutil
import signal
import sys
import tempfile
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ips_tui.i18n import _
from ips_tui.sandbox import seed
from ips_tui.sandbox.clock import SandboxClock
from ips_tui.sandbox.faults import Injector
from ips_tui.sandbox.httpd import MAX_CONNECTIONS, _Handler, _Server
from ips_tui.sandbox.kept import MAX_RECEIVED
from ips_tui.sandbox.routes import SERVICE_PATH, WSDL_PATH, ReceivedLog, SoapRoutes

# Nothing above imports lxml, the schema, the schedule parser (ips_tui.job.timing, cron-descriptor) or babel:
# the app embeds the sandbox, and those cost it ~9 MiB before anyone has sent a request. The request side
# (ips_tui.sandbox.soap, .service, .jobs and the schema validator) is loaded by the first SOAP request
# (Sandbox._engine). tests/test_sandbox_startup.py pins this.

# ips_tui.ips.schema.OUR_WSDL, without importing that module (it imports lxml); the test above checks they agree
OUR_WSDL = Path(__file__).resolve().parent.parent / "ips" / "wsdl" / "IpsApi-2014-04-03.wsdl"

log = logging.getLogger("ips_tui.sandbox")
log.addHandler(logging.NullHandler())

SERVER_ZONE = "America/Los_Angeles"
#: strict authHeader modes: only the documented (unversioned) namespace, or only the request's dated one
AUTH_HEADER_MODES = ("documented", "dated")


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


class Sandbox(SoapRoutes):
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
