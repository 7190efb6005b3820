"""Names instead of handles from a shell: ``assets search``, ``folders [PATH]``, and resolving the
references of job files for ``submit`` (``SubmitNames``).

Registered by :mod:`ips_tui.cli` through ``COMMAND_MODULES``; light to import (zeep loads on the first call).
Text from the service is printed made safe (control and bidi characters escaped); ``--json`` output is in
English and keeps the values as they came.
"""

from __future__ import annotations

import json
import sys

from ips_tui.cli import UsageError, connect, require_connection
from ips_tui.i18n import _
from ips_tui.safe_text import visible as safe  # text from the service, fit for a terminal

EXIT_OK = 0


def register(sub, connection_options) -> None:
    from ips_tui.cli_jobs import _guard  # the one place CLI errors are printed (and --json kept English)

    a = sub.add_parser("assets", help=_("find assets by folder, name and type (for job files)"))
    asub = a.add_subparsers(dest="assets_command", metavar="ACTION", required=True)
    s = asub.add_parser("search", help=_("search the company's assets"))
    s.add_argument("folder", nargs="?", default="", metavar="FOLDER",
                   help=_("folder to search, from the company root (default: the whole company)"))
    s.add_argument("--type", action="append", default=[], metavar="TYPE",
                   help=_("asset type to include, e.g. Image, Pdf, Video, IccProfile (repeatable)"))
    s.add_argument("--exclude-type", action="append", default=[], metavar="TYPE", help=_("asset type to leave out"))
    s.add_argument("--no-subfolders", action="store_true", help=_("only the folder itself, not below it"))
    for option, what in (("name", _("name is")), ("name-starts-with", _("name starts with")),
                         ("name-ends-with", _("name ends with")), ("name-contains", _("name contains")),
                         ("file-name", _("file name is")), ("file-name-starts-with", _("file name starts with")),
                         ("file-name-ends-with", _("file name ends with")),
                         ("file-name-contains", _("file name contains"))):
        s.add_argument(f"--{option}", metavar="TEXT", help=what)
    s.add_argument("--match", choices=("all", "any"), default="all",
                   help=_("whether all name conditions must hold or any (default all)"))
    s.add_argument("--published", choices=("yes", "no"), help=_("only assets marked (yes) or not marked (no) for publish"))
    s.add_argument("--project", metavar="NAME", help=_("only assets of this project (by name)"))
    s.add_argument("--trash", choices=("no", "yes", "emptied"), default="no",
                   help=_("assets not in the trash (default), in it, or in the emptied trash"))
    s.add_argument("--sort", choices=("Name", "Created", "Modified", "AssetType", "FileSize"), help=_("sort by"))
    s.add_argument("--descending", action="store_true", help=_("with --sort: largest or newest first"))
    s.add_argument("--page", type=int, default=1, metavar="N", help=_("which page (default 1)"))
    s.add_argument("--per-page", type=int, default=100, metavar="N", help=_("assets a page, 1 to 1000 (default 100)"))
    s.add_argument("--all", action="store_true",
                   help=_("every match (up to 10,000): handle, name and type only"))
    s.add_argument("--company", metavar="HANDLE", help=_("company handle (default: the profile's)"))
    s.add_argument("--json", action="store_true", help=_("print one JSON document"))
    connection_options(s)
    s.set_defaults(func=_guard(cmd_assets_search))

    f = sub.add_parser("folders", help=_("the company's folders, one level at a time"))
    f.add_argument("path", nargs="?", default="", metavar="PATH", help=_("folder to list (default: the root)"))
    f.add_argument("--all", action="store_true", help=_("every folder below PATH, not only the next level"))
    f.add_argument("--company", metavar="HANDLE", help=_("company handle (default: the profile's)"))
    f.add_argument("--json", action="store_true", help=_("print one JSON document"))
    connection_options(f)
    f.set_defaults(func=_guard(cmd_folders))


def _session(args):
    from ips_tui.ips.lookup import Lookup
    from ips_tui.resolve.session import NameSession

    conn = require_connection(args)
    company = args.company or conn.company
    if not company:
        raise UsageError(_("Which company? Give --company HANDLE (ips-tui profiles companies lists them)."))
    return NameSession(Lookup(conn.client(timeout=args.timeout)), company)


def _asset_json(a) -> dict:
    return {"handle": a.handle, "name": a.name, "type": a.type, "folder": a.folder or None,
            "fileName": a.file_name or None, "path": a.path if a.folder else None, "trashState": a.trash_state}


def cmd_assets_search(args) -> int:
    from ips_tui.ips.lookup import MAX_PAGE, AssetQuery, Condition
    from ips_tui.resolve.refs import CONDITIONS

    if not 1 <= args.per_page <= MAX_PAGE:
        raise UsageError(_("--per-page must be 1 to {n}").format(n=MAX_PAGE))
    if args.page < 1:
        raise UsageError(_("--page must be 1 or more"))
    conditions = tuple(Condition(field, op, getattr(args, key)) for key, (field, op) in CONDITIONS.items()
                       if getattr(args, key, None))
    query = AssetQuery(
        folder=args.folder or None, subfolders=not args.no_subfolders, types=tuple(args.type),
        exclude_types=tuple(args.exclude_type), conditions=conditions, match_any=args.match == "any",
        publish_state={"yes": "MarkedForPublish", "no": "NotMarkedForPublish"}.get(args.published),
        trash_state={"no": None, "yes": "InTrash", "emptied": "InEmptiedTrash"}[args.trash],
        sort_by=args.sort, descending=args.descending,
    )
    session = _session(args)
    try:
        if args.project:
            found = [p for p in session.projects() if p.name == args.project]
            if not found:
                names = ", ".join(p.name for p in session.projects())
                raise UsageError(_("no project is named '{name}' (there are: {names}).").format(
                    name=safe(args.project), names=safe(names)))
            from dataclasses import replace

            query = replace(query, project=found[0].handle)
        if args.all:
            total, items = session.search_all(query)
            page, per_page = 1, max(1, len(items))
        else:
            result = session.search(query, args.page, args.per_page)
            total, items, page, per_page = result.total, list(result.items), result.page, result.per_page
    finally:
        session.lookup.client.close()
    if args.json:
        print(json.dumps({"total": total, "page": page, "perPage": per_page,
                          "items": [_asset_json(a) for a in items]}))
        return EXIT_OK
    for a in items:
        print(f"{safe(a.handle):<16} {safe(a.type):<11} {safe(a.path if a.folder else a.name)}")
    shown = _("{n} of {total} assets").format(n=len(items), total=total)
    if not args.all and total > page * per_page:
        shown += " " + _("(page {page}; --page {next} for more)").format(page=page, next=page + 1)
    print(shown, file=sys.stderr)
    return EXIT_OK


def cmd_folders(args) -> int:
    session = _session(args)
    try:
        start = session.full_path(args.path or "", folder=True)
        if args.all:
            found = [f for f in session.folders() if f.path != start and f.path.startswith(start)]
        else:
            found = session.children(start)
    finally:
        session.lookup.client.close()
    if args.json:
        print(json.dumps({"path": start, "folders": [
            {"path": f.path, "handle": f.handle or None, "hasSubfolders": f.has_subfolders} for f in found]}))
        return EXIT_OK
    for f in found:
        print(safe(f.path) + (" +" if f.has_subfolders and not args.all else ""))
    return EXIT_OK


# --- submit: references in job files -------------------------------------------------------------


class SubmitNames:
    """Turns the references of job files into handles before anything is sent: one connection (with its
    password) and one NameSession per company, shared by every file of the run."""

    def __init__(self, args, conn):
        self.args = args
        self.conn = conn  # as cmd_submit resolved it (no password yet)
        self.connection = None  # with the password, once a file needed the service
        self._sessions: dict[str, object] = {}
        self._lookup = None
        self.steps: dict[tuple, list] = {}  # (file, company) -> what became what
        self.resolved: dict[tuple, dict] = {}  # (file, company) -> its request data with handles

    def payload(self, path: str, req):
        """The request's payload, its references resolved first. InvalidRequest (exit 2) names each item."""
        from ips_tui.job.request import JobRequest, Problem
        from ips_tui.resolve.refs import UnresolvedReferences
        from ips_tui.resolve.resolver import ResolveFailed, Resolver

        try:
            return req.to_payload()  # validates; a file that names nothing is done here
        except UnresolvedReferences:
            if self.conn is None:
                raise  # exit 2, naming each item that needs the service
        company = str(req.data.get("companyHandle") or "")
        try:
            resolved = Resolver(self._session(company)).resolve(req.data)
        except ResolveFailed as failed:  # its messages quote the service's names and paths
            raise ResolveFailed([Problem(p.path, safe(p.message)) for p in failed.problems]) from None
        self.steps[path, company] = resolved.steps
        self.resolved[path, company] = resolved.data
        return JobRequest(resolved.data).to_payload()

    def _session(self, company: str):
        from ips_tui.ips.lookup import Lookup
        from ips_tui.resolve.session import NameSession

        if self._lookup is None:
            self.connection = connect(self.args, need_password=True, said=self.conn.notes)
            self._lookup = Lookup(self.connection.client(timeout=self.args.timeout))
        if company not in self._sessions:
            self._sessions[company] = NameSession(self._lookup, company)
        return self._sessions[company]

    def report(self, path: str, req) -> list[dict]:
        """What became what in one request, for a dry run: printed to standard error; returned for --json."""
        out = []
        for step in self.steps.get((path, str(req.data.get("companyHandle") or "")), ()):
            shown = ", ".join(step.handles[:3]) + (_(" … ({n} in all)").format(n=len(step.handles))
                                                  if len(step.handles) > 3 else "")
            if not self.args.json:
                print(f"{path}: {step.path}: {safe(step.reference)} → {safe(shown)}", file=sys.stderr)
            out.append({"path": step.path, "reference": step.reference, "handles": list(step.handles),
                        "labels": list(step.labels)})
        return out

    def close(self) -> None:
        if self._lookup is not None:
            self._lookup.client.close()


def report_lookup_error(args, path: str, job_name, error) -> None:
    """A fault or network error while resolving a file's references: that file is not sent."""
    print(f"{path}: {safe(error.message)}", file=sys.stderr)
    if args.json:
        print(json.dumps({"file": path, "jobName": job_name,
                          "error": {"kind": error.kind, "code": error.code, "message": error.message}}))


def resolved_toml(args, request_toml: str) -> str:
    """A saved job request with its references turned into handles (``history ID --save FILE --resolved``)."""
    import tomllib

    from ips_tui.job.request import InvalidRequest, JobRequest

    req = JobRequest(tomllib.loads(request_toml))
    names = SubmitNames(args, connect(args, need_password=False))
    if names.conn is None:
        raise UsageError(_("--resolved looks names up on the service: give --profile NAME, or --url and --user"))
    try:
        names.payload("", req)  # validates and resolves (the payload itself is not needed here)
    except InvalidRequest as e:
        raise UsageError("\n".join(str(p) for p in e.problems)) from None
    finally:
        names.close()
    key = ("", str(req.data.get("companyHandle") or ""))
    return JobRequest(names.resolved[key]).to_toml() if key in names.resolved else request_toml
