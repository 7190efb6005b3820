"""References → handles, through a :class:`~ips_tui.resolve.session.NameSession` (UI-free).

``Resolver(session).resolve(data)`` finds every reference of a request (``refs.find``), looks them up in
batches (all asset names and paths of a request in one getAssetsByName per 1,000 names; one getFolders for
every folder; one getPublishContexts / getProjects; one getUserInfo per e-mail), and returns the request
with handles in their place and the steps taken (for a dry run to print). Anything a person must fix is a
:class:`ResolveFailed` naming the item: not found, ambiguous (with the candidates and their folders), wrong
type, in the trash, over the job's item limit, not allowed for this role. Faults other than a role refusal
and network errors are raised as they are (exit 3 / 4).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ips_tui.i18n import _
from ips_tui.ips.catalog import catalog
from ips_tui.ips.faults import AuthorizationFault
from ips_tui.ips.lookup import MAX_SLIM_PAGE, Asset
from ips_tui.job.request import InvalidRequest, Problem
from ips_tui.resolve import refs as R
from ips_tui.resolve.session import NameSession, refused

#: candidates an "ambiguous" message lists before "and N more"
SHOWN_CANDIDATES = 5


@dataclass(frozen=True)
class Step:
    path: str  # e.g. "exportJob.assetHandleArray[1]"
    reference: str  # what was written, described
    handles: tuple[str, ...]
    labels: tuple[str, ...]  # what each handle is (an asset's path, a user's e-mail, a context's name)


@dataclass
class Resolution:
    data: dict  # the request with handles in place of references
    steps: list[Step]


class ResolveFailed(InvalidRequest):
    """References a person must fix; ``problems`` name each item."""


class _Failed(Exception):
    def __init__(self, message: str):
        self.message = message


def _stem(file_name: str) -> str:
    return file_name.rsplit(".", 1)[0] if "." in file_name else file_name


def _where(a: Asset) -> str:
    return f"{a.path} ({a.handle})"


def _listing(assets: list[Asset]) -> str:
    shown = "; ".join(_where(a) for a in assets[:SHOWN_CANDIDATES])
    more = len(assets) - SHOWN_CANDIDATES
    return shown + (_("; and {n} more").format(n=more) if more > 0 else "")


class Resolver:
    def __init__(self, session: NameSession):
        self.session = session

    def resolve(self, data: dict) -> Resolution:
        references, malformed = R.find(data)
        problems = [Problem(p, m) for p, m in malformed]
        if problems:
            raise ResolveFailed(problems)
        if not references:
            return Resolution(data, [])
        self._prefetch(references)
        found: dict[tuple, list[str]] = {}
        steps: list[Step] = []
        refusals: dict[tuple, str] = {}  # a way of looking up -> why the role may not (asked once, not per item)
        for ref in references:
            way = (ref.kind, ref.how, ref.project_name is not None)
            if way in refusals:
                problems.append(Problem(ref.path, refusals[way]))
                continue
            try:
                assets_or_pairs = self._one(ref)
            except _Failed as failure:
                problems.append(Problem(ref.path, failure.message))
                continue
            except AuthorizationFault as error:
                if not refused(error):
                    raise
                refusals[way] = _(
                    "your role may not look this up ({reason}); give the handle instead, or use an account "
                    "whose role may.").format(reason=error.message)
                problems.append(Problem(ref.path, refusals[way]))
                continue
            handles = tuple(h for h, _label in assets_or_pairs)
            found[ref.location] = list(handles)
            steps.append(Step(ref.path, ref.describe(), handles, tuple(label for _h, label in assets_or_pairs)))
        if not problems:
            out = R.substitute(data, found)
            problems += self._limits(out, references)
            if not problems:
                return Resolution(out, steps)
        raise ResolveFailed(problems)

    # -- batching -------------------------------------------------------------------------------------
    def _prefetch(self, references: list[R.Reference]) -> None:
        """One batch for every asset name and path of the request (roles that may not: per reference)."""
        names = []
        for ref in references:
            if ref.kind in R.KIND_TYPES and ref.how == "name":
                names.append(ref.value)
            elif ref.kind in R.KIND_TYPES and ref.how == "path" and not ref.value.endswith("/"):
                names.append(_stem(ref.value.rsplit("/", 1)[-1]))
        try:
            if names:
                self.session.by_names(names)
        except AuthorizationFault as error:
            if not refused(error):
                raise  # a refusal is reported on each reference below

    # -- one reference --------------------------------------------------------------------------------
    def _one(self, ref: R.Reference) -> list[tuple[str, str]]:
        if ref.kind in R.KIND_TYPES:
            assets = self._assets(ref)
            return [(a.handle, a.path) for a in assets]
        if ref.kind == "folder":
            return [self._folder(ref)]
        if ref.kind == "user":
            return [self._user(ref)]
        if ref.kind == "context":
            return [self._context(ref)]
        if ref.kind == "project":
            return [self._project(ref)]
        raise _Failed(_("cannot resolve this kind of reference."))

    def _typed(self, ref: R.Reference, asset: Asset) -> Asset:
        need = R.KIND_TYPES.get(ref.kind)
        if need and asset.type != need:
            raise _Failed(_("{path} is of type {type}; this field takes {need} assets.").format(
                path=asset.path, type=asset.type or "?", need=need))
        if asset.in_trash:
            raise _Failed(_("{path} is in the trash; restore it first, or leave it out.").format(path=asset.path))
        return asset

    def _assets(self, ref: R.Reference) -> list[Asset]:
        s = self.session
        if ref.how == "search":
            return self._search(ref)
        if ref.how == "name":
            hits = s.by_names([ref.value])[ref.value]
            live = [a for a in hits if not a.in_trash]
            need = R.KIND_TYPES.get(ref.kind)
            if need and len(live) > 1:
                live = [a for a in live if a.type == need] or live
            if not hits:
                raise _Failed(_("no asset is named '{name}'.").format(name=ref.value))
            if len(live) > 1:
                raise _Failed(_("'{name}' names {n} assets: {candidates}. Give its path instead "
                                "({{ path = \"…\" }}).").format(name=ref.value, n=len(live), candidates=_listing(live)))
            return [self._typed(ref, live[0] if live else hits[0])]
        full = s.full_path(ref.value)
        folder, _sep, file_name = full.rpartition("/")
        folder += "/"
        if not file_name:
            raise _Failed(_("{path} is a folder; for the assets in it write {{ search = \"{value}\" }}.").format(
                path=full, value=ref.value))
        hits = [a for a in s.by_names([_stem(file_name)]).get(_stem(file_name), []) if a.path == full]
        if not hits and folder in {f.path for f in s.folders()}:  # its name may not be the file's stem
            hits = [a for a in s.in_folder(folder, [file_name]) if a.path == full]
        if not hits:
            raise _Failed(self._not_found(full, folder, file_name))
        return [self._typed(ref, hits[0])]

    def _not_found(self, full: str, folder: str, file_name: str) -> str:
        message = _("no asset at {path}.").format(path=full)
        elsewhere = [a for a in self.session.by_names([_stem(file_name)]).get(_stem(file_name), [])
                     if a.file_name == file_name]
        if elsewhere:
            return message + " " + _("A file of that name is in {folders}.").format(
                folders=", ".join(a.folder for a in elsewhere[:SHOWN_CANDIDATES]))
        known = [f.path for f in self.session.folders()]
        if folder not in known:
            close = difflib.get_close_matches(folder, known, n=1, cutoff=0.75)
            return message + " " + (_("There is no folder {folder}; did you mean {close}?").format(
                folder=folder, close=close[0]) if close else _("There is no folder {folder}.").format(folder=folder))
        return message

    def _search(self, ref: R.Reference) -> list[Asset]:
        s = self.session
        query = ref.query
        if ref.project_name is not None:
            from dataclasses import replace

            query = replace(query, project=self._project(ref, name=ref.project_name)[0])
        if query.folder:
            folder = s.full_path(query.folder, folder=True)
            if folder not in {f.path for f in s.folders()}:
                raise _Failed(_("the search's folder {folder} does not exist.").format(folder=folder))
        limit = min(ref.limit or MAX_SLIM_PAGE, MAX_SLIM_PAGE)
        total, assets = s.search_all(query, limit=limit)
        if total == 0:
            raise _Failed(_("the search finds no assets."))
        if total > limit:
            if ref.limit:
                raise _Failed(_("the search finds {n} assets, more than its limit of {limit}.").format(
                    n=total, limit=ref.limit))
            raise _Failed(_("the search finds {n} assets; one search stands for at most {limit}: narrow it.").format(
                n=total, limit=limit))
        return assets

    def _folder(self, ref: R.Reference) -> tuple[str, str]:
        s = self.session
        full = s.full_path(ref.value, folder=True)
        known = [f.path for f in s.folders()]
        if full in known:
            return full, full
        lowered = [k for k in known if k.lower() == full.lower()]
        hint = lowered[0] if lowered else next(iter(difflib.get_close_matches(full, known, n=1, cutoff=0.75)), None)
        message = _("there is no folder {folder}.").format(folder=full)
        raise _Failed(message + (" " + _("Did you mean {name}?").format(name=hint) if hint else ""))

    def _user(self, ref: R.Reference) -> tuple[str, str]:
        try:
            user = self.session.user(ref.value)
        except AuthorizationFault as error:
            if error.code in (20001, 20002):
                raise _Failed(_("no user has the e-mail {email}.").format(email=ref.value)) from None
            if error.code == 20007:
                raise _Failed(_("{email} shares no company with you.").format(email=ref.value)) from None
            raise
        return user.handle, user.email

    def _context(self, ref: R.Reference) -> tuple[str, str]:
        contexts = self.session.contexts(ref.context_type)
        hits = [c for c in contexts if c.name == ref.value] or [c for c in contexts if c.name.lower() == ref.value.lower()]
        if len(hits) == 1:
            return hits[0].handle, hits[0].name
        kind = ref.context_type or ""
        if not hits:
            names = ", ".join(f"'{c.name}'" for c in contexts) or _("none")
            raise _Failed(_("no {kind} publish context is named '{name}' (there are: {names}).").format(
                kind=kind, name=ref.value, names=names))
        raise _Failed(_("'{name}' names {n} publish contexts: {handles}.").format(
            name=ref.value, n=len(hits), handles=", ".join(c.handle for c in hits)))

    def _project(self, ref: R.Reference, name: str | None = None) -> tuple[str, str]:
        name = name or ref.value
        projects = self.session.projects()
        hits = [p for p in projects if p.name == name] or [p for p in projects if p.name.lower() == name.lower()]
        if len(hits) == 1:
            return hits[0].handle, hits[0].name
        if not hits:
            names = ", ".join(f"'{p.name}'" for p in projects) or _("none")
            raise _Failed(_("no project is named '{name}' (there are: {names}).").format(name=name, names=names))
        raise _Failed(_("'{name}' names {n} projects: {handles}.").format(
            name=name, n=len(hits), handles=", ".join(p.handle for p in hits)))

    # -- after substitution ---------------------------------------------------------------------------
    def _limits(self, data: dict, references: list[R.Reference]) -> list[Problem]:
        """Arrays that grew past their job's item limit (the catalogue's) once searches became handles."""
        problems = []
        for location in dict.fromkeys(r.location[:-1] for r in references if r.many):
            f = field_at(location)
            parent = data
            for key in location:
                parent = parent[key]
            if f is not None and f.max_items and len(parent) > f.max_items:
                problems.append(Problem(".".join(map(str, location)), _(
                    "the references make {n} items; this job takes at most {limit}.").format(
                        n=len(parent), limit=f.max_items)))
        return problems


def field_at(location: tuple):
    """The catalogue's Field at a location of a request (("exportJob", "assetHandleArray")), or None."""
    cat = catalog()
    job = cat.jobs.get(location[0])
    fields, keys = (job.fields, location[1:]) if job is not None else (cat.common, location)
    f = None
    for key in keys:
        f = next((x for x in fields if x.name == key), None)
        if f is None:
            return None
        fields = f.fields
    return f
