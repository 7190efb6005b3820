"""Replies checked before zeep reads them, and HTTP statuses in words (used by :mod:`ips_tui.ips.transport`).

An empty reply, one that is not XML, is cut off, carries a DTD or is not a SOAP 1.1 envelope is a
:class:`MalformedReply`; a non-200 answer without a SOAP Fault is an :class:`HttpError`.
"""

from __future__ import annotations

from lxml import etree

from ips_tui.i18n import _
from ips_tui.ips.faults import HttpError, MalformedReply, ReplyTooLarge, RequestTimeout
from ips_tui.ips.schema import SOAP_ENV, safe_parser
from ips_tui.ips.urls import host_of, secs

MIB = 1024 * 1024
#: defaults of the reply limits (the replies to the operations we use are a few kB to a few MB)
MAX_REPLY = 16 * MIB
MAX_INFLATED = 32 * MIB


def _mib(value: int) -> str:
    return f"{value / MIB:g} MiB"


def _too_large(host: str, key: str, limit: int) -> ReplyTooLarge:
    if key == "max_reply_mib":
        text = _(
            "The reply from {host} is larger than the limit of {limit} (max_reply_mib in the profile); it was "
            "not read to its end. The request may have been carried out: check before you try again."
        )
    else:
        text = _(
            "The reply from {host} unpacks to more than the limit of {limit} (max_inflated_mib in the profile): "
            "it may be a compression bomb; it was not read to its end. The request may have been carried out: "
            "check before you try again."
        )
    return ReplyTooLarge(text.format(host=host, limit=_mib(limit)), limit=key, limit_bytes=limit, host=host,
                         maybe_processed=True)


def _out_of_time(address: str, seconds) -> RequestTimeout:
    host = host_of(address)
    # the words of a read timeout (net_errors): to the operator both are "no reply in time"
    return RequestTimeout(
        _(
            "No reply from {host} within {seconds} s. The request may still have been carried out: check the "
            "job list before you try again."
        ).format(host=host, seconds=secs(seconds)),
        host=host,
        maybe_processed=True,
    )


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


