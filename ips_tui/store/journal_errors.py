"""What can go wrong with the journal file, in words: every ``sqlite3`` error becomes a :class:`JournalError`
(exit 2) that names the file and says what to do next; a damaged file is moved aside, never deleted or
overwritten (:func:`move_aside`), and can be read back with ``ips-tui history --recover``."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from ips_tui.i18n import _

#: the moved-aside copies: journal.sqlite3.damaged-20261201-065800 (its -wal/-shm beside it)
DAMAGED_INFIX = ".damaged-"
_SIDE_FILES = ("-wal", "-shm")


class JournalError(Exception):
    """The journal cannot be used (exit 2); ``path`` is the journal, ``moved_to`` a moved-aside copy."""

    exit_code = 2
    kind = "journal"

    def __init__(self, message: str, path: Path, *, moved_to: Path | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.moved_to = moved_to

    def __str__(self) -> str:
        return self.message


def is_damage(error: BaseException) -> bool:
    """Whether a sqlite3 error says the file itself is broken (not busy, full or read-only)."""
    text = str(error).lower()
    # sqlite3 raises the bare DatabaseError for SQLITE_CORRUPT / SQLITE_NOTADB; its subclasses (locked, full,
    # a constraint) are about the use, not the file
    return type(error) is sqlite3.DatabaseError or any(
        words in text for words in ("malformed", "not a database", "file is encrypted", "corrupt")
    )


def explain(error: BaseException, path: Path) -> JournalError:
    """A sqlite3 error met while using the journal at ``path``."""
    text = str(error)
    low = text.lower()
    if isinstance(error, sqlite3.OperationalError) and _no_space(path):
        low = "disk is full"  # SQLite says only "disk I/O error" when the -wal/-shm files cannot grow
    if is_damage(error):
        message = _(
            "The submission journal {path} is damaged ({reason}). Nothing was changed. Run `ips-tui history "
            "--check` to see what is wrong, and check `ips-tui jobs` before sending anything again."
        )
    elif "disk is full" in low or "disk full" in low:
        message = _(
            "The submission journal {path} cannot be written: the disk is full ({reason}). Nothing was sent. "
            "Free some space and try again."
        )
    elif "locked" in low or "busy" in low:
        message = _(
            "The submission journal {path} is locked by another ips-tui process ({reason}). Try again when it "
            "has finished."
        )
    elif "readonly" in low or "read-only" in low or "unable to open" in low or "permission" in low:
        message = _(
            "The submission journal {path} cannot be opened for writing ({reason}). Check the permissions of the "
            "file and its folder (IPS_TUI_STATE_DIR chooses another folder)."
        )
    else:
        message = _("The submission journal {path} cannot be used ({reason}). Run `ips-tui history --check`.")
    return JournalError(message.format(path=path, reason=text), path)


def _no_space(path: Path) -> bool:
    try:
        st = os.statvfs(path.parent)
    except (OSError, AttributeError):
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


def move_aside(path: Path, reason: str) -> JournalError:
    """Rename a damaged (or zero-length) journal and its side files out of the way; the error to raise."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(path.name + DAMAGED_INFIX + stamp)
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}{DAMAGED_INFIX}{stamp}-{n}")
        n += 1
    try:
        os.rename(path, target)
    except FileNotFoundError:  # another ips-tui process moved it a moment ago
        copies = damaged_copies(path)
        target = copies[-1] if copies else target
    except OSError as error:  # a read-only folder: leave it where it is, and say so
        return JournalError(_(
            "The submission journal {path} is damaged ({reason}) and could not be moved aside ({error}). Nothing "
            "was changed. Move it away yourself, then copy what is readable back with `ips-tui history --recover "
            "FILE`.").format(path=path, reason=reason, error=error.strerror or error), path)
    for side in _SIDE_FILES:
        extra = path.with_name(path.name + side)
        try:
            os.rename(extra, target.with_name(target.name + side))
        except OSError:
            pass  # not there (or gone with another process's move)
    message = _(
        "The submission journal {path} was damaged ({reason}). It has been moved to {moved} (nothing was deleted); "
        "the next command starts a new journal. Copy what is still readable into it with `ips-tui history "
        "--recover {moved}`, and check `ips-tui jobs` before sending anything again: a submission that was "
        "under way may already be on the service."
    ).format(path=path, reason=reason, moved=target)
    return JournalError(message, path, moved_to=target)


def damaged_copies(path: Path) -> list[Path]:
    """The moved-aside copies of the journal at ``path``, oldest first."""
    return sorted(p for p in path.parent.glob(path.name + DAMAGED_INFIX + "*")
                  if not p.name.endswith(_SIDE_FILES))
