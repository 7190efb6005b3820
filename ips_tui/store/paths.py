"""Where ips-tui keeps its files.

Four folders, from platformdirs (which honours ``XDG_CONFIG_HOME``, ``XDG_STATE_HOME``,
``XDG_DATA_HOME`` and ``XDG_CACHE_HOME`` on Linux), each overridable by its own variable:

=======  ======================  ===========================================
kind     override                holds
=======  ======================  ===========================================
config   ``IPS_TUI_CONFIG_DIR``  ``profiles.toml`` and other settings a person edits
state    ``IPS_TUI_STATE_DIR``   the submission journal, history
data     ``IPS_TUI_DATA_DIR``    saved jobs
cache    ``IPS_TUI_CACHE_DIR``   anything that can be rebuilt
=======  ======================  ===========================================

Folders are created on first use with mode 0700: a job journal or a profile says which
accounts an operator uses, and other users of a shared ops server need not know.
``user_runtime_dir`` is never used: it warns when ``XDG_RUNTIME_DIR`` is unset, which is common
over SSH.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from ips_tui import APP_NAME

DIR_MODE = 0o700

_OVERRIDES = {
    "config": "IPS_TUI_CONFIG_DIR",
    "state": "IPS_TUI_STATE_DIR",
    "data": "IPS_TUI_DATA_DIR",
    "cache": "IPS_TUI_CACHE_DIR",
}

_PLATFORM = {
    "config": platformdirs.user_config_dir,
    "state": platformdirs.user_state_dir,
    "data": platformdirs.user_data_dir,
    "cache": platformdirs.user_cache_dir,
}


def _resolve(kind: str, create: bool) -> Path:
    override = os.environ.get(_OVERRIDES[kind], "").strip()
    if override:
        path = Path(override).expanduser()
    else:
        path = Path(_PLATFORM[kind](APP_NAME, appauthor=False))
    if create:
        ensure_dir(path)
    return path


def ensure_dir(path: Path, mode: int = DIR_MODE) -> Path:
    """Create ``path`` and any missing parents, each with ``mode`` (the umask does not widen or narrow it).

    Folders that already exist are left as they are.
    """
    path = Path(path)
    missing: list[Path] = []
    probe = path
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=mode)
        except FileExistsError:
            if not folder.is_dir():
                raise
            continue  # someone else made it meanwhile: theirs to set
        os.chmod(folder, mode)  # mkdir's mode is filtered by the umask
    return path


def config_dir(create: bool = True) -> Path:
    """Settings a person may edit, e.g. ``profiles.toml``."""
    return _resolve("config", create)


def state_dir(create: bool = True) -> Path:
    """What ips-tui records as it works (the submission journal)."""
    return _resolve("state", create)


#: the submission journal's file name in the state folder (ips_tui.store.journal)
JOURNAL_FILE = "journal.sqlite3"


def journal_file(state: str | os.PathLike[str] | None = None) -> Path:
    """Where the journal is, or would be, in ``state`` (default: the state folder); creates nothing and
    loads no SQLite, so a start-up can look cheaply whether anything was ever submitted."""
    return (Path(state) if state is not None else state_dir(create=False)) / JOURNAL_FILE


def data_dir(create: bool = True) -> Path:
    """Files the user keeps (saved jobs)."""
    return _resolve("data", create)


def cache_dir(create: bool = True) -> Path:
    """Files that can be rebuilt at any time."""
    return _resolve("cache", create)
