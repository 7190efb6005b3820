"""When the network, TLS or a gateway misbehaves: each sandbox injection kind, a refused connection,
timeouts, certificate checks, REQUESTS_CA_BUNDLE, and no password left behind after a call."""

from __future__ import annotations

import gc
import socket
import time
import types

import pytest
import urllib3

from ips_tui.ips import client as client_module
from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import (
    ConnectionFailed,
    HttpError,
    InvalidInput,
    IpsError,
    MalformedReply,
    RequestTimeout,
    TlsError,
    TransportError,
)
from ips_tui.ips.transport import host_of

PUBLISH = {"publishType": "Full", "emailSetting": "Error"}


def make_client(box, **kw):
    return IpsClient(
        box.url,
        kw.pop("user", box.user),
        kw.pop("password", box.password),
        cacert=kw.pop("cacert", box.ca_path),
        timeout=kw.pop("timeout", 10),
        connect_timeout=kw.pop("connect_timeout", 5),
        **kw,
    )


def job(box, name):
    return {"companyHandle": box.companies[0]["handle"], "jobName": name, "imageServingPublishJob": PUBLISH}


def transport_error(call, cls) -> TransportError:
    with pytest.raises(cls) as info:
        call()
    err = info.value
    assert isinstance(err, TransportError) and err.exit_code == 4 and str(err) == err.message
    assert err.__cause__ is None and err.__context__ is None
    return err


# --- injections ------------------------------------------------------------------------------------


def test_http502_html(sandbox):
    sandbox.inject("http502_html", operation="submitJob")
    err = transport_error(lambda: make_client(sandbox).submit_job(job(sandbox, "gw")), HttpError)
    host = host_of(sandbox.url)
    assert err.kind == "http" and err.status == 502 and err.content_type == "text/html"
    assert str(err) == f"HTTP 502 from {host}: the gateway did not reach the service; try again later."
    assert sandbox.submitted_jobs() == []


def test_http500_html(sandbox):
    sandbox.inject("http500_html")
    err = transport_error(lambda: make_client(sandbox).get_company_membership(), HttpError)
    assert err.status == 500 and "without a SOAP answer" in str(err)


def test_not_xml(sandbox):
    sandbox.inject("not_xml")
    err = transport_error(lambda: make_client(sandbox).get_company_membership(), MalformedReply)
    assert err.kind == "malformed" and "not XML (text/plain)" in str(err)


def test_truncated_reply_after_the_job_was_made(sandbox):
    sandbox.inject("truncated", operation="submitJob")
    err = transport_error(lambda: make_client(sandbox).submit_job(job(sandbox, "cut")), MalformedReply)
    assert "cut off" in str(err) and "check the job list" in str(err)
    assert err.maybe_processed
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["cut"]  # it did run: the warning is right


def test_drop(sandbox):
    sandbox.inject("drop")
    err = transport_error(lambda: make_client(sandbox).get_company_membership(), ConnectionFailed)
    assert err.kind == "connection" and "closed before a reply came" in str(err)
    assert err.maybe_processed


def test_delay_longer_than_the_timeout(sandbox):
    sandbox.inject("delay", seconds=30)  # the sandbox's stop ends the hold at teardown
    started = time.monotonic()
    err = transport_error(lambda: make_client(sandbox, timeout=0.5).get_company_membership(), RequestTimeout)
    assert time.monotonic() - started < 30  # the client's 0.5 s ended it, not the reply (room for a busy machine)
    assert err.kind == "timeout" and "No reply from" in str(err) and "0.5 s" in str(err)
    assert err.maybe_processed


def test_delay_shorter_than_the_timeout_is_fine(sandbox):
    sandbox.inject("delay", seconds=0.3)
    assert make_client(sandbox, timeout=5).get_company_membership()


def test_slow_after_receive_times_out_but_the_job_exists(sandbox):
    sandbox.inject("slow_after_receive", operation="submitJob", seconds=3)
    err = transport_error(lambda: make_client(sandbox, timeout=0.5).submit_job(job(sandbox, "slow")), RequestTimeout)
    assert err.maybe_processed and "check the job list before you try again" in str(err)
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["slow"]


def test_injection_is_used_up_and_the_next_call_works(sandbox):
    sandbox.inject("http502_html", times=2)
    c = make_client(sandbox)
    for _ in range(2):
        with pytest.raises(HttpError):
            c.get_company_membership()
    assert c.get_company_membership()


# --- connections ---------------------------------------------------------------------------------


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_refused_connection():
    port = closed_port()
    c = IpsClient(f"http://127.0.0.1:{port}/scene7/services/IpsApiService", "u@x", "pw", timeout=2, connect_timeout=2)
    err = transport_error(c.get_company_membership, ConnectionFailed)
    assert err.kind == "connection" and f"127.0.0.1:{port} refused the connection" in str(err)
    assert not err.maybe_processed


def test_connect_timeout():
    # a listener whose accept queue is full: the next handshake never completes
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        fillers.append(s)
    try:
        c = IpsClient(f"http://127.0.0.1:{port}/scene7/services/IpsApiService", "u@x", "pw", timeout=5,
                      connect_timeout=0.3)
        started = time.monotonic()
        err = transport_error(c.get_company_membership, RequestTimeout)
        assert time.monotonic() - started < 5  # the 0.3 s connect timeout fired, not the 5 s read timeout
        assert "did not accept a connection within 0.3 s" in str(err)
        assert not err.maybe_processed  # nothing was sent
    finally:
        for s in fillers + [server]:
            s.close()


def test_unknown_host():
    c = IpsClient("http://no-such-host.invalid/scene7/services/IpsApiService", "u@x", "pw", timeout=2)
    err = transport_error(c.get_company_membership, ConnectionFailed)
    assert "was not found" in str(err)


def test_bad_url_is_invalid_input():
    with pytest.raises(InvalidInput, match="not valid"):
        IpsClient("ips.example.com/scene7", "u@x", "pw").get_company_membership()


# --- TLS -----------------------------------------------------------------------------------------


def test_tls_without_the_ca_fails_with_advice(sandbox_tls, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    err = transport_error(lambda: make_client(sandbox_tls, cacert=None).get_company_membership(), TlsError)
    host = host_of(sandbox_tls.url)
    assert err.kind == "tls" and f"The certificate of {host} could not be verified" in str(err)
    assert "--cacert" in str(err) and "profile" in str(err)
    assert "verify=false" not in str(err).lower() and "disable" not in str(err).lower()  # never suggested


def test_cacert_wins_over_requests_ca_bundle(sandbox_tls, monkeypatch):
    # the machine-wide bundle does not know the sandbox CA; the given cacert must still be used
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
    assert make_client(sandbox_tls).get_company_membership()
    with pytest.raises(TlsError):
        make_client(sandbox_tls, cacert=None).get_company_membership()


def test_requests_ca_bundle_applies_when_no_cacert(sandbox_tls, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", sandbox_tls.ca_path)
    assert make_client(sandbox_tls, cacert=None).get_company_membership()


def test_wrong_cacert_file(sandbox_tls, tmp_path):
    missing = tmp_path / "nope.pem"
    err = transport_error(lambda: make_client(sandbox_tls, cacert=str(missing)).get_company_membership(), TlsError)
    assert str(missing) in str(err)


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_verify_false_only_when_asked(sandbox_tls):
    assert make_client(sandbox_tls, cacert=None, verify=False).get_company_membership()


def test_https_to_a_plain_http_port(sandbox):
    url = sandbox.url.replace("http://", "https://")
    err = transport_error(lambda: IpsClient(url, "u@x", "pw", timeout=3).get_company_membership(), TlsError)
    assert "does not speak TLS" in str(err)


# --- nothing keeps the password ------------------------------------------------------------------


_SKIP = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType, types.CodeType, types.FrameType)


def holders_of(roots, secret: str, skip_ids=()) -> list[str]:
    """Objects reachable from ``roots`` (not through modules, classes or frames) that hold ``secret``."""
    found, seen, stack = [], set(map(id, skip_ids)), [(r, type(r).__name__) for r in roots]
    needle = secret.encode()
    while stack:
        obj, path = stack.pop()
        if id(obj) in seen or isinstance(obj, _SKIP):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            if secret in obj:
                found.append(path)
            continue
        if isinstance(obj, (bytes, bytearray, memoryview)):
            if needle in bytes(obj):
                found.append(path)
            continue
        if hasattr(obj, "tag") and hasattr(obj, "itertext"):  # lxml elements: gc cannot see their text
            if secret in "".join(obj.itertext()):
                found.append(path + " (xml)")
        for ref in gc.get_referents(obj):
            stack.append((ref, f"{path}>{type(ref).__name__}"))
    return found


def test_no_password_left_on_zeep_objects_after_calls(sandbox):
    secret = "Xy-unique-s3cret-4711"
    company = sandbox.companies[0]["handle"]
    sandbox.add_user("keeper@acme.example", secret, roles={company: "IpsUser"})
    c = make_client(sandbox, user="keeper@acme.example", password=secret)
    c.get_company_membership()
    c.submit_job(job(sandbox, "keeper"))
    assert c.check_login("keeper@acme.example", secret)
    sandbox.inject("http502_html")
    with pytest.raises(HttpError) as info:
        c.get_company_membership()
    with pytest.raises(IpsError):
        make_client(sandbox, user="keeper@acme.example", password=secret + "-wrong").get_company_membership()
    sandbox.received.clear()  # the sandbox's own log holds the raw requests, of course

    zeep_client = c._client
    # the walk does find a password where one is kept: the client's own (masked) wrapper ...
    assert holders_of([c], secret)
    # ... and an envelope a HistoryPlugin would keep
    from zeep.plugins import HistoryPlugin

    history = HistoryPlugin()
    zeep_client.plugins.append(history)
    c.get_company_membership()
    assert holders_of([zeep_client], secret)
    zeep_client.plugins.remove(history)
    del history
    sandbox.received.clear()

    assert zeep_client.plugins == []  # no HistoryPlugin (it keeps the last envelope, password included)
    assert not any(type(p).__name__ == "HistoryPlugin" for p in zeep_client.plugins)
    gc.collect()
    roots = [zeep_client, c._transport, c._transport.session, c._service, zeep_client.settings]
    assert holders_of(roots, secret) == []
    for obj in (zeep_client, c._transport, c._service):
        assert all(secret not in repr(v) for v in vars(obj).values())
    # the shared, parsed WSDL is not touched by calls
    assert holders_of([client_module._loaded["document"]], secret) == []
    # nor does the error keep the envelope: no cause, no context, no traceback from the call
    err = info.value
    assert err.__cause__ is None and err.__context__ is None
    assert holders_of([vars(err)], secret) == []
    # the client itself holds the password only behind a masked wrapper
    assert secret not in repr(c) and all(secret not in repr(v) for v in vars(c).values())
    c.close()
    assert c._password.get() is None
