"""Hand-written SOAP calls (no zeep): for the sandbox's tests, the benchmark and quick diagnostics.

``call(url, "getActiveJobs", "<companyHandle>c|101</companyHandle>", user=…, password=…)`` builds the
envelope, POSTs it with the right SOAPAction and returns a :class:`RawReply` with the parsed body element or
the fault (kind, code, reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from lxml import etree

from ips_tui.ips.schema import NS, NS_UNVERSIONED, SOAP_ENV, safe_parser


def auth_header(user: str | None, password: str | None, *, ns: str = NS_UNVERSIONED, app_name: str = "ips-tui-tests",
                app_version: str = "0", fault_status: int | None = None, extra: str = "") -> str:
    parts = []
    if user is not None:
        parts.append(f"<user>{escape(user)}</user>")
    if password is not None:
        parts.append(f"<password>{escape(password)}</password>")
    parts.append(extra)
    parts.append(f"<appName>{escape(app_name)}</appName><appVersion>{escape(app_version)}</appVersion>")
    if fault_status is not None:
        parts.append(f"<faultHttpStatusCode>{int(fault_status)}</faultHttpStatusCode>")
    return f'<authHeader xmlns="{ns}">{"".join(parts)}</authHeader>'


def envelope(operation: str, params: str = "", *, user: str | None = None, password: str | None = None,
             ns: str = NS, auth_ns: str = NS_UNVERSIONED, header: str | None = None,
             fault_status: int | None = None) -> bytes:
    """A SOAP 1.1 request: ``params`` is the inner XML of ``<operation>Param`` (default namespace ``ns``)."""
    if header is None:
        header = auth_header(user, password, ns=auth_ns, fault_status=fault_status) \
            if (user is not None or password is not None or fault_status is not None) else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}"><soapenv:Header>{header}</soapenv:Header>'
        f'<soapenv:Body><{operation}Param xmlns="{ns}">{params}</{operation}Param></soapenv:Body>'
        f"</soapenv:Envelope>"
    ).encode("utf-8")


@dataclass
class RawReply:
    status: int
    content: bytes
    headers: dict
    root: etree._Element | None  # the Envelope (None if the reply was not XML)
    body: etree._Element | None  # the <op>Return element, when not a fault
    fault: tuple[str, int, str] | None  # (detail element name, code, reason)
    faultcode: str | None = None
    faultstring: str | None = None

    def find(self, path: str, ns: str = NS) -> list[etree._Element]:
        """Elements under the reply body by a slash path of local names, e.g. ``jobArray/items``."""
        if self.body is None:
            return []
        xp = "/".join(f"{{{ns}}}{p}" for p in path.split("/"))
        return self.body.findall(xp)

    def text(self, path: str, ns: str = NS) -> str | None:
        found = self.find(path, ns)
        return (found[0].text or "") if found else None


def parse_reply(status: int, content: bytes, headers: dict | None = None) -> RawReply:
    try:
        root = etree.fromstring(content, safe_parser())
    except etree.XMLSyntaxError:
        return RawReply(status, content, dict(headers or {}), None, None, None)
    body = root.find(f"{{{SOAP_ENV}}}Body")
    first = next((c for c in body if isinstance(c.tag, str)), None) if body is not None else None
    if first is not None and first.tag == f"{{{SOAP_ENV}}}Fault":
        detail = first.find("detail")
        fault = None
        if detail is not None and len(detail):
            el = detail[0]
            fault = (etree.QName(el).localname, int(el.findtext(f"{{{NS_UNVERSIONED}}}code") or 0),
                     el.findtext(f"{{{NS_UNVERSIONED}}}reason") or "")
        return RawReply(status, content, dict(headers or {}), root, None, fault,
                        first.findtext("faultcode"), first.findtext("faultstring"))
    return RawReply(status, content, dict(headers or {}), root, first, None)


def call(url: str, operation: str, params: str = "", *, user: str | None = None, password: str | None = None,
         session=None, soap_action: str | None = None, ns: str = NS, auth_ns: str = NS_UNVERSIONED,
         header: str | None = None, fault_status: int | None = None, verify=True, auth=None,
         content_type: str = "text/xml; charset=UTF-8", data: bytes | None = None, timeout: float = 10.0
         ) -> RawReply:
    import requests

    if data is None:
        data = envelope(operation, params, user=user, password=password, ns=ns, auth_ns=auth_ns, header=header,
                        fault_status=fault_status)
    http = session or requests.Session()
    if session is None:
        http.trust_env = False
    headers = {"Content-Type": content_type}
    action = operation if soap_action is None else soap_action
    if action is not False:
        headers["SOAPAction"] = f'"{action}"'
    try:
        r = http.post(url, data=data, headers=headers, verify=verify, auth=auth, timeout=timeout)
    finally:
        if session is None:
            http.close()
    return parse_reply(r.status_code, r.content, r.headers)


class Caller:
    """``Caller(sandbox)("getActiveJobs", "<companyHandle>c|101</companyHandle>")`` as the demo user, over
    one keep-alive session (HTTPS verified with the sandbox CA)."""

    def __init__(self, sandbox, user: str | None = None, password: str | None = None):
        import requests

        self.url = sandbox.url
        self.user = sandbox.user if user is None else user
        self.password = sandbox.password if password is None else password
        self.verify = sandbox.ca_path or True
        self.session = requests.Session()
        self.session.trust_env = False

    def __call__(self, operation: str, params: str = "", **kw) -> RawReply:
        kw.setdefault("user", self.user)
        kw.setdefault("password", self.password)
        kw.setdefault("verify", self.verify)
        return call(self.url, operation, params, session=self.session, **kw)

    def ok(self, operation: str, params: str = "", **kw) -> RawReply:
        """Like calling, but the reply must not be a fault."""
        reply = self(operation, params, **kw)
        if reply.status != 200 or reply.fault is not None:
            raise AssertionError(f"{operation} failed: HTTP {reply.status} {reply.fault}")
        return reply

    def close(self) -> None:
        self.session.close()
