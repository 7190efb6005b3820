"""Fault codes -> messages a person can act on (ips-api.md §5.2), and the error hierarchy."""

from __future__ import annotations

import pytest

from ips_tui.ips import faults
from ips_tui.ips.faults import (
    ApiFault,
    AuthenticationFault,
    AuthorizationFault,
    ConnectionFailed,
    HttpError,
    InvalidInput,
    IpsError,
    MalformedReply,
    OfflineError,
    RequestTimeout,
    ServiceFault,
    TlsError,
    TransportError,
    fault_message,
    service_fault,
)

USER = "ops@acme.com"
COMPANY = "c|101"

# Every documented code, with words its message must contain (besides "(code N)").
EXPECTED = {
    10000: ("authenticationFault", ["No credentials were sent (code 10000)", "password"]),
    10001: ("authenticationFault", ["Wrong password for ops@acme.com (code 10001)"]),
    10002: ("authenticationFault", ["ops@acme.com is not a valid IPS user (code 10002)"]),
    20000: ("authorizationFault", ["company c|101 is not known", "(code 20000)"]),
    20001: ("authorizationFault", ["user e-mail", "(code 20001)"]),
    20002: ("authorizationFault", ["user handle", "(code 20002)"]),
    20003: ("authorizationFault", ["ops@acme.com may not call submitJob: its role does not allow it (code 20003)"]),
    20004: ("authorizationFault", ["on behalf of another user (code 20004)"]),
    20005: ("authorizationFault", ["values in this request (code 20005)"]),
    20006: ("authorizationFault", ["ops@acme.com is not a member of the company c|101 (code 20006)"]),
    20007: ("authorizationFault", ["(code 20007)", "another company"]),
    20008: ("authorizationFault", ["access group", "(code 20008)"]),
    20009: ("authorizationFault", ["lacks a permission that submitJob needs (code 20009)"]),
    30000: ("ipsApiFault", ["could not carry out submitJob (code 30000)"]),
    30001: ("ipsApiFault", ["rejected a value", "(code 30001)"]),
    30002: ("ipsApiFault", ["missing", "(code 30002)"]),
    30003: ("ipsApiFault", ["could not read the submitJob request (code 30003)", "report"]),
}


def test_every_documented_code_is_covered():
    assert set(EXPECTED) == set(faults.FAULT_CODES)
    assert {f for f, _ in faults.FAULT_CODES.values()} == set(faults.FAULT_KINDS)


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_code_has_its_own_message(code):
    fault, needles = EXPECTED[code]
    text = fault_message(fault, code, "server words", user=USER, company=COMPANY, operation="submitJob")
    assert f"(code {code})" in text
    for needle in needles:
        assert needle in text, (needle, text)
    # not the generic fallback
    assert "refused submitJob with" not in text


def test_messages_are_distinct():
    texts = {
        code: fault_message(fault, code, "", user=USER, company=COMPANY, operation="submitJob")
        for code, (fault, _) in EXPECTED.items()
    }
    assert len(set(texts.values())) == len(texts)


@pytest.mark.parametrize("code", [20001, 20002, 20005, 20007, 20008, 20009, 30000, 30001, 30002, 30003])
def test_reason_is_shown_where_it_names_what_is_wrong(code):
    fault = EXPECTED[code][0]
    text = fault_message(fault, code, "jobName is too long", user=USER, operation="submitJob")
    assert "jobName is too long" in text


def test_messages_without_context_still_read_well():
    for code, (fault, _) in EXPECTED.items():
        text = fault_message(fault, code, "")
        assert "{" not in text and "None" not in text, text
        assert f"(code {code})" in text
    assert fault_message("authenticationFault", 10001, "").startswith("Wrong password for this user (code 10001)")
    assert fault_message("authorizationFault", 20003, "").startswith(
        "This user may not call this operation: its role does not allow it (code 20003)"
    )


def test_unknown_code_keeps_the_server_reason():
    text = fault_message("ipsApiFault", 39999, "Quota exceeded for company", operation="submitJob")
    assert "(code 39999)" in text and "Quota exceeded for company" in text and "submitJob" in text
    text = fault_message("authorizationFault", 20042, "", operation="stopJob")
    assert "(code 20042)" in text and "authorization" in text and "no reason given" in text


def test_fault_without_code():
    text = fault_message("ipsApiFault", None, "java.lang.NullPointerException", operation="getActiveJobs")
    assert "getActiveJobs" in text and "NullPointerException" in text and "code" not in text


@pytest.mark.parametrize(
    "fault, cls, kind",
    [
        ("authenticationFault", AuthenticationFault, "authentication"),
        ("authorizationFault", AuthorizationFault, "authorization"),
        ("ipsApiFault", ApiFault, "api"),
    ],
)
def test_service_fault_classes(fault, cls, kind):
    err = service_fault(fault, 20003 if kind == "authorization" else 10001 if kind == "authentication" else 30001,
                        "reason text", user=USER, operation="submitJob")
    assert type(err) is cls and isinstance(err, ServiceFault) and isinstance(err, IpsError)
    assert err.kind == kind and err.fault == fault and err.exit_code == 3
    assert err.reason == "reason text" and err.operation == "submitJob"
    assert str(err) == err.message and err.message
    assert err.constant and err.constant.endswith(
        {"authentication": "INVALID_CREDENTIALS", "authorization": "NO_OPERATION_PERMISSION", "api": "INVALID_PARAMETER"}[kind]
    )
    assert not err.maybe_processed


def test_fault_with_unknown_detail_is_an_api_fault_without_code():
    err = service_fault(None, 123, None, operation="submitJob", faultstring="Something odd")
    assert type(err) is ApiFault and err.code is None and err.reason == "Something odd"
    assert "Something odd" in err.message
    err = service_fault("someOtherFault", 5, "x", operation="submitJob")
    assert type(err) is ApiFault and err.code is None


def test_transport_error_kinds_and_exit_codes():
    cases = {
        HttpError("m", status=502): ("http", 4),
        MalformedReply("m"): ("malformed", 4),
        RequestTimeout("m"): ("timeout", 4),
        ConnectionFailed("m"): ("connection", 4),
        TlsError("m"): ("tls", 4),
        InvalidInput("m"): ("invalid", 2),
        OfflineError("m"): ("offline", 2),
    }
    for err, (kind, exit_code) in cases.items():
        assert err.kind == kind and err.exit_code == exit_code and str(err) == "m"
        assert isinstance(err, IpsError)
    for cls in (HttpError, MalformedReply, RequestTimeout, ConnectionFailed, TlsError):
        assert issubclass(cls, TransportError)
    assert issubclass(InvalidInput, ValueError)  # a naive datetime is a ValueError too
    assert HttpError("m", status=502).status == 502


def test_faults_module_is_light():
    import subprocess
    import sys

    code = "import sys, ips_tui.ips.faults; print(sorted(m for m in ('zeep', 'requests', 'textual', 'rich') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
