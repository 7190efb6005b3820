"""What the sandbox keeps of the requests it received and the jobs it accepted: the newest ones only.

A long-running sandbox (``ips-tui sandbox`` filled with thousands of jobs, or the app open for a shift)
would otherwise keep every request body for ever. :class:`BoundedLog` is a list that drops its oldest
entries once it holds more than ``cap`` (in chunks, so an append stays O(1) on average) and counts what it
dropped and what it was ever given. Tests read it as a list (indexing, slicing, ``of()``); they stay well
under the cap.
"""

from __future__ import annotations

import threading

#: requests kept by :attr:`Sandbox.received` (each holds its body: a few KiB for a submit)
MAX_RECEIVED = 2_000
#: accepted submissions kept for :meth:`Sandbox.submitted_jobs`
MAX_SUBMITTED = 2_000


class BoundedLog(list):
    """A list that several server threads append to, holding at most ``cap`` (+ a quarter, between trims)
    of the newest entries; iteration walks a snapshot."""

    def __init__(self, cap: int = MAX_RECEIVED):
        if cap < 1:
            raise ValueError("a log keeps at least one entry")
        super().__init__()
        self.cap = cap
        self.dropped = 0  # the oldest entries let go so far
        self._lock = threading.Lock()

    @property
    def total(self) -> int:
        """How many entries were ever appended (kept + dropped)."""
        return self.dropped + len(self)

    def append(self, item) -> None:
        with self._lock:
            super().append(item)
            over = super().__len__() - self.cap
            if over > self.cap // 4:  # trim in chunks: the copy is paid once per cap/4 appends
                del self[:over]
                self.dropped += over

    def clear(self) -> None:
        with self._lock:
            super().clear()

    def snapshot(self) -> list:
        with self._lock:
            return list(super().__iter__())

    def __iter__(self):
        return iter(self.snapshot())

    def of(self, operation: str) -> list:
        return [r for r in self.snapshot() if r.operation == operation]
