"""A call made in a widget's own turn, a delay after the last time it was asked for (the wizard's
whole-request check after a burst of keys, the draft's write, the asset picker's search as words are typed).

It waits on a plain event-loop timer that each ``start`` moves back. A Textual timer is a task of its own,
made anew and cancelled on every key, and its call goes through more dispatches."""

from __future__ import annotations

import asyncio
from typing import Callable

from textual.message_pump import MessagePump


class TurnTimer:
    """``callback`` in ``pump``'s turn, ``delay`` seconds after the last :meth:`start`."""

    def __init__(self, pump: MessagePump, delay: float, callback: Callable[[], None]) -> None:
        self._pump = pump
        self._delay = delay
        self._callback = callback
        self._handle: asyncio.TimerHandle | None = None
        self._queued = False  # its time came: it waits for the pump's turn

    @property
    def pending(self) -> bool:
        """The call is waiting (for its time, or for its turn)."""
        return self._handle is not None or self._queued

    def start(self) -> None:
        """Call it ``delay`` seconds from now (a call already waiting is moved, not made twice)."""
        self.cancel()
        self._handle = asyncio.get_running_loop().call_later(self._delay, self._fired)

    def cancel(self) -> None:
        """No call, also none that waits for its turn (what it would do was done, or is moot)."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._queued = False

    def _fired(self) -> None:
        # on the loop, outside the pump: the call runs in the pump's own turn (its errors go to Textual);
        # a pump already gone has nothing to do
        self._handle = None
        if self._pump.is_attached:
            self._queued = True
            self._pump.call_next(self._run)

    def _run(self) -> None:
        if self._queued:  # (cancelled while it waited for the turn: nothing)
            self._queued = False
            self._callback()
