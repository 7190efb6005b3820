"""The lookups that turn what an operator knows (names, paths, e-mails) into handles (fact sheet §4.5).

``Lookup`` wraps an :class:`~ips_tui.ips.client.IpsClient`: the same auth header, transport, deadlines and
fault mapping, one method per operation, replies as small frozen dataclasses (callers never see zeep).
It is safe to share between threads (a picker's workers): one lock serialises the calls, because an
``IpsClient`` is not for concurrent use. ``calls`` counts the requests sent (the benchmark reads it).

Paging (§4.5.2): searchAssets answers at most 1,000 assets a call, or 10,000 when the reply is cut down to
``totalRows`` plus name, handle, type and subType (``slim=True``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from ips_tui.i18n import _
from ips_tui.ips.faults import InvalidInput, MalformedReply

#: the operations this module calls that IpsClient has no method for (tests/test_lookup.py exercises them)
LOOKUP_OPERATIONS = ("searchAssets", "getAssetsByName", "getAssets", "getFolderTree", "getFolders", "getProjects",
                     "getCompanyMembers")
MAX_PAGE = 1000
MAX_SLIM_PAGE = 10_000
#: most names (or handles) one getAssetsByName / getAssets call carries (no limit is documented: stay polite)
MAX_NAMES_PER_CALL = 1000
#: the fields a picker shows; asking only for them keeps replies small (§4.5.9 field filters)
LIST_FIELDS = ("assetHandle", "type", "subType", "name", "fileName", "folder", "trashState")
SLIM_FIELDS = ("assetHandle", "type", "subType", "name")

STRING_OPS = ("Equals", "NotEquals", "Contains", "NotContains", "StartsWith", "EndsWith")
SORT_FIELDS = ("Created", "Modified", "Name", "AssetType", "FileSize")
PUBLISH_STATES = ("MarkedForPublish", "NotMarkedForPublish")
TRASH_STATES = ("NotInTrash", "InTrash", "InEmptiedTrash")


@dataclass(frozen=True)
class Asset:
    handle: str
    name: str
    type: str
    folder: str = ""
    file_name: str = ""
    sub_type: str | None = None
    trash_state: str | None = None

    @property
    def path(self) -> str:
        """The virtual path (folder + file name), as the service writes it."""
        return self.folder + self.file_name if self.file_name else self.folder + self.name

    @property
    def in_trash(self) -> bool:
        return self.trash_state not in (None, "", "NotInTrash")


@dataclass(frozen=True)
class Folder:
    handle: str
    path: str
    has_subfolders: bool = False
    children: tuple["Folder", ...] = ()

    @property
    def name(self) -> str:
        return self.path.rstrip("/").rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Project:
    handle: str
    name: str


@dataclass(frozen=True)
class UserInfo:
    handle: str
    email: str
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class Member:
    user: UserInfo
    role: str
    active: bool


@dataclass(frozen=True)
class Context:
    handle: str
    name: str
    type: str


@dataclass(frozen=True)
class Condition:
    """A SystemFieldCondition on a text field: ``field`` (Name, FileName, …), ``op`` (one of STRING_OPS)."""

    field: str
    op: str
    value: str


@dataclass(frozen=True)
class AssetQuery:
    """The searchAssets conditions of §4.5.2 that a person uses; hashable, so results can be cached."""

    folder: str | None = None
    subfolders: bool = True
    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    conditions: tuple[Condition, ...] = ()
    match_any: bool = False
    publish_state: str | None = None
    trash_state: str | None = None
    project: str | None = None
    sort_by: str | None = None
    descending: bool = False


@dataclass(frozen=True)
class AssetPage:
    total: int  # matches without the page limit
    page: int  # 1-based
    per_page: int
    items: tuple[Asset, ...] = field(default=())

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page)) if self.per_page else 1


# --- reading replies ----------------------------------------------------------------------------


def _unwrap(value, key: str):
    """``value[key]`` when zeep kept the ``<op>Return`` wrapper; else the value itself."""
    if isinstance(value, dict) and key in value:
        return value[key]
    return value


def _items(value) -> list:
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.get("items") or [])
    if isinstance(value, list):
        return value
    raise MalformedReply(_("The reply does not hold the list that was expected."), maybe_processed=False)


def _asset(d: dict) -> Asset:
    return Asset(
        handle=d.get("assetHandle") or "", name=d.get("name") or "", type=d.get("type") or "",
        folder=d.get("folder") or "", file_name=d.get("fileName") or "", sub_type=d.get("subType"),
        trash_state=d.get("trashState"),
    )


def _folder(d: dict | None) -> Folder | None:
    if not d:
        return None
    children = tuple(f for f in (_folder(c) for c in _items(d.get("subfolderArray"))) if f is not None)
    return Folder(handle=d.get("folderHandle") or "", path=d.get("path") or "",
                  has_subfolders=bool(d.get("hasSubfolders")) or bool(children), children=children)


def _user(d: dict) -> UserInfo:
    return UserInfo(handle=d.get("userHandle") or "", email=d.get("email") or "",
                    first_name=d.get("firstName") or "", last_name=d.get("lastName") or "")


def _strings(values) -> dict | None:
    values = [v for v in (values or ()) if v]
    return {"items": list(values)} if values else None


def _chunks(values: list, size: int):
    for i in range(0, len(values), size):
        yield values[i:i + size]


# --- the lookups --------------------------------------------------------------------------------


class Lookup:
    """The §4.5 operations over one client. Thread-safe; ``calls`` counts the requests made."""

    def __init__(self, client):
        self.client = client
        self.calls = 0
        self._lock = threading.Lock()

    def _call(self, operation: str, params: dict):
        with self._lock:
            self.calls += 1
            return self.client.call(operation, params)

    # -- assets ---------------------------------------------------------------------------------
    def search_assets(self, company: str, query: AssetQuery, *, page: int = 1, per_page: int = 100,
                      slim: bool = False) -> AssetPage:
        """One page of a search. ``slim``: handles, names and types only, up to 10,000 a page."""
        limit = MAX_SLIM_PAGE if slim else MAX_PAGE
        if not 1 <= per_page <= limit:
            raise InvalidInput(_("A search page holds 1 to {n} assets, not {got}.").format(n=limit, got=per_page))
        if page < 1:
            raise InvalidInput(_("Search pages start at 1, not {got}.").format(got=page))
        fields = ["totalRows"] + [f"assetArray/items/{f}" for f in (SLIM_FIELDS if slim else LIST_FIELDS)]
        conditions = [{"field": c.field, "op": c.op, "value": c.value} for c in query.conditions]
        params = {
            "companyHandle": company,
            "folder": query.folder or None,
            "includeSubfolders": bool(query.subfolders),
            "publishState": query.publish_state,
            "trashState": query.trash_state,
            "systemFieldMatchMode": "MatchAny" if query.match_any else None,
            "systemFieldConditionArray": {"items": conditions} if conditions else None,
            "assetTypeArray": _strings(query.types),
            "excludeAssetTypeArray": _strings(query.exclude_types),
            "projectHandle": query.project,
            "recordsPerPage": per_page,
            "resultsPage": page,
            "sortBy": query.sort_by,
            "sortDirection": ("Descending" if query.descending else "Ascending") if query.sort_by else None,
            "responseFieldArray": {"items": fields},
        }
        reply = self._call("searchAssets", params) or {}
        total = reply.get("totalRows") if isinstance(reply, dict) else None
        items = tuple(_asset(a) for a in _items(_unwrap(reply, "assetArray")))
        return AssetPage(total=int(total if total is not None else len(items)), page=page, per_page=per_page,
                         items=items)

    def search_all(self, company: str, query: AssetQuery, *, limit: int = MAX_SLIM_PAGE) -> tuple[int, list[Asset]]:
        """(total matches, up to ``limit`` assets) with the slim reply, paging as needed."""
        found: list[Asset] = []
        page, total = 1, 0
        while True:
            per_page = min(MAX_SLIM_PAGE, max(1, limit - len(found)))
            result = self.search_assets(company, query, page=page, per_page=per_page, slim=True)
            total = result.total
            found.extend(result.items)
            if len(found) >= min(total, limit) or not result.items:
                return total, found[:limit]
            page += 1

    def assets_by_name(self, company: str, names, *, types=()) -> list[Asset]:
        """Every asset whose name is one of ``names`` (company-wide; 0, 1 or several per name)."""
        out: list[Asset] = []
        for chunk in _chunks(list(dict.fromkeys(names)), MAX_NAMES_PER_CALL):
            reply = self._call("getAssetsByName", {
                "companyHandle": company, "nameArray": {"items": chunk}, "assetTypeArray": _strings(types),
                "responseFieldArray": {"items": [f"assetArray/items/{f}" for f in LIST_FIELDS]},
            })
            out += [_asset(a) for a in _items(_unwrap(reply, "assetArray"))]
        return out

    def assets(self, company: str, handles) -> list[Asset]:
        """The assets of these handles that the caller may see (an unknown handle is simply missing)."""
        out: list[Asset] = []
        for chunk in _chunks(list(dict.fromkeys(handles)), MAX_NAMES_PER_CALL):
            reply = self._call("getAssets", {
                "companyHandle": company, "assetHandleArray": {"items": chunk},
                "responseFieldArray": {"items": [f"assetArray/items/{f}" for f in LIST_FIELDS]},
            })
            out += [_asset(a) for a in _items(_unwrap(reply, "assetArray"))]
        return out

    # -- folders --------------------------------------------------------------------------------
    def folder_tree(self, company: str, path: str | None = None, *, depth: int = 1) -> Folder | None:
        """The folder at ``path`` (default: the company root) with ``depth`` levels below it."""
        reply = self._call("getFolderTree", {"companyHandle": company, "folderPath": path or None, "depth": depth})
        return _folder(_unwrap(reply, "folders"))

    def folders(self, company: str, path: str | None = None) -> list[Folder]:
        """Every folder below ``path`` (default: the company root), flat."""
        reply = self._call("getFolders", {"companyHandle": company, "folderPath": path or None})
        return [f for f in (_folder(d) for d in _items(_unwrap(reply, "folderArray"))) if f is not None]

    # -- projects, users, contexts, the company -------------------------------------------------
    def projects(self, company: str) -> list[Project]:
        reply = self._call("getProjects", {"companyHandle": company})
        return [Project(p.get("projectHandle") or "", p.get("name") or "")
                for p in _items(_unwrap(reply, "projectArray"))]

    def user_info(self, *, email: str | None = None, handle: str | None = None) -> UserInfo:
        reply = self._call("getUserInfo", {"userHandle": handle, "email": email})
        return _user(_unwrap(reply, "userInfo") or {})

    def company_members(self, company: str, *, include_invalid: bool = False,
                        include_inactive: bool = False) -> list[Member]:
        reply = self._call("getCompanyMembers", {"companyHandle": company, "includeInvalid": include_invalid,
                                                 "includeInactive": include_inactive})
        return [Member(_user(m.get("user") or {}), m.get("role") or "", bool(m.get("isActive")))
                for m in _items(_unwrap(reply, "memberArray"))]

    def publish_contexts(self, company: str, context_type: str | None = None) -> list[Context]:
        reply = self._call("getPublishContexts", {"companyHandle": company, "contextType": context_type})
        return [Context(c.get("contextHandle") or "", c.get("contextName") or "", c.get("contextType") or "")
                for c in _items(_unwrap(reply, "publishContextArray"))]

    def company_root(self, company: str) -> str:
        """The company's root folder path (``AcmeRetail/``), from getCompanyInfo, or from the caller's
        memberships for the roles that may not call getCompanyInfo (IpsCompanyAdmin, §2.4)."""
        from ips_tui.ips.faults import AuthorizationFault

        try:
            info = _unwrap(self._call("getCompanyInfo", {"companyHandle": company}), "companyInfo") or {}
        except AuthorizationFault as error:
            if error.code != 20003:
                raise
            memberships = _items(_unwrap(self._call("getCompanyMembership", {}), "membershipArray"))
            info = next((m.get("company") or {} for m in memberships
                         if (m.get("company") or {}).get("companyHandle") == company), {})
        return info.get("rootPath") or ""
