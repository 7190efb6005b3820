"""IpsClient: the IPS SOAP API (our 2014-04-03 WSDL) through zeep, with typed errors.

* The client takes a service URL (the region table lives elsewhere) or ``None`` for an offline
  client that can only build envelopes (dry run).
* Importing this module is cheap: zeep, requests and the WSDL are loaded on first use (call
  :func:`preload` from a worker after the first paint). The parsed WSDL is cached once per
  process and shared by every client; each client has its own transport (timeouts, TLS trust).
* zeep settings: ``strict=True`` (an unexpected element in a reply is an error, not silence),
  ``forbid_external``, ``forbid_dtd``, ``forbid_entities``, no huge trees.
* The ``authHeader`` goes in the unversioned namespace ``http://www.scene7.com/IpsApi/xsd`` (the
  documented one; our WSDL binds it there) with user, password, locale, appName, appVersion; or, with
  ``auth_header="dated"``, in the request's namespace ``…/xsd/2014-04-03`` (what Adobe's 2014 WSDL binds).
  A fault 10000 ("no credentials seen") is retried once with the other one: a request that failed
  authentication created nothing. What worked is kept in ``auth_header`` and told to ``on_auth_header``.
* A reply value that does not fit its type (a bad ``xsd:dateTime``) is a :class:`MalformedReply`, not a
  silent ``None`` with a traceback in zeep's log.
* No HistoryPlugin, no envelope logging: an envelope with the password lives only for the
  duration of one call. The password itself is kept in a wrapper whose repr is masked.
* Results are plain ``dict``/``list``/``str``/``int``/``bool``/``datetime`` values: callers never
  import zeep. Arrays (``{"items": [...]}``) at the top of a reply are unwrapped to lists; nested
  ones keep the schema's shape (``{"items": [...]}``), the same shape payloads use.
* Every failure is an :mod:`ips_tui.ips.faults` error; errors carry no traceback, cause or context
  from the call (those frames and request objects hold the envelope with the password).
"""

from __future__ import annotations

import threading
import time

from ips_tui import APP_NAME, __version__
from ips_tui.i18n import _
from ips_tui.ips.faults import (
    AuthenticationFault,
    InvalidInput,
    IpsError,
    MalformedReply,
    OfflineError,
    service_fault,
)
from ips_tui.ips.lookup import LOOKUP_OPERATIONS
from ips_tui.ips.operations import Operations
from ips_tui.ips.values import check_datetimes, plain
from ips_tui.ips.schema import NS, NS_UNVERSIONED, OUR_WSDL
from ips_tui.ips.zeep_errors import _bad_value, _bad_values, _clean, _fault_detail, _invalid, _malformed

MASK = "********"
TNS = "http://www.scene7.com/IpsApi"
BINDING = f"{{{TNS}}}IpsApiServiceSoapBinding"
AUTH_HEADER = f"{{{NS_UNVERSIONED}}}authHeader"
#: where the authHeader goes: the documented unversioned namespace, or the request's dated one
AUTH_HEADER_MODES = ("documented", "dated")

#: The operations of our WSDL (names as in the WSDL; SOAPAction = the name).
OPERATIONS = (
    "submitJob",
    "getActiveJobs",
    "getScheduledJobs",
    "getJobLogs",
    "getJobLogDetails",
    "stopJob",
    "pauseJob",
    "resumeJob",
    "deleteJob",
    "executeJob",
    "getCompanyMembership",
    "getCompanyInfo",
    "getUserInfo",
    "checkLogin",
    "getPublishContexts",
) + LOOKUP_OPERATIONS  # finding what a job refers to (ips/lookup.py)


# --- the parsed WSDL, once per process ---------------------------------------------------------

_lock = threading.Lock()
_loaded: dict = {}


def _zeep():
    """(zeep module, Settings, Document), loading zeep and parsing our WSDL on first use."""
    if _loaded:
        return _loaded["zeep"], _loaded["settings"], _loaded["document"]
    with _lock:
        if not _loaded:
            started = time.perf_counter()
            import zeep
            import zeep.exceptions
            import zeep.helpers
            import zeep.wsdl

            imported = time.perf_counter()
            settings = zeep.Settings(
                strict=True,
                forbid_external=True,
                forbid_dtd=True,
                forbid_entities=True,
                xml_huge_tree=False,
                raw_response=False,
            )
            # The loading transport only opens the package file (no network: forbid_external).
            document = zeep.wsdl.Document(str(OUR_WSDL), zeep.Transport(), settings=settings)
            done = time.perf_counter()
            _loaded.update(
                zeep=zeep,
                settings=settings,
                document=document,
                import_seconds=imported - started,
                parse_seconds=done - imported,
            )
    return _loaded["zeep"], _loaded["settings"], _loaded["document"]


def preload() -> dict[str, float]:
    """Import zeep and parse the WSDL now (call from a worker). Returns the seconds each took."""
    _zeep()
    return {"import_seconds": _loaded["import_seconds"], "parse_seconds": _loaded["parse_seconds"]}


class _Secret:
    """Holds the password; prints as a mask so a debugger, log or repr never shows it."""

    __slots__ = ("_value",)

    def __init__(self, value: str | None):
        self._value = value

    def get(self) -> str | None:
        return self._value

    def __repr__(self) -> str:
        return "_Secret(None)" if self._value is None else f"_Secret({MASK})"

    __str__ = __repr__


# --- the client --------------------------------------------------------------------------------


class IpsClient(Operations):
    """One IPS account at one service URL. Not for concurrent use from several threads at once
    (one worker at a time, as the TUI runs them); make one client per thread otherwise."""

    def __init__(
        self,
        url: str | None,
        user: str | None,
        password: str | None,
        *,
        locale: str | None = None,
        cacert: str | None = None,
        verify: bool = True,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        max_reply: int | None = None,
        max_inflated: int | None = None,
        auth_header: str | None = None,
        adapt_auth_header: bool = True,
        on_auth_header=None,
    ):
        if auth_header not in (None, *AUTH_HEADER_MODES):
            raise InvalidInput(_("auth_header must be documented or dated, not {value}").format(value=auth_header))
        self.url = url
        self.user = user
        self._password = _Secret(password)
        self.locale = locale
        self.cacert = cacert
        # A cacert wins over verify=True; verify=False only when asked for explicitly.
        self.verify: bool | str = cacert if (cacert and verify is not False) else bool(verify)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.max_reply = max_reply
        self.max_inflated = max_inflated
        #: the authHeader namespace in use ("documented" or "dated"); changes when the service wants the other
        self.auth_header = auth_header or "documented"
        self.adapt_auth_header = adapt_auth_header
        self.on_auth_header = on_auth_header
        self._client = None
        self._service = None
        self._transport = None

    def __repr__(self) -> str:
        return f"IpsClient(url={self.url!r}, user={self.user!r}, password={MASK if self._password.get() else None})"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- zeep objects (lazy) -----------------------------------------------------------------

    def _zeep_client(self):
        if self._client is None:
            zeep, settings, document = _zeep()
            from ips_tui.ips.transport import IpsTransport

            limits = {k: v for k, v in (("max_reply", self.max_reply), ("max_inflated", self.max_inflated)) if v}
            self._transport = IpsTransport(
                timeout=self.timeout, connect_timeout=self.connect_timeout, verify=self.verify, **limits
            )
            # No plugins: zeep's HistoryPlugin would keep the last envelope, password included.
            self._client = zeep.Client(document, transport=self._transport, settings=settings, plugins=[])
            # The service bound to our URL (offline: a placeholder address, never contacted).
            self._service = self._client.create_service(BINDING, self.url or "http://offline.invalid/")
        return self._client

    def _auth_header(self, mask: bool = False, mode: str | None = None):
        """A fresh authHeader for one call (never stored), in the namespace of ``mode`` (default: the
        client's)."""
        client = self._zeep_client()
        password = self._password.get()
        values = {
            "user": self.user,
            "password": (MASK if (mask and password is not None) else password),
            "locale": self.locale or None,
            "appName": APP_NAME,
            "appVersion": __version__,
        }
        element = client.get_element(AUTH_HEADER)
        value = element(**{k: v for k, v in values.items() if v is not None})
        if (mode or self.auth_header) != "dated":
            return value
        return _dated(element, value)

    # --- envelopes (no network) ---------------------------------------------------------------

    def build_envelope(self, operation: str, payload: dict, *, mask_password: bool = True,
                       auth_header: str | None = None) -> bytes:
        """The exact SOAP envelope ``operation`` would send, pretty-printed UTF-8; the password
        replaced by ``********`` unless ``mask_password=False``. No network."""
        from lxml import etree

        self._check_operation(operation)
        check_datetimes(payload)
        client = self._zeep_client()
        zeep = _loaded["zeep"]
        body = {k: v for k, v in (payload or {}).items() if v is not None}
        if mask_password and "password" in body:  # checkLogin carries a password in the body
            body["password"] = MASK
        error = None
        try:
            envelope = client.create_message(
                self._service, operation, _soapheaders=[self._auth_header(mask=mask_password, mode=auth_header)],
                **body
            )
            text = etree.tostring(envelope, pretty_print=True, xml_declaration=True, encoding="UTF-8")
        except (zeep.exceptions.ValidationError, TypeError, ValueError, AttributeError) as exc:
            error = _invalid(operation, exc)
        body = envelope = None
        if error is not None:
            raise _clean(error)
        return text

    # --- calls --------------------------------------------------------------------------------

    def _check_operation(self, operation: str) -> None:
        if operation not in OPERATIONS:
            raise InvalidInput(
                _("{operation} is not an operation this client knows ({known}).").format(
                    operation=operation, known=", ".join(OPERATIONS)
                )
            )

    def call(self, operation: str, params: dict):
        """Any operation of our WSDL by name (ips/lookup.py builds on it); same errors as the methods."""
        return self._call(operation, params)

    def _call(self, operation: str, params: dict):
        """Send one operation; the reply as plain Python values, or a faults error."""
        self._check_operation(operation)
        if not self.url:
            raise OfflineError(
                _("This client has no service URL (offline, dry run only), so it cannot call {operation}.").format(
                    operation=operation
                )
            )
        check_datetimes(params)
        self._zeep_client()
        zeep = _loaded["zeep"]
        kwargs = {k: v for k, v in params.items() if v is not None}
        result, error = self._send(operation, kwargs, self.auth_header)
        if (self.adapt_auth_header and isinstance(error, AuthenticationFault) and error.code == 10000):
            # No credentials seen: this service may read the header only in the other namespace. Safe to send
            # again: a request that failed authentication created nothing.
            other = "dated" if self.auth_header == "documented" else "documented"
            result, second = self._send(operation, kwargs, other)
            if not (isinstance(second, AuthenticationFault) and second.code == 10000):
                error = second
                self.auth_header = other
                if self.on_auth_header is not None:
                    try:
                        self.on_auth_header(other)
                    except Exception:  # remembering is a courtesy; the call's answer comes first
                        pass
            elif self.user and self._password.get():
                error = AuthenticationFault(
                    _("The service saw no credentials (code 10000) although they were sent, with the authHeader in "
                      "the documented and in the dated namespace: it may expect another API version or another way "
                      "to log in (ips-tui profiles test --schema compares its WSDL with ours)."),
                    code=10000, reason=second.reason, operation=operation, faultstring=second.faultstring)
        kwargs = params = None  # (checkLogin's body holds a password)
        if error is not None:
            raise _clean(error)
        return plain(zeep.helpers.serialize_object(result))

    def _send(self, operation: str, kwargs: dict, mode: str):
        """(result, None) or (None, error) of one call with the authHeader in ``mode``'s namespace."""
        zeep = _loaded["zeep"]
        company = kwargs.get("companyHandle") or kwargs.get("companyName")
        result = None
        error = None
        _bad_values.start()
        try:
            result = getattr(self._service, operation)(_soapheaders=[self._auth_header(mode=mode)], **kwargs)
        except IpsError as exc:
            error = exc
        except zeep.exceptions.Fault as exc:
            error = self._fault_error(exc, operation, company)
        except (zeep.exceptions.ValidationError, TypeError) as exc:
            if isinstance(exc, TypeError) and "argument" not in str(exc):
                raise
            error = _invalid(operation, exc)
        except zeep.exceptions.Error as exc:  # XMLParseError, UnexpectedElementError, XMLSyntaxError, ...
            error = _malformed(operation, exc, self.url)
        bad = _bad_values.take()
        if error is None and bad:
            error = _bad_value(operation, bad, self.url)
        if error is not None:
            result = None
        return result, error

    def _fault_error(self, exc, operation: str, company: str | None):
        """A zeep Fault as a ServiceFault: by the detail element and its code, never the faultstring."""
        fault, code, reason = _fault_detail(getattr(exc, "detail", None))
        faultstring = exc.message if isinstance(exc.message, str) else None
        if fault is None and faultstring == "Unknown fault occured":  # zeep's placeholder (pre-empted by transport)
            return _malformed(operation, exc, self.url)
        return service_fault(
            fault, code, reason, user=self.user, company=company, operation=operation, faultstring=faultstring
        )

    def close(self) -> None:
        """Close the HTTP session and forget the password. The client cannot call again."""
        if self._transport is not None:
            self._transport.session.close()
        self._password = _Secret(None)
        self._client = self._service = self._transport = None


# --- the dated authHeader ----------------------------------------------------------------------


def _dated(element, value):
    """The authHeader rendered by zeep, moved into the request's dated namespace (as an lxml element)."""
    from lxml import etree

    holder = etree.Element("holder")
    element.render(holder, value)
    header = holder[0]
    old, new = "{" + NS_UNVERSIONED + "}", "{" + NS + "}"
    for el in header.iter():
        if isinstance(el.tag, str) and el.tag.startswith(old):
            el.tag = new + el.tag[len(old):]
    etree.cleanup_namespaces(header)
    return header
