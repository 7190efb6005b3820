"""What one company holds, looked up through the service and kept for the session.

``NameSession`` is what a resolver and a picker share: every answer is cached (the same search page, folder
level or name costs one call per session), calls are batched, and it is safe to use from worker threads (a
lock guards the caches; :class:`~ips_tui.ips.lookup.Lookup` serialises the calls). Where a role may not call
an operation (§4.5.9) it falls back to one that role may call: getAssetsByName → searchAssets,
getFolderTree → getFolders.
"""

from __future__ import annotations

import threading

from ips_tui.ips.faults import AuthorizationFault
from ips_tui.ips.lookup import (
    MAX_SLIM_PAGE, Asset, AssetPage, AssetQuery, Condition, Context, Folder, Lookup, Member,
    Project, UserInfo,
)

NO_PERMISSION = 20003  # AUTHORIZATION_FAULT_CODE_NO_OPERATION_PERMISSION
#: names one fallback searchAssets call asks for (MatchAny over Name Equals conditions)
_NAMES_PER_SEARCH = 200


def refused(error: BaseException) -> bool:
    """Whether a fault says the caller's role may not call the operation."""
    return isinstance(error, AuthorizationFault) and error.code == NO_PERMISSION


class NameSession:
    def __init__(self, lookup: Lookup, company: str):
        self.lookup = lookup
        self.company = company
        self._lock = threading.RLock()
        self._root: str | None = None
        self._folders: list[Folder] | None = None
        self._children: dict[str, list[Folder]] = {}
        self._pages: dict[tuple, AssetPage] = {}
        self._asking: dict[tuple, threading.Lock] = {}  # a page on its way -> the lock its askers wait on
        self._all: dict[tuple, tuple[int, list[Asset]]] = {}
        self._names: dict[str, list[Asset]] = {}
        self._contexts: dict[str | None, list[Context]] = {}
        self._projects: list[Project] | None = None
        self._users: dict[str, UserInfo] = {}
        self._members: list[Member] | None = None

    # -- paths ----------------------------------------------------------------------------------------
    def root(self) -> str:
        """The company's root folder (``AcmeRetail/``)."""
        with self._lock:
            if self._root is None:
                self._root = self.lookup.company_root(self.company)
            return self._root

    def full_path(self, path: str, *, folder: bool = False) -> str:
        """``path`` as the service writes paths: from the company root, folders ending in "/"."""
        root = self.root()
        text = path.strip().lstrip("/")
        if folder and text and not text.endswith("/"):
            text += "/"
        if root and not (text + "/").startswith(root):
            text = root + text
        return text or root

    # -- folders --------------------------------------------------------------------------------------
    def folders(self) -> list[Folder]:
        """Every folder of the company, flat, the root first (one getFolders call)."""
        with self._lock:
            if self._folders is None:
                root = self.root()
                self._folders = [Folder("", root, True)] + self.lookup.folders(self.company)
            return self._folders

    def children(self, path: str | None = None) -> list[Folder]:
        """The folders directly below ``path`` (default: the root): one level, as a tree picker opens it."""
        key = self.full_path(path or "", folder=True)
        with self._lock:
            if key not in self._children:
                try:
                    top = self.lookup.folder_tree(self.company, key, depth=1)
                    found = list(top.children) if top else []
                except AuthorizationFault as error:
                    if not refused(error):
                        raise
                    found = [f for f in self.folders() if f.path != key and f.path.startswith(key)
                             and "/" not in f.path[len(key):].rstrip("/")]
                self._children[key] = found
            return self._children[key]

    # -- assets ---------------------------------------------------------------------------------------
    def _query(self, query: AssetQuery) -> AssetQuery:
        if query.folder:
            from dataclasses import replace

            return replace(query, folder=self.full_path(query.folder, folder=True))
        return query

    def search(self, query: AssetQuery, page: int = 1, per_page: int = 50) -> AssetPage:
        """One page of a search (name, folder, type and handle of each asset), cached."""
        query = self._query(query)
        key = (query, page, per_page)
        with self._lock:
            if key in self._pages:
                return self._pages[key]
            asking = self._asking.setdefault(key, threading.Lock())
        # asked outside the cache's lock: a page already answered comes back at once while another search is
        # still on its way (a picker's operator typing back to earlier words); the same page is asked once
        # (threads wanting it wait on its own lock), and Lookup serialises the calls
        with asking:
            with self._lock:
                if key in self._pages:
                    return self._pages[key]
            found = self.lookup.search_assets(self.company, query, page=page, per_page=per_page)
            with self._lock:
                self._pages[key] = found
                self._asking.pop(key, None)
            return found

    def search_all(self, query: AssetQuery, limit: int = MAX_SLIM_PAGE) -> tuple[int, list[Asset]]:
        """(matches, up to ``limit`` of them: handle, name and type) for "all results of this search"."""
        query = self._query(query)
        key = (query, limit)
        with self._lock:
            if key not in self._all:
                self._all[key] = self.lookup.search_all(self.company, query, limit=limit)
            return self._all[key]

    def by_names(self, names) -> dict[str, list[Asset]]:
        """name -> the assets of that name (company-wide), for many names in as few calls as possible."""
        with self._lock:
            wanted = [n for n in dict.fromkeys(names) if n not in self._names]
            if wanted:
                try:
                    found = self.lookup.assets_by_name(self.company, wanted)
                except AuthorizationFault as error:
                    if not refused(error):
                        raise
                    found = self._names_by_search(wanted)
                for n in wanted:
                    self._names[n] = []
                for a in found:
                    if a.name in self._names and a not in self._names[a.name]:
                        self._names[a.name].append(a)
            return {n: self._names[n] for n in names}

    def _names_by_search(self, names: list[str]) -> list[Asset]:
        out: list[Asset] = []
        for i in range(0, len(names), _NAMES_PER_SEARCH):
            chunk = names[i:i + _NAMES_PER_SEARCH]
            query = AssetQuery(conditions=tuple(Condition("Name", "Equals", n) for n in chunk), match_any=True)
            page = 1
            while True:
                result = self.lookup.search_assets(self.company, query, page=page, per_page=1000)
                out += result.items
                if page * 1000 >= result.total or not result.items:
                    break
                page += 1
        return out

    def in_folder(self, folder: str, file_names: list[str]) -> list[Asset]:
        """The assets of ``folder`` (not below it) with these file names, in one search per 200 names."""
        out: list[Asset] = []
        for i in range(0, len(file_names), _NAMES_PER_SEARCH):
            conditions = tuple(Condition("FileName", "Equals", n) for n in file_names[i:i + _NAMES_PER_SEARCH])
            query = AssetQuery(folder=folder, subfolders=False, conditions=conditions, match_any=True)
            out += self.search(query, 1, min(1000, max(1, len(conditions)) * 2)).items
        return out

    # -- the rest -------------------------------------------------------------------------------------
    def contexts(self, context_type: str | None = None) -> list[Context]:
        with self._lock:
            if context_type not in self._contexts:
                self._contexts[context_type] = self.lookup.publish_contexts(self.company, context_type)
            return self._contexts[context_type]

    def projects(self) -> list[Project]:
        with self._lock:
            if self._projects is None:
                self._projects = self.lookup.projects(self.company)
            return self._projects

    def user(self, email: str) -> UserInfo:
        """The user with this e-mail (getUserInfo; every role but WebServiceUser may ask)."""
        key = email.strip().lower()
        with self._lock:
            if key not in self._users:
                self._users[key] = self.lookup.user_info(email=email.strip())
            return self._users[key]

    def members(self) -> list[Member]:
        """The company's users and roles (administrators only)."""
        with self._lock:
            if self._members is None:
                self._members = self.lookup.company_members(self.company)
            return self._members
