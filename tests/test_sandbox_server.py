"""The sandbox under stress and misbehaving on purpose: concurrency, fault injection, standalone runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from ips_tui.sandbox import Sandbox, is_loopback, run_standalone
from ips_tui.sandbox.raw import Caller, call, envelope

ROOT = Path(__file__).resolve().parents[1]
PUBLISH = ("<companyHandle>c|101</companyHandle><jobName>{name}</jobName><imageServingPublishJob>"
           "<publishType>Full</publishType><emailSetting>Error</emailSetting></imageServingPublishJob>")


def post_submit(sb, name, session=None, timeout=10.0):
    s = session or requests.Session()
    s.trust_env = False
    return s.post(sb.url, data=envelope("submitJob", PUBLISH.format(name=name), user=sb.user,
                                        password=sb.password),
                  headers={"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": "submitJob"},
                  timeout=timeout)


# -- concurrency ------------------------------------------------------------------------------------------


def test_200_concurrent_submits_from_8_threads(sandbox):
    local = threading.local()

    def one(i: int) -> str:
        if not hasattr(local, "api"):
            local.api = Caller(sandbox)
        reply = local.api("submitJob", PUBLISH.format(name=f"burst-{i % 40}"))  # names repeat on purpose
        assert reply.status == 200 and reply.fault is None, reply.fault
        return reply.text("jobHandle")

    with ThreadPoolExecutor(max_workers=8) as pool:
        handles = list(pool.map(one, range(200)))
    assert len(set(handles)) == 200
    assert len(sandbox.submitted_jobs()) == 200
    assert {j["jobHandle"] for j in sandbox.submitted_jobs()} == set(handles)
    assert len(sandbox.received.of("submitJob")) == 200
    # every name got its plain handle once, then ~2.. ~5
    assert sum(1 for h in handles if "~" not in h) == 40
    # still answering, and every job is known
    reply = Caller(sandbox).ok("getActiveJobs", "<companyHandle>c|101</companyHandle>")
    assert len(reply.find("jobArray/items")) == 200


# -- fault injection ------------------------------------------------------------------------------------


def test_inject_delay(sandbox):
    sandbox.inject("delay", seconds=0.4)
    t = time.monotonic()
    assert post_submit(sandbox, "slow").status_code == 200
    assert time.monotonic() - t >= 0.4
    assert post_submit(sandbox, "fast").status_code == 200
    assert [r.injected for r in sandbox.received] == ["delay", None]  # the next request is not held


def test_inject_drop(sandbox):
    sandbox.inject("drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        post_submit(sandbox, "dropped")
    assert sandbox.submitted_jobs() == []  # never reached the service
    assert sandbox.received[0].injected == "drop" and sandbox.received[0].operation == "submitJob"
    assert post_submit(sandbox, "after").status_code == 200


@pytest.mark.parametrize("kind,status", [("http500_html", 500), ("http502_html", 502)])
def test_inject_gateway_html(sandbox, kind, status):
    sandbox.inject(kind)
    r = post_submit(sandbox, "gw")
    assert r.status_code == status
    assert r.headers["Content-Type"].startswith("text/html")
    assert b"<html>" in r.content and str(status).encode() in r.content
    assert sandbox.submitted_jobs() == []


def test_inject_truncated(sandbox):
    sandbox.inject("truncated")
    r = post_submit(sandbox, "cut01")
    full = post_submit(sandbox, "whole")  # same length of name, same length of reply
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/xml")
    assert len(r.content) == len(full.content) // 2
    from lxml import etree

    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(r.content)
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["cut01", "whole"]  # the job was taken


def test_inject_not_xml(sandbox):
    sandbox.inject("not_xml")
    r = post_submit(sandbox, "text")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/plain")
    assert not r.content.lstrip().startswith(b"<")


def test_inject_slow_after_receive(sandbox):
    """The client gives up (or is killed) while the server holds the answer: the job exists anyway."""
    sandbox.inject("slow_after_receive", seconds=1.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        post_submit(sandbox, "limbo", timeout=0.3)
    assert [r.operation for r in sandbox.received] == ["submitJob"]
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["limbo"]
    # the server keeps answering others meanwhile
    assert post_submit(sandbox, "other").status_code == 200
    reply = Caller(sandbox).ok("getActiveJobs", "<originalName>limbo</originalName>")
    assert len(reply.find("jobArray/items")) == 1


def test_inject_by_operation_and_times(sandbox):
    sandbox.inject("http502_html", operation="getActiveJobs", times=2)
    api = Caller(sandbox)
    assert api("submitJob", PUBLISH.format(name="x")).status == 200
    assert api("getActiveJobs").status == 502
    assert api("getActiveJobs").status == 502
    assert api("getActiveJobs").status == 200
    assert sandbox.injector.pending == []


def test_inject_rejects_unknown_kind(sandbox):
    with pytest.raises(ValueError):
        sandbox.inject("explode")


def test_stop_wakes_a_delayed_request(sandbox_factory):
    sb = sandbox_factory()
    sb.inject("delay", seconds=30)
    errors = []

    def go():
        try:
            post_submit(sb, "x", timeout=20)
        except requests.exceptions.RequestException as exc:
            errors.append(exc)

    t = threading.Thread(target=go)
    t.start()
    # stop only once the request is in and being held, or the test proves nothing
    deadline = time.monotonic() + 20
    while not [r for r in sb.received if r.injected == "delay"]:
        assert time.monotonic() < deadline and t.is_alive(), "the delayed request never arrived"
        time.sleep(0.01)
    assert t.is_alive() and not errors  # held, not answered
    started = time.monotonic()
    sb.stop()
    t.join(10)
    # woken long before the 30 s delay (and the 20 s client timeout) would have ended it
    assert not t.is_alive() and time.monotonic() - started < 10


# -- loopback only ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("host,ok", [("127.0.0.1", True), ("127.3.4.5", True), ("::1", True),
                                     ("localhost", True), ("0.0.0.0", False), ("192.168.1.10", False),
                                     ("example.com", False), ("::", False)])
def test_is_loopback(host, ok):
    assert is_loopback(host) is ok


def test_non_loopback_is_refused(capsys):
    with pytest.raises(ValueError):
        Sandbox(host="0.0.0.0")
    assert run_standalone("0.0.0.0", 0, False, False) == 2
    err = capsys.readouterr().err
    assert "0.0.0.0" in err and "--allow-remote" in err


def _machine_has_ipv6_loopback() -> bool:
    """Whether this machine can bind ::1 at all (a container without IPv6 cannot); asked of a bare socket,
    so a fault in the sandbox's own binding is a failure, not a skip."""
    import socket

    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as s:
            s.bind(("::1", 0))
    except OSError:
        return False
    return True


def test_sandbox_on_ipv6_loopback(sandbox_factory):
    if not _machine_has_ipv6_loopback():
        pytest.skip("this machine has no IPv6 loopback")
    sb = sandbox_factory(host="::1")
    assert sb.url.startswith("http://[::1]:")
    assert Caller(sb).ok("getCompanyMembership")


# -- standalone -----------------------------------------------------------------------------------------


def _start(*args):
    env = dict(os.environ)
    env.pop("REQUESTS_CA_BUNDLE", None)
    env.pop("CURL_CA_BUNDLE", None)
    return subprocess.Popen([sys.executable, "-m", "ips_tui.sandbox", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.parametrize("tls", [False, True])
def test_standalone_prints_json_first_and_stops_on_sigint(clean_ca_env, tls):
    proc = _start(*(["--tls"] if tls else []))
    try:
        line = proc.stdout.readline()
        info = json.loads(line)
        assert set(info) == {"url", "wsdl", "user", "password", "companies"} | ({"ca"} if tls else set())
        assert info["url"].startswith("https://127.0.0.1:" if tls else "http://127.0.0.1:")
        assert info["companies"][0] == {"name": "Acme Retail", "handle": "c|101"}
        verify = info.get("ca", True)
        reply = call(info["url"], "getCompanyMembership", user=info["user"], password=info["password"],
                     verify=verify)
        assert reply.status == 200 and len(reply.find("membershipArray/items")) == 3
        assert requests.get(info["wsdl"], verify=verify, timeout=10).status_code == 200
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert out == ""  # nothing after the JSON line
        assert "Traceback" not in err
        if tls:
            assert not os.path.exists(info["ca"])
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(info["wsdl"], verify=False, timeout=5)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_standalone_stops_on_sigterm(clean_ca_env):
    proc = _start("--port", "0")
    try:
        json.loads(proc.stdout.readline())
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=15)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_standalone_refuses_remote_host():
    proc = _start("--host", "10.1.2.3")
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 2
    assert out == ""
    assert "10.1.2.3" in err and "--allow-remote" in err


def test_run_standalone_from_python(clean_ca_env):
    code = (
        "import sys; from ips_tui.sandbox import run_standalone; sys.exit(run_standalone('127.0.0.1', 0, False, False))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        info = json.loads(proc.stdout.readline())
        assert info["user"] == "demo@sandbox.ips"
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=15)
        assert proc.returncode == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_no_terminal_output_while_embedded(sandbox, capfd):
    """The TUI embeds the sandbox: it must never write to the terminal, even on errors."""
    api = Caller(sandbox)
    api("submitJob", PUBLISH.format(name="quiet"))
    api("submitJob", "<bad/>")
    requests.get(sandbox.url.replace("/scene7/services/IpsApiService", "/missing"), timeout=5)
    sandbox.inject("drop")
    with pytest.raises(requests.exceptions.ConnectionError):
        api("getActiveJobs")
    out, err = capfd.readouterr()
    assert out == "" and err == ""


def test_sandbox_imports_no_ui():
    code = ("import sys, ips_tui.sandbox, ips_tui.sandbox.__main__; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_port_in_use_is_reported(capsys):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert run_standalone("127.0.0.1", port, False, False) == 1
    assert str(port) in capsys.readouterr().err


def test_clock_controls():
    from datetime import datetime, timedelta, timezone

    from ips_tui.sandbox import SandboxClock

    start = datetime(2026, 5, 1, tzinfo=timezone.utc)
    clock = SandboxClock(speed=0, start=start)
    assert clock.now() == start
    assert clock.advance(90) == start + timedelta(seconds=90) == clock.now()
    clock.set(start)
    assert clock.now() == start
    clock.speed = 1000
    time.sleep(0.05)
    assert clock.now() - start >= timedelta(seconds=40)
    clock.speed = 0
    frozen = clock.now()
    time.sleep(0.02)
    assert clock.now() == frozen and clock.speed == 0
    with pytest.raises(ValueError):
        clock.set(datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        SandboxClock(speed=-1)
    real = SandboxClock()
    assert abs((real.now() - datetime.now(timezone.utc)).total_seconds()) < 1


def test_busy_port_raises_oserror_without_output(capfd, clean_ca_env):
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        sb = Sandbox(port=busy.getsockname()[1], tls=True)
        with pytest.raises(OSError):
            sb.start()
    assert not sb.running and sb.ca_path is None
    assert capfd.readouterr() == ("", "")
