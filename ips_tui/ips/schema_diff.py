"""Where the service's WSDL differs from ours, for the operations and job types we send.

``ips-tui profiles test --schema`` fetches ``…/scene7/webservice/IpsApi-2014-04-03.wsdl`` from the service
(with the safe parser and a size cap) and :func:`compare` walks, from each ``<operation>Param`` element we
send, every field and the types under it (job types, option types, arrays) in both documents. It reports:

* ``required``: a field the service requires that we treat as optional, or do not know;
* ``gone``: a field we may send that the service no longer has;
* ``added``: a new optional field (for information);
* ``type``: a field whose type changed;
* ``enum-added`` / ``enum-gone``: a value the service allows that our catalogue does not, or the other way.

Our allowed values come from our WSDL's enumerations, else from the job catalogue (ours are mostly plain
``xsd:string`` in the WSDL, with the documented values in :mod:`ips_tui.ips.catalog_text`).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from ips_tui.ips.schema import NS, WSDL, XSD, safe_parser

#: the most a service's WSDL may weigh (Adobe's 2014 one is about 0.5 MiB)
MAX_WSDL = 8 * 1024 * 1024
WSDL_PATH = "/scene7/webservice/IpsApi-2014-04-03.wsdl"


@dataclass(frozen=True)
class FieldDef:
    name: str
    type: str  # local name of the type (xsd:string -> "string"), or "" for an inline type
    required: bool
    inline: etree._Element | None = None  # an anonymous complexType


@dataclass(frozen=True)
class Difference:
    kind: str  # required | gone | added | type | enum-added | enum-gone
    path: str  # submitJobParam/imageServingPublishJob/publishType
    detail: str = ""

    def to_dict(self) -> dict:
        return {"kind": self.kind, "path": self.path, "detail": self.detail}


class Model:
    """The elements, complex types and enumerations of a WSDL's 2014-04-03 schema."""

    def __init__(self, root: etree._Element):
        self.elements: dict[str, etree._Element] = {}
        self.types: dict[str, etree._Element] = {}
        self.enums: dict[str, tuple[str, ...]] = {}
        for schema in root.iterfind(f"{{{WSDL}}}types/{{{XSD}}}schema"):
            if schema.get("targetNamespace") != NS:
                continue
            for child in schema:
                name = child.get("name")
                if child.tag == f"{{{XSD}}}element" and name:
                    self.elements[name] = child
                elif child.tag == f"{{{XSD}}}complexType" and name:
                    self.types[name] = child
                elif child.tag == f"{{{XSD}}}simpleType" and name:
                    values = tuple(e.get("value") for e in child.iter(f"{{{XSD}}}enumeration"))
                    if values:
                        self.enums[name] = values

    def fields(self, complex_type: etree._Element) -> dict[str, FieldDef]:
        """The named elements of a complex type, in order (a choice's members are optional; an extension
        brings its base type's fields first)."""
        out: dict[str, FieldDef] = {}
        for ext in complex_type.iter(f"{{{XSD}}}extension"):
            base = self.types.get(_local(ext.get("base", "")))
            if base is not None and base is not complex_type:
                out.update(self.fields(base))
        for el in complex_type.iter(f"{{{XSD}}}element"):
            name = el.get("name") or _local(el.get("ref", ""))
            if not name or _inside_inline(el, complex_type):
                continue
            in_choice = any(a.tag == f"{{{XSD}}}choice" for a in el.iterancestors() if _below(a, complex_type))
            required = int(el.get("minOccurs", "1")) >= 1 and not in_choice
            inline = el.find(f"{{{XSD}}}complexType")
            out[name] = FieldDef(name, _local(el.get("type", "")), required, inline)
        return out

    def type_of(self, field: FieldDef) -> etree._Element | None:
        return field.inline if field.inline is not None else self.types.get(field.type)


def _local(qname: str) -> str:
    return qname.rpartition(":")[2]


def _below(ancestor, top) -> bool:
    """Whether ``ancestor`` lies between an element and ``top`` (not above ``top``)."""
    return ancestor is not top and top in ancestor.iterancestors()


def _inside_inline(el, top) -> bool:
    """An element of a nested anonymous complexType (listed by that type, not by ``top``)."""
    for a in el.iterancestors():
        if a is top:
            return False
        if a.tag == f"{{{XSD}}}complexType":
            return True
    return False


def parse_wsdl(data: bytes) -> Model:
    """A WSDL document read with the safe parser (no DTD, no entities, no network); ValueError if it is not."""
    if len(data) > MAX_WSDL:
        raise ValueError(f"larger than {MAX_WSDL // (1024 * 1024)} MiB")
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        raise ValueError(f"not XML: {exc}") from None
    if root.getroottree().docinfo.doctype:
        raise ValueError("it carries a DTD")
    if root.tag != f"{{{WSDL}}}definitions":
        raise ValueError(f"not a WSDL (<{etree.QName(root).localname}>)")
    return Model(root)


def our_model() -> Model:
    from ips_tui.ips.schema import OUR_WSDL

    return Model(etree.parse(str(OUR_WSDL), safe_parser()).getroot())


def our_choices() -> dict[tuple[str, str], tuple[str, ...]]:
    """(complex type, field) -> the values our job catalogue allows."""
    from ips_tui.ips.catalog import catalog

    out: dict[tuple[str, str], tuple[str, ...]] = {}

    def walk(fields) -> None:
        for f in fields:
            if f.choices:
                out[(f.owner, f.name)] = tuple(f.choices)
            if f.fields:
                walk(f.fields)

    cat = catalog()
    walk(cat.common)
    for job in cat.jobs.values():
        walk(job.fields)
    return out


def compare(theirs: Model, operations, ours: Model | None = None,
            choices: dict[tuple[str, str], tuple[str, ...]] | None = None) -> list[Difference]:
    """The differences that matter to what we send, for ``operations`` (names such as ``submitJob``)."""
    ours = ours or our_model()
    choices = our_choices() if choices is None else choices
    found: list[Difference] = []
    seen: set[tuple[str, str]] = set()

    def enum_values(model: Model, owner: str, field: FieldDef, mine: bool) -> tuple[str, ...] | None:
        values = model.enums.get(field.type)
        if values is None and mine:
            values = choices.get((owner, field.name))
        return values

    def walk(path: str, our_type, their_type, owner: str) -> None:
        key = (our_type.get("name") or path, their_type.get("name") or path)
        if key in seen:
            return
        seen.add(key)
        mine, yours = ours.fields(our_type), theirs.fields(their_type)
        for name, field in mine.items():
            where = f"{path}/{name}"
            other = yours.get(name)
            if other is None:
                found.append(Difference("gone", where, "we may send it; the service does not know it"))
                continue
            if other.required and not field.required:
                found.append(Difference("required", where, "required by the service, optional here"))
            restricted = other.type in theirs.enums or field.type in ours.enums  # a string limited to values
            if field.type != other.type and not restricted and (field.inline is None or other.inline is None):
                found.append(Difference("type", where, f"{field.type or 'inline'} here, "
                                                       f"{other.type or 'inline'} there"))
            here_values = enum_values(ours, owner, field, True)
            there_values = enum_values(theirs, owner, other, False)
            if there_values is not None:
                for value in there_values:
                    if here_values is not None and value not in here_values:
                        found.append(Difference("enum-added", where, value))
                for value in here_values or ():
                    if value not in there_values:
                        found.append(Difference("enum-gone", where, value))
            sub_ours, sub_theirs = ours.type_of(field), theirs.type_of(other)
            if sub_ours is not None and sub_theirs is not None:
                walk(where, sub_ours, sub_theirs, field.type or owner)
        for name, other in yours.items():
            if name not in mine:
                kind = "required" if other.required else "added"
                detail = "a new required field" if other.required else "a new optional field"
                found.append(Difference(kind, f"{path}/{name}", detail))

    for operation in operations:
        element = f"{operation}Param"
        mine, yours = ours.elements.get(element), theirs.elements.get(element)
        if mine is None:
            continue
        if yours is None:
            found.append(Difference("gone", element, "the service has no such operation"))
            continue
        our_type = mine.find(f"{{{XSD}}}complexType")
        their_type = yours.find(f"{{{XSD}}}complexType")
        if our_type is None:
            our_type = ours.types.get(_local(mine.get("type", "")))
        if their_type is None:
            their_type = theirs.types.get(_local(yours.get("type", "")))
        if our_type is not None and their_type is not None:
            walk(element, our_type, their_type, element)
    return found


def wsdl_url(service_url: str) -> str:
    """The WSDL's address on the service's host (``…/scene7/services/IpsApiService`` -> ``…/scene7/webservice/
    IpsApi-2014-04-03.wsdl``)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(service_url)
    path = parts.path
    marker = "/scene7/services/"
    prefix = path[: path.index(marker)] if marker in path else ""
    return urlunsplit((parts.scheme, parts.netloc, prefix + WSDL_PATH, "", ""))


def fetch(url: str, *, timeout: float, verify, max_bytes: int = MAX_WSDL) -> bytes:
    """GET the WSDL within one deadline and a size cap; IpsError (exit 4 for the network) otherwise."""
    import requests

    from ips_tui.i18n import _
    from ips_tui.ips.deadline import DeadlineAdapter, Watch
    from ips_tui.ips.faults import IpsError, MalformedReply, RequestTimeout
    from ips_tui.ips.net_errors import network_error
    from ips_tui.ips.replies import http_error
    from ips_tui.ips.urls import host_of, secs

    session = requests.Session()
    session.mount("http://", DeadlineAdapter())
    session.mount("https://", DeadlineAdapter())
    error = data = too_big = None
    with Watch(timeout) as watch:
        try:
            with session.get(url, timeout=(min(10.0, timeout), timeout), verify=verify, stream=True,
                             allow_redirects=False) as response:
                if response.status_code != 200:
                    error = http_error(response.status_code, host_of(url), response.headers.get("Content-Type"))
                else:
                    chunks, total = [], 0
                    for chunk in response.iter_content(64 * 1024):
                        total += len(chunk)
                        if total > max_bytes:
                            error = too_big = MalformedReply(
                                _("The WSDL at {url} is larger than {size} MiB; it was not read to its end.").format(
                                    url=url, size=max_bytes // (1024 * 1024)), host=host_of(url))
                            break
                        chunks.append(chunk)
                    data = b"".join(chunks)
        except IpsError as exc:
            error = exc
        except Exception as exc:
            error = network_error(exc, url, timeout, min(10.0, timeout), verify)
    session.close()
    if watch.fired and error is not too_big and not isinstance(error, RequestTimeout):
        error = RequestTimeout(_("{host} did not send its WSDL within {seconds} s.").format(
            host=host_of(url), seconds=secs(timeout)), host=host_of(url))
    if error is not None:
        raise error.with_traceback(None)
    return data
