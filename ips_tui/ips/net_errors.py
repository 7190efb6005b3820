"""requests / urllib3 / OSError exceptions as :mod:`ips_tui.ips.faults` errors a person can act on
(used by :mod:`ips_tui.ips.transport`), in the words of :mod:`ips_tui.ips.net_words`."""

from __future__ import annotations

import errno
import re

import requests
import urllib3.exceptions

from ips_tui.i18n import _
from ips_tui.ips import net_words as words
from ips_tui.ips.faults import ConnectionFailed, InvalidInput, IpsError
from ips_tui.ips.urls import host_of


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
            return words.cert_unverified(host, reason, verify, detail)
        return words.tls_failed(host, str(exc), detail)

    if isinstance(exc, OSError) and "CA certificate bundle" in str(exc):
        return words.ca_unreadable(verify, host, detail)

    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return words.connect_timeout(host, connect_timeout, detail)
    read_timeout_hit = isinstance(exc, requests.exceptions.ReadTimeout) or any(
        isinstance(e, urllib3.exceptions.ReadTimeoutError) for e in chain
    )
    if read_timeout_hit:
        return words.reply_timeout(host, read_timeout, detail)

    if isinstance(exc, requests.exceptions.ProxyError):
        return ConnectionFailed(
            _("The proxy on the way to {host} could not be reached or refused the connection; check HTTPS_PROXY.").format(
                host=host
            ),
            host=host,
            detail=detail,
        )

    if isinstance(exc, (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)):
        return words.cut_off(host, detail)

    name_error = getattr(urllib3.exceptions, "NameResolutionError", ())
    if any(isinstance(e, name_error) for e in chain) or any(
        isinstance(e, OSError) and "Name or service not known" in str(e) for e in chain
    ):
        return words.host_not_found(host, detail)
    if any(isinstance(e, ConnectionRefusedError) or getattr(e, "errno", None) == errno.ECONNREFUSED for e in chain):
        return words.refused(host, detail)
    if isinstance(exc, requests.exceptions.ConnectionError) and any(
        isinstance(e, urllib3.exceptions.ProtocolError) for e in chain
    ):
        return words.closed_early(host, detail)
    if isinstance(exc, (requests.exceptions.ConnectionError, OSError)):
        never_connected = any(isinstance(e, urllib3.exceptions.NewConnectionError) for e in chain)
        # unless the connection never opened, we cannot tell whether the request went out:
        # say "may" rather than invite a duplicate
        return words.could_not_connect(host, _short(exc), maybe_processed=not never_connected, detail=detail)
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
