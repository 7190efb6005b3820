"""The XML Schemas inside a WSDL, as one lxml ``XMLSchema`` (used by the sandbox and the tests).

Parsing refuses DTDs, entities and network access, here and everywhere we read XML.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from lxml import etree

XSD = "http://www.w3.org/2001/XMLSchema"
WSDL = "http://schemas.xmlsoap.org/wsdl/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "http://www.scene7.com/IpsApi/xsd/2014-04-03"
NS_UNVERSIONED = "http://www.scene7.com/IpsApi/xsd"
OUR_WSDL = Path(__file__).with_name("wsdl") / "IpsApi-2014-04-03.wsdl"


def safe_parser(**kw) -> etree.XMLParser:
    """An lxml parser that never loads a DTD, resolves an entity or touches the network."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, **kw
    )


def wsdl_schemas(path: Path) -> dict[str, etree._Element]:
    """The <xsd:schema> elements of a WSDL by target namespace, each standalone (WSDL xmlns copied in)."""
    root = etree.parse(str(path), safe_parser(huge_tree=True)).getroot()
    out = {}
    for schema in root.iterfind(f"{{{WSDL}}}types/{{{XSD}}}schema"):
        nsmap = {**root.nsmap, **schema.nsmap}
        clone = etree.Element(schema.tag, attrib=dict(schema.attrib), nsmap=nsmap)
        clone.extend(etree.fromstring(etree.tostring(child)) for child in schema)
        out[schema.get("targetNamespace")] = clone
    return out


def load_wsdl_schema(path: Path = OUR_WSDL) -> etree.XMLSchema:
    """One XMLSchema that validates the elements of every schema in the WSDL."""
    schemas = wsdl_schemas(path)
    with tempfile.TemporaryDirectory(prefix="ips-schema-") as tmp:
        files = {ns: Path(tmp) / f"s{i}.xsd" for i, ns in enumerate(schemas)}
        for ns, schema in schemas.items():
            for imp in schema.findall(f"{{{XSD}}}import"):
                schema.remove(imp)
            for other, file in files.items():
                if other != ns:
                    schema.insert(0, etree.Element(f"{{{XSD}}}import", namespace=other, schemaLocation=file.name))
            files[ns].write_bytes(etree.tostring(schema))
        imports = "".join(f'<xsd:import namespace="{ns}" schemaLocation="{f.name}"/>' for ns, f in files.items())
        main = Path(tmp) / "all.xsd"
        main.write_text(f'<xsd:schema xmlns:xsd="{XSD}" targetNamespace="urn:ips-tui:all">{imports}</xsd:schema>')
        return etree.XMLSchema(etree.parse(str(main), safe_parser()))


def envelope_problems(envelope: bytes | etree._Element, schema: etree.XMLSchema) -> list[str]:
    """Validate each SOAP Header and Body child against ``schema``; the problems found (empty = valid)."""
    root = etree.fromstring(envelope, safe_parser()) if isinstance(envelope, bytes) else envelope
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        return [f"not a SOAP 1.1 envelope: {root.tag}"]
    parts = root.findall(f"{{{SOAP_ENV}}}Header/*") + root.findall(f"{{{SOAP_ENV}}}Body/*")
    if not root.findall(f"{{{SOAP_ENV}}}Body/*"):
        return ["the SOAP Body is empty"]
    problems = []
    for part in parts:
        if not schema.validate(etree.ElementTree(etree.fromstring(etree.tostring(part)))):
            name = etree.QName(part).localname
            problems += [f"{name}: line {e.line}: {e.message}" for e in schema.error_log]
    return problems
