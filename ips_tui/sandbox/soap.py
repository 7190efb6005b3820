"""SOAP 1.1 for the sandbox: reading a request envelope, writing replies and faults.

Everything the sandbox reads goes through :func:`ips_tui.ips.schema.safe_parser` (no DTD, no entities,
no network) and is validated against the schemas of our WSDL. Fault and reply texts are service text:
English, like the real service's.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from xml.sax.saxutils import escape

from lxml import etree

from ips_tui.ips.schema import NS, NS_UNVERSIONED, SOAP_ENV, load_wsdl_schema, safe_parser
from ips_tui.sandbox.errors import (  # noqa: F401  (they lived here)
    FAULT_KINDS, FAULT_STRINGS, SoapFault, api_fault, invalid_param, invalid_xml, missing_param,
)

# A dated IPS namespace (…/xsd/2014-04-03, …/xsd/2013-08-29-beta): a request may use any of them and the
# reply echoes it; validation maps it onto the 2014-04-03 schema we serve.
DATED_NS = re.compile(r"^http://www\.scene7\.com/IpsApi/xsd/\d{4}-\d{2}-\d{2}(-beta)?$")

# The operations the sandbox answers (the ones in our WSDL).
OPERATIONS = (
    "submitJob", "getActiveJobs", "getScheduledJobs", "getJobLogs", "getJobLogDetails", "stopJob",
    "pauseJob", "resumeJob", "deleteJob", "executeJob", "getCompanyMembership", "getCompanyInfo",
    "getUserInfo", "checkLogin", "getPublishContexts",
    "searchAssets", "getAssetsByName", "getAssets", "getFolderTree", "getFolders", "getProjects", "getCompanyMembers",
)


# ---------------------------------------------------------------------------------------------------------
# Writing

_XML_DECL = b'<?xml version="1.0" encoding="UTF-8"?>'
_ENV_OPEN = (
    _XML_DECL + b'<soapenv:Envelope xmlns:soapenv="' + SOAP_ENV.encode() + b'"><soapenv:Body>'
)
_ENV_CLOSE = b"</soapenv:Body></soapenv:Envelope>"


def envelope(body: bytes | etree._Element) -> bytes:
    """A SOAP 1.1 envelope around one body element."""
    if not isinstance(body, bytes):
        body = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
    return _ENV_OPEN + body + _ENV_CLOSE


def fault_envelope(fault: SoapFault) -> bytes:
    """The fault envelope of §5.1: faultcode, faultstring, detail/<fault element> (unversioned namespace)."""
    detail = (
        f'<flt:{fault.kind} xmlns:flt="{NS_UNVERSIONED}">'
        f"<flt:code>{int(fault.code)}</flt:code><flt:reason>{escape(fault.reason)}</flt:reason>"
        f"</flt:{fault.kind}>"
    )
    body = (
        f"<soapenv:Fault><faultcode>{fault.faultcode}</faultcode>"
        f"<faultstring>{escape(FAULT_STRINGS[fault.kind])}</faultstring>"
        f"<detail>{detail}</detail></soapenv:Fault>"
    )
    return _ENV_OPEN + body.encode("utf-8") + _ENV_CLOSE


class Builder:
    """Builds reply elements in the namespace of the request (default namespace, qualified children)."""

    __slots__ = ("ns", "_prefix")

    def __init__(self, ns: str = NS):
        self.ns = ns
        self._prefix = "{" + ns + "}"

    def root(self, name: str) -> etree._Element:
        return etree.Element(self._prefix + name, nsmap={None: self.ns})

    def sub(self, parent: etree._Element, name: str, value=None) -> etree._Element:
        el = etree.SubElement(parent, self._prefix + name)
        if value is not None:
            el.text = xsd_text(value)
        return el

    def opt(self, parent: etree._Element, name: str, value) -> None:
        """A child only when there is a value."""
        if value is not None:
            self.sub(parent, name, value)

    def adopt(self, parent: etree._Element, element: etree._Element, name: str | None = None) -> None:
        """Append a copy of a stored element (kept in the 2014-04-03 namespace), renamed into this namespace."""
        copy = etree.fromstring(etree.tostring(element))
        for el in copy.iter():
            if isinstance(el.tag, str):
                local = etree.QName(el).localname
                el.tag = self._prefix + local
        if name:
            copy.tag = self._prefix + name
        etree.cleanup_namespaces(copy, top_nsmap={None: self.ns})
        parent.append(copy)


def xsd_text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return xsd_datetime(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


def xsd_datetime(value: datetime, tz=None) -> str:
    """xsd:dateTime with milliseconds and an offset (in ``tz`` when given)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    if tz is not None:
        value = value.astimezone(tz)
    return value.isoformat(timespec="milliseconds")


# ---------------------------------------------------------------------------------------------------------
# Reading

_local = threading.local()


def parse_datetime(text: str, field: str, *, need_zone: bool = True) -> datetime:
    value = text.strip()
    try:
        when = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise invalid_param(f"{field} '{text}' is not an xsd:dateTime") from None
    if when.tzinfo is None:
        if need_zone:
            raise invalid_param(
                f"{field} '{text}' has no time zone: add an offset such as Z or -05:00"
            )
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


def _parser() -> etree.XMLParser:
    parser = getattr(_local, "parser", None)
    if parser is None:
        parser = _local.parser = safe_parser(remove_blank_text=False)
    return parser


@dataclass
class SoapRequest:
    """A parsed, validated request."""

    operation: str
    ns: str  # namespace of the body element (the reply echoes it)
    body: etree._Element  # the <op>Param element, in its own namespace
    auth: dict[str, str] = field(default_factory=dict)  # authHeader fields (text)
    auth_ns: str | None = None

    def text(self, name: str) -> str | None:
        el = self.body.find("{" + self.ns + "}" + name)
        return None if el is None else (el.text or "")

    def child(self, name: str) -> etree._Element | None:
        return self.body.find("{" + self.ns + "}" + name)


def parse_envelope(data: bytes) -> etree._Element:
    """Parse a request body safely; DTDs and entity declarations are refused outright."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise invalid_xml("Invalid request XML: DTDs are not accepted")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise invalid_xml(f"Invalid request XML: {exc}") from None
    if root is None:
        raise invalid_xml("Invalid request XML: empty document")
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise invalid_xml("Invalid request XML: DTDs are not accepted")
    return root


def peek_auth(root: etree._Element) -> dict[str, str]:
    """The authHeader fields of an envelope, tolerantly (used before validation, e.g. faultHttpStatusCode)."""
    header = root.find(f"{{{SOAP_ENV}}}Header")
    if header is None:
        return {}
    for el in header:
        if not isinstance(el.tag, str):
            continue
        q = etree.QName(el)
        if q.localname == "authHeader" and (q.namespace == NS_UNVERSIONED or DATED_NS.match(q.namespace or "")):
            return {
                etree.QName(c).localname: (c.text or "").strip() if etree.QName(c).localname != "password"
                else (c.text or "")
                for c in el
                if isinstance(c.tag, str)
            }
    return {}


def body_element(root: etree._Element) -> etree._Element | None:
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        return None
    body = root.find(f"{{{SOAP_ENV}}}Body")
    if body is None:
        return None
    children = [c for c in body if isinstance(c.tag, str)]
    return children[0] if len(children) == 1 else None


def operation_of(root: etree._Element) -> str | None:
    el = body_element(root)
    if el is None:
        return None
    local = etree.QName(el).localname
    return local[: -len("Param")] if local.endswith("Param") else local


class Validator:
    """Validates header and body elements against our WSDL's schemas (built once per server)."""

    def __init__(self, schema: etree.XMLSchema | None = None):
        self.schema = schema if schema is not None else load_wsdl_schema()
        self._lock = threading.Lock()  # lxml validators keep their error log on the object

    def problems(self, element: etree._Element) -> list[str]:
        with self._lock:
            if self.schema.validate(element):
                return []
            return [e.message for e in self.schema.error_log]

    def check_request(self, root: etree._Element) -> SoapRequest:
        if root.tag == "{http://www.w3.org/2003/05/soap-envelope}Envelope":
            raise invalid_xml("Invalid request XML: SOAP 1.2 envelopes are not accepted; use SOAP 1.1")
        if root.tag != f"{{{SOAP_ENV}}}Envelope":
            raise invalid_xml(f"Invalid request XML: the root element is {root.tag}, not a SOAP 1.1 Envelope")
        header = body = None
        for child in root:
            if not isinstance(child.tag, str):
                continue
            if child.tag == f"{{{SOAP_ENV}}}Header" and header is None and body is None:
                header = child
            elif child.tag == f"{{{SOAP_ENV}}}Body" and body is None:
                body = child
            else:
                raise invalid_xml(f"Invalid request XML: unexpected element {child.tag} in the Envelope")
        if body is None:
            raise invalid_xml("Invalid request XML: the SOAP Body is missing")
        parts = [c for c in body if isinstance(c.tag, str)]
        if len(parts) != 1:
            raise invalid_xml(f"Invalid request XML: the SOAP Body must hold one element, not {len(parts)}")
        param = parts[0]
        q = etree.QName(param)
        ns = q.namespace or ""
        if not DATED_NS.match(ns):
            raise invalid_xml(
                f"Invalid request XML: element '{q.localname}' is not in an IPS API namespace "
                f"(expected {NS})"
            )
        operation = q.localname[: -len("Param")] if q.localname.endswith("Param") else q.localname
        if not q.localname.endswith("Param") or operation not in OPERATIONS:
            raise api_fault(30000, f"Operation '{operation}' is not supported by the sandbox")
        problems = self.problems(param if ns == NS else _renamed(param, ns, NS))
        if problems:
            raise invalid_xml("Invalid request XML: " + "; ".join(problems))

        auth: dict[str, str] = {}
        auth_ns = None
        if header is not None:
            for el in header:
                if not isinstance(el.tag, str):
                    continue
                hq = etree.QName(el)
                if hq.localname != "authHeader":
                    continue  # other headers are ignored, as by the service
                if hq.namespace == NS_UNVERSIONED:
                    check = el
                elif DATED_NS.match(hq.namespace or ""):
                    check = _renamed(el, hq.namespace, NS_UNVERSIONED)
                else:
                    continue
                problems = self.problems(check)
                if problems:
                    raise invalid_xml("Invalid request XML: authHeader: " + "; ".join(problems))
                auth = {etree.QName(c).localname: (c.text or "") for c in el if isinstance(c.tag, str)}
                auth_ns = hq.namespace
                break
        return SoapRequest(operation=operation, ns=ns, body=param, auth=auth, auth_ns=auth_ns)


def _renamed(element: etree._Element, old: str, new: str) -> etree._Element:
    """A copy of ``element`` with every tag in namespace ``old`` moved to ``new``."""
    copy = etree.fromstring(etree.tostring(element))
    old_p, new_p = "{" + old + "}", "{" + new + "}"
    for el in copy.iter():
        if isinstance(el.tag, str) and el.tag.startswith(old_p):
            el.tag = new_p + el.tag[len(old_p):]
    return copy


def canonical(element: etree._Element, ns: str) -> etree._Element:
    """A standalone copy of a request element in the 2014-04-03 namespace (how the sandbox stores it)."""
    if ns == NS:
        copy = etree.fromstring(etree.tostring(element))
    else:
        copy = _renamed(element, ns, NS)
    etree.cleanup_namespaces(copy, top_nsmap={None: NS})
    return copy


def to_data(element: etree._Element):
    """An element as nested dicts: leaves are text, ``items`` children are lists, repeats become lists."""
    children = [c for c in element if isinstance(c.tag, str)]
    if not children:
        return element.text or ""
    out: dict = {}
    for child in children:
        name = etree.QName(child).localname
        value = to_data(child)
        if name == "items":
            out.setdefault("items", []).append(value)
        elif name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(value)
        else:
            out[name] = value
    return out
