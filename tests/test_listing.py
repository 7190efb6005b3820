"""Lean job listings (ips/listing.py over ips/lean_http.py): the same items as the full client, fewer fields,
envelopes that Adobe's schema accepts, and the same typed errors, against the sandbox over real sockets."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ips_tui.follow import jobs as J
from ips_tui.ips import listing
from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import AuthenticationFault, ConnectionFailed, HttpError, TlsError
from ips_tui.ips.listing import FIELDS, Lister, envelope
from schemas import reference_problems

START = datetime(2026, 1, 15, 18, 0, 0, tzinfo=timezone.utc)
SCHEDULED = {"companyHandle": "c|101", "jobName": "nightly", "execSchedule": "0 30 6 ? * MON-FRI",
             "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error", "contextHandle": "pc|10101"}}
EXPORT = {"companyHandle": "c|101", "jobName": "agency", "exportJob": {
    "assetHandleArray": {"items": ["a|101|1001", "a|101|1002"]}, "fmt": "orig", "emailSetting": "Error"}}


@pytest.fixture
def filled(sandbox_factory):
    sb = sandbox_factory(speed=0, clock=START)
    with IpsClient(sb.url, sb.user, sb.password) as client:
        client.submit_job(SCHEDULED)
        client.submit_job(dict(SCHEDULED, jobName="weekly", execSchedule="0 0 2 ? * SUN"))
        client.submit_job(EXPORT)
        sb.clock.advance(2)  # the export is running
    return sb


@pytest.mark.parametrize("operation,params", [
    ("getActiveJobs", {"companyHandle": "c|101"}),
    ("getScheduledJobs", {"companyHandle": "c|101", "originalName": "nightly"}),
    ("getJobLogs", {"companyHandle": "c|101", "sortBy": "StartDate", "sortDirection": "Descending", "numRows": 10,
                    "startDate": START}),
])
def test_listing_envelopes_are_valid_for_adobes_schema(operation, params):
    body = envelope(operation, params, user="ops@example.com", password="pw", locale="en-US")
    assert reference_problems(body) == []


def test_an_envelope_refuses_a_parameter_the_operation_lacks():
    with pytest.raises(ValueError):
        envelope("getScheduledJobs", {"numRows": 3}, user="u", password="p")


@pytest.mark.parametrize("method,kw", [("get_active_jobs", {}), ("get_scheduled_jobs", {}),
                                       ("get_job_logs", {"num_rows": 10, "sort_by": "StartDate"})])
def test_lean_items_equal_the_full_clients_simple_fields(filled, method, kw):
    operation = {"get_active_jobs": "getActiveJobs", "get_scheduled_jobs": "getScheduledJobs",
                 "get_job_logs": "getJobLogs"}[method]
    with IpsClient(filled.url, filled.user, filled.password) as full, \
            Lister(filled.url, filled.user, filled.password) as lean:
        whole = getattr(full, method)("c|101", **kw)
        lean_items = getattr(lean, method)("c|101", **kw)
    assert whole, "the sandbox listed nothing"
    assert lean_items == [{k: item.get(k) for k in FIELDS[operation]} for item in whole]
    # what is left out is what no list shows: the echoed request and the task progress
    assert any(k in whole[0] for k in ("imageServingPublishJob", "exportJob", "taskProgressArray",
                                       "fileSuccessCount"))
    assert not any(k in lean_items[0] for k in ("imageServingPublishJob", "exportJob", "taskProgressArray"))


def test_a_job_is_opened_whole_through_the_full_client(filled):
    with Lister(filled.url, filled.user, filled.password) as lean:
        snap = J.fetch(lean, "c|101")
    nightly = next(j for j in snap.scheduled if j["name"] == "nightly")
    with IpsClient(filled.url, filled.user, filled.password) as full:
        whole = J.job_detail(full, "c|101", nightly)
        active = J.job_detail(full, "c|101", snap.active[0])
    assert whole["jobHandle"] == nightly["jobHandle"]
    assert whole["imageServingPublishJob"]["publishType"] == "Full"
    assert active["exportJob"]["fmt"] == "orig"


def test_a_wrong_password_is_the_same_typed_fault(filled):
    with Lister(filled.url, filled.user, "wrong") as lean, pytest.raises(AuthenticationFault) as info:
        lean.get_scheduled_jobs("c|101")
    assert info.value.code == 10001 and filled.user in info.value.message


def test_a_gateway_page_is_an_http_error(filled):
    filled.inject("http502_html", operation="getScheduledJobs")
    with Lister(filled.url, filled.user, filled.password) as lean, pytest.raises(HttpError) as info:
        lean.get_scheduled_jobs("c|101")
    assert info.value.status == 502


def test_a_refused_connection_is_a_connection_error():
    with Lister("http://127.0.0.1:9/scene7/services/IpsApiService", "u", "p", timeout=5) as lean:
        with pytest.raises(ConnectionFailed) as info:
            lean.get_active_jobs("c|101")
    assert "127.0.0.1:9" in info.value.message


def test_tls_is_verified_by_default_and_trusts_the_given_ca(sandbox_tls):
    sb = sandbox_tls
    with Lister(sb.url, sb.user, sb.password) as lean, pytest.raises(TlsError):
        lean.get_active_jobs("c|101")
    with Lister(sb.url, sb.user, sb.password, cacert=sb.ca_path) as lean:
        assert lean.get_active_jobs("c|101") == []


def test_a_reply_larger_than_the_cap_is_not_read(filled):
    from ips_tui.ips.faults import ReplyTooLarge

    # the profile's limits (max_reply_mib, max_inflated_mib), made small: the reply is bigger
    with Lister(filled.url, filled.user, filled.password, max_reply=512, max_inflated=512) as lean, \
            pytest.raises(ReplyTooLarge) as info:
        lean.get_scheduled_jobs("c|101")
    assert "the limit of 0.000488281 MiB" in info.value.message and info.value.limit in info.value.message


def test_jobs_json_lists_lean_items_and_the_server_zone(filled, capsys, monkeypatch):
    import json

    from ips_tui import cli

    monkeypatch.setenv("IPS_PASSWORD", filled.password)
    assert cli.main(["jobs", "--json", "--company", "c|101", "--url", filled.url, "--user", filled.user]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {j["name"] for j in out["scheduled"]} == {"nightly", "weekly"}
    assert all(set(j) == set(FIELDS["getScheduledJobs"]) for j in out["scheduled"])
    # the sandbox says PST: known from the service, with its IANA name and the offset at that moment
    assert out["serverZone"] == {"name": "America/Los_Angeles", "offset": "-08:00", "source": "service",
                                 "reported": "PST"}
    assert listing.OPERATIONS.keys() == FIELDS.keys()


def test_listing_jobs_never_loads_zeep(filled):
    """The lean path is the whole point: `ips-tui jobs` lists without importing zeep (or requests)."""
    import os
    import subprocess
    import sys

    code = ("import sys; from ips_tui import cli; "
            f"rc = cli.main(['jobs', '--json', '--company', 'c|101', '--url', {filled.url!r}, '--user', "
            f"{filled.user!r}]); print(rc, 'zeep' in sys.modules, 'requests' in sys.modules, file=sys.stderr)")
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env["IPS_PASSWORD"] = filled.password
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert done.stderr.strip().splitlines()[-1] == "0 False False", done.stderr


def test_a_kept_alive_connection_dropped_while_idle_is_made_again_once(filled):
    with Lister(filled.url, filled.user, filled.password) as lean:
        assert lean.get_active_jobs("c|101")  # the connection is open now
        filled.inject("drop", operation="getScheduledJobs", times=1)
        assert {j["name"] for j in lean.get_scheduled_jobs("c|101")} == {"nightly", "weekly"}
        filled.inject("drop", operation="getScheduledJobs", times=2)
        with pytest.raises(ConnectionFailed):  # dropped again on the new connection: an error, no third try
            lean.get_scheduled_jobs("c|101")


def test_http_proxy_from_the_environment_is_used(filled, monkeypatch):
    """HTTP_PROXY is honoured as requests honours it: a plain-HTTP forward proxy sees the absolute URL."""
    import http.client
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from urllib.parse import urlsplit

    seen = []

    class Proxy(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            seen.append(self.path)
            target = urlsplit(self.path)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
            upstream.request("POST", target.path, body=body, headers={
                k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")})
            reply = upstream.getresponse()
            data = reply.read()
            self.send_response(reply.status)
            for k, v in reply.getheaders():
                if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                    self.send_header(k, v)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{server.server_address[1]}")
        monkeypatch.setenv("NO_PROXY", "")
        monkeypatch.delenv("no_proxy", raising=False)
        monkeypatch.delenv("http_proxy", raising=False)
        with Lister(filled.url, filled.user, filled.password) as lean:
            assert {j["name"] for j in lean.get_scheduled_jobs("c|101")} == {"nightly", "weekly"}
        assert seen == [filled.url]
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # and NO_PROXY keeps it away
        with Lister(filled.url, filled.user, filled.password) as lean:
            lean.get_active_jobs("c|101")
        assert seen == [filled.url]
    finally:
        server.shutdown()
        server.server_close()


def test_https_to_a_plain_http_port_says_so(filled):
    url = filled.url.replace("http://", "https://")
    with Lister(url, filled.user, filled.password, timeout=5) as lean, pytest.raises(TlsError) as info:
        lean.get_active_jobs("c|101")
    assert "does not speak TLS" in info.value.message


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_reply_trickled_past_the_deadline_is_a_timeout(where):
    """A byte (or a header line) at a time: each read is within the read timeout, the whole is not."""
    import socket
    import threading
    import time

    from ips_tui.ips.faults import RequestTimeout

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve():
        conn, _addr = listener.accept()
        with conn:
            conn.recv(65536)
            if where == "body":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 60\r\n\r\n")
            else:
                conn.sendall(b"HTTP/1.1 200 OK\r\n")
            for i in range(60):
                if stop.is_set():
                    return
                try:
                    conn.sendall(b" " if where == "body" else b"X-Drip-%d: 1\r\n" % i)
                except OSError:
                    return
                time.sleep(0.2)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/scene7/services/IpsApiService"
    try:
        started = time.monotonic()
        with Lister(url, "u", "p", timeout=0.5, connect_timeout=0.5) as lean, pytest.raises(RequestTimeout) as info:
            lean.get_active_jobs("c|101")
        # one deadline for the whole call (0.5 s, with room for a busy machine); the trickle would take 12 s
        assert time.monotonic() - started < 0.5 + 5.0
        assert "within 0.5 s" in info.value.message
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)


def test_a_network_error_keeps_nothing_of_the_envelope():
    """No frame reachable from the error (traceback, cause, context) holds the password."""
    with Lister("http://127.0.0.1:9/scene7/services/IpsApiService", "u", "pw-in-envelope", timeout=2) as lean:
        with pytest.raises(ConnectionFailed) as info:
            lean.get_active_jobs("c|101")
    error = info.value
    assert error.__cause__ is None and error.__context__ is None
    tb = error.__traceback__
    while tb is not None:  # only pytest's own frame and ours above the raise: none holds the envelope
        assert not any(isinstance(v, bytes) and b"pw-in-envelope" in v for v in tb.tb_frame.f_locals.values())
        tb = tb.tb_next


def test_the_password_is_masked_in_the_listers_state(filled):
    lean = Lister(filled.url, filled.user, filled.password)
    assert filled.password not in repr(lean) and filled.password not in repr(vars(lean))
    lean.get_active_jobs("c|101")
    lean.close()
    with pytest.raises(AuthenticationFault):  # closed: the password is forgotten
        lean.get_active_jobs("c|101")
