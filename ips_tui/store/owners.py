"""Who owns a journal entry: ``host:pid:process start``, and whether that process may still be working on it
(a pid reused by another process, or an owner on another host sharing the home folder, do not count)."""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta, timezone

#: an owner on another host (a shared home folder) counts as gone after this long without an update
FOREIGN_OWNER_STALE = timedelta(hours=1)


def _proc_start(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or '' where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read().decode("ascii", "replace")
        return data.rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return ""


_HOST = socket.gethostname()
_OWNER_CACHE: dict[int, str] = {}


def current_owner() -> str:
    pid = os.getpid()
    if pid not in _OWNER_CACHE:  # a fork gets its own
        _OWNER_CACHE[pid] = f"{_HOST}:{pid}:{_proc_start(pid)}"
    return _OWNER_CACHE[pid]


def owner_alive(owner: str | None, updated: datetime | None = None, *, now: datetime | None = None) -> bool:
    """Whether the process that wrote a row may still be working on it."""
    if not owner:
        return False
    try:
        host, pid_text, start = owner.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return False
    if host != _HOST:
        if updated is None:
            return False
        return (now or datetime.now(timezone.utc)) - updated < FOREIGN_OWNER_STALE
    if owner == current_owner():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # exists, someone else's
    except OSError:
        return False
    actual = _proc_start(pid)
    return not (start and actual and actual != start)  # a reused pid is another process
