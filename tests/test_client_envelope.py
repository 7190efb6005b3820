"""IpsClient without a network: dry-run envelopes, guards, reply checks (no server, no patching)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import requests
from lxml import etree

from ips_tui import __version__
from ips_tui.ips.client import MASK, IpsClient, check_datetimes, preload
from ips_tui.ips.faults import HttpError, InvalidInput, MalformedReply, OfflineError
from ips_tui.ips.schema import NS, NS_UNVERSIONED, SOAP_ENV, envelope_problems, load_wsdl_schema
from ips_tui.ips.transport import check_reply, http_error

PASSWORD = "pa55-w0rd!"
EST = timezone(timedelta(hours=-5))


def minimal_submit():
    return {
        "companyHandle": "c|101",
        "jobName": "nightly-export",
        "execTime": datetime(2025, 1, 31, 22, 0, tzinfo=EST),
        "exportJob": {"assetHandleArray": {"items": ["a|1", "a|2"]}, "fmt": "orig", "emailSetting": "All"},
    }


@pytest.fixture(scope="module")
def offline():
    return IpsClient(None, "ops@acme.com", PASSWORD, locale="en-US")


@pytest.fixture(scope="module")
def schema():
    return load_wsdl_schema()


def parse(env: bytes):
    return etree.fromstring(env)


def test_envelope_is_masked_by_default(offline):
    env = offline.build_envelope("submitJob", minimal_submit())
    assert PASSWORD.encode() not in env
    root = parse(env)
    auth = root.find(f"{{{SOAP_ENV}}}Header/{{{NS_UNVERSIONED}}}authHeader")
    assert auth is not None, "authHeader in the unversioned (documented) namespace"
    fields = {etree.QName(c).localname: c.text for c in auth}
    assert fields == {
        "user": "ops@acme.com",
        "password": MASK,
        "locale": "en-US",
        "appName": "ips-tui",
        "appVersion": __version__,
    }


def test_envelope_unmasked_only_when_asked(offline):
    env = offline.build_envelope("submitJob", minimal_submit(), mask_password=False)
    assert f"<ns0:password>{PASSWORD}</ns0:password>".encode() in env
    assert MASK.encode() not in env


def test_envelope_is_pretty_utf8_with_body_in_dated_namespace(offline):
    env = offline.build_envelope("submitJob", minimal_submit())
    assert env.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b"\n  <soap-env:Header>" in env  # pretty-printed
    body = parse(env).find(f"{{{SOAP_ENV}}}Body")[0]
    assert body.tag == f"{{{NS}}}submitJobParam"
    assert [etree.QName(c).localname for c in body] == ["companyHandle", "jobName", "execTime", "exportJob"]
    assert body.findtext(f"{{{NS}}}execTime") == "2025-01-31T22:00:00-05:00"


def test_minimal_submit_job_validates_against_our_schema(offline, schema):
    for mask in (True, False):
        env = offline.build_envelope("submitJob", minimal_submit(), mask_password=mask)
        assert envelope_problems(env, schema) == []


def test_every_operation_builds_a_valid_envelope(offline, schema):
    payloads = {
        "submitJob": minimal_submit(),
        "getActiveJobs": {"companyHandle": "c|101"},
        "getScheduledJobs": {},
        "getJobLogs": {"companyHandle": "c|101", "startDate": datetime(2025, 1, 1, tzinfo=timezone.utc), "numRows": 5},
        "getJobLogDetails": {"companyHandle": "c|101", "originalName": "n", "logTypeArray": {"items": ["UploadError"]}},
        "stopJob": {"companyHandle": "c|101", "jobHandle": "j|1|n||"},
        "pauseJob": {"companyHandle": "c|101", "jobHandle": "j|1|n||"},
        "resumeJob": {"companyHandle": "c|101", "jobHandle": "j|1|n||"},
        "deleteJob": {"companyHandle": "c|101", "jobHandle": "j|1|n||"},
        "executeJob": {"companyHandle": "c|101", "jobHandle": "j|1|n||"},
        "getCompanyMembership": {},
        "getCompanyInfo": {"companyName": "Acme"},
        "getUserInfo": {"email": "ops@acme.com"},
        "checkLogin": {"email": "ops@acme.com", "password": PASSWORD},
        "getPublishContexts": {"companyHandle": "c|101", "contextType": "ImageServing"},
    }
    for operation, payload in payloads.items():
        env = offline.build_envelope(operation, payload)
        assert envelope_problems(env, schema) == [], operation
        assert PASSWORD.encode() not in env, operation  # checkLogin's body password is masked too


def test_no_password_means_no_password_element():
    env = IpsClient(None, "ops@acme.com", None).build_envelope("getCompanyMembership", {})
    assert b"password" not in env and b"********" not in env


def test_naive_datetime_is_refused(offline):
    payload = minimal_submit()
    payload["execTime"] = datetime(2025, 1, 31, 22, 0)
    with pytest.raises(ValueError, match="execTime has no time zone") as info:
        offline.build_envelope("submitJob", payload)
    assert isinstance(info.value, InvalidInput) and info.value.exit_code == 2


def test_datetime_guard_walks_nested_values_and_strings():
    check_datetimes({"a": [{"b": datetime(2025, 1, 1, tzinfo=timezone.utc)}]})
    with pytest.raises(InvalidInput, match=r"a\[0\]\.b"):
        check_datetimes({"a": [{"b": datetime(2025, 1, 1)}]})
    check_datetimes({"execTime": "2025-01-31T22:00:00Z"})
    with pytest.raises(InvalidInput, match="no time zone"):
        check_datetimes({"execTime": "2025-01-31T22:00:00"})
    with pytest.raises(InvalidInput, match="not a date and time"):
        check_datetimes({"startDate": "tomorrow"})


def test_invalid_payloads_are_invalid_input(offline):
    with pytest.raises(InvalidInput, match=r"lacks a required field: submitJobParam.companyHandle"):
        offline.build_envelope("submitJob", {"jobName": "x"})
    with pytest.raises(InvalidInput, match="does not know: bogus"):
        offline.build_envelope("submitJob", {**minimal_submit(), "bogus": 1})
    with pytest.raises(InvalidInput, match="not an operation"):
        offline.build_envelope("getAllCompanies", {})


def test_offline_client_refuses_calls(offline):
    for call in (
        lambda: offline.submit_job(minimal_submit()),
        lambda: offline.get_active_jobs(),
        lambda: offline.check_login("a", "b"),
        lambda: offline.stop_job("c|1", "j|1"),
    ):
        with pytest.raises(OfflineError) as info:
            call()
        assert info.value.kind == "offline" and info.value.exit_code == 2


def test_repr_and_vars_never_show_the_password(offline):
    assert PASSWORD not in repr(offline)
    assert all(PASSWORD not in repr(v) for v in vars(offline).values())


def test_import_is_light_and_preload_measures():
    code = "import sys, ips_tui.ips.client; print(sorted(m for m in ('zeep', 'requests') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", "zeep/requests load on first use, not at import"
    times = preload()  # how long it takes is measured in bench/bench_checks.py, not asserted here
    assert set(times) == {"import_seconds", "parse_seconds"} and all(t >= 0 for t in times.values())


# --- reply checks (transport helpers, on hand-made responses) ------------------------------------


def response(status: int, body: bytes, content_type: str = "text/xml; charset=utf-8") -> requests.Response:
    r = requests.Response()
    r.status_code = status
    r._content = body
    r._content_consumed = True
    r.headers["Content-Type"] = content_type
    return r


URL = "https://ips.example.com/scene7/services/IpsApiService"
FAULT = (
    f'<e:Envelope xmlns:e="{SOAP_ENV}"><e:Body><e:Fault><faultcode>e:Client</faultcode>'
    "<faultstring>x</faultstring><detail/></e:Fault></e:Body></e:Envelope>"
).encode()
OK = f'<e:Envelope xmlns:e="{SOAP_ENV}"><e:Body><r xmlns="{NS}"/></e:Body></e:Envelope>'.encode()


def test_html_502_is_an_http_error_not_a_fault():
    with pytest.raises(HttpError) as info:
        check_reply(response(502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"), URL)
    err = info.value
    assert err.status == 502 and err.kind == "http" and err.exit_code == 4
    assert str(err) == "HTTP 502 from ips.example.com: the gateway did not reach the service; try again later."


def test_soap_fault_passes_whatever_the_status():
    check_reply(response(500, FAULT), URL)
    check_reply(response(200, FAULT), URL)  # faultHttpStatusCode=200
    check_reply(response(200, OK), URL)


@pytest.mark.parametrize(
    "body, ctype, words",
    [
        (b"", "text/xml", "empty reply"),
        (b"Service Unavailable", "text/plain", "not XML (text/plain)"),
        (b"<html><body>unclosed", "text/plain", "web page"),
        (OK[:40], "text/xml", "cut off"),
        (b"<html><body>portal</body></html>", "text/html", "web page (text/html)"),
        (f"<r xmlns='{NS}'/>".encode(), "text/xml", "not a SOAP envelope"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "text/xml", "DTD"),
    ],
)
def test_malformed_replies(body, ctype, words):
    with pytest.raises(MalformedReply, match=re.escape(words)) as info:
        check_reply(response(200, body, ctype), URL)
    assert info.value.maybe_processed  # the service had the request


def test_http_error_messages():
    assert "unavailable" in str(http_error(503, "h"))
    assert "no IPS service at this address" in str(http_error(404, "h"))
    assert "moved to https://new/" in str(http_error(301, "h", location="https://new/"))
    assert "proxy" in str(http_error(407, "h"))
    assert http_error(504, "h").maybe_processed and not http_error(404, "h").maybe_processed
