"""Keys are handled one at a time, in the order they arrive.

Textual forwards each key to the focused widget's queue at once, but runs a key's non-priority bindings
(Tab → next field, an Input's Ctrl+U) only when the key has bubbled back up to the app. In a burst (a
fast typist, a paste, an SSH link that batches keys) the keys after Tab were already queued on the old
field, and the characters after Ctrl+U were typed before it emptied the field.

So the app forwards the next key only when the previous one has made its whole trip: a small
:class:`KeyTurnDone` message is posted right behind each forwarded key, follows it up the same widgets
(queues are first in, first out) and, when it reaches the app, the key's bindings have run. A step that
is being mounted holds the keys the same way (:meth:`OrderedKeys.hold_keys`) until it has the focus.
A turn that never comes back (its widget was removed) is given up after :data:`LOST_TURN` seconds.
A paste (``events.Paste``) takes its turn in the same line as the keys.
"""

from __future__ import annotations

import time
from collections import deque
from contextlib import contextmanager

from textual import events
from textual.message import Message
from textual.widgets import Input

#: seconds after which keys waiting behind a turn that never came back are let through
LOST_TURN = 0.5
#: seconds a step being mounted may hold the keys (a first Spanish Details step loads babel's names)
LOST_HOLD = 3.0


class KeyTurnDone(Message):
    """Follows a key up the DOM; at the app it means that key is done."""

    def __init__(self, turn: int) -> None:
        super().__init__()
        self.turn = turn


class OrderedKeys:
    """Mixin for the App (before ``App`` in the bases)."""

    _key_turn = 0
    _key_busy = False
    _key_holds = 0
    _keys_waiting: deque | None = None
    _key_timer = None
    _key_timer_turn = -1
    _hold_since = 0.0

    async def on_event(self, event: events.Event) -> None:
        # a paste is typing too (a block of lines pasted right after Enter): it takes its turn with the keys
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            if self._keys_waiting is None:
                self._keys_waiting = deque()
            if self._key_busy or self._key_holds or self._keys_waiting:
                self._keys_waiting.append(event)
                self._arm_lost_turn()
                return
            await self._deliver_key(event)
            return
        await super().on_event(event)

    async def _deliver_key(self, event: events.Key) -> None:
        await super().on_event(event)  # Textual's own handling: priority bindings, else to the focus
        if event.is_forwarded and not self._typed_in_place(event):
            self._key_turn += 1
            self._key_busy = True
            target = self.focused or self.screen
            target.post_message(KeyTurnDone(self._key_turn))

    def _typed_in_place(self, event: events.Event) -> bool:
        """A character for a text box: the box types it and stops it there, so no binding runs and the
        focus stays; the next key can queue behind it on the same box at once (the turn's trip up the
        DOM is most of what a typed character costs beyond the box's own repaint)."""
        focused = self.focused
        if not (isinstance(event, events.Key) and event.is_printable) or focused is None:
            return False
        if getattr(focused, "read_only", False):
            return False
        if isinstance(focused, Input):
            return True
        from textual.widgets import TextArea  # (not at start-up: a text area comes with the step that has one)

        return isinstance(focused, TextArea)

    async def on_key_turn_done(self, message: KeyTurnDone) -> None:
        message.stop()
        if message.turn == self._key_turn:
            self._key_busy = False
            if self._keys_waiting:
                # after what the key scheduled on the app (Textual's focus() is deferred that way): the next
                # key goes to the widget that has the focus once this key is done
                self.call_later(self._release_keys)

    async def _release_keys(self) -> None:
        waiting = self._keys_waiting
        while waiting and not self._key_busy and not self._key_holds:
            await self._deliver_key(waiting.popleft())
        if not waiting and self._key_timer is not None:
            self._key_timer.stop()
            self._key_timer = None

    def _arm_lost_turn(self) -> None:
        if self._key_timer is None:
            self._key_timer_turn = self._key_turn
            self._key_timer = self.set_timer(LOST_TURN, self._lost_turn)

    async def _lost_turn(self) -> None:
        self._key_timer = None
        if self._key_turn != self._key_timer_turn:  # keys are going through (a long paste): keep order
            self._arm_lost_turn()
            return
        if self._key_holds and not self._key_busy and time.monotonic() - self._hold_since < LOST_HOLD:
            self._arm_lost_turn()  # a step is still being mounted
            return
        self._key_busy = False
        self._key_holds = 0
        await self._release_keys()

    # -- holding keys while the focus is about to move --------------------------------------------
    def hold_keys(self) -> None:
        """Keys that arrive from now on wait until :meth:`release_keys` (a step is being mounted)."""
        if not self._key_holds:
            self._hold_since = time.monotonic()
        self._key_holds += 1

    def release_keys(self) -> None:
        if self._key_holds:
            self._key_holds -= 1
        if not self._key_holds and self._keys_waiting:
            self.call_later(self._release_keys)  # after the step's focus() (deferred) has moved the focus


@contextmanager
def released_after(app, held: bool = True):
    """Run the block (what moves the focus), then let the held keys go, whatever it raised: they land where
    the focus went (``release_keys`` waits for a deferred ``focus()``). ``held``: whether there is a hold
    to end (a list's choice may not have taken one)."""
    try:
        yield
    finally:
        if held:
            app.release_keys()
