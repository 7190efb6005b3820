"""References → handles: reading reference tables (pure) and resolving them through the sandbox."""

from __future__ import annotations

import re

import pytest

from ips_tui.ips.client import IpsClient
from ips_tui.ips.lookup import Lookup
from ips_tui.job.request import InvalidRequest, JobRequest
from ips_tui.resolve import refs
from ips_tui.resolve.refs import UnresolvedReferences
from ips_tui.resolve.resolver import ResolveFailed, Resolver
from ips_tui.resolve.session import NameSession
from schemas import every_request_matches_adobes_schema, reference_problems  # noqa: F401 (an autouse fixture)

ACME = "c|101"


def export(*items, **extra) -> dict:
    return {"companyHandle": ACME, "jobName": "by-name", **extra,
            "exportJob": {"fmt": "orig", "emailSetting": "None", "assetHandleArray": list(items)}}


# --- reading references (no IO) ------------------------------------------------------------------


def test_handle_fields_come_from_the_catalogue():
    from ips_tui.ips.catalog import catalog

    cat = catalog()
    assert cat.job("exportJob").child("assetHandleArray").reference == "asset"
    assert cat.job("ripPdfsJob").child("pdfHandleArray").reference == "pdf"
    assert cat.common_field("userHandle").reference == "user"
    cm = cat.job("reprocessAssetsJob").child("colorManagementOptions")
    assert cm.child("sourceProfileHandle").reference == cm.child("outputProfileHandle").reference == "icc"
    assert cat.job("uploadDirectoryJob").child("destFolder").reference == "folder"
    assert cat.job("exportJob").child("fmt").reference is None


def test_reference_tables_validate_and_mixed_arrays_are_allowed():
    req = JobRequest(export("a|101|1001", {"path": "spring/1001.jpg"}, {"name": "1080"},
                            {"search": "spring/", "type": "Image", "name_starts_with": "10"},
                            userHandle={"email": "solo@sandbox.ips"}))
    assert req.validate() == []
    found, problems = refs.find(req.data)
    assert problems == []
    assert [r.path for r in found] == ["userHandle", "exportJob.assetHandleArray[1]",
                                       "exportJob.assetHandleArray[2]", "exportJob.assetHandleArray[3]"]
    search = found[-1]
    assert search.how == "search" and search.query.types == ("Image",)
    assert search.query.conditions[0].op == "StartsWith"


@pytest.mark.parametrize("item,where,words", [
    ({"nam": "x"}, "[0].nam", "not a key"),
    ({"path": "a", "name": "b"}, "[0]", "exactly one"),
    ({"name": ""}, "[0].name", "non-empty"),
    ({"search": "spring/", "limit": 0}, "[0].limit", "1 or more"),
    ({"name_starts_with": "10"}, "[0]", "search ="),
])
def test_malformed_references_are_named(item, where, words):
    problems = JobRequest(export(item)).validate()
    assert any(p.path == f"exportJob.assetHandleArray{where}" and words in p.message for p in problems), problems


def test_a_pdf_field_takes_only_pdf_searches():
    data = {"companyHandle": ACME, "jobName": "x",
            "ripPdfsJob": {"createMask": False, "emailSetting": "None",
                           "pdfHandleArray": [{"search": "print/", "type": "Image"}]}}
    problems = JobRequest(data).validate()
    assert [p.path for p in problems] == ["ripPdfsJob.pdfHandleArray[0].type"]


def test_a_user_reference_needs_an_email():
    problems = JobRequest(export("a|1", userHandle={"email": "nobody"})).validate()
    assert [p.path for p in problems] == ["userHandle.email"]


def test_payload_refuses_unresolved_references_naming_each():
    req = JobRequest(export("a|101|1001", {"path": "spring/1001.jpg"}))
    with pytest.raises(UnresolvedReferences) as error:
        req.to_payload()
    assert isinstance(error.value, InvalidRequest)
    assert [p.path for p in error.value.problems] == ["exportJob.assetHandleArray[1]"]


def test_substitute_expands_and_keeps_order_without_repeats():
    data = export("a|1", {"path": "p"}, "a|2", {"search": ""}, userHandle={"email": "u@x.y"})
    found, _ = refs.find(data)
    out = refs.substitute(data, {found[0].location: ["u|1"], found[1].location: ["a|3"],
                                 found[2].location: ["a|2", "a|4", "a|3"]})
    assert out["exportJob"]["assetHandleArray"] == ["a|1", "a|3", "a|2", "a|4"]
    assert out["userHandle"] == "u|1"
    assert isinstance(data["userHandle"], dict)  # the request as written is untouched


# --- resolving through the sandbox ---------------------------------------------------------------


@pytest.fixture
def session(sandbox):
    client = IpsClient(sandbox.url, sandbox.user, sandbox.password, timeout=20)
    yield NameSession(Lookup(client), ACME)
    client.close()


def resolve(session, data):
    return Resolver(session).resolve(data)


def test_paths_names_and_searches_become_handles(session):
    out = resolve(session, export("a|101|1001", {"path": "spring/1001.jpg"}, {"name": "1080"},
                                  {"search": "spring/", "type": "Image", "name_starts_with": "10"},
                                  userHandle={"email": "solo@sandbox.ips"}))
    handles = out.data["exportJob"]["assetHandleArray"]
    assert handles[:3] == ["a|101|1001", "a|101|20002", "a|101|20081"]
    assert len(handles) == 1 + 99  # 1001 and 1080 are in the search too: not repeated
    assert out.data["userHandle"].endswith("|solo@sandbox.ips")
    assert [s.path for s in out.steps][0] == "userHandle"
    JobRequest(out.data).to_payload()  # now a plain request


def test_full_paths_and_relative_paths_agree(session):
    a = resolve(session, export({"path": "AcmeRetail/spring/1001.jpg"}))
    b = resolve(session, export({"path": "/spring/1001.jpg"}))
    assert a.data == b.data


@pytest.mark.parametrize("item,words", [
    ({"path": "spring/nope.jpg"}, ["no asset at AcmeRetail/spring/nope.jpg"]),
    ({"path": "sprng/1002.jpg"}, ["no asset", "AcmeRetail/spring/"]),
    ({"name": "no-such"}, ["no asset is named 'no-such'"]),
    ({"name": "1001"}, ["names 3 assets", "AcmeRetail/spring/1001.jpg (a|101|20002)",
                        "AcmeRetail/archive/2024/spring/1001.jpg"]),
    ({"path": "spring/1091.jpg"}, ["in the trash"]),
    ({"path": "spring/"}, ["AcmeRetail/spring/ is a folder", 'search = "spring/"']),
    ({"search": "nowhere/"}, ["does not exist"]),
    ({"search": "spring/", "name": "nothing-like-this"}, ["finds no assets"]),
    ({"search": "spring/", "limit": 10}, ["more than its limit of 10"]),
])
def test_errors_name_the_item(session, item, words):
    with pytest.raises(ResolveFailed) as error:
        resolve(session, export("a|101|1001", item))
    [problem] = error.value.problems
    assert problem.path == "exportJob.assetHandleArray[1]"
    for w in words:
        assert w in problem.message, problem.message


def test_wrong_type_for_pdfs_and_icc_profiles(session):
    data = {"companyHandle": ACME, "jobName": "x",
            "ripPdfsJob": {"createMask": False, "emailSetting": "None", "pdfHandleArray": [{"path": "spring/1001.jpg"}]}}
    with pytest.raises(ResolveFailed) as error:
        resolve(session, data)
    assert "is of type Image; this field takes Pdf assets" in error.value.problems[0].message


def test_over_the_jobs_item_limit(session):
    data = {"companyHandle": ACME, "jobName": "sets",
            "automatedSetGenerationJob": {"readyForPublish": True, "emailSetting": "None",
                                          "autoSetCreationOptions": {"autoSetsArray": ["ps|101|201"]},
                                          "assetHandleArray": [{"search": "spring/shoes/", "type": "Image"}]}}
    with pytest.raises(ResolveFailed) as error:
        resolve(session, data)
    [problem] = error.value.problems
    assert problem.path == "automatedSetGenerationJob.assetHandleArray"
    count = int(re.search(r"make (\d+) items", problem.message).group(1))
    assert count > 1000 and "at most 1000" in problem.message


def test_folders_users_contexts_and_projects(session):
    data = {"companyHandle": ACME, "jobName": "up", "userHandle": {"email": "demo@sandbox.ips"},
            "uploadDirectoryJob": {"serverDir": "incoming", "destFolder": {"path": "spring/shoes"},
                              "overwrite": True, "readyForPublish": True, "createMask": False, "emailSetting": "None",
                              "projectHandleArray": [{"name": "Spring launch"}],
                              "postImageServingPublishJob": {"publishType": "Full", "emailSetting": "None",
                                                             "contextHandle": {"name": "Image Serving (staging)"}},
                              }}
    out = resolve(session, data).data
    job = out["uploadDirectoryJob"]
    assert job["destFolder"] == "AcmeRetail/spring/shoes/"
    assert job["projectHandleArray"] == ["p|101|1"]
    assert job["postImageServingPublishJob"]["contextHandle"] == "pc|10102"
    assert out["userHandle"] == "3261|demo@sandbox.ips"


def test_bad_folder_user_context_and_project(session):
    data = {"companyHandle": ACME, "jobName": "up", "userHandle": {"email": "ghost@sandbox.ips"},
            "uploadDirectoryJob": {"serverDir": "incoming", "destFolder": {"path": "spring/shoe"},
                              "overwrite": True, "readyForPublish": True, "createMask": False, "emailSetting": "None",
                              "projectHandleArray": [{"name": "Winter"}],
                              "postImageServingPublishJob": {"publishType": "Full", "emailSetting": "None",
                                                             "contextHandle": {"name": "Video"}},
                              }}
    with pytest.raises(ResolveFailed) as error:
        resolve(session, data)
    got = {p.path: p.message for p in error.value.problems}
    assert "no user has the e-mail ghost@sandbox.ips" in got["userHandle"]
    assert "no folder AcmeRetail/spring/shoe/" in got["uploadDirectoryJob.destFolder"]
    assert "Did you mean AcmeRetail/spring/shoes/?" in got["uploadDirectoryJob.destFolder"]
    assert "no project is named 'Winter'" in got["uploadDirectoryJob.projectHandleArray[0]"]
    # a Video context exists, but not for an Image Serving publish
    assert "no ImageServing publish context" in got["uploadDirectoryJob.postImageServingPublishJob.contextHandle"]


def test_an_icc_profile_by_path(session):
    data = {"companyHandle": ACME, "jobName": "colour",
            "reprocessAssetsJob": {"createMask": False, "emailSetting": "None",
                                   "assetHandleArray": [{"search": "spring/", "subfolders": False, "type": "Image"}],
                                   "colorManagementOptions": {"colorManagement": "Convert",
                                                              "outputProfileHandle": {"path": "color-profiles/CoatedFOGRA39.icc"}}}}
    out = resolve(session, data).data["reprocessAssetsJob"]
    assert out["colorManagementOptions"]["outputProfileHandle"].startswith("a|101|")
    # spring/ itself, not below: 100 numbered images (one in the trash) and the 6 demo images
    assert len(out["assetHandleArray"]) == 99 + 6


def test_role_refusals_name_the_item(sandbox):
    client = IpsClient(sandbox.url, "webservice@sandbox.ips", "sandbox-ws", timeout=20)
    try:
        with pytest.raises(ResolveFailed) as error:
            Resolver(NameSession(Lookup(client), ACME)).resolve(
                export({"search": "spring/"}, *({"path": f"spring/{n}.jpg"} for n in range(1000, 1100))))
    finally:
        client.close()
    assert len(error.value.problems) == 101
    assert all("your role may not" in p.message for p in error.value.problems)
    assert error.value.problems[0].path == "exportJob.assetHandleArray[0]"
    assert len(sandbox.received) <= 8  # each way of looking up refused once, not once per item (101 items)


def test_a_portal_user_falls_back_to_searches(sandbox):
    client = IpsClient(sandbox.url, "portal@sandbox.ips", "sandbox-portal", timeout=20)
    try:
        out = Resolver(NameSession(Lookup(client), "c|102")).resolve(
            {"companyHandle": "c|102", "jobName": "x",
             "exportJob": {"fmt": "orig", "emailSetting": "None", "assetHandleArray": [{"path": "spring/1001.jpg"}]}})
    finally:
        client.close()
    assert out.data["exportJob"]["assetHandleArray"] == ["a|102|20002"]
    assert "getAssetsByName" in {r.operation for r in sandbox.received}  # tried, refused, then searched
    assert "searchAssets" in {r.operation for r in sandbox.received}


def test_a_thousand_paths_in_at_most_three_calls_and_cached(session, sandbox):
    library = sandbox.catalog.library(ACME)
    paths = [{"path": a.folder + a.file_name} for a in library.assets
             if a.folder.startswith("AcmeRetail/summer/shoes/") and a.trash_state == "NotInTrash"][:1000]
    assert len(paths) == 1000
    data = {"companyHandle": ACME, "jobName": "many",
            "reprocessAssetsJob": {"createMask": False, "emailSetting": "None", "assetHandleArray": paths}}
    before = len(sandbox.received)
    out = resolve(session, data)
    calls = len(sandbox.received) - before
    assert calls <= 3, [r.operation for r in sandbox.received[before:]]
    assert len(out.data["reprocessAssetsJob"]["assetHandleArray"]) == len(data["reprocessAssetsJob"]["assetHandleArray"])
    again = len(sandbox.received)
    resolve(session, data)
    assert len(sandbox.received) == again  # the session remembers


def test_a_session_serves_a_pickers_threads(session, sandbox):
    """Searches and folder levels asked from several worker threads at once: right answers, one call each."""
    from concurrent.futures import ThreadPoolExecutor

    from ips_tui.ips.lookup import AssetQuery, Condition

    queries = [AssetQuery(folder="winter/", conditions=(Condition("Name", "StartsWith", str(n)),)) for n in range(7, 10)]
    with ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(lambda q: session.search(q, 1, 20), queries * 3))
        levels = list(pool.map(session.children, ["", "spring", "spring/shoes/", "archive"] * 2))
    for q, page in zip(queries * 3, pages):
        assert all(a.name.startswith(q.conditions[0].value) and a.folder.startswith("AcmeRetail/winter/")
                   for a in page.items)
    assert [f.path for f in levels[2]] == ["AcmeRetail/spring/shoes/kids/", "AcmeRetail/spring/shoes/men/",
                                           "AcmeRetail/spring/shoes/women/"]
    assert levels[:4] == levels[4:]
    ops = [r.operation for r in sandbox.received]
    assert ops.count("searchAssets") == 3 and ops.count("getFolderTree") == 4  # cached: each asked once


def test_a_company_admin_resolves_through_its_memberships(sandbox):
    """IpsCompanyAdmin may not call getCompanyInfo (§2.4): the root folder comes from getCompanyMembership."""
    client = IpsClient(sandbox.url, "companyadmin@sandbox.ips", "sandbox-admin", timeout=20)
    try:
        out = Resolver(NameSession(Lookup(client), ACME)).resolve(export({"path": "spring/1001.jpg"}))
    finally:
        client.close()
    assert out.data["exportJob"]["assetHandleArray"] == ["a|101|20002"]
    assert "getCompanyMembership" in [r.operation for r in sandbox.received]


def test_search_options_project_published_and_match_any(session, sandbox):
    lib = sandbox.catalog.library(ACME)
    out = resolve(session, export({"search": "", "project": "Catalog 2027"}))
    assert set(out.data["exportJob"]["assetHandleArray"]) == {
        a.handle for a in lib.assets if a.project == "p|101|3" and a.trash_state == "NotInTrash"}
    out = resolve(session, export({"search": "print/catalogs/", "published": False}))
    assert out.data["exportJob"]["assetHandleArray"] and all(
        not lib.by_handle[h].published for h in out.data["exportJob"]["assetHandleArray"])
    out = resolve(session, export({"search": "color-profiles/", "match": "any", "name": "DisplayP3",
                                   "name_starts_with": "Coated"}))
    names = sorted(lib.by_handle[h].name for h in out.data["exportJob"]["assetHandleArray"])
    assert names == ["CoatedFOGRA39", "DisplayP3"]
    with pytest.raises(ResolveFailed) as error:
        resolve(session, export({"search": "", "project": "Winter sale"}))
    assert "no project is named 'Winter sale'" in error.value.problems[0].message


def test_a_pasted_block_becomes_references(session):
    items = refs.pasted("spring/1001.jpg\n  1080 \n\na|101|1001, print/catalogs/catalog-001.pdf\t# a note\n")
    assert items == [{"path": "spring/1001.jpg"}, {"name": "1080"}, "a|101|1001",
                     {"path": "print/catalogs/catalog-001.pdf"}]
    out = resolve(session, export(*items))
    assert len(out.data["exportJob"]["assetHandleArray"]) == 4
