"""Drafts: the wizard's form, saved as it is typed, offered back after a crash or a dropped SSH session.

Each running wizard writes its own file ``drafts/<pid>.json`` in the state folder (atomic, mode
0600, folder 0700), so two terminals on one server never overwrite each other's work. At start the
newest draft whose process is no longer running is offered back; a draft is removed once its job
is submitted or the operator discards it.

A draft never holds a password: the form has none, and any key that looks like a secret is dropped
before writing, at any depth.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ips_tui.store import paths
from ips_tui.store.atomic import atomic_write_text

DRAFTS_DIR = "drafts"
_SECRET_WORDS = ("password", "passwd", "secret", "token")


@dataclass(frozen=True)
class Draft:
    path: Path
    pid: int
    saved_at: float  # epoch seconds
    form: dict[str, Any]


def _folder(state_dir: str | os.PathLike[str] | None, create: bool) -> Path:
    base = Path(state_dir) if state_dir is not None else paths.state_dir(create=create)
    folder = base / DRAFTS_DIR
    if create:
        paths.ensure_dir(folder)
    return folder


def _scrub(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()
                if not any(w in str(k).lower() for w in _SECRET_WORDS)}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def save_draft(form: dict[str, Any], *, state_dir: str | os.PathLike[str] | None = None,
               pid: int | None = None, now: float | None = None) -> Path:
    """Write this process's draft (replacing its previous one)."""
    pid = os.getpid() if pid is None else pid
    folder = _folder(state_dir, create=True)
    doc = {"version": 1, "pid": pid, "saved_at": time.time() if now is None else now, "form": _scrub(form)}
    path = folder / f"{pid}.json"
    atomic_write_text(path, json.dumps(doc, ensure_ascii=False, indent=1), mode=0o600)
    return path


def discard_draft(path: str | os.PathLike[str] | None = None, *,
                  state_dir: str | os.PathLike[str] | None = None) -> None:
    """Remove one draft (default: this process's)."""
    if path is None:
        path = _folder(state_dir, create=False) / f"{os.getpid()}.json"
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own earlier life cannot be running: a new process has a new pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def list_drafts(*, state_dir: str | os.PathLike[str] | None = None) -> list[Draft]:
    """Every readable draft, newest first. Unreadable files are skipped, never deleted."""
    folder = _folder(state_dir, create=False)
    out: list[Draft] = []
    try:
        entries = list(folder.glob("*.json"))
    except OSError:
        return []
    for path in entries:
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            form = doc["form"]
            if not isinstance(form, dict):
                continue
            out.append(Draft(path, int(doc.get("pid", 0)), float(doc.get("saved_at", 0.0)), form))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    out.sort(key=lambda d: d.saved_at, reverse=True)
    return out


def orphaned_draft(*, state_dir: str | os.PathLike[str] | None = None) -> Draft | None:
    """The newest draft left by a process that is no longer running (a crash, a dropped SSH session)."""
    for draft in list_drafts(state_dir=state_dir):
        if not _alive(draft.pid):
            return draft
    return None
