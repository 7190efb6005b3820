"""The sandbox's §4.5 lookups: searchAssets, getAssetsByName, getAssets, getFolderTree, getFolders,
getProjects, getCompanyMembers (getUserInfo and getPublishContexts live in service.py).

A mixin of :class:`ips_tui.sandbox.service.Service` (it uses ``self.directory`` and ``self.catalog``). Each
company's library (``library.py``) is built by its first lookup. Choices where the docs are silent
(fact sheet "[unconfirmed]"): a folder path may leave out the root and the trailing slash; names match
exactly; getAssetsByName also returns assets in the trash (with their trashState) so a client can say so;
recordsPerPage above 1,000 is refused unless the reply is cut down to the slim fields; results are in
handle order unless sortBy is given.
"""

from __future__ import annotations

from lxml import etree

from ips_tui.sandbox.auth import OPERATION_ROLES, ROLES
from ips_tui.sandbox.errors import invalid_param
from ips_tui.sandbox.library import LibAsset, Library
from ips_tui.sandbox.soap import Builder, SoapRequest, xsd_datetime

_NINE = frozenset({
    "IpsUser", "IpsAdmin", "IpsCompanyAdmin", "TrialSiteAdmin", "TrialSiteUser", "ImagePortalAdmin",
    "ImagePortalUser", "ImagePortalContrib", "ImagePortalContribUser",
})
# Roles per lookup, as the operation pages list them (§4.5.2, 4.5.5–4.5.8).
LOOKUP_ROLES = {
    "searchAssets": _NINE,
    "getAssets": _NINE,
    "getFolders": _NINE,
    "getAssetsByName": _NINE - {"ImagePortalUser"},
    "getFolderTree": _NINE - {"ImagePortalAdmin", "ImagePortalUser"},
    "getProjects": frozenset({"IpsUser", "IpsAdmin", "TrialSiteAdmin", "TrialSiteUser", "ImagePortalContrib",
                              "ImagePortalContribUser"}),
    "getCompanyMembers": frozenset({"IpsAdmin", "IpsCompanyAdmin", "TrialSiteAdmin", "ImagePortalAdmin"}),
}
assert all(r <= set(ROLES) for r in LOOKUP_ROLES.values())
OPERATION_ROLES.update(LOOKUP_ROLES)  # the directory's one role table (auth.py) covers these operations too

MAX_PAGE, MAX_SLIM_PAGE, MAX_NAMES = 1000, 10_000, 10_000
SLIM = {"totalRows", "assetArray/items/name", "assetArray/items/assetHandle", "assetArray/items/type",
        "assetArray/items/subType"}
_STRING_OPS = {
    "Equals": lambda a, v: a == v, "NotEquals": lambda a, v: a != v,
    "Contains": lambda a, v: v in a, "NotContains": lambda a, v: v not in a,
    "StartsWith": lambda a, v: a.startswith(v), "EndsWith": lambda a, v: a.endswith(v),
}
_TEXT_FIELDS = {"Name": lambda a: a.name, "FileName": lambda a: a.file_name, "CreateUser": lambda a: _CREATOR,
                "LastModifyUser": lambda a: _CREATOR}
_SORT = {"Name": lambda a: a.name, "Created": lambda a: a.created, "Modified": lambda a: a.created,
         "AssetType": lambda a: a.type, "FileSize": lambda a: a.size}
_CREATOR = "demo@sandbox.ips"


def _strings(el) -> list[str] | None:
    if el is None:
        return None
    return [(i.text or "").strip() for i in el if isinstance(i.tag, str)]


def _bool(text: str | None, default: bool = False) -> bool:
    return default if text is None else text.strip() in ("true", "1")


def _int(req: SoapRequest, name: str, default: int) -> int:
    text = req.text(name)
    return default if text is None else int(text)


class _Fields:
    """responseFieldArray / excludeFieldArray as a test on paths such as ``assetArray/items/name``."""

    def __init__(self, keep: list[str] | None, drop: list[str] | None):
        self.keep = [k.strip("/") for k in keep] if keep else None
        self.drop = [d.strip("/") for d in drop] if drop else []

    def wants(self, path: str) -> bool:
        if any(path == d or path.startswith(d + "/") for d in self.drop):
            return False
        if self.keep is None:
            return True
        # a field is kept if it is named, lies below a named field, or leads to one
        return any(path == k or path.startswith(k + "/") or k.startswith(path + "/") for k in self.keep)


class LookupOps:
    """The op_* handlers of the lookups (mixed into Service)."""

    # -- helpers --------------------------------------------------------------------------------------
    def _library(self, req: SoapRequest, user, operation: str):
        company = self.directory.check_operation(user, operation, (req.text("companyHandle") or "").strip())
        return company, self.catalog.library(company.handle, company.root_path)

    @staticmethod
    def _folder_arg(lib: Library, text: str | None, name: str) -> str:
        path = lib.folder_path(text)
        if path is None:
            raise invalid_param(f"Folder '{text}' not found ({name})")
        return path

    def _asset_el(self, parent, b: Builder, a: LibAsset, lib: Library, fields: _Fields) -> None:
        item = b.sub(parent, "items")
        base = "assetArray/items/"
        project = next((n for h, n in lib.projects if h == a.project), None)
        values = (
            ("assetHandle", a.handle), ("type", a.type), ("name", a.name), ("fileName", a.file_name),
            ("folder", a.folder), ("folderHandle", "f|" + a.folder), ("readyForPublish", a.published),
            ("trashState", a.trash_state), ("projects", project), ("created", xsd_datetime(a.created)),
            ("createUser", _CREATOR), ("lastModified", xsd_datetime(a.created)), ("lastModifyUser", _CREATOR),
        )
        for name, value in values:
            if value is not None and fields.wants(base + name):
                b.sub(item, name, value)
        info = {"Image": "imageInfo", "Pdf": "pdfInfo", "Video": "videoInfo", "IccProfile": "iccProfileInfo",
                "Svg": "svgInfo", "Word": "wordInfo", "Zip": "zipInfo"}.get(a.type)
        if info and fields.wants(base + info):
            el = b.sub(item, info)
            b.sub(el, "originalPath", a.folder)
            b.sub(el, "originalFile", a.file_name)
            if info == "imageInfo":
                b.sub(el, "width", 2000)
                b.sub(el, "height", 2000)
            b.sub(el, "fileSize", a.size)

    # -- assets ---------------------------------------------------------------------------------------
    def op_searchAssets(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company, lib = self._library(req, user, "searchAssets")
        folder = self._folder_arg(lib, req.text("folder"), "folder")
        subfolders = _bool(req.text("includeSubfolders"))
        trash = req.text("trashState") or "NotInTrash"
        if trash not in ("NotInTrash", "InTrash", "InEmptiedTrash"):
            raise invalid_param(f"Invalid trashState '{trash}': use NotInTrash, InTrash or InEmptiedTrash")
        publish = req.text("publishState")
        if publish is not None and publish not in ("MarkedForPublish", "NotMarkedForPublish"):
            raise invalid_param(f"Invalid publishState '{publish}': use MarkedForPublish or NotMarkedForPublish")
        fields = _Fields(_strings(req.child("responseFieldArray")), _strings(req.child("excludeFieldArray")))
        per_page = _int(req, "recordsPerPage", MAX_PAGE)
        page = _int(req, "resultsPage", 1)
        slim = fields.keep is not None and set(fields.keep) <= SLIM
        if per_page < 1 or per_page > (MAX_SLIM_PAGE if slim else MAX_PAGE):
            raise invalid_param(f"Invalid recordsPerPage '{per_page}': give 1 to {MAX_PAGE}, or up to "
                                f"{MAX_SLIM_PAGE} when responseFieldArray keeps only totalRows and the asset "
                                "name, handle, type and subType")
        if page < 1:
            raise invalid_param(f"Invalid resultsPage '{page}': pages start at 1")
        tests = self._conditions(req)
        any_mode = (req.text("systemFieldMatchMode") or "MatchAll") == "MatchAny"
        types = set(_strings(req.child("assetTypeArray")) or ())
        exclude = set(_strings(req.child("excludeAssetTypeArray")) or ())
        project = req.text("projectHandle")
        tagged = req.child("tagConditionArray") is not None or req.child("metadataConditionArray") is not None

        def match(a: LibAsset) -> bool:
            if a.trash_state != trash:
                return False
            if a.folder != folder and not (subfolders and a.folder.startswith(folder)):
                return False
            if (types and a.type not in types) or a.type in exclude:
                return False
            if publish is not None and a.published != (publish == "MarkedForPublish"):
                return False
            if project is not None and a.project != project:
                return False
            if tests:
                hits = [t(a) for t in tests]
                if not (any(hits) if any_mode else all(hits)):
                    return False
            return not tagged  # sandbox assets carry no tags or metadata

        found = [a for a in lib.assets if match(a)]
        sort_by = req.text("sortBy")
        if sort_by is not None:
            if sort_by not in _SORT:
                raise invalid_param(f"Invalid sortBy '{sort_by}': use one of {', '.join(_SORT)}")
            found.sort(key=_SORT[sort_by], reverse=req.text("sortDirection") == "Descending")
        root = b.root("searchAssetsReturn")
        if fields.wants("totalRows"):
            b.sub(root, "totalRows", len(found))
        array = b.sub(root, "assetArray")
        for a in found[(page - 1) * per_page: page * per_page]:
            self._asset_el(array, b, a, lib, fields)
        return root

    def _conditions(self, req: SoapRequest) -> list:
        array = req.child("systemFieldConditionArray")
        tests = []
        for cond in ([] if array is None else [c for c in array if isinstance(c.tag, str)]):
            values = {etree.QName(c).localname: (c.text or "") for c in cond if isinstance(c.tag, str)}
            name, op = values.get("field", ""), values.get("op", "")
            if name == "FileSize":
                tests.append(self._size_test(values))
                continue
            getter = _TEXT_FIELDS.get(name)
            if getter is None:
                raise invalid_param(f"Invalid field '{name}' in systemFieldConditionArray: the sandbox searches "
                                    f"{', '.join(list(_TEXT_FIELDS) + ['FileSize'])}")
            test = _STRING_OPS.get(op)
            if test is None:
                raise invalid_param(f"Invalid op '{op}' for {name}: use one of {', '.join(_STRING_OPS)}")
            value = values.get("value", "")
            tests.append(lambda a, g=getter, t=test, v=value: t(g(a), v))
        return tests

    @staticmethod
    def _size_test(values: dict):
        op = values.get("op", "")
        try:
            if op in ("Between", "NotBetween"):
                lo, hi = int(values["minLong"]), int(values["maxLong"])
                return (lambda a: lo <= a.size <= hi) if op == "Between" else (lambda a: not lo <= a.size <= hi)
            v = int(values["longVal"])
        except (KeyError, ValueError):
            raise invalid_param(f"FileSize {op} needs longVal (or minLong and maxLong)") from None
        ops = {"Equals": lambda a: a.size == v, "NotEquals": lambda a: a.size != v,
               "LessThan": lambda a: a.size < v, "LessThanEquals": lambda a: a.size <= v,
               "GreaterThan": lambda a: a.size > v, "GreaterThanEquals": lambda a: a.size >= v}
        if op not in ops:
            raise invalid_param(f"Invalid op '{op}' for FileSize")
        return ops[op]

    def op_getAssetsByName(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company, lib = self._library(req, user, "getAssetsByName")
        names = _strings(req.child("nameArray")) or []
        if len(names) > MAX_NAMES:
            raise invalid_param(f"Too many names ({len(names)}): give at most {MAX_NAMES} a call")
        types = set(_strings(req.child("assetTypeArray")) or ())
        exclude = set(_strings(req.child("excludeAssetTypeArray")) or ())
        fields = _Fields(_strings(req.child("responseFieldArray")), _strings(req.child("excludeFieldArray")))
        root = b.root("getAssetsByNameReturn")
        array = b.sub(root, "assetArray")
        for name in dict.fromkeys(names):
            for a in lib.by_name.get(name, ()):
                if a.trash_state != "InEmptiedTrash" and (not types or a.type in types) and a.type not in exclude:
                    self._asset_el(array, b, a, lib, fields)
        return root

    def op_getAssets(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company, lib = self._library(req, user, "getAssets")
        handles = _strings(req.child("assetHandleArray")) or []
        if len(handles) > MAX_NAMES:
            raise invalid_param(f"Too many handles ({len(handles)}): give at most {MAX_NAMES} a call")
        fields = _Fields(_strings(req.child("responseFieldArray")), _strings(req.child("excludeFieldArray")))
        root = b.root("getAssetsReturn")
        array = b.sub(root, "assetArray")
        for handle in dict.fromkeys(handles):
            a = lib.by_handle.get(handle)
            if a is not None:
                self._asset_el(array, b, a, lib, fields)
        return root

    # -- folders --------------------------------------------------------------------------------------
    def _folder_el(self, parent, b: Builder, name: str, lib: Library, path: str, depth: int, keep) -> None:
        el = b.sub(parent, name)
        b.sub(el, "folderHandle", "f|" + path)
        b.sub(el, "path", path)
        children = [c for c in lib.children[path] if keep(c)]
        b.sub(el, "hasSubfolders", bool(children))
        if depth != 0 and children:
            sub = b.sub(el, "subfolderArray")
            for child in children:
                self._folder_el(sub, b, "items", lib, child, depth - 1, keep)

    @staticmethod
    def _type_filter(lib: Library, req: SoapRequest):
        types = set(_strings(req.child("assetTypeArray")) or ())
        if not types:
            return lambda path: True
        holding = {a.folder for a in lib.assets if a.type in types}
        return lambda path: any(h.startswith(path) for h in holding)

    def op_getFolderTree(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company, lib = self._library(req, user, "getFolderTree")
        path = self._folder_arg(lib, req.text("folderPath"), "folderPath")
        depth = _int(req, "depth", 0)
        if depth < -1:
            raise invalid_param(f"Invalid depth '{depth}': give 0 or more (-1: every level)")
        root = b.root("getFolderTreeReturn")
        self._folder_el(root, b, "folders", lib, path, depth, self._type_filter(lib, req))
        return root

    def op_getFolders(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company, lib = self._library(req, user, "getFolders")
        path = self._folder_arg(lib, req.text("folderPath"), "folderPath")
        keep = self._type_filter(lib, req)
        root = b.root("getFoldersReturn")
        array = b.sub(root, "folderArray")
        for folder in lib.folders:
            if folder != path and folder.startswith(path) and keep(folder):
                self._folder_el(array, b, "items", lib, folder, 0, keep)
        return root

    # -- projects and members -------------------------------------------------------------------------
    def op_getProjects(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company, lib = self._library(req, user, "getProjects")
        root = b.root("getProjectsReturn")
        array = b.sub(root, "projectArray")
        for handle, name in lib.projects:
            item = b.sub(array, "items")
            b.sub(item, "projectHandle", handle)
            b.sub(item, "name", name)
        return root

    def op_getCompanyMembers(self, req: SoapRequest, user, b: Builder) -> etree._Element:
        company = self.directory.check_operation(user, "getCompanyMembers", (req.text("companyHandle") or "").strip())
        include_invalid = _bool(req.text("includeInvalid"))
        root = b.root("getCompanyMembersReturn")
        array = b.sub(root, "memberArray")
        for member in self.directory.members(company.handle):
            if not member.is_valid and not include_invalid:
                continue
            item = b.sub(array, "items")
            info = b.sub(item, "user")
            b.sub(info, "userHandle", member.handle)
            b.sub(info, "firstName", member.first_name)
            b.sub(info, "lastName", member.last_name)
            b.sub(info, "email", member.email)
            b.sub(info, "isValid", member.is_valid)
            b.sub(info, "isIpsAdmin", member.is_ips_admin)
            b.sub(item, "role", member.roles[company.handle])
            b.sub(item, "isActive", True)
        return root
