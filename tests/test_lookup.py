"""The §4.5 lookups end to end: ips.lookup through zeep to the sandbox over real sockets, every request
checked against Adobe's schema, the sandbox's library, conditions, paging, limits and role checks."""

from __future__ import annotations

import threading

import pytest

from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import ApiFault, AuthorizationFault
from ips_tui.ips.lookup import LOOKUP_OPERATIONS, AssetQuery, Condition, Lookup
from ips_tui.sandbox import Sandbox
from ips_tui.sandbox.library import build_library
from schemas import reference_problems

ACME = "c|101"


def lookup_for(sb, user=None, password=None) -> Lookup:
    return Lookup(IpsClient(sb.url, user or sb.user, password or sb.password, timeout=20))


@pytest.fixture
def lk(sandbox):
    lookup = lookup_for(sandbox)
    yield lookup
    lookup.client.close()


def test_every_lookup_request_validates_against_adobes_schema(sandbox, lk):
    q = AssetQuery(folder="spring/", subfolders=False, types=("Image",), exclude_types=("Pdf",),
                   conditions=(Condition("Name", "StartsWith", "10"), Condition("FileName", "EndsWith", ".jpg")),
                   match_any=True, publish_state="MarkedForPublish", trash_state="NotInTrash", project="p|101|1",
                   sort_by="Name", descending=True)
    lk.search_assets(ACME, q, page=2, per_page=5)
    lk.search_all(ACME, AssetQuery(types=("Pdf",)))
    lk.assets_by_name(ACME, ["1001", "1002"], types=("Image",))
    lk.assets(ACME, ["a|101|1001"])
    lk.folder_tree(ACME, "spring/", depth=2)
    lk.folders(ACME, "spring/")
    lk.projects(ACME)
    lk.user_info(email="solo@sandbox.ips")
    lk.publish_contexts(ACME, "Video")
    admin = lookup_for(sandbox, "companyadmin@sandbox.ips", "sandbox-admin")
    admin.company_members(ACME, include_invalid=True, include_inactive=True)
    admin.client.close()
    seen = {r.operation for r in sandbox.received}
    assert set(LOOKUP_OPERATIONS) <= seen, set(LOOKUP_OPERATIONS) - seen
    for r in sandbox.received:
        assert reference_problems(r.body) == [], r.operation


def test_the_schema_check_can_fail(sandbox, lk):
    """Guard for the test above: a request with its elements out of order is caught."""
    lk.folders(ACME, "spring/")
    body = sandbox.received.of("getFolders")[-1].body
    broken = body.replace(b"<ns0:companyHandle>c|101</ns0:companyHandle>", b"").replace(
        b"</ns0:folderPath>", b"</ns0:folderPath><ns0:companyHandle>c|101</ns0:companyHandle>")
    assert broken != body and reference_problems(broken)


def test_library_is_large_deep_mixed_and_deterministic():
    lib = build_library("101", "AcmeRetail/")
    again = build_library("101", "AcmeRetail/")
    assert [a.handle for a in lib.assets] == [a.handle for a in again.assets]
    assert len(lib.assets) >= 10_000
    assert 45 <= len(lib.folders) <= 60
    assert max(p.count("/") for p in lib.folders) >= 4  # root + three levels below it
    types = {a.type for a in lib.assets}
    assert {"Image", "Pdf", "Video", "IccProfile"} <= types
    assert len({a.folder for a in lib.by_name["1001"]}) >= 2  # the same name in different folders
    assert any(a.trash_state == "InTrash" for a in lib.assets)
    assert len(lib.projects) >= 3


def test_library_is_built_on_the_first_lookup_only(sandbox, lk):
    lk.client.get_company_membership()
    assert sandbox.catalog._libraries == {}  # start-up and other calls never build it
    lk.search_assets(ACME, AssetQuery(), per_page=1)
    assert set(sandbox.catalog._libraries) == {ACME}


def test_search_conditions_folder_and_paging(lk):
    q = AssetQuery(folder="spring/", types=("Image",), conditions=(Condition("Name", "StartsWith", "10"),))
    first = lk.search_assets(ACME, q, per_page=40)
    second = lk.search_assets(ACME, q, page=2, per_page=40)
    assert first.total == second.total == 99  # 1000–1099 but one in the trash
    assert first.pages == 3 and len(first.items) == 40
    assert not {a.handle for a in first.items} & {a.handle for a in second.items}
    assert all(a.folder == "AcmeRetail/spring/" and a.name.startswith("10") for a in first.items)
    only_folder = lk.search_assets(ACME, AssetQuery(folder="AcmeRetail/spring", subfolders=False), per_page=1)
    below = lk.search_assets(ACME, AssetQuery(folder="spring/"), per_page=1)
    assert only_folder.total < below.total
    pdfs = lk.search_assets(ACME, AssetQuery(types=("Pdf",)), per_page=1000)
    assert pdfs.total == len(pdfs.items) and {a.type for a in pdfs.items} == {"Pdf"}
    trash = lk.search_assets(ACME, AssetQuery(trash_state="InTrash"), per_page=1000)
    assert trash.total and all(a.in_trash for a in trash.items)


def test_page_limits_1000_full_10000_slim(lk):
    with pytest.raises(ApiFault) as full:
        lk.client.call("searchAssets", {"companyHandle": ACME, "includeSubfolders": True, "recordsPerPage": 1001})
    assert full.value.code == 30001 and "recordsPerPage" in full.value.message
    total, everything = lk.search_all(ACME, AssetQuery())
    assert total >= 10_000 and len(everything) == 10_000
    assert lk.calls == 1  # the slim reply carries 10,000 in one call
    total, everything = lk.search_all(ACME, AssetQuery(), limit=20_000)
    assert len(everything) == total > 10_000 and lk.calls == 3  # beyond that, resultsPage 2
    assert len({a.handle for a in everything}) == total


def test_getfoldertree_loads_one_level(lk):
    top = lk.folder_tree(ACME, depth=1)
    assert top.path == "AcmeRetail/"
    assert "AcmeRetail/spring/" in [c.path for c in top.children]
    spring = next(c for c in top.children if c.path == "AcmeRetail/spring/")
    assert spring.has_subfolders and spring.children == ()
    flat = lk.folders(ACME)
    assert "AcmeRetail/spring/shoes/men/" in [f.path for f in flat]


def test_unknown_folder_is_a_fault_naming_it(lk):
    with pytest.raises(ApiFault) as error:
        lk.folders(ACME, "nowhere/")
    assert "nowhere" in error.value.message


@pytest.mark.parametrize("operation,call", [
    ("getCompanyMembers", lambda lk: lk.company_members(ACME)),
])
def test_user_listing_is_for_admins(lk, operation, call):
    with pytest.raises(AuthorizationFault) as error:
        call(lk)
    assert error.value.code == 20003


def test_portal_user_role_gaps(sandbox):
    """ImagePortalUser may search and list folders, but not getAssetsByName, getFolderTree or getProjects."""
    portal = lookup_for(sandbox, "portal@sandbox.ips", "sandbox-portal")
    try:
        assert portal.search_assets("c|102", AssetQuery(), per_page=1).total > 0
        assert portal.folders("c|102")
        for call in (lambda: portal.assets_by_name("c|102", ["1001"]), lambda: portal.folder_tree("c|102"),
                     lambda: portal.projects("c|102")):
            with pytest.raises(AuthorizationFault) as error:
                call()
            assert error.value.code == 20003
    finally:
        portal.client.close()


def test_webservice_user_may_not_look_up(sandbox):
    ws = lookup_for(sandbox, "webservice@sandbox.ips", "sandbox-ws")
    try:
        with pytest.raises(AuthorizationFault):
            ws.search_assets(ACME, AssetQuery(), per_page=1)
    finally:
        ws.client.close()


def test_names_may_name_several_assets(lk):
    found = lk.assets_by_name(ACME, ["1001", "no-such-name"])
    assert len(found) == 3 and {a.name for a in found} == {"1001"}
    assert lk.assets(ACME, ["a|101|1001", "a|101|nope"])[0].name == "shoe-red"


def test_lookup_is_safe_from_several_threads(sandbox, lk):
    results, errors = [], []

    def work(i):
        try:
            results.append(lk.search_assets(ACME, AssetQuery(folder="summer/"), page=i + 1, per_page=20).items)
        except Exception as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors and len(results) == 6 and lk.calls == 6
    handles = [a.handle for page in results for a in page]
    assert len(handles) == len(set(handles)) == 120


def test_other_companies_have_their_own_library(sandbox):
    with Sandbox() as other:
        lookup = lookup_for(other)
        try:
            folder = lookup.folder_tree("c|103", depth=0)
            assert folder.path == "CieloFoods/"
            assert lookup.search_assets("c|103", AssetQuery(), per_page=1).total >= 10_000
        finally:
            lookup.client.close()
