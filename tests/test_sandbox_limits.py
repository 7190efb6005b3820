"""The sandbox's own manners: 411 for a body without a length, chunked bodies read, a bound on the
connections served at once, and a proper fault (not an internal error) for dates at the edge."""

from __future__ import annotations

import socket
import time

from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import ApiFault

ENVELOPE = (b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
            b'<soapenv:Header><a:authHeader xmlns:a="http://www.scene7.com/IpsApi/xsd"><a:user>demo@sandbox.ips'
            b'</a:user><a:password>sandbox-demo</a:password></a:authHeader></soapenv:Header><soapenv:Body>'
            b'<getCompanyMembershipParam xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03"/>'
            b'</soapenv:Body></soapenv:Envelope>')


def raw(box, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", int(box.base_url.rsplit(":", 1)[1])), timeout=5) as s:
        s.sendall(request)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                return data
            data += chunk
            if b"\r\n\r\n" in data:
                head, _sep, body = data.partition(b"\r\n\r\n")
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:") and len(body) >= int(line.split(b":")[1]):
                        return data


def post(headers: str, body: bytes) -> bytes:
    return (f"POST /scene7/services/IpsApiService HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
            f"SOAPAction: getCompanyMembership\r\n{headers}Connection: close\r\n\r\n").encode() + body


def test_a_body_without_a_length_gets_411(sandbox):
    reply = raw(sandbox, post("", ENVELOPE))
    assert reply.startswith(b"HTTP/1.1 411 Length Required")


def test_a_chunked_body_is_read(sandbox):
    chunks = b"".join(b"%x\r\n%s\r\n" % (len(ENVELOPE[i:i + 100]), ENVELOPE[i:i + 100])
                      for i in range(0, len(ENVELOPE), 100))
    reply = raw(sandbox, post("Transfer-Encoding: chunked\r\n", chunks + b"0\r\n\r\n"))
    assert reply.startswith(b"HTTP/1.1 200 OK") and b"membershipArray" in reply


def test_a_broken_chunked_body_is_refused(sandbox):
    reply = raw(sandbox, post("Transfer-Encoding: chunked\r\n", b"zz\r\nxx\r\n0\r\n\r\n"))
    assert reply.startswith(b"HTTP/1.1 413")


def test_connections_beyond_the_bound_are_answered_503(sandbox_factory):
    box = sandbox_factory(max_connections=2)
    port = int(box.base_url.rsplit(":", 1)[1])
    held = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(2)]
    try:
        for s in held:  # one answered request each: both are being served (idle keep-alive threads now)
            s.sendall(b"GET /nothing HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = b""
            while not reply.endswith(b"Not found\n"):
                reply += s.recv(4096)
            assert reply.startswith(b"HTTP/1.1 404")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as third:
            assert third.recv(200).startswith(b"HTTP/1.1 503")
    finally:
        for s in held:
            s.close()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the slots come back when the connections close
        try:
            assert IpsClient(box.url, box.user, box.password).get_company_membership()
            break
        except Exception:
            time.sleep(0.1)
    else:
        raise AssertionError("the sandbox did not serve again after the connections closed")


def test_a_date_at_the_edge_is_a_fault_not_an_internal_error(sandbox):
    client = IpsClient(sandbox.url, sandbox.user, sandbox.password)
    payload = {"companyHandle": "c|101", "jobName": "edge", "execTime": "9999-12-31T23:59:59-12:00",
               "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}}
    try:
        client.submit_job(payload)
    except ApiFault as fault:
        assert fault.code == 30001 and "outside the range" in fault.reason
        assert "Internal sandbox error" not in fault.message
    else:
        raise AssertionError("accepted an execTime in year 10000 UTC")
    assert sandbox.submitted_jobs() == []


def test_standalone_strict_sandbox(tmp_path):
    import json
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "ips_tui", "sandbox", "--auth-header", "dated"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        assert info["auth_header"] == "dated"
        documented = IpsClient(info["url"], info["user"], info["password"], adapt_auth_header=False)
        try:
            documented.get_company_membership()
        except Exception as error:
            assert getattr(error, "code", None) == 10000
        else:
            raise AssertionError("a strict dated sandbox read the documented header")
        assert IpsClient(info["url"], info["user"], info["password"], auth_header="dated").get_company_membership()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(10)
    assert proc.returncode == 0
