"""Replies the sandbox does not produce, served by a scripted HTTP server over a real socket and read
through zeep: faults at HTTP 200, unknown detail elements and codes, strict-mode surprises, redirects,
trickling replies. No patching of zeep or requests."""

from __future__ import annotations

import gzip
import threading
import time

import pytest
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import (
    ApiFault,
    AuthenticationFault,
    AuthorizationFault,
    HttpError,
    MalformedReply,
    RequestTimeout,
)
from ips_tui.ips.schema import NS, NS_UNVERSIONED, SOAP_ENV

USER, PASSWORD = "ops@acme.com", "Sc3ne7-secret"


class Script:
    """What the server answers next: (status, headers, body or an iterable of chunks)."""

    def __init__(self):
        self.replies: list = []
        self.requests: list[tuple[dict, bytes]] = []

    def __call__(self, environ, start_response):
        request = Request(environ)
        self.requests.append((dict(request.headers), request.get_data()))
        status, headers, body = self.replies.pop(0) if self.replies else (500, {}, b"no reply scripted")
        return Response(body, status=status, headers=headers, direct_passthrough=not isinstance(body, bytes))(
            environ, start_response
        )


@pytest.fixture
def scripted():
    script = Script()
    server = make_server("127.0.0.1", 0, script, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    script.url = f"http://127.0.0.1:{server.server_port}/scene7/services/IpsApiService"
    yield script
    server.shutdown()
    thread.join(5)


def client(url, **kw):
    return IpsClient(url, USER, PASSWORD, timeout=kw.pop("timeout", 5), connect_timeout=2, **kw)


def envelope(body: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="{SOAP_ENV}">'
        f"<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
    ).encode()


def fault(detail: str, faultstring: str = "AuthenticationException", code: str = "soapenv:Client") -> bytes:
    return envelope(
        f"<soapenv:Fault><faultcode>{code}</faultcode><faultstring>{faultstring}</faultstring>"
        f"<detail>{detail}</detail></soapenv:Fault>"
    )


def detail(element: str, code, reason: str, ns: str = NS_UNVERSIONED) -> str:
    return f'<f:{element} xmlns:f="{ns}"><f:code>{code}</f:code><f:reason>{reason}</f:reason></f:{element}>'


XML = {"Content-Type": "text/xml; charset=utf-8"}
MEMBERSHIP = envelope(
    f'<getCompanyMembershipReturn xmlns="{NS}"><membershipArray><items><company><companyHandle>c|101'
    "</companyHandle><name>Acme</name><rootPath>Acme/</rootPath></company><role>IpsUser</role>"
    "<isActive>true</isActive></items></membershipArray></getCompanyMembershipReturn>"
)


def test_fault_at_http_200_is_still_a_fault(scripted):
    scripted.replies.append((200, XML, fault(detail("authenticationFault", 10001, "Invalid username/password"))))
    with pytest.raises(AuthenticationFault) as info:
        client(scripted.url).get_company_membership()
    err = info.value
    assert err.code == 10001 and err.kind == "authentication" and err.exit_code == 3
    assert str(err).startswith(f"Wrong password for {USER} (code 10001)")
    assert err.reason == "Invalid username/password"


def test_fault_is_recognised_by_detail_not_faultstring(scripted):
    # a misleading faultstring; the detail says authorization 20003
    scripted.replies.append(
        (500, XML, fault(detail("authorizationFault", 20003, "no"), faultstring="AuthenticationException"))
    )
    with pytest.raises(AuthorizationFault) as info:
        client(scripted.url).submit_job({"companyHandle": "c|101", "jobName": "n"})
    assert info.value.code == 20003
    assert str(info.value).startswith(f"{USER} may not call submitJob: its role does not allow it (code 20003)")


def test_fault_detail_in_a_dated_namespace_is_recognised(scripted):
    scripted.replies.append((500, XML, fault(detail("ipsApiFault", 30001, "bad jobName", ns=NS), "ipsApiFault")))
    with pytest.raises(ApiFault) as info:
        client(scripted.url).get_active_jobs("c|101")
    assert info.value.code == 30001 and "bad jobName" in str(info.value)


def test_unknown_code_and_unknown_detail(scripted):
    scripted.replies.append((500, XML, fault(detail("authorizationFault", 20777, "Brand new rule"))))
    scripted.replies.append((500, XML, fault("<other xmlns='urn:x'>?</other>", faultstring="java.lang.Oops")))
    scripted.replies.append((500, XML, fault("", faultstring="Server busy")))
    c = client(scripted.url)
    with pytest.raises(AuthorizationFault) as info:
        c.get_active_jobs()
    assert info.value.code == 20777 and "(code 20777)" in str(info.value) and "Brand new rule" in str(info.value)
    for text in ("java.lang.Oops", "Server busy"):
        with pytest.raises(ApiFault) as info:
            c.get_active_jobs()
        assert info.value.code is None and text in str(info.value)


def test_html_502_becomes_http_error_not_zeep_unknown_fault(scripted):
    # well-formed XHTML: zeep alone would raise Fault('Unknown fault occured')
    page = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"
    scripted.replies.append((502, {"Content-Type": "text/html"}, page))
    with pytest.raises(HttpError) as info:
        client(scripted.url).get_company_membership()
    host = scripted.url.split("/")[2]
    assert info.value.status == 502
    assert str(info.value) == f"HTTP 502 from {host}: the gateway did not reach the service; try again later."


def test_soap_envelope_without_fault_at_500_is_http_error(scripted):
    scripted.replies.append((500, XML, MEMBERSHIP))
    with pytest.raises(HttpError) as info:
        client(scripted.url).get_company_membership()
    assert info.value.status == 500


def test_redirect_is_not_followed(scripted):
    scripted.replies.append((301, {"Location": "https://elsewhere.example/scene7/services/IpsApiService"}, b""))
    with pytest.raises(HttpError, match="moved to https://elsewhere.example/") as info:
        client(scripted.url).get_company_membership()
    assert info.value.status == 301
    assert len(scripted.requests) == 1


def test_unexpected_element_in_reply_is_malformed_in_strict_mode(scripted):
    bad = MEMBERSHIP.replace(b"<role>", b"<surprise>x</surprise><role>")
    scripted.replies.append((200, XML, bad))
    with pytest.raises(MalformedReply, match="does not match the API schema") as info:
        client(scripted.url).get_company_membership()
    assert info.value.kind == "malformed" and info.value.exit_code == 4


def test_reply_with_dtd_is_refused(scripted):
    body = MEMBERSHIP.replace(
        b'<?xml version="1.0" encoding="UTF-8"?>',
        b'<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE x [<!ENTITY big "boom">]>',
    )
    scripted.replies.append((200, XML, body))
    with pytest.raises(MalformedReply, match="DTD"):
        client(scripted.url).get_company_membership()


def test_gzip_reply_and_plain_results(scripted):
    scripted.replies.append((200, {**XML, "Content-Encoding": "gzip"}, gzip.compress(MEMBERSHIP)))
    result = client(scripted.url).get_company_membership()
    assert result == [
        {"company": {"companyHandle": "c|101", "name": "Acme", "rootPath": "Acme/", "expires": None, "imsOrgId": None},
         "role": "IpsUser", "isActive": True}
    ]
    assert type(result) is list and type(result[0]) is dict and type(result[0]["company"]) is dict


def test_trickling_reply_hits_the_total_deadline(scripted):
    def trickle():
        for byte in MEMBERSHIP:
            time.sleep(0.05)
            yield bytes([byte])

    scripted.replies.append((200, XML, trickle()))
    started = time.monotonic()
    with pytest.raises(RequestTimeout) as info:
        client(scripted.url, timeout=1).get_company_membership()
    # the 1 s total deadline ended it, long before the trickle would have (room for a busy machine)
    assert time.monotonic() - started < len(MEMBERSHIP) * 0.05 / 2
    assert info.value.maybe_processed


def test_request_headers(scripted):
    scripted.replies.append((200, XML, MEMBERSHIP))
    client(scripted.url).get_company_membership()
    headers, body = scripted.requests[0]
    assert headers["Soapaction"].strip('"') == "getCompanyMembership"
    assert headers["Content-Type"].startswith("text/xml")
    assert headers["User-Agent"].startswith("ips-tui/")
    assert f'xmlns:ns0="{NS_UNVERSIONED}"'.encode() in body and b"authHeader" in body
