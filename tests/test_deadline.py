"""The one deadline per call, at the client: a fresh connection and a kept-alive one, and the watchdog itself."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from hostile import HostileServer
from ips_tui.ips.client import IpsClient
from ips_tui.ips.deadline import Watch
from ips_tui.ips.faults import RequestTimeout
from ips_tui.ips.schema import NS

MEMBERSHIP = (
    '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/'
    f'envelope/"><soapenv:Body><getCompanyMembershipReturn xmlns="{NS}"><membershipArray><items><company>'
    "<companyHandle>c|101</companyHandle><name>Acme</name><rootPath>Acme/</rootPath></company><role>IpsUser"
    "</role><isActive>true</isActive></items></membershipArray></getCompanyMembershipReturn></soapenv:Body>"
    "</soapenv:Envelope>"
).encode()


def test_the_deadline_holds_on_a_kept_alive_connection():
    with HostileServer("keepalive_then_drip", interval=0.3, reply=MEMBERSHIP) as server:
        client = IpsClient(server.url, "u@x.com", "pw", timeout=1.5, connect_timeout=1)
        assert client.get_company_membership()[0]["company"]["companyHandle"] == "c|101"
        started = time.monotonic()
        with pytest.raises(RequestTimeout) as info:
            client.get_company_membership()
        elapsed = time.monotonic() - started
    assert len(server.requests) == 2  # the second request went over the same connection
    assert elapsed < 1.5 + 2  # the configured timeout, with room for a busy machine
    assert info.value.maybe_processed and "within 1.5 s" in str(info.value)


def test_the_watch_cuts_a_blocked_read():
    a, b = socket.socketpair()
    try:
        got = []
        with Watch(0.2) as watch:
            watch.add(a)
            reader = threading.Thread(target=lambda: got.append(a.recv(10)))
            reader.start()
            reader.join(5)
        assert watch.fired and got == [b""] and not reader.is_alive()
    finally:
        a.close()
        b.close()


def test_a_watch_without_seconds_never_fires():
    with Watch(None) as watch:
        time.sleep(0.05)
    assert not watch.fired
