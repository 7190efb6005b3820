"""Files and folders that hold profiles or the journal are the operator's alone: one that other users may
read is tightened (0700 folders, 0600 files) and that is said once, through :func:`take_notices` (the CLI
prints them on standard error; the core never prints)."""

from __future__ import annotations

import os
from pathlib import Path

from ips_tui.i18n import _

NOTICES: list[str] = []


def take_notices() -> list[str]:
    """What the store tightened or wants the operator to know since the last call (each said once)."""
    out = list(dict.fromkeys(NOTICES))
    NOTICES.clear()
    return out


def tighten(path: Path, mode: int) -> None:
    """Take group and world access away from our own ``path`` (a folder or a file), and say so once."""
    try:
        st = path.stat()
    except OSError:
        return
    if not st.st_mode & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return
    try:
        os.chmod(path, mode)
    except OSError as error:
        NOTICES.append(_("{path} can be read by other users (mode {mode:o}) and could not be tightened: "
                          "{reason}").format(path=path, mode=st.st_mode & 0o777, reason=error.strerror or error))
        return
    NOTICES.append(_("{path} could be read by other users (mode {old:o}); it is now {new:o}.").format(
        path=path, old=st.st_mode & 0o777, new=mode))
