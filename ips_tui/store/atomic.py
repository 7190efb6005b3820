"""Atomic file writes and a cross-process lock for read-modify-write.

A reader sees the old file or the new one, never half of either: the text goes to a temporary
file in the same folder, is flushed to disk, given its mode, and renamed over the target; then
the folder itself is flushed so the rename survives a crash.

``locked(path)`` takes an exclusive lock on ``path + ".lock"`` (``flock`` through filelock, so a
lock held by a process that died is released by the kernel). Every read-modify-write of a shared
file runs inside it, re-reading the file after the lock is taken.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ips_tui.i18n import _

FILE_MODE = 0o600
LOCK_TIMEOUT = 10.0


class StoreLockError(TimeoutError):
    """Another process held the lock for longer than the timeout."""

    def __init__(self, path: Path, lock_path: Path, timeout: float) -> None:
        self.path = path
        self.lock_path = lock_path
        self.timeout = timeout
        super().__init__(
            _(
                "Could not lock {path}: another ips-tui process has been changing it for more than "
                "{seconds:g} s. Try again when it has finished. (The lock is {lock}; it is released "
                "when that process ends.)"
            ).format(path=path, seconds=timeout, lock=lock_path)
        )


#: errors that mean "could not write here" (the others, e.g. a folder where the file should be, stay as they are)
_WRITE_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EIO, errno.EFBIG})


class StoreWriteError(OSError):
    """A file could not be written (disk full, read-only, no permission); the old file is as it was."""

    def __init__(self, path: Path, error: OSError) -> None:
        self.path = path
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            reason = _("the disk is full")
        elif error.errno == errno.EROFS:
            reason = _("the file system is read-only")
        elif error.errno in (errno.EACCES, errno.EPERM):
            reason = _("permission denied")
        else:
            reason = error.strerror or str(error)
        super().__init__(error.errno, _("Could not write {path}: {reason}. The file is unchanged (as it was before "
                                        "this save).").format(path=path, reason=reason))

    def __str__(self) -> str:
        return self.strerror or ""


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename into it) to disk. A no-op where folders cannot be opened."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:  # e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the rename is still atomic
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, mode: int = FILE_MODE, *,
                       replace: bool = True) -> None:
    """Write ``data`` to ``path`` atomically; the file ends with permissions ``mode``. With
    ``replace=False`` an existing ``path`` is never touched: FileExistsError (decided by the file system,
    so a file that appears meanwhile is not overwritten either)."""
    path = Path(path)
    folder = path.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        if error.errno not in _WRITE_ERRNOS:
            raise
        raise StoreWriteError(path, error) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        if replace:
            os.replace(tmp, path)
        else:
            os.link(tmp, path)
            os.unlink(tmp)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        if isinstance(error, OSError) and not isinstance(error, StoreWriteError) and error.errno in _WRITE_ERRNOS:
            raise StoreWriteError(path, error) from None
        raise
    fsync_dir(folder)


def atomic_write_text(path: str | os.PathLike[str], text: str, mode: int = FILE_MODE, *,
                      replace: bool = True) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically, with permissions ``mode``; with
    ``replace=False`` never over an existing file (FileExistsError)."""
    atomic_write_bytes(path, text.encode("utf-8"), mode, replace=replace)


@contextlib.contextmanager
def locked(path: str | os.PathLike[str], timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold an exclusive lock on ``path + ".lock"`` for the duration of the block.

    Raises :class:`StoreLockError` (a ``TimeoutError``) after ``timeout`` seconds. Locks are not
    re-entrant across calls: do not nest ``locked`` on the same path.
    """
    from filelock import FileLock, Timeout  # ~20 ms to import: only writers pay it

    path = Path(path)
    lock_path = path.with_name(path.name + ".lock")
    lock = FileLock(lock_path, timeout=timeout, mode=FILE_MODE)
    try:
        lock.acquire()
    except Timeout:
        raise StoreLockError(path, lock_path, timeout) from None
    try:
        yield
    finally:
        lock.release()
