"""``ips-tui history --check`` and ``--recover``: how sound the journal is, and reading back what is still
readable from a damaged (moved-aside) copy into the current journal.

Recovery reads the damaged file read-only, one row at a time by its id, so a broken page loses only the rows
on it; each recovered row keeps its times, request, state and handle, and gets a note saying where it came
from. An unanswered row comes back as it was, so the next command that talks to the service reconciles it
(it is never sent again by itself).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ips_tui.i18n import _
from ips_tui.store.journal import _COLUMNS, Journal, now_iso
from ips_tui.store.journal_errors import JournalError, damaged_copies

#: rows looked for beyond the highest id the damaged file admits to
_SCAN_SLACK = 1000


@dataclass
class CheckResult:
    path: Path
    ok: bool
    problems: list[str] = field(default_factory=list)
    rows: int | None = None
    damaged_copies: list[Path] = field(default_factory=list)


def check(path: Path) -> CheckResult:
    """SQLite's integrity check of the journal at ``path`` (read-only; the file is never changed)."""
    copies = damaged_copies(path)
    if not path.exists():
        return CheckResult(path, True, [], 0, copies)
    if path.stat().st_size == 0:
        return CheckResult(path, False, [_("the file is empty")], None, copies)
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        return CheckResult(path, False, [str(error)], None, copies)
    try:
        found = [str(r[0]) for r in db.execute("PRAGMA integrity_check(20)").fetchall()]
        rows = None
        if found == ["ok"]:
            rows = db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]
            return CheckResult(path, True, [], rows, copies)
        return CheckResult(path, False, found, rows, copies)
    except sqlite3.Error as error:
        return CheckResult(path, False, [str(error)], None, copies)
    finally:
        db.close()


@dataclass
class Recovery:
    source: Path
    recovered: int
    lost: list[int]  # ids that could not be read


def _highest_id(db) -> int:
    for sql in ("SELECT seq FROM sqlite_sequence WHERE name = 'submissions'", "SELECT MAX(id) FROM submissions"):
        try:
            row = db.execute(sql).fetchone()
        except sqlite3.Error:
            continue
        if row and row[0]:
            return int(row[0])
    return 0


def recover(source: Path, journal: Journal) -> Recovery:
    """Copy every readable row of the damaged journal ``source`` into ``journal``."""
    source = Path(source)
    if source.resolve() == journal.path.resolve():
        raise JournalError(_("{path} is the journal in use; give a moved-aside copy (ips-tui history --check "
                             "lists them).").format(path=source), journal.path)
    try:
        db = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as error:
        raise JournalError(_("{path} cannot be read at all ({reason}).").format(path=source, reason=error),
                           journal.path) from None
    cols = ", ".join(_COLUMNS)
    rows, lost = [], []
    try:
        top = _highest_id(db)
        misses = 0  # consecutive ids past the highest known one without a row
        entry_id = 0
        while entry_id < top or misses < _SCAN_SLACK:
            entry_id += 1
            try:
                row = db.execute(f"SELECT {cols} FROM submissions WHERE id = ?", (entry_id,)).fetchone()
            except sqlite3.Error:
                row = None
                if entry_id <= top:
                    lost.append(entry_id)
            if row is None:
                misses += entry_id > top
                continue
            misses = 0
            top = max(top, entry_id)
            rows.append(dict(zip(_COLUMNS, row)))
    finally:
        db.close()
    stamp = now_iso()
    with journal._tx() as target:
        for r in rows:
            note = _("recovered from {file} (#{id})").format(file=source.name, id=r["id"])
            r["note"] = f"{r['note']}; {note}" if r.get("note") else note
            r["updated"] = stamp
            values = {k: v for k, v in r.items() if k != "id"}
            target.execute(
                f"INSERT INTO submissions ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                tuple(values.values()),
            )
    return Recovery(source, len(rows), lost)
