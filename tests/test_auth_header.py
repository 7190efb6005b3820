"""authHeader that adapts: the sandbox's strict modes read it in one namespace only, the client retries a
fault 10000 once in the other one and the profile remembers what worked; the whole CLI round trip (submit,
jobs, job actions, profiles test) works in both strict modes; dated-header envelopes pass Adobe's schema."""

from __future__ import annotations

import pytest
from lxml import etree

from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import AuthenticationFault
from ips_tui.ips.schema import NS, NS_UNVERSIONED
from ips_tui.store.profiles import ProfileStore
from reliability_helpers import add_profile, cli_env, json_lines, run  # noqa: F401  (fixture)
from schemas import reference_problems

PUBLISH = {"publishType": "Full", "emailSetting": "Error"}


def job(name, company="c|101"):
    return {"companyHandle": company, "jobName": name, "imageServingPublishJob": dict(PUBLISH)}


def header_namespaces(box) -> list[str]:
    out = []
    for r in box.received:
        root = etree.fromstring(r.body)
        header = root.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")
        out.append(etree.QName(header[0]).namespace if header is not None and len(header) else None)
    return out


@pytest.mark.parametrize("strict, first, works", [("dated", "documented", "dated"),
                                                  ("documented", "dated", "documented")])
def test_a_10000_is_retried_once_in_the_other_namespace(sandbox_factory, strict, first, works):
    box = sandbox_factory(auth_header=strict)
    learnt = []
    client = IpsClient(box.url, box.user, box.password, auth_header=first, on_auth_header=learnt.append)
    handle = client.submit_job(job("adapt"))
    assert handle.startswith("j|101|adapt")
    assert learnt == [works] and client.auth_header == works
    assert len(box.submitted_jobs()) == 1  # the refused one created nothing
    client.get_active_jobs("c|101")  # goes straight to what worked
    wanted = NS if works == "dated" else NS_UNVERSIONED
    other = NS_UNVERSIONED if works == "dated" else NS
    assert header_namespaces(box) == [other, wanted, wanted]


def test_without_adapting_the_fault_stays(sandbox_factory):
    box = sandbox_factory(auth_header="dated")
    client = IpsClient(box.url, box.user, box.password, adapt_auth_header=False)
    with pytest.raises(AuthenticationFault) as info:
        client.get_company_membership()
    assert info.value.code == 10000 and len(box.received) == 1


def test_no_credentials_in_either_namespace_says_both_were_tried(sandbox):
    from hostile import HostileServer

    fault = (b'<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">'
             b"<soapenv:Body><soapenv:Fault><faultcode>soapenv:Client</faultcode><faultstring>"
             b'AuthenticationException</faultstring><detail><f:authenticationFault xmlns:f="'
             + NS_UNVERSIONED.encode() + b'"><f:code>10000</f:code><f:reason>No credentials</f:reason>'
             b"</f:authenticationFault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>")
    with HostileServer("mangle", upstream=sandbox.url, rewrite=lambda body: fault) as server:
        with pytest.raises(AuthenticationFault) as info:
            IpsClient(server.url, sandbox.user, sandbox.password).get_company_membership()
    assert info.value.code == 10000 and "documented and in the dated namespace" in str(info.value)
    assert len(server.requests) == 2  # one retry, no more


def test_a_wrong_password_is_not_retried(sandbox_factory):
    box = sandbox_factory(auth_header="dated")
    with pytest.raises(AuthenticationFault) as info:
        IpsClient(box.url, box.user, "wrong", auth_header="dated").get_company_membership()
    assert info.value.code == 10001 and len(box.received) == 1


def test_the_sandbox_reads_both_by_default(sandbox):
    for mode in ("documented", "dated"):
        assert IpsClient(sandbox.url, sandbox.user, sandbox.password, auth_header=mode,
                         adapt_auth_header=False).get_company_membership()


@pytest.mark.parametrize("mode", ["documented", "dated"])
def test_envelopes_with_either_header_pass_adobes_schema(mode):
    client = IpsClient(None, "ops@example.com", "pw", locale="en-US")
    envelope = client.build_envelope("submitJob", job("conform"), auth_header=mode)
    root = etree.fromstring(envelope)
    header = root.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")[0]
    assert etree.QName(header).namespace == (NS if mode == "dated" else NS_UNVERSIONED)
    assert reference_problems(envelope) == []
    for operation, payload in (("getActiveJobs", {"companyHandle": "c|1"}), ("checkLogin",
                               {"email": "ops@example.com", "password": "pw"})):
        assert reference_problems(client.build_envelope(operation, payload, auth_header=mode)) == []


def test_adobes_schema_does_check_the_dated_header():
    """The check above can fail: a dated header without appName (required there) is refused."""
    client = IpsClient(None, "ops@example.com", "pw")
    envelope = client.build_envelope("submitJob", job("conform"), auth_header="dated")
    root = etree.fromstring(envelope)
    header = root.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")[0]
    header.remove(header.find(f"{{{NS}}}appName"))
    assert any("appName" in p for p in reference_problems(etree.tostring(root)))


@pytest.mark.parametrize("strict", ["dated", "documented"])
def test_the_whole_cli_round_trip_in_a_strict_mode(sandbox_factory, cli_env, capsys, monkeypatch, tmp_path,
                                                   strict):
    config, _state = cli_env
    box = sandbox_factory(auth_header=strict)
    if strict == "documented":  # start from the wrong one set by hand: it must learn its way back
        add_profile(capsys, monkeypatch, box, extra=("--auth-header", "dated"))
    else:
        add_profile(capsys, monkeypatch, box)
    job_file = tmp_path / "job.toml"
    job_file.write_text('companyHandle = "c|101"\njobName = "strict"\nexecSchedule = "0 0 3 ? * MON"\n\n'
                        '[imageServingPublishJob]\npublishType = "Full"\nemailSetting = "Error"\n')

    code, out, err = run(capsys, "profiles", "test", "--json")
    assert code == 0, err
    result = json_lines(out)[0]
    assert result["ok"] is True
    assert result["authHeader"] == {"documented": strict == "documented", "dated": strict == "dated"}
    assert ProfileStore(config).get("lab").auth_header == strict
    code, out, err = run(capsys, "profiles", "test")
    assert code == 0 and f"only in the {strict} namespace" in out, err

    code, out, err = run(capsys, "submit", str(job_file), "--json")
    assert code == 0, err
    handle = json_lines(out)[0]["jobHandle"]
    code, out, err = run(capsys, "jobs", "--company", "c|101", "--json")
    assert code == 0, err
    assert [j["jobHandle"] for j in json_lines(out)[0]["scheduled"]] == [handle]
    for action in ("pause", "resume"):
        code, out, err = run(capsys, "job", action, handle, "--company", "c|101", "--json")
        assert code == 0 and json_lines(out)[0]["ok"], err
    code, out, err = run(capsys, "job", "run", handle, "--company", "c|101", "--yes")
    assert code == 0, err
    code, out, err = run(capsys, "logs", "strict", "--company", "c|101", "--json")
    assert code == 0, err
    code, out, err = run(capsys, "job", "delete", handle, "--company", "c|101", "--yes")
    assert code == 0, err
    assert [j["jobName"] for j in box.submitted_jobs()] == ["strict"]
    wanted = NS if strict == "dated" else NS_UNVERSIONED
    sent = [ns for r, ns in zip(box.received, header_namespaces(box)) if r.operation != "checkLogin"]
    assert sent == [wanted] * len(sent)  # remembered after profiles test: never the wrong one again


def test_auth_header_on_the_command_line(sandbox_factory, cli_env, capsys, monkeypatch):
    box = sandbox_factory(auth_header="dated")
    monkeypatch.setenv("IPS_PASSWORD", box.password)
    code, out, err = run(capsys, "jobs", "--company", "c|101", "--url", box.url, "--user", box.user,
                         "--auth-header", "dated", "--json")
    assert code == 0, err
    assert header_namespaces(box) == [NS] * len(box.received)


def test_sandbox_refuses_an_unknown_mode():
    from ips_tui.sandbox import Sandbox

    with pytest.raises(ValueError):
        Sandbox(auth_header="both")


def _job_cases():
    from ips_tui.ips.catalog import catalog
    from jobgen import variants

    return [(el, v) for el in catalog().jobs for v in range(variants(el))]


@pytest.mark.parametrize("element,variant", _job_cases())
def test_every_job_type_with_the_dated_header_passes_adobes_schema(element, variant):
    from datetime import datetime, timezone

    from ips_tui.job.request import JobRequest
    from jobgen import request_data

    client = IpsClient(None, "ops@example.com", "pw", locale="en-US")
    payload = JobRequest(request_data(element, maximal=True, variant=variant)).to_payload(
        now=datetime(2026, 11, 1, tzinfo=timezone.utc))
    envelope = client.build_envelope("submitJob", payload, auth_header="dated")
    assert reference_problems(envelope) == []
    root = etree.fromstring(envelope)
    assert etree.QName(root.find("{http://schemas.xmlsoap.org/soap/envelope/}Header")[0]).namespace == NS


def test_a_url_override_teaches_the_profile_nothing(sandbox_factory, sandbox, cli_env, capsys, monkeypatch):
    config, _state = cli_env
    add_profile(capsys, monkeypatch, sandbox)  # the profile's own service reads both
    strict = sandbox_factory(auth_header="dated")
    code, out, err = run(capsys, "jobs", "--company", "c|101", "--url", strict.url, "--profile", "lab", "--json")
    assert code == 0, err
    assert ProfileStore(config).get("lab").auth_header is None


def test_dry_run_shows_the_header_where_it_will_go(cli_env, capsys, tmp_path):
    job_file = tmp_path / "job.toml"
    job_file.write_text('companyHandle = "c|101"\njobName = "dry"\n\n[imageServingPublishJob]\n'
                        'publishType = "Full"\nemailSetting = "Error"\n')
    code, out, err = run(capsys, "submit", str(job_file), "--dry-run", "--auth-header", "dated")
    assert code == 0, err
    header = etree.fromstring(out.encode()).find("{http://schemas.xmlsoap.org/soap/envelope/}Header")[0]
    assert etree.QName(header).namespace == NS
