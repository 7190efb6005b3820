"""The 13 job types of submitJob and their fields: one declaration for validation, job files and the form.

Names, order, types, required-ness, arrays and nested option types are read once from our WSDL
(lxml only: no zeep import, so the first screen never waits for it); the human parts (allowed
values, ranges, labels, help, exclusions) come from ``catalog_text``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from lxml import etree

from ips_tui.i18n import _
from ips_tui.ips import catalog_text as text
from ips_tui.ips.schema import NS, OUR_WSDL, WSDL, XSD, safe_parser

SCALARS = {"string": "string", "boolean": "boolean", "int": "int", "long": "int", "double": "double", "dateTime": "datetime"}
ARRAY_TYPES = {"HandleArray": "handles", "StringArray": "handles", "UploadUrlArray": "urls"}
COMMON_FIELD_NAMES = ("companyHandle", "userHandle", "jobName", "locale", "execTime", "execSchedule", "description")


@dataclass(frozen=True)
class Field:
    name: str
    owner: str  # the complex type that declares it
    xsd_type: str  # local name: string, boolean, int, ..., or a complex type
    required: bool
    kind: str  # string | boolean | int | double | datetime | enum | handles | urls | group
    choices: tuple[str, ...] = ()
    fields: tuple["Field", ...] = ()  # for group; for urls, the fields of one item
    bounds: tuple[float | None, float | None] | None = None
    max_items: int | None = None
    exclusive: str | None = None  # the exclusion group it belongs to

    @property
    def key(self) -> str:
        return f"{self.owner}.{self.name}"

    @property
    def label(self) -> str:
        return _(text.FIELD_TEXT.get(self.name, (self.name, ""))[0])

    @property
    def help(self) -> str:
        return _(text.FIELD_TEXT.get(self.name, ("", ""))[1])

    @property
    def reference(self) -> str | None:
        """What a reference in this handle field names (asset, pdf, icc, project, context, user, folder)."""
        return text.REFERENCES.get(self.name)

    def child(self, name: str) -> "Field | None":
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class JobType:
    element: str
    type_name: str
    fields: tuple[Field, ...]
    exclusions: tuple[tuple[str, tuple[str, ...]], ...] = field(default=())

    @property
    def label(self) -> str:
        return _(text.JOB_TEXT[self.element][0])

    @property
    def description(self) -> str:
        return _(text.JOB_TEXT[self.element][1])

    @property
    def replaced_by(self) -> str | None:
        return text.DEPRECATED_JOBS.get(self.element)

    def child(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True)
class Catalog:
    common: tuple[Field, ...]
    jobs: dict[str, JobType]  # element name -> JobType, in schema order

    def job(self, element: str) -> JobType:
        return self.jobs[element]

    def common_field(self, name: str) -> Field | None:
        return next((f for f in self.common if f.name == name), None)


def _local(qname: str) -> str:
    return qname.split(":", 1)[-1]


class _Reader:
    def __init__(self, schema: etree._Element):
        self.types = {ct.get("name"): ct for ct in schema.iterfind(f"{{{XSD}}}complexType")}
        self.elements = {el.get("name"): el for el in schema.iterfind(f"{{{XSD}}}element")}

    def sequence(self, ct: etree._Element) -> list[etree._Element]:
        seq = ct.find(f"{{{XSD}}}sequence")
        return [] if seq is None else seq.findall(f"{{{XSD}}}element")

    def field(self, el: etree._Element, owner: str, path: str = "") -> Field:
        name, typ = el.get("name"), _local(el.get("type"))
        key, path = f"{owner}.{name}", f"{path}.{name}" if path else name
        required = el.get("minOccurs", "1") != "0" or key in text.REQUIRED_IN_PRACTICE or path in text.REQUIRED_IN_PRACTICE
        bounds = text.RANGES.get(key) or text.RANGES.get(name)
        exclusive = next((g for g, members in text.EXCLUSIVE_GROUPS.items() if name in members), None)
        if typ in SCALARS:
            choices = text.ENUMS.get(key) or (text.ENUMS.get(name) if typ == "string" else None) or ()
            kind = "enum" if choices else SCALARS[typ]
            return Field(name, owner, typ, required, kind, tuple(choices), bounds=bounds, exclusive=exclusive)
        if typ in ARRAY_TYPES:
            kind = ARRAY_TYPES[typ]
            item_fields = ()
            if kind == "urls":
                item_fields = tuple(self.field(e, "UploadUrl", path) for e in self.sequence(self.types["UploadUrl"]))
            return Field(name, owner, typ, required, kind, fields=item_fields,
                         max_items=text.MAX_ITEMS.get(key), exclusive=exclusive)
        children = tuple(self.field(e, typ, path) for e in self.sequence(self.types[typ]))
        return Field(name, owner, typ, required, "group", fields=children, exclusive=exclusive)


@functools.cache
def catalog() -> Catalog:
    """The catalogue, built once per process (a few milliseconds)."""
    root = etree.parse(str(OUR_WSDL), safe_parser()).getroot()
    schema = next(s for s in root.iterfind(f"{{{WSDL}}}types/{{{XSD}}}schema") if s.get("targetNamespace") == NS)
    reader = _Reader(schema)
    param = reader.elements["submitJobParam"].find(f"{{{XSD}}}complexType")
    common, jobs = [], {}
    for el in reader.sequence(param):
        f = reader.field(el, "submitJobParam")
        if f.name in COMMON_FIELD_NAMES:
            common.append(f)
            continue
        names = {c.name for c in f.fields}
        exclusions = tuple((g, m) for g, m in text.EXCLUSIVE_GROUPS.items() if set(m) <= names)
        jobs[f.name] = JobType(f.name, f.xsd_type, f.fields, exclusions)
    return Catalog(tuple(common), jobs)
