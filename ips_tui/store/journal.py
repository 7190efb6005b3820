"""The submission journal: every submitJob, written before it is sent and updated when it is answered.

One SQLite file, ``journal.sqlite3`` in the state folder (``IPS_TUI_STATE_DIR`` or platformdirs' user
state dir), WAL mode, mode 0600 (SQLite gives its ``-wal``/``-shm`` files the same mode), folder 0700.
It never holds a password: the request is the job file's TOML (keys that look like secrets are dropped at
any depth) and a URL loses any ``user:password@`` part.

States of an entry::

    pending ──► sent ──► submitted            (the service answered with a job handle)
       │          ├────► failed               (a fault, or a connection that never carried the request)
       │          └────► unknown ──► reconciled   (found on the service by its name: handle set)
       │                    │    └─► failed       (kind "not_received": the service does not have it)
       └──► failed (kind "not_sent": the process ended before sending)

``pending`` rows are written before anything is sent (many at once for a batch); ``sent`` is set
immediately before the request goes out. A row still ``pending``/``sent``/``unknown`` whose owner process
has ended (crash, kill, dropped SSH session) is an *orphan*; :mod:`ips_tui.follow` reconciles orphans at
the next start by asking the service, and never sends them again by itself.

Each row records its owner (``host:pid:process start``), so two terminals on one server never take each
other's submissions in flight for orphans. Every connection uses ``synchronous=FULL``: the ``sent`` mark
is on disk before the request leaves.

Nothing here imports zeep, Textual or Rich.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Iterable

from ips_tui.i18n import _
from ips_tui.store import paths
from ips_tui.store.journal_entry import (  # noqa: F401  (re-exported: the journal's public names)
    _COLUMNS, STATES, UNRESOLVED, Entry, NewSubmission, _clean_toml, _entry, fingerprint, now_iso, parse_iso,
    request_fingerprint, safe_url, scrub,
)
from ips_tui.store.journal_errors import JournalError, explain, is_damage, move_aside
from ips_tui.store.owners import FOREIGN_OWNER_STALE, current_owner, owner_alive  # noqa: F401  (re-exported)

__all__ = ["Entry", "Journal", "JournalError", "NewSubmission", "open_journal"]

FILE_NAME = paths.JOURNAL_FILE
FILE_MODE = 0o600
BUSY_TIMEOUT_MS = 15_000
SCHEMA_VERSION = 1
#: a zero-length journal older than this is a damaged one (younger: another process is just creating it)
EMPTY_GRACE_SECONDS = 10.0

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS submissions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    created       TEXT NOT NULL,
    updated       TEXT NOT NULL,
    sent_at       TEXT,
    profile       TEXT,
    url           TEXT,
    user          TEXT,
    company       TEXT,
    job_name      TEXT NOT NULL DEFAULT '',
    job_type      TEXT,
    timed         INTEGER NOT NULL DEFAULT 0,
    request       TEXT NOT NULL,
    source        TEXT,
    fingerprint   TEXT NOT NULL,
    timeout       REAL,
    state         TEXT NOT NULL CHECK (state IN ({", ".join(repr(s) for s in STATES)})),
    handle        TEXT,
    error_kind    TEXT,
    error_code    INTEGER,
    error_message TEXT,
    note          TEXT,
    owner         TEXT
);
CREATE INDEX IF NOT EXISTS submissions_state ON submissions(state);
CREATE INDEX IF NOT EXISTS submissions_name ON submissions(company, job_name);
CREATE INDEX IF NOT EXISTS submissions_fingerprint ON submissions(fingerprint);
"""


class Journal:
    """The journal file. Safe to share between threads of one process (one connection, one lock) and
    between processes (SQLite's locks, WAL, a busy timeout)."""

    def __init__(self, path: str | os.PathLike[str] | None = None):
        if path is None:
            path = paths.state_dir(create=True) / FILE_NAME
        self.path = Path(path)
        self._lock = threading.RLock()
        self._db = None
        try:
            paths.ensure_dir(self.path.parent)
            self._check_not_empty()
            if not self.path.exists():
                fd = os.open(self.path, os.O_CREAT | os.O_WRONLY, FILE_MODE)
                os.close(fd)
            os.chmod(self.path, FILE_MODE)
        except OSError as error:
            raise explain(sqlite3.OperationalError(f"unable to open: {error.strerror or error}"), self.path) from None
        try:
            self._open()
        except sqlite3.Error as error:
            self._close_quietly()
            if is_damage(error):
                raise move_aside(self.path, str(error)) from None
            raise explain(error, self.path) from None

    def _check_not_empty(self) -> None:
        try:
            st = self.path.stat()
        except FileNotFoundError:
            return
        if st.st_size == 0 and time.time() - st.st_mtime > EMPTY_GRACE_SECONDS:
            raise move_aside(self.path, _("the file is empty"))

    def _open(self) -> None:
        self._db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        self._db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        # a damaged page is found now, once, rather than in the middle of a submission
        found = [r[0] for r in self._db.execute("PRAGMA quick_check(5)").fetchall()]
        if found != ["ok"]:
            raise sqlite3.DatabaseError("database disk image is malformed: " + "; ".join(map(str, found)))
        with self._tx():
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                for statement in _split(_SCHEMA):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _close_quietly(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None

    # -- plumbing ---------------------------------------------------------------------------------------
    class _Tx:
        def __init__(self, journal: "Journal"):
            self.j = journal

        def __enter__(self):
            self.j._lock.acquire()
            try:
                self.j._db.execute("BEGIN IMMEDIATE")
            except BaseException:
                self.j._lock.release()
                raise
            return self.j._db

        def __exit__(self, exc_type, exc, tb):
            try:
                self.j._db.execute("ROLLBACK" if exc_type else "COMMIT")
            finally:
                self.j._lock.release()

    def _tx(self) -> "Journal._Tx":
        return Journal._Tx(self)

    def _query(self, sql: str, args: Iterable = ()) -> list[Entry]:
        with self._lock:
            rows = self._db.execute(sql, tuple(args)).fetchall()
        return [_entry(r) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._close_quietly()

    def __enter__(self) -> "Journal":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing ----------------------------------------------------------------------------------------
    def record(self, request_toml: str, *, url: str | None, user: str | None, profile: str | None = None,
               company: str | None, job_name: str, job_type: str | None = None, timed: bool = False,
               source: str | None = None, timeout: float | None = None, now: datetime | None = None) -> Entry:
        """Write one submission as ``pending`` (before anything is sent)."""
        return self.record_many(
            [NewSubmission(request_toml, job_name, company, job_type, timed, source)],
            url=url, user=user, profile=profile, timeout=timeout, now=now,
        )[0]

    def record_many(self, items: list[NewSubmission], *, url: str | None, user: str | None,
                    profile: str | None = None, timeout: float | None = None,
                    now: datetime | None = None) -> list[Entry]:
        """Write several submissions as ``pending`` in one transaction."""
        stamp = now_iso(now)
        url = safe_url(url)
        owner = current_owner()
        ids = []
        with self._tx() as db:
            for it in items:
                text = _clean_toml(it.request_toml)
                cur = db.execute(
                    "INSERT INTO submissions (created, updated, profile, url, user, company, job_name, job_type,"
                    " timed, request, source, fingerprint, timeout, state, owner)"
                    " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,'pending',?)",
                    (stamp, stamp, profile, url, user, it.company, it.job_name, it.job_type, int(it.timed), text,
                     it.source, fingerprint(url, user, text), timeout, owner),
                )
                ids.append(cur.lastrowid)
        return [self.get(i) for i in ids]  # type: ignore[misc]

    def _update(self, entry_id: int, now: datetime | None = None, **values) -> Entry:
        values["updated"] = now_iso(now)
        cols = ", ".join(f"{k} = ?" for k in values)
        with self._tx() as db:
            db.execute(f"UPDATE submissions SET {cols} WHERE id = ?", (*values.values(), entry_id))
        entry = self.get(entry_id)
        if entry is None:
            raise KeyError(entry_id)
        return entry

    def mark_sent(self, entry_id: int, *, now: datetime | None = None) -> Entry:
        """Set immediately before the request goes out (on disk before it leaves)."""
        stamp = now_iso(now)
        return self._update(entry_id, now, state="sent", sent_at=stamp, owner=current_owner())

    def mark_submitted(self, entry_id: int, handle: str, *, now: datetime | None = None) -> Entry:
        return self._update(entry_id, now, state="submitted", handle=handle, error_kind=None, error_code=None,
                            error_message=None)

    def mark_failed(self, entry_id: int, kind: str, code: int | None, message: str, *,
                    note: str | None = None, now: datetime | None = None) -> Entry:
        return self._update(entry_id, now, state="failed", error_kind=kind, error_code=code,
                            error_message=message, note=note)

    def mark_unknown(self, entry_id: int, kind: str, code: int | None, message: str, *,
                     note: str | None = None, now: datetime | None = None) -> Entry:
        return self._update(entry_id, now, state="unknown", error_kind=kind, error_code=code,
                            error_message=message, note=note)

    def mark_reconciled(self, entry_id: int, handle: str, note: str, *, now: datetime | None = None) -> Entry:
        """The service has the job (found by its name after an unanswered submit)."""
        return self._update(entry_id, now, state="reconciled", handle=handle, note=note)

    def set_note(self, entry_id: int, note: str, *, now: datetime | None = None) -> Entry:
        return self._update(entry_id, now, note=note)

    def claim(self, entry: Entry, *, now: datetime | None = None) -> bool:
        """Take over an orphan (compare-and-set on its owner): only one process reconciles it."""
        with self._tx() as db:
            cur = db.execute(
                "UPDATE submissions SET owner = ?, updated = ? WHERE id = ? AND owner IS ? AND state = ?",
                (current_owner(), now_iso(now), entry.id, entry.owner, entry.state),
            )
            return cur.rowcount == 1

    # -- reading ----------------------------------------------------------------------------------------
    def get(self, entry_id: int) -> Entry | None:
        found = self._query(f"SELECT {', '.join(_COLUMNS)} FROM submissions WHERE id = ?", (entry_id,))
        return found[0] if found else None

    def entries(self, *, limit: int | None = 100, offset: int = 0, states: Iterable[str] | None = None,
                company: str | None = None, job_name: str | None = None, search: str | None = None,
                url: str | None = None, user: str | None = None) -> list[Entry]:
        """Newest first."""
        where, args = [], []
        if states:
            states = list(states)
            where.append(f"state IN ({', '.join('?' * len(states))})")
            args += states
        for col, value in (("company", company), ("job_name", job_name), ("url", safe_url(url)), ("user", user)):
            if value is not None:
                where.append(f"{col} = ?")
                args.append(value)
        if search:
            where.append("(job_name LIKE ? OR handle LIKE ? OR company LIKE ? OR source LIKE ?)")
            args += [f"%{search}%"] * 4
        sql = f"SELECT {', '.join(_COLUMNS)} FROM submissions"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            args += [limit, offset]
        return self._query(sql, args)

    def count(self, *, states: Iterable[str] | None = None) -> int:
        with self._lock:
            if states:
                states = list(states)
                return self._db.execute(
                    f"SELECT COUNT(*) FROM submissions WHERE state IN ({', '.join('?' * len(states))})", states
                ).fetchone()[0]
            return self._db.execute("SELECT COUNT(*) FROM submissions").fetchone()[0]

    def latest_for(self, fingerprint_: str, *, exclude: Iterable[int] = ()) -> Entry | None:
        """The newest entry of the same request to the same account."""
        skip = list(exclude)
        sql = f"SELECT {', '.join(_COLUMNS)} FROM submissions WHERE fingerprint = ?"
        if skip:
            sql += f" AND id NOT IN ({', '.join('?' * len(skip))})"
        found = self._query(sql + " ORDER BY id DESC LIMIT 1", (fingerprint_, *skip))
        return found[0] if found else None

    def orphans(self, *, url: str | None = None, user: str | None = None,
                now: datetime | None = None) -> list[Entry]:
        """Unresolved entries whose process has ended, oldest first (optionally of one account)."""
        found = self.entries(limit=None, states=UNRESOLVED, url=url, user=user)
        return sorted((e for e in found if e.orphaned(now)), key=lambda e: e.id)

    def same_name(self, entry: Entry, since: datetime) -> list[Entry]:
        """Other entries of the same account, company and job name created or sent since ``since``."""
        return [
            e for e in self._query(
                f"SELECT {', '.join(_COLUMNS)} FROM submissions WHERE url IS ? AND user IS ? AND company IS ?"
                " AND job_name = ? AND id != ? ORDER BY id",
                (entry.url, entry.user, entry.company, entry.job_name, entry.id),
            )
            if (e.sent_time or e.created_at) >= since
        ]

    def handles(self, *, url: str | None, company: str | None) -> set[str]:
        """Every job handle the journal knows for one service and company."""
        with self._lock:
            rows = self._db.execute(
                "SELECT handle FROM submissions WHERE handle IS NOT NULL AND url IS ? AND company IS ?",
                (safe_url(url), company),
            ).fetchall()
        return {r[0] for r in rows}


def _guarded(method):
    """``method`` with any sqlite3 error turned into a JournalError naming the file."""
    import functools

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            failure = explain(error, self.path)
        raise failure

    return call


for _name in ("record", "record_many", "mark_sent", "mark_submitted", "mark_failed", "mark_unknown",
              "mark_reconciled", "set_note", "claim", "get", "entries", "count", "latest_for", "orphans",
              "same_name", "handles"):
    setattr(Journal, _name, _guarded(getattr(Journal, _name)))
del _name


def _split(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def open_journal(state_dir: str | os.PathLike[str] | None = None) -> Journal:
    """The journal in ``state_dir`` (default: the user state folder)."""
    if state_dir is None:
        return Journal()
    return Journal(Path(state_dir) / FILE_NAME)


def wait_for_time(seconds: float) -> None:  # pragma: no cover - a seam for tests
    time.sleep(seconds)
