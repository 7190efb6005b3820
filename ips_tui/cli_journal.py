"""``ips-tui history``: the submission journal from a shell — its entries, one entry and its job request
(``--save`` writes it as a job file), whether the journal is sound (``--check``) and reading back a
damaged copy (``--recover [FILE]``). Registered by :mod:`ips_tui.cli` through ``COMMAND_MODULES``; errors
go through the jobs commands' one guard. ``--check`` and ``--recover`` exit 0 when sound or recovered, 2
when the journal is damaged or the copy cannot be read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ips_tui.cli import UsageError  # (ips_tui.cli loads this module, after itself)
from ips_tui.i18n import _
from ips_tui.safe_text import visible as _v  # everything from the journal

EXIT_OK, EXIT_INVALID = 0, 2


def register(sub, connection_options) -> None:
    from ips_tui.cli_jobs import _guard  # the one place CLI errors are printed (and --json kept English)

    h = sub.add_parser("history", help=_("the submission journal: what was sent, when, and what came back"))
    h.add_argument("id", nargs="?", type=int, metavar="ID", help=_("show one entry and its job request"))
    h.add_argument("--limit", type=int, default=30, metavar="N", help=_("newest N entries (default 30)"))
    h.add_argument("--search", metavar="TEXT", help=_("only entries whose name, handle, company or file has TEXT"))
    h.add_argument("--save", metavar="FILE", help=_("with ID: save its job request as a job file"))
    h.add_argument("--resolved", action="store_true",
                   help=_("with --save: write handles in place of names, paths and searches (asks the service)"))
    h.add_argument("--json", action="store_true", help=_("print JSON"))
    h.add_argument("--check", action="store_true", help=_("check that the journal file is sound"))
    h.add_argument("--recover", nargs="?", const="latest", metavar="FILE",
                   help=_("copy what is readable from a damaged journal (default: the newest moved-aside one)"))
    connection_options(h)  # (only --resolved talks to the service)
    h.set_defaults(func=_guard(cmd_history))


def _journal_path() -> Path:
    from ips_tui.store import paths

    return paths.journal_file()


def cmd_check(args) -> int:
    from ips_tui.store.journal_repair import check

    result = check(_journal_path())
    if args.json:
        print(json.dumps({"path": str(result.path), "ok": result.ok, "problems": result.problems,
                          "rows": result.rows, "damagedCopies": [str(p) for p in result.damaged_copies]}))
    elif result.ok:
        print(_("The journal {path} is sound ({n} entries).").format(path=result.path, n=result.rows or 0))
    else:
        print(_("The journal {path} is damaged:").format(path=result.path), file=sys.stderr)
        for problem in result.problems:
            print(f"  {problem}", file=sys.stderr)
        print(_("Move it aside (any command that opens it does so) and copy what is readable into a new one with "
                "`ips-tui history --recover FILE`."), file=sys.stderr)
    if result.damaged_copies and not args.json:
        print(_("Moved-aside copies (read them back with `ips-tui history --recover FILE`):"))
        for copy in result.damaged_copies:
            print(f"  {copy}")
    return EXIT_OK if result.ok else EXIT_INVALID


def cmd_recover(args, journal) -> int:
    from ips_tui.store.journal_errors import damaged_copies
    from ips_tui.store.journal_repair import recover

    source = args.recover
    if source == "latest":
        copies = damaged_copies(journal.path)
        if not copies:
            print(_("There is no moved-aside journal next to {path}; give the file: ips-tui history --recover "
                    "FILE").format(path=journal.path), file=sys.stderr)
            return EXIT_INVALID
        source = copies[-1]
    result = recover(Path(source), journal)
    if args.json:
        print(json.dumps({"source": str(result.source), "recovered": result.recovered, "lost": result.lost}))
        return EXIT_OK
    print(_("Recovered {n} entries from {source} into {path}.").format(n=result.recovered, source=result.source,
                                                                       path=journal.path))
    if result.lost:
        print(_("Could not read entries {ids}; check `ips-tui jobs` for what they were.").format(
            ids=", ".join(f"#{i}" for i in result.lost[:50])), file=sys.stderr)
    print(_("{source} was left as it is; delete it when you no longer need it.").format(source=result.source))
    return EXIT_OK


def cmd_history(args) -> int:
    if args.check:
        return cmd_check(args)
    from ips_tui.cli_jobs import _journal  # (opened as every command opens it)

    if args.resolved and not args.save:
        raise UsageError(_("--resolved goes with --save: ips-tui history ID --save FILE --resolved"))
    journal = _journal()
    if args.recover:
        try:
            return cmd_recover(args, journal)
        finally:
            journal.close()
    try:
        if args.id is not None:
            return _history_entry(args, journal)
        if args.save:
            raise UsageError(_("--save needs the entry's ID: ips-tui history ID --save FILE"))
        entries = journal.entries(limit=max(1, args.limit), search=args.search)
    finally:
        journal.close()
    if args.json:
        print(json.dumps([e.to_dict() for e in entries]))
        return EXIT_OK
    if not entries:
        print(_("Nothing submitted yet."))
        return EXIT_OK
    for e in entries:
        print(_v(history_line(e)))
    return EXIT_OK


def history_line(e) -> str:
    result = e.handle or (f"{e.error_kind}: {e.error_message}" if e.error_kind else "")
    return (f"#{e.id:<5} {e.created[:19].replace('T', ' ')}  {e.state:<10} {_v(e.company):<10} {_v(e.job_name)}  "
            f"{_v(result)}")


def _history_entry(args, journal) -> int:
    from ips_tui.store.atomic import atomic_write_text
    from ips_tui.store.journal_entry import source_words

    e = journal.get(args.id)
    if e is None:
        raise UsageError(_("No journal entry #{id}.").format(id=args.id))
    if args.save:
        from pathlib import Path

        target = Path(args.save)
        text = e.request
        if args.resolved:  # names stay names unless asked (cli_assets)
            from ips_tui.cli_assets import resolved_toml

            text = resolved_toml(args, e.request)
        try:
            atomic_write_text(target, text, replace=False)  # 0600, as every file ips-tui writes
        except FileExistsError:
            raise UsageError(_("{path} exists; choose another name (nothing was written).").format(
                path=target)) from None
        print(_("Saved the job request of #{id} to {path}.").format(id=e.id, path=target))
        return EXIT_OK
    if args.json:
        print(json.dumps(e.to_dict()))
        return EXIT_OK
    print(_v(history_line(e)))
    for label, value in ((_("profile"), e.profile), (_("service"), e.url), (_("user"), e.user),
                         source_words(e.source) or ("", ""), (_("sent"), e.sent_at), (_("note"), e.note)):
        if value:
            print(f"  {label}: {_v(value)}")
    print()
    sys.stdout.write(_v(e.request, one_line=False))
    return EXIT_OK
