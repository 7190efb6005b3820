"""The sandbox's WSGI side: routing, reading a request within its bounds, the fault injections, and the SOAP
answer (validated, authenticated, dispatched). A mixin of :class:`ips_tui.sandbox.server.Sandbox`, which holds
the request log, the injector, the directory and the request side (``_engine``).

Like server.py, nothing here imports lxml at import time: the SOAP modules come with the first request.
"""

from __future__ import annotations

import gzip
import logging
from dataclasses import dataclass
from datetime import datetime, timezone

from ips_tui.sandbox.errors import SoapFault, api_fault, invalid_param, invalid_xml
from ips_tui.sandbox.faults import HANDLED, html_page
from ips_tui.sandbox.httpd import _Drop, _no_body, _read_chunked, _reply
from ips_tui.sandbox.kept import MAX_RECEIVED, BoundedLog

log = logging.getLogger("ips_tui.sandbox")

SERVICE_PATH = "/scene7/services/IpsApiService"
WSDL_PATH = "/scene7/webservice/IpsApi-2014-04-03.wsdl"
MAX_BODY = 16 * 1024 * 1024
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


class SoapRoutes:
    """The sandbox's WSGI application (mixed into Sandbox)."""

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
