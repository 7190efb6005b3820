"""requests / urllib3 / OSError exceptions as :mod:`ips_tui.ips.faults` errors a person can act on
(used by :mod:`ips_tui.ips.transport`)."""

from __future__ import annotations

import errno
import re

import requests
import urllib3.exceptions

from ips_tui.i18n import _
from ips_tui.ips.faults import ConnectionFailed, InvalidInput, IpsError, MalformedReply, RequestTimeout, TlsError
from ips_tui.ips.urls import host_of, secs as _secs




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


def network_error(exc, address, read_timeout, connect_timeout, verify) -> IpsError:
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
