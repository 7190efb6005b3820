"""Adobe's published WSDLs (../shared/reference), loaded as lxml schemas for conformance checks.

Tests only: the reference files are read in place, never copied into the project.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from lxml import etree

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"
XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
V14 = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
UNVERSIONED = "http://www.scene7.com/IpsApi/xsd"

_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def reference_path(version: str = "2014-04-03") -> Path:
    return REFERENCE_DIR / f"IpsApi-{version}.wsdl"


def wsdl_schemas(path: Path) -> dict[str, etree._Element]:
    """The <xsd:schema> elements inside a WSDL, by target namespace (inherited xmlns kept)."""
    root = etree.parse(str(path), _SAFE).getroot()
    out = {}
    for schema in root.iterfind(f"{{{WSDL}}}types/{{{XSD}}}schema"):
        # Re-serialise standalone: copy the WSDL's namespace declarations onto the schema.
        nsmap = dict(root.nsmap)
        nsmap.update(schema.nsmap)
        clone = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap={k: v for k, v in nsmap.items()})
        clone.extend([etree.fromstring(etree.tostring(child)) for child in schema])
        out[schema.get("targetNamespace")] = clone
    return out


@functools.lru_cache(maxsize=4)
def schema_for(path: Path) -> etree.XMLSchema:
    """One XMLSchema validating elements of every schema in the WSDL (imports wired to temp files)."""
    schemas = wsdl_schemas(path)
    tmp = Path(tempfile.mkdtemp(prefix="ipsschema-"))
    files = {}
    for i, ns in enumerate(schemas):
        files[ns] = tmp / f"s{i}.xsd"
    for ns, schema in schemas.items():
        for imp in schema.findall(f"{{{XSD}}}import"):
            schema.remove(imp)
        for other in schemas:
            if other != ns:
                imp = etree.Element(f"{{{XSD}}}import", namespace=other, schemaLocation=files[other].name)
                schema.insert(0, imp)
        files[ns].write_bytes(etree.tostring(schema))
    main = tmp / "all.xsd"
    imports = "".join(
        f'<xsd:import namespace="{ns}" schemaLocation="{f.name}"/>' for ns, f in files.items()
    )
    main.write_text(
        f'<xsd:schema xmlns:xsd="{XSD}" targetNamespace="urn:ips-tui:all">{imports}</xsd:schema>'
    )
    return etree.XMLSchema(etree.parse(str(main), _SAFE))


def validate_envelope(envelope: bytes | etree._Element, version: str = "2014-04-03") -> list[str]:
    """Validate every header and body child of a SOAP envelope; returns the problems (empty = valid)."""
    root = etree.fromstring(envelope, _SAFE) if isinstance(envelope, bytes) else envelope
    assert root.tag == f"{{{SOAP_ENV}}}Envelope", root.tag
    schema = schema_for(reference_path(version))
    problems = []
    parts = root.findall(f"{{{SOAP_ENV}}}Header/*") + root.findall(f"{{{SOAP_ENV}}}Body/*")
    assert parts, "empty envelope"
    for part in parts:
        doc = etree.ElementTree(etree.fromstring(etree.tostring(part)))
        if not schema.validate(doc):
            problems += [f"{etree.QName(part).localname}: {e.message}" for e in schema.error_log]
    return problems
