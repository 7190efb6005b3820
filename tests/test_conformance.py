"""Every envelope we can send validates against Adobe's published 2014 schema."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import etree

from ips_tui.ips.catalog import catalog
from ips_tui.ips.client import IpsClient
from ips_tui.ips.schema import NS, OUR_WSDL, XSD, wsdl_schemas
from ips_tui.job.request import JobRequest
from jobgen import request_data, variants
from schemas import reference_path, reference_problems

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
NOW = datetime(2026, 11, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def client():
    c = IpsClient("https://127.0.0.1:9/scene7/services/IpsApiService", "ops@example.com", "s3cret-pw")
    yield c
    c.close()


def envelope_for(client, data: dict) -> bytes:
    return client.build_envelope("submitJob", JobRequest(data).to_payload(now=NOW))


CASES = [(el, True, v) for el in catalog().jobs for v in range(variants(el))] + [(el, False, 0) for el in catalog().jobs]


@pytest.mark.parametrize("element,maximal,variant", CASES, ids=[f"{e}-{'max' if m else 'min'}{v}" for e, m, v in CASES])
def test_every_job_type_validates_against_reference(client, element, maximal, variant):
    data = request_data(element, maximal=maximal, variant=variant)
    env = envelope_for(client, data)
    assert reference_problems(env) == []
    body = etree.fromstring(env).find(".//{%s}submitJobParam" % NS)
    assert body.find("{%s}%s" % (NS, element)) is not None
    if maximal:  # every field we filled is in the envelope, so nothing was silently dropped
        sent = {etree.QName(e).localname for e in body.iter()}
        for f in catalog().job(element).fields:
            if f.name in data[element]:
                assert f.name in sent


def test_the_docs_example_validates(client):
    req = JobRequest.from_toml(EXAMPLES / "seed-example.toml")
    env = client.build_envelope("submitJob", req.to_payload())
    assert reference_problems(env) == []
    root = etree.fromstring(env)
    header = root.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
    assert header is not None and len(header) == 1
    assert "s3cret-pw" not in env.decode()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_example_job_files_validate(client, path):
    env = client.build_envelope("submitJob", JobRequest.from_toml(path).to_payload(now=NOW))
    assert reference_problems(env) == []


def test_a_wrong_envelope_is_caught_by_the_reference(client):
    """The check itself can fail: swap two elements and the reference schema objects."""
    env = envelope_for(client, request_data("exportJob", maximal=False))
    root = etree.fromstring(env)
    job = root.find(".//{%s}exportJob" % NS)
    first = job[0]
    job.remove(first)
    job.append(first)
    assert reference_problems(etree.tostring(root))


def _shape(schema, ns_name):
    out = {}
    for ct in schema.iterfind(f"{{{XSD}}}complexType"):
        out[ct.get("name")] = [(e.get("name"), e.get("type"), e.get("minOccurs", "1")) for e in ct.iter(f"{{{XSD}}}element")]
    for el in schema.iterfind(f"{{{XSD}}}element"):
        out["element " + el.get("name")] = [(e.get("name"), e.get("type"), e.get("minOccurs", "1"))
                                            for e in el.iter(f"{{{XSD}}}element") if e is not el]
    return out


def test_our_wsdl_types_match_the_reference():
    """Every type and element of our WSDL has the reference's names, order, types and required-ness."""
    ours = _shape(wsdl_schemas(OUR_WSDL)[NS], NS)
    ref = _shape(wsdl_schemas(reference_path())[NS], NS)
    choice_members = {e for e, _ in [(j, 0) for j in catalog().jobs]} | {"uploadPostJob"}
    for name, fields in ours.items():
        assert name in ref, f"{name} is not in Adobe's schema"
        theirs = ref[name]
        if name in ("ActiveJob", "ScheduledJob"):  # our choice lists its members without minOccurs
            fields = [(n, t, "0" if n in choice_members else m) for n, t, m in fields]
        assert fields == theirs, name


def _sent_closure(schema, roots):
    """Names (as in ``_shape``) of the request elements ``roots`` and every type of ours reachable from them."""
    types = {ct.get("name"): ct for ct in schema.iterfind(f"{{{XSD}}}complexType")}
    seen, todo = set(), [("element " + r, schema.find(f"{{{XSD}}}element[@name='{r}']")) for r in roots]
    while todo:
        name, node = todo.pop()
        if name in seen or node is None:
            continue
        seen.add(name)
        for e in node.iter(f"{{{XSD}}}element", f"{{{XSD}}}extension"):
            ref = e.get("type") or e.get("base") or ""
            prefix, _, local = ref.rpartition(":")
            if e.nsmap.get(prefix or None) == NS and local in types:
                todo.append((local, types[local]))
    return seen


def test_the_reference_types_for_what_we_send_are_all_in_ours():
    """The other direction: every type Adobe's schema uses in a request we send (each ``…Param`` element of
    ours, followed through its element and base types) is in our WSDL with the same shape, so no field of
    what we send is missing from our catalogue."""
    our_schema = wsdl_schemas(OUR_WSDL)[NS]
    ref_schema = wsdl_schemas(reference_path())[NS]
    sent = [e.get("name") for e in our_schema.iterfind(f"{{{XSD}}}element") if e.get("name").endswith("Param")]
    assert "submitJobParam" in sent and len(sent) >= 10
    needed = _sent_closure(ref_schema, sent)
    assert {"element submitJobParam", "ExportJob", "UploadUrlsJob", "UploadUrl"} <= needed
    assert not _not_like_ours(our_schema, ref_schema, needed)


def _not_like_ours(our_schema, ref_schema, needed) -> list[str]:
    ours, ref = _shape(our_schema, NS), _shape(ref_schema, NS)
    return sorted(f"{n} missing" if n not in ours else f"{n} differs" for n in needed if ours.get(n) != ref[n])


def test_the_reverse_shape_check_can_fail():
    """A type of Adobe's that we send, taken out of (a copy of) our schema, is reported."""
    import copy

    our_schema = copy.deepcopy(wsdl_schemas(OUR_WSDL)[NS])
    ref_schema = wsdl_schemas(reference_path())[NS]
    needed = _sent_closure(ref_schema, ["submitJobParam"])
    gone = our_schema.find(f"{{{XSD}}}complexType[@name='ThumbnailOptions']")
    gone.getparent().remove(gone)
    assert _not_like_ours(our_schema, ref_schema, needed) == ["ThumbnailOptions missing"]


# The lookups of ips/lookup.py (fact sheet §4.5), every field filled: our WSDL builds them the way Adobe's reads them.
_ACCESS = {"companyHandle": "c|101", "accessUserHandle": "3261|demo@sandbox.ips", "accessGroupHandle": "g|1"}
_FILTERS = {"responseFieldArray": {"items": ["assetArray/items/name"]}, "excludeFieldArray": {"items": ["x"]}}
_DT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
LOOKUP_REQUESTS = {
    "searchAssets": {**_ACCESS, "folder": "AcmeRetail/spring/", "includeSubfolders": True,
                     "publishState": "MarkedForPublish", "trashState": "NotInTrash", "conditionMatchMode": "MatchAll",
                     "keywordArray": {"items": ["k"]}, "systemFieldMatchMode": "MatchAny",
                     "systemFieldConditionArray": {"items": [
                         {"field": "Name", "op": "StartsWith", "value": "10"},
                         {"field": "FileSize", "op": "Between", "boolVal": True, "longVal": 1, "minLong": 1,
                          "maxLong": 9, "doubleVal": 1.5, "minDouble": 1.0, "maxDouble": 2.0, "dateVal": _DT,
                          "minDate": _DT, "maxDate": _DT}]},
                     "tagMatchMode": "MatchAll",
                     "tagConditionArray": {"items": [{"fieldHandle": "m|1", "op": "MatchesAny", "value": "v",
                                                      "valueArray": {"items": ["a", "b"]}}]},
                     "metadataMatchMode": "MatchAny",
                     "metadataConditionArray": {"items": [{"fieldHandle": "m|2", "op": "Equals", "caseSensitive": False,
                                                           "value": "v", "values": {"items": ["v"]}, "longVal": 3}]},
                     "assetTypeArray": {"items": ["Image"]}, "excludeAssetTypeArray": {"items": ["Pdf"]},
                     "assetSubTypeArray": {"items": ["x"]}, "strictSubTypeCheck": True, "excludeByproducts": True,
                     "excludeByproductArray": {"items": [{"engine": "PostScriptRip", "generatedAssetType": "Image"}]},
                     "projectHandle": "p|101|1", "recordsPerPage": 50, "resultsPage": 2, "sortBy": "Name",
                     "sortDirection": "Descending", **_FILTERS},
    "getAssetsByName": {**_ACCESS, "nameArray": {"items": ["1001"]}, "assetTypeArray": {"items": ["Image"]},
                        "excludeAssetTypeArray": {"items": ["Pdf"]}, "assetSubTypeArray": {"items": ["x"]},
                        "strictSubTypeCheck": False, **_FILTERS},
    "getAssets": {**_ACCESS, "assetHandleArray": {"items": ["a|101|1001"]}, **_FILTERS},
    "getFolderTree": {**_ACCESS, "folderPath": "AcmeRetail/", "depth": 1, "assetTypeArray": {"items": ["Image"]},
                      **_FILTERS},
    "getFolders": {**_ACCESS, "folderPath": "AcmeRetail/", "assetTypeArray": {"items": ["Image"]}, **_FILTERS},
    "getProjects": {"companyHandle": "c|101"},
    "getCompanyMembers": {"companyHandle": "c|101", "includeInvalid": False, "includeInactive": True},
    "getUserInfo": {"userHandle": "3261|demo@sandbox.ips", "email": "demo@sandbox.ips"},
    "getPublishContexts": {"companyHandle": "c|101", "contextType": "ImageServing"},
}


@pytest.mark.parametrize("operation", sorted(LOOKUP_REQUESTS))
def test_every_lookup_request_validates_against_reference(client, operation):
    env = client.build_envelope(operation, LOOKUP_REQUESTS[operation])
    assert reference_problems(env) == []
    body = etree.fromstring(env).find(".//{%s}%sParam" % (NS, operation))
    sent = {etree.QName(e).localname for e in body.iter()}
    assert set(LOOKUP_REQUESTS[operation]) <= sent  # nothing filled in was dropped
