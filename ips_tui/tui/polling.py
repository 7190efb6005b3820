"""Polling the service from a screen: never two polls at once, and none while the screen is hidden.

A screen owns a :class:`Poller`, gives it the function that starts one poll (a thread worker), calls
:meth:`Poller.done` when that worker has finished, and forwards its suspend/resume events.
"""

from __future__ import annotations

from collections.abc import Callable


class Poller:
    def __init__(self, screen, launch: Callable[[], object], every: Callable[[], float],
                 keep_going: Callable[[], bool] = lambda: True) -> None:
        self.screen, self.launch, self.every, self.keep_going = screen, launch, every, keep_going
        self._timer = None
        self.busy = False  # a poll is under way
        self._again = False  # asked for while busy: once more right after it
        self._hidden = False

    def request(self) -> None:
        """Poll now, or right after the poll under way."""
        self.stop()
        if self.busy:
            self._again = True
            return
        self.busy, self._again = True, False
        self.launch()

    def done(self) -> None:
        """The poll has answered: the next one is armed only now, so they never overlap."""
        self.busy = False
        if self._again:
            self.request()
        elif not self._hidden and self.screen.is_attached and self.keep_going():
            self._timer = self.screen.set_timer(self.every(), self.request)

    def hide(self) -> None:
        self._hidden = True
        self.stop()

    def show(self) -> None:
        if self._hidden:
            self._hidden = False
            self.request()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
