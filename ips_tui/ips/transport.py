"""The HTTP side of the IPS client: a zeep ``Transport`` that turns every network problem into an
:mod:`ips_tui.ips.faults` error before zeep can disguise it.

What it does that zeep's own transport does not:

* **Timeouts.** Connect and read timeouts on every POST (zeep's default is none), plus a deadline
  for the body (``timeout`` again after the headers), so a server that trickles bytes cannot hold a
  worker forever. Worst case: ``connect_timeout + 2 * timeout``.
* **TLS trust per request.** ``verify`` is passed to ``session.post`` on each call instead of
  being set on ``session.verify``. requests lets ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` replace
  ``session.verify`` whenever ``trust_env`` is on, but never a per-request ``verify`` that is a
  path or ``False`` (``Session.merge_environment_settings`` only swaps ``True``/``None``). So a
  ``cacert`` given by the user always wins, while ``trust_env`` stays on and the operator's
  ``HTTPS_PROXY``/``NO_PROXY`` keep working (turning ``trust_env`` off would silently drop them).
  With no cacert, ``verify=True`` lets ``REQUESTS_CA_BUNDLE`` (a corporate bundle) apply, as the
  operator intends.
* **HTTP errors are not faults.** A non-200 answer that is not a SOAP envelope carrying a Fault
  (a gateway's HTML 502 page, a proxy's 407) raises :class:`HttpError` here; zeep would turn it
  into ``Fault('Unknown fault occured')``. A SOAP Fault is handed on to zeep whatever the status
  (the ``faultHttpStatusCode`` header field lets a server answer faults with 200).
* **Replies are checked** before zeep parses them: empty, not XML, cut off, carrying a DTD, or not
  a SOAP 1.1 envelope -> :class:`MalformedReply`.
* **No envelope is logged or kept.** zeep's transport logs request bodies (password included) at
  DEBUG; this one logs host, status, size and time only. No redirects are followed (requests
  would turn a redirected POST into a GET), no retries are made (a retried submitJob could run a
  job twice).

Errors are raised outside ``except`` blocks with no cause, so no requests exception (whose
``.request.body`` is the envelope with the password) stays reachable from them.
"""

from __future__ import annotations

import errno
import logging
import re
import time
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
import zeep
from lxml import etree
from zeep.transports import Transport

from ips_tui import APP_NAME, __version__
from ips_tui.i18n import _
from ips_tui.ips.faults import (
    ConnectionFailed,
    HttpError,
    InvalidInput,
    IpsError,
    MalformedReply,
    RequestTimeout,
    TlsError,
)
from ips_tui.ips.schema import SOAP_ENV, safe_parser

log = logging.getLogger(__name__)

_CHUNK = 64 * 1024


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, without user info, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


class IpsTransport(Transport):
    """zeep Transport with timeouts, per-request TLS trust and typed errors (see module doc)."""

    def __init__(
        self,
        *,
        timeout: float = 30.0,
        connect_timeout: float = 10.0,
        verify: bool | str = True,
        session: requests.Session | None = None,
    ):
        # ``timeout`` = loading documents (never used: our WSDL is a package file),
        # ``operation_timeout`` = read timeout of a POST.
        super().__init__(timeout=timeout, operation_timeout=timeout, session=session)
        self.connect_timeout = connect_timeout
        self.verify = verify
        self.session.headers["User-Agent"] = f"{APP_NAME}/{__version__} zeep/{zeep.__version__}"
        # requests' HTTPAdapter makes no retries by default (max_retries=0): keep it that way.

    # zeep calls post_xml -> post; post_xml serialises the envelope (etree_to_string).
    def post(self, address, message, headers):
        error = None
        response = None
        started = time.monotonic()
        try:
            response = self._send(address, message, headers, started)
        except IpsError as exc:
            error = exc
        except Exception as exc:  # requests / urllib3 / OSError: translate, drop the original
            error = _network_error(exc, address, self.operation_timeout, self.connect_timeout, self.verify)
        message = None  # no frame of a raised error keeps the envelope
        if error is not None:
            raise error.with_traceback(None)
        log.debug(
            "POST %s %s -> HTTP %s, %d bytes in %.3f s",
            host_of(address),
            headers.get("SOAPAction", ""),
            response.status_code,
            len(response.content),
            time.monotonic() - started,
        )
        return response

    def _send(self, address, message, headers, started):
        response = self.session.post(
            address,
            data=message,
            headers=headers,
            timeout=(self.connect_timeout, self.operation_timeout),
            verify=self.verify,
            allow_redirects=False,
            stream=True,
        )
        with response:
            chunks = []
            # The headers came within the read timeout; the whole body gets as long again.
            deadline = time.monotonic() + (self.operation_timeout or 0)
            for chunk in response.iter_content(_CHUNK):
                chunks.append(chunk)
                if self.operation_timeout and time.monotonic() > deadline:
                    raise RequestTimeout(
                        _(
                            "{host} was still sending its reply after {seconds} s; the request may have been "
                            "carried out: check the job list before you try again."
                        ).format(host=host_of(address), seconds=_secs(self.operation_timeout)),
                        host=host_of(address),
                        maybe_processed=True,
                    )
            response._content = b"".join(chunks)
            response._content_consumed = True
        check_reply(response, address)
        return response


def _secs(value) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


# --- replies ----------------------------------------------------------------------------------


def _media_type(response) -> str:
    return (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def check_reply(response, address: str) -> None:
    """Raise HttpError / MalformedReply unless the reply is a SOAP 1.1 envelope zeep should read."""
    host = host_of(address)
    status = response.status_code
    content = response.content or b""
    ctype = _media_type(response)
    root = None
    problem = None
    if content.strip():
        try:
            root = etree.fromstring(content, safe_parser())
        except etree.XMLSyntaxError as exc:
            problem = str(exc)
        else:
            if root.getroottree().docinfo.doctype:
                problem = "DTD"
    envelope = root is not None and problem is None and root.tag == f"{{{SOAP_ENV}}}Envelope"
    has_fault = envelope and root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault") is not None

    if status != 200:
        if has_fault:
            return  # a SOAP fault: zeep raises Fault, the client reads its detail
        raise http_error(status, host, ctype, response.headers.get("Location"))
    if not content.strip():
        raise MalformedReply(
            _("{host} sent an empty reply; the request may have been carried out: check before you try again.").format(
                host=host
            ),
            host=host,
            maybe_processed=True,
        )
    if problem == "DTD":
        raise MalformedReply(
            _("{host} sent a reply with a DTD, which is refused for safety; is this really the IPS service?").format(
                host=host
            ),
            host=host,
            maybe_processed=True,
        )
    head = content.lstrip()[:512].lower()
    is_html = (
        "html" in ctype
        or head.startswith((b"<html", b"<!doctype html"))
        or (root is not None and etree.QName(root).localname.lower() == "html")
    )
    if is_html:
        raise MalformedReply(
            _(
                "{host} answered with a web page ({content_type}), not a SOAP reply: a proxy or login portal may be "
                "in the way, or the URL is not the IPS service. The request may have been carried out: check before "
                "you try again."
            ).format(host=host, content_type=ctype or "html"),
            host=host,
            maybe_processed=True,
            detail=problem,
        )
    if problem is not None:
        if content.lstrip()[:1] == b"<":
            text = _(
                "The reply from {host} is broken or cut off before its end; the request may have been carried out: "
                "check the job list before you try again."
            )
        else:
            text = _(
                "{host} answered with something that is not XML ({content_type}); the service, or a proxy in "
                "between, is misbehaving. The request may have been carried out: check before you try again."
            )
        raise MalformedReply(
            text.format(host=host, content_type=ctype or _("no content type")),
            host=host,
            maybe_processed=True,
            detail=problem,
        )
    if not envelope:
        raise MalformedReply(
            _(
                "The reply from {host} is XML but not a SOAP envelope (<{tag}>); is the URL the IPS SOAP service "
                "(…/scene7/services/IpsApiService)?"
            ).format(host=host, tag=etree.QName(root).localname),
            host=host,
            maybe_processed=True,
        )


def http_error(status: int, host: str, content_type: str | None = None, location: str | None = None) -> HttpError:
    """An HTTP status that came without a SOAP fault, in words."""
    if status in (502, 504):
        text = _("HTTP {status} from {host}: the gateway did not reach the service; try again later.")
    elif status == 503:
        text = _("HTTP {status} from {host}: the service is unavailable (maintenance or overload); try again later.")
    elif status >= 500:
        text = _(
            "HTTP {status} from {host}: the server failed without a SOAP answer; try again later, and report it if "
            "it goes on."
        )
    elif status == 404:
        text = _(
            "HTTP {status} from {host}: there is no IPS service at this address; check the URL (it ends in "
            "/scene7/services/IpsApiService)."
        )
    elif status == 407:
        text = _("HTTP {status} from {host}: the proxy wants credentials; check HTTPS_PROXY and the proxy's login.")
    elif status in (401, 403):
        text = _(
            "HTTP {status} from {host}: a gateway or proxy refused the request before it reached the service; "
            "check the URL and any proxy settings."
        )
    elif 300 <= status < 400:
        if location:
            return HttpError(
                _("HTTP {status} from {host}: the service moved to {location}; update the URL in the profile.").format(
                    status=status, host=host, location=location
                ),
                status=status,
                content_type=content_type,
                host=host,
            )
        text = _("HTTP {status} from {host}: the service redirects elsewhere; check the URL in the profile.")
    else:
        text = _("HTTP {status} from {host}: the server answered without a SOAP reply; check the URL.")
    return HttpError(
        text.format(status=status, host=host),
        status=status,
        content_type=content_type,
        host=host,
        # a gateway error may come after the service got the request; 503/4xx mean it did not
        maybe_processed=status >= 500 and status != 503,
    )


# --- network errors ---------------------------------------------------------------------------


def _chain(exc: BaseException):
    """exc, its args that are exceptions, urllib3 ``reason``s, causes and contexts (depth-first)."""
    seen = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield e
        stack.extend(a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        stack.append(getattr(e, "reason", None) if isinstance(getattr(e, "reason", None), BaseException) else None)
        stack.append(e.__cause__)
        stack.append(e.__context__)


_VERIFY_RE = re.compile(r"certificate verify failed: (.+?)(?: \(_ssl\.c:\d+\))?['\")]*$", re.S)


def _tls_reason(exc: BaseException) -> str:
    for e in _chain(exc):
        m = _VERIFY_RE.search(str(e))
        if m:
            return m.group(1).strip().rstrip(".")
    return ""


def _network_error(exc, address, read_timeout, connect_timeout, verify) -> IpsError:
    host = host_of(address)
    detail = f"{type(exc).__name__}: {exc}"
    chain = list(_chain(exc))

    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema)):
        return InvalidInput(
            _("The service URL {url} is not valid; it looks like https://host/scene7/services/IpsApiService.").format(
                url=address
            ),
            detail=detail,
        )

    if isinstance(exc, requests.exceptions.SSLError):
        reason = _tls_reason(exc)
        if reason or "CERTIFICATE_VERIFY_FAILED" in detail:
            if isinstance(verify, str):
                text = _(
                    "The certificate of {host} could not be verified ({reason}) against the CA file {cacert}: check "
                    "that it is the CA that signed this server's certificate."
                )
            else:
                text = _(
                    "The certificate of {host} could not be verified ({reason}): if the service uses a private or "
                    "corporate CA, give its certificate with --cacert or set cacert in the profile."
                )
            return TlsError(
                text.format(host=host, reason=reason or _("unknown reason"), cacert=verify),
                host=host,
                detail=detail,
            )
        if "WRONG_VERSION_NUMBER" in detail or "wrong version number" in detail:
            text = _(
                "{host} does not speak TLS on this port; is the URL http:// rather than https://, or is the port "
                "wrong?"
            )
        else:
            text = _("A secure connection to {host} could not be set up: {reason}.")
        return TlsError(text.format(host=host, reason=str(exc)), host=host, detail=detail)

    if isinstance(exc, OSError) and "CA certificate bundle" in str(exc):
        return TlsError(
            _("The CA file {cacert} does not exist or cannot be read; fix --cacert or the profile's cacert.").format(
                cacert=verify
            ),
            host=host,
            detail=detail,
        )

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return RequestTimeout(
            _("{host} did not accept a connection within {seconds} s; check the network, the URL and any proxy.").format(
                host=host, seconds=_secs(connect_timeout)
            ),
            host=host,
            detail=detail,
        )
    read_timeout_hit = isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(e, urllib3.exceptions.ReadTimeoutError) for e in chain
    )
    if read_timeout_hit:
        return RequestTimeout(
            _(
                "No reply from {host} within {seconds} s. The request may still have been carried out: check the "
                "job list before you try again."
            ).format(host=host, seconds=_secs(read_timeout)),
            host=host,
            maybe_processed=True,
            detail=detail,
        )

    if isinstance(exc, requests.exceptions.ProxyError):
        return ConnectionFailed(
            _("The proxy on the way to {host} could not be reached or refused the connection; check HTTPS_PROXY.").format(
                host=host
            ),
            host=host,
            detail=detail,
        )

    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return MalformedReply(
            _(
                "The reply from {host} was cut off before its end; the request may have been carried out: check "
                "the job list before you try again."
            ).format(host=host),
            host=host,
            maybe_processed=True,
            detail=detail,
        )

    name_error = getattr(urllib3.exceptions, "NameResolutionError", ())
    if any(isinstance(e, name_error) for e in chain) or any(
        isinstance(e, OSError) and "Name or service not known" in str(e) for e in chain
    ):
        return ConnectionFailed(
            _("The host {host} was not found; check the URL or region in the profile and the machine's DNS.").format(
                host=host
            ),
            host=host,
            detail=detail,
        )
    if any(isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED for e in chain):
        return ConnectionFailed(
            _(
                "{host} refused the connection; check the URL and port, and that the service (or the sandbox) is "
                "running."
            ).format(host=host),
            host=host,
            detail=detail,
        )
    if isinstance(exc, requests.exceptions.ConnectionError) and any(
        isinstance(e, urllib3.exceptions.ProtocolError) for e in chain
    ):
        return ConnectionFailed(
            _(
                "The connection to {host} was closed before a reply came; the request may have been carried out: "
                "check the job list before you try again."
            ).format(host=host),
            host=host,
            maybe_processed=True,
            detail=detail,
        )
    if isinstance(exc, (requests.exceptions.ConnectionError, OSError)):
        never_connected = any(isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain)
        return ConnectionFailed(
            _("Could not connect to {host}: {reason}").format(host=host, reason=_short(exc)),
            host=host,
            # unless the connection never opened, we cannot tell whether the request went out:
            # say "may" rather than invite a duplicate
            maybe_processed=not never_connected,
            detail=detail,
        )
    # Something we did not foresee in requests itself: still a transport failure, still typed.
    return ConnectionFailed(
        _("The request to {host} failed: {reason}").format(host=host, reason=_short(exc)),
        host=host,
        maybe_processed=True,
        detail=detail,
    )


def _short(exc: BaseException) -> str:
    text = str(exc)
    m = re.search(r"\((?:Caused by )?\w+\((?:<[^>]*>, )?'?(.+?)'?\)\)?$", text)
    return (m.group(1) if m else text)[:300]
