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

import urllib3
import urllib3.connection
from requests.adapters import HTTPAdapter

from ips_tui.ips.watchdog import Watch, _register  # noqa: F401  (Watch: imported from here)


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
