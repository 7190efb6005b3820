"""What a network failure says to a person, once: the full transport (``net_errors``, from requests' and
urllib3's exceptions) and the lean one (``lean_http``, from ``http.client``'s) each decide which failure it
was, and both say it with these. No requests import here: the lean path stays lean."""

from __future__ import annotations

from ips_tui.i18n import _
from ips_tui.ips.faults import ConnectionFailed, MalformedReply, RequestTimeout, TlsError
from ips_tui.ips.urls import secs


def cert_unverified(host: str, reason: str, cacert, detail: str | None = None) -> TlsError:
    """The server's certificate did not verify; ``cacert``: the CA file given, or None/True for the usual."""
    if isinstance(cacert, str) and cacert:
        text = _("The certificate of {host} could not be verified ({reason}) against the CA file {cacert}: check "
                 "that it is the CA that signed this server's certificate.")
    else:
        text = _("The certificate of {host} could not be verified ({reason}): if the service uses a private or "
                 "corporate CA, give its certificate with --cacert or set cacert in the profile.")
    return TlsError(text.format(host=host, reason=reason or _("unknown reason"), cacert=cacert), host=host,
                    detail=detail)


def tls_failed(host: str, reason: str, detail: str) -> TlsError:
    """No TLS session: the port speaks plain HTTP, or the handshake failed for ``reason``."""
    if "WRONG_VERSION_NUMBER" in detail or "wrong version number" in detail:
        text = _("{host} does not speak TLS on this port; is the URL http:// rather than https://, or is the port "
                 "wrong?")
    else:
        text = _("A secure connection to {host} could not be set up: {reason}.")
    return TlsError(text.format(host=host, reason=reason), host=host, detail=detail)


def ca_unreadable(cacert, host: str, detail: str | None = None) -> TlsError:
    return TlsError(_("The CA file {cacert} does not exist or cannot be read; fix --cacert or the profile's "
                      "cacert.").format(cacert=cacert), host=host, detail=detail)


def connect_timeout(host: str, seconds, detail: str | None = None) -> RequestTimeout:
    return RequestTimeout(_("{host} did not accept a connection within {seconds} s; check the network, the URL "
                            "and any proxy.").format(host=host, seconds=secs(seconds)), host=host, detail=detail)


def reply_timeout(host: str, seconds, detail: str | None = None) -> RequestTimeout:
    return RequestTimeout(_("No reply from {host} within {seconds} s. The request may still have been carried "
                            "out: check the job list before you try again.").format(host=host, seconds=secs(seconds)),
                          host=host, maybe_processed=True, detail=detail)


def host_not_found(host: str, detail: str | None = None) -> ConnectionFailed:
    return ConnectionFailed(_("The host {host} was not found; check the URL or region in the profile and the "
                              "machine's DNS.").format(host=host), host=host, detail=detail)


def refused(host: str, detail: str | None = None) -> ConnectionFailed:
    return ConnectionFailed(_("{host} refused the connection; check the URL and port, and that the service (or "
                              "the sandbox) is running.").format(host=host), host=host, detail=detail)


def closed_early(host: str, detail: str | None = None) -> ConnectionFailed:
    return ConnectionFailed(_("The connection to {host} was closed before a reply came; the request may have been "
                              "carried out: check the job list before you try again.").format(host=host),
                            host=host, maybe_processed=True, detail=detail)


def cut_off(host: str, detail: str | None = None) -> MalformedReply:
    return MalformedReply(_("The reply from {host} was cut off before its end; the request may have been carried "
                            "out: check the job list before you try again.").format(host=host),
                          host=host, maybe_processed=True, detail=detail)


def could_not_connect(host: str, reason: str, *, maybe_processed: bool, detail: str | None = None) -> ConnectionFailed:
    return ConnectionFailed(_("Could not connect to {host}: {reason}").format(host=host, reason=reason[:300]),
                            host=host, maybe_processed=maybe_processed, detail=detail)
