"""``ips-tui history --check`` and ``ips-tui history --recover [FILE]`` (hooked into ``history`` by
:mod:`ips_tui.cli_jobs`): whether the journal is sound, and reading back a damaged copy. Exit 0 when sound
or recovered, 2 when the journal is damaged or the copy cannot be read."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ips_tui.i18n import _

EXIT_OK, EXIT_INVALID = 0, 2


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
