"""One wall-clock deadline per HTTP call that no server can stretch.

urllib3's read timeout applies to each ``recv``: a server that sends one byte a second (in the headers or
the body) never trips it. Here a watchdog shuts the call's socket down when the call's time is up (one
clock thread serves every call), so the blocked read returns at once wherever it is (connect, headers,
body, TLS), and the transport turns the failure into a :class:`~ips_tui.ips.faults.RequestTimeout`.

The sockets are found through the connection pool: the adapter's pools register, in the calling thread's
:class:`Watch`, the socket of every connection they hand out or open (the socket, not the connection:
http.client drops ``conn.sock`` while a read-until-close body is still being read). SOCKS proxies keep
urllib3's own pools (and so only the per-read timeout).
"""

from __future__ import annotations

import heapq
import socket
import threading
import time

import urllib3
import urllib3.connection
from requests.adapters import HTTPAdapter

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


class _HTTPConn(urllib3.connection.HTTPConnection):
    def connect(self):
        super().connect()
        _register(self.sock)


class _HTTPSConn(urllib3.connection.HTTPSConnection):
    def connect(self):
        super().connect()
        _register(self.sock)


class _HTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _HTTPConn

    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        _register(conn.sock)  # a kept-alive connection (a new one registers when it connects)
        return conn


class _HTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _HTTPSConn

    def _get_conn(self, timeout=None):
        conn = super()._get_conn(timeout)
        _register(conn.sock)
        return conn


_POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    """requests' adapter with pools that report their connections to the current :class:`Watch`."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(_POOLS)

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = dict(_POOLS)
        return manager
