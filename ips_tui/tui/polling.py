"""Polling the service from a screen: never two polls at once, none while the screen is hidden, and slower
while nothing changes.

A screen owns a :class:`Poller`, gives it the function that starts one poll (a thread worker), calls
:meth:`Poller.done` when that worker has finished (saying whether what it read had changed), and forwards
its suspend/resume events. With ``slowest`` set, each poll that found nothing new doubles the wait, up to
``slowest`` seconds; a change, or :meth:`nudge` (a key pressed), brings it back to ``every()``.
"""

from __future__ import annotations

from collections.abc import Callable


class Poller:
    def __init__(self, screen, launch: Callable[[], object], every: Callable[[], float],
                 keep_going: Callable[[], bool] = lambda: True, *, slowest: float | None = None) -> None:
        self.screen, self.launch, self.every, self.keep_going = screen, launch, every, keep_going
        self.slowest = slowest
        self._timer = None
        self.busy = False  # a poll is under way
        self._again = False  # asked for while busy: once more right after it
        self._hidden = False
        self._quiet = 0  # polls in a row that found nothing new

    @property
    def wait(self) -> float:
        """Seconds until the next poll, as things stand."""
        base = self.every()
        if self.slowest is None or self._quiet == 0:
            return base
        return min(max(self.slowest, base), base * 2 ** min(self._quiet, 16))

    def request(self) -> None:
        """Poll now, or right after the poll under way."""
        self.stop()
        if self.busy:
            self._again = True
            return
        self.busy, self._again = True, False
        self.launch()

    def done(self, changed: bool = True) -> None:
        """The poll has answered: the next one is armed only now, so they never overlap."""
        self.busy = False
        self._quiet = 0 if changed else self._quiet + 1
        if self._again:
            self.request()
        else:
            self._arm()

    def nudge(self) -> None:
        """The operator is here (a key): back to the quick pace, re-arming a slow wait that is pending."""
        if self._quiet == 0:
            return
        self._quiet = 0
        if self._timer is not None:
            self.stop()
            self._arm()

    def _arm(self) -> None:
        if not self._hidden and self.screen.is_attached and self.keep_going():
            self._timer = self.screen.set_timer(self.wait, self.request)

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
