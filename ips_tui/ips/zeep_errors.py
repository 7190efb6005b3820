"""zeep's exceptions and reply problems as :mod:`ips_tui.ips.faults` errors (used by :mod:`ips_tui.ips.client`).

Errors leave here without traceback, cause or context (those frames hold the envelope with the password),
and every text that came from the service is made visible (:mod:`ips_tui.safe_text`). zeep's "Error during
xml -> python translation" log records (a reply value that does not fit its type) are caught per thread and
never printed: the client turns them into a :class:`MalformedReply`.
"""

from __future__ import annotations

import logging
import re
import threading

from ips_tui.i18n import _
from ips_tui.ips.faults import FAULT_KINDS, InvalidInput, IpsError, MalformedReply
from ips_tui.ips.schema import NS_UNVERSIONED


class _BadValues(logging.Handler):
    """Catches zeep's "Error during xml -> python translation" (a reply value that does not fit its type):
    recorded for the calling thread, never printed."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.local = threading.local()

    def emit(self, record) -> None:
        found = getattr(self.local, "found", None)
        if found is not None and len(found) < 5:
            exc = record.exc_info[1] if record.exc_info else None
            found.append(str(exc) if exc is not None else record.getMessage())

    def start(self) -> None:
        self.local.found = []

    def take(self) -> list[str]:
        found, self.local.found = getattr(self.local, "found", None) or [], None
        return found


_bad_values = _BadValues()
_zeep_values_log = logging.getLogger("zeep.xsd.types.simple")
_zeep_values_log.addHandler(_bad_values)
_zeep_values_log.propagate = False  # no traceback on stderr: the caller gets a MalformedReply instead


def _clean(error: IpsError) -> IpsError:
    """The error without traceback, cause or context (their frames hold the envelope)."""
    error.__cause__ = None
    error.__context__ = None
    error.__suppress_context__ = True
    return error.with_traceback(None)


def _fault_detail(detail):
    """(fault element name, code, reason) from a SOAP Fault's <detail>, or (None, None, None)."""
    if detail is None or isinstance(detail, (str, bytes)):
        return None, None, None
    from lxml import etree

    for el in detail.iter():
        if not isinstance(el.tag, str):
            continue
        qname = etree.QName(el)
        if qname.localname in FAULT_KINDS and (qname.namespace or "").startswith(NS_UNVERSIONED):
            code_text = reason = None
            for child in el:
                if not isinstance(child.tag, str):
                    continue
                name = etree.QName(child).localname
                if name == "code":
                    code_text = (child.text or "").strip()
                elif name == "reason":
                    reason = child.text or ""
            try:
                code = int(code_text) if code_text else None
            except ValueError:
                code = None
            return qname.localname, code, reason
    return None, None, None


_UNEXPECTED_RE = re.compile(r"(?:\{[^}]*\})?(\w+)\(\) got an unexpected keyword argument '([^']+)'")
_MISSING_RE = re.compile(r"Missing element (\w+) \(([\w.]+)\)")


def _invalid(operation: str, exc: BaseException) -> InvalidInput:
    text = str(exc)
    if m := _UNEXPECTED_RE.search(text):
        message = _("The {operation} request has a field the schema does not know: {field} (in {element}).").format(
            operation=operation, field=m.group(2), element=m.group(1)
        )
    elif m := _MISSING_RE.search(text):
        message = _("The {operation} request lacks a required field: {path}.").format(
            operation=operation, path=m.group(2)
        )
    else:
        message = _("The {operation} request cannot be built: {reason}").format(operation=operation, reason=text[:300])
    return InvalidInput(message, detail=f"{type(exc).__name__}: {text}")


def _bad_value(operation: str, problems: list[str], url: str | None) -> MalformedReply:
    from ips_tui.ips.urls import host_of
    from ips_tui.safe_text import visible

    host = host_of(url) if url else "?"
    reason = visible("; ".join(problems))[:300]
    return MalformedReply(
        _(
            "The reply from {host} to {operation} carries a value that does not fit the API schema ({reason}); "
            "the server may speak another API version. The request may have been carried out: check before you "
            "try again."
        ).format(host=host, operation=operation, reason=reason),
        host=host,
        maybe_processed=True,
        detail=reason,
    )


def _malformed(operation: str, exc: BaseException, url: str | None) -> MalformedReply:
    from ips_tui.ips.urls import host_of
    from ips_tui.safe_text import visible

    host = host_of(url) if url else "?"
    text = visible(str(getattr(exc, "message", None) or exc))
    return MalformedReply(
        _(
            "The reply from {host} to {operation} does not match the API schema ({reason}); the server may speak "
            "another API version. The request may have been carried out: check before you try again."
        ).format(host=host, operation=operation, reason=text[:300]),
        host=host,
        maybe_processed=True,
        detail=f"{type(exc).__name__}: {text}",
    )
