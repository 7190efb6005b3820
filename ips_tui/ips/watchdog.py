"""One wall-clock deadline per call, kept by a watchdog that shuts the call's sockets down when its time is up
(so a blocked read returns at once, wherever it is). Used by the full client's transport (ips/deadline.py,
through urllib3's pools) and by the lean listings (ips/lean_http.py, on its http.client socket)."""

from __future__ import annotations

import heapq
import socket
import threading
import time

_local = threading.local()


class _Clock:
    """One daemon thread for every deadline of the process (a thread per call would cost ~0.4 ms each)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._heap: list = []  # (monotonic deadline, sequence, watch)
        self._seq = 0
        self._thread = None

    def add(self, watch: "Watch", seconds: float) -> None:
        with self._cond:
            self._seq += 1
            heapq.heappush(self._heap, (time.monotonic() + seconds, self._seq, watch))
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ips-deadlines", daemon=True)
                self._thread.start()
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._heap:
                    self._cond.wait()
                when, _seq, watch = self._heap[0]
                delay = when - time.monotonic()
                if watch.done:
                    heapq.heappop(self._heap)
                    continue
                if delay > 0:
                    self._cond.wait(delay)
                    continue
                heapq.heappop(self._heap)
            watch._fire()


_clock = _Clock()


class Watch:
    """The deadline of one call: ``with Watch(seconds) as w: ...``; ``w.fired`` tells whether time ran out."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.fired = False
        self.done = False
        self._socks: list = []
        self._lock = threading.Lock()

    def __enter__(self) -> "Watch":
        self._previous = getattr(_local, "watch", None)
        _local.watch = self
        if self.seconds:
            _clock.add(self, max(0.0, self.seconds))
        return self

    def __exit__(self, *exc) -> None:
        with self._lock:
            self.done = True  # the clock drops it; a late fire cuts nothing
            self._socks.clear()
        _local.watch = self._previous

    def add(self, sock) -> None:
        with self._lock:
            if self.done:
                return
            self._socks.append(sock)
            fired = self.fired
        if fired:
            _cut(sock)

    def _fire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.fired = True
            socks = list(self._socks)
        for sock in socks:
            _cut(sock)


def _cut(sock) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)  # wakes a recv blocked in another thread
    except OSError:
        pass


def _register(sock) -> None:
    watch = getattr(_local, "watch", None)
    if watch is not None and sock is not None:
        watch.add(sock)
