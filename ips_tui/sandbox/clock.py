"""The sandbox clock (no lxml, no schedule parser: the server builds it before any request arrives)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone


class SandboxClock:
    """The sandbox's time: real time times ``speed`` from an anchor, plus whatever ``advance`` adds.

    ``speed=0`` freezes it (tests then move it only with ``advance``/``set``)."""

    def __init__(self, speed: float = 1.0, start: datetime | None = None):
        if speed < 0:
            raise ValueError("speed must be >= 0")
        self._lock = threading.Lock()
        self._speed = float(speed)
        self._anchor = (start or datetime.now(timezone.utc)).astimezone(timezone.utc)
        self._mono = time.monotonic()

    def now(self) -> datetime:
        with self._lock:
            return self._now()

    def _now(self) -> datetime:
        return self._anchor + timedelta(seconds=(time.monotonic() - self._mono) * self._speed)

    def advance(self, seconds: float) -> datetime:
        """Move the clock forward (or back, with a negative value); returns the new time."""
        with self._lock:
            self._anchor = self._now() + timedelta(seconds=seconds)
            self._mono = time.monotonic()
            return self._anchor

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        with self._lock:
            self._anchor = when.astimezone(timezone.utc)
            self._mono = time.monotonic()

    @property
    def speed(self) -> float:
        return self._speed

    @speed.setter
    def speed(self, value: float) -> None:
        if value < 0:
            raise ValueError("speed must be >= 0")
        with self._lock:
            self._anchor = self._now()
            self._mono = time.monotonic()
            self._speed = float(value)
