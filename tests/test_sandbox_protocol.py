"""The sandbox as a SOAP peer: transport, WSDL, envelopes, validation, authentication, TLS."""

from __future__ import annotations

import base64

import pytest
import requests

from ips_tui.ips.schema import NS, NS_UNVERSIONED
from ips_tui.sandbox.raw import call, envelope, parse_reply

PUBLISH = (
    "<companyHandle>c|101</companyHandle><jobName>{name}</jobName>"
    "<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
    "</imageServingPublishJob>"
)


def submit(sb, name="nightly", **kw):
    kw.setdefault("user", sb.user)
    kw.setdefault("password", sb.password)
    return call(sb.url, "submitJob", PUBLISH.format(name=name), **kw)


def post(sb, data: bytes, action="submitJob", ctype="text/xml; charset=UTF-8"):
    headers = {"Content-Type": ctype}
    if action is not None:
        headers["SOAPAction"] = action
    s = requests.Session()
    s.trust_env = False
    return s.post(sb.url, data=data, headers=headers, timeout=10)


# -- transport ----------------------------------------------------------------------------------------


def test_submit_returns_definition_handle(sandbox):
    reply = submit(sandbox)
    assert reply.status == 200, reply.content
    assert reply.headers["Content-Type"].startswith("text/xml")
    assert reply.text("jobHandle") == "j|101|nightly||"
    assert reply.body.tag == f"{{{NS}}}submitJobReturn"
    [job] = sandbox.submitted_jobs()
    assert job["jobName"] == "nightly" and job["companyHandle"] == "c|101"
    assert job["jobType"] == "imageServingPublishJob"
    assert job["job"] == {"publishType": "Full", "emailSetting": "Error"}
    assert job["jobHandle"] == "j|101|nightly||"


def test_url_shapes(sandbox):
    assert sandbox.url.startswith("http://127.0.0.1:") and sandbox.url.endswith("/scene7/services/IpsApiService")
    assert sandbox.wsdl_url.endswith("/scene7/webservice/IpsApi-2014-04-03.wsdl")
    assert sandbox.ca_path is None
    assert {"name": "Acme Retail", "handle": "c|101"} in sandbox.companies


def test_wsdl_is_served_with_our_address(sandbox):
    r = requests.get(sandbox.wsdl_url, timeout=10)
    assert r.status_code == 200
    assert f'<soap:address location="{sandbox.url}"/>' in r.text
    assert "s7sps1apissl" not in r.text
    r = requests.get(sandbox.wsdl_url + "?serviceUrl=http://localhost:8081/x", timeout=10)
    assert '<soap:address location="http://localhost:8081/x"/>' in r.text


def test_other_paths_and_methods(sandbox):
    base = sandbox.url.rsplit("/scene7/", 1)[0]
    assert requests.get(base + "/nothing", timeout=10).status_code == 404
    assert requests.post(base + "/scene7/services/Other", data=b"x", timeout=10).status_code == 404
    r = requests.get(sandbox.url, timeout=10)
    assert r.status_code == 405 and r.headers["Allow"] == "POST"


def test_keep_alive_serves_many_requests_on_one_connection(sandbox):
    s = requests.Session()
    s.trust_env = False
    for i in range(20):
        reply = call(sandbox.url, "submitJob", PUBLISH.format(name=f"k{i}"), user=sandbox.user,
                     password=sandbox.password, session=s)
        assert reply.status == 200
        assert reply.headers["Connection"] == "keep-alive"
    # one connection only: urllib3's pool reused it
    pool = next(iter(s.adapters["http://"].poolmanager.pools._container.values()))
    assert pool.num_connections == 1


def test_received_records_everything_in_order(sandbox):
    submit(sandbox, "a")
    submit(sandbox, "b", password="wrong")
    post(sandbox, b"not xml at all", action="getActiveJobs")
    got = list(sandbox.received)
    assert [r.operation for r in got] == ["submitJob", "submitJob", "getActiveJobs"]
    assert got[0].soap_action == '"submitJob"'
    assert b"<jobName>a</jobName>" in got[0].body
    assert got[0].headers["Content-Type"].startswith("text/xml")
    assert got[0].at <= got[1].at <= got[2].at and got[0].at.tzinfo is not None
    assert len(sandbox.submitted_jobs()) == 1


# -- envelopes and validation -------------------------------------------------------------------------


def test_soap_action_may_be_unquoted(sandbox):
    r = post(sandbox, envelope("submitJob", PUBLISH.format(name="u"), user=sandbox.user,
                               password=sandbox.password), action="submitJob")
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("action", ["getActiveJobs", "", None, "urn:submitJob"])
def test_soap_action_mismatch_is_30003(sandbox, action):
    data = envelope("submitJob", PUBLISH.format(name="m"), user=sandbox.user, password=sandbox.password)
    r = post(sandbox, data, action=action)
    reply = parse_reply(r.status_code, r.content)
    assert r.status_code == 500
    assert reply.fault[:2] == ("ipsApiFault", 30003)
    assert "SOAPAction" in reply.fault[2]
    assert reply.faultcode == "soapenv:Server"
    assert sandbox.submitted_jobs() == []


def test_dtd_is_refused(sandbox):
    evil = (
        b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        + envelope("submitJob", PUBLISH.format(name="&b;"), user=sandbox.user,
                   password=sandbox.password).split(b"?>", 1)[1]
    )
    reply = call(sandbox.url, "submitJob", data=evil)
    assert reply.status == 500
    assert reply.fault[:2] == ("ipsApiFault", 30003)
    assert "DTDs are not accepted" in reply.fault[2]
    assert sandbox.submitted_jobs() == []


def test_malformed_xml_is_30003(sandbox):
    reply = call(sandbox.url, "submitJob", data=b"<soapenv:Envelope xmlns:soapenv='x'><unclosed>")
    assert reply.fault[:2] == ("ipsApiFault", 30003)
    assert "Invalid request XML" in reply.fault[2]


def test_schema_violation_gives_lxml_reason(sandbox):
    params = (
        "<jobName>first-the-name</jobName><companyHandle>c|101</companyHandle>"
        "<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
        "</imageServingPublishJob>"
    )
    reply = call(sandbox.url, "submitJob", params, user=sandbox.user, password=sandbox.password)
    assert reply.status == 500
    assert reply.fault[:2] == ("ipsApiFault", 30003)
    assert "This element is not expected" in reply.fault[2]
    assert "jobName" in reply.fault[2]


def test_wrong_type_in_field_is_30003(sandbox):
    params = ("<companyHandle>c|101</companyHandle><jobName>x</jobName><execTime>tomorrow</execTime>"
              "<optimizeImagesJob><emailSetting>All</emailSetting></optimizeImagesJob>")
    reply = call(sandbox.url, "submitJob", params, user=sandbox.user, password=sandbox.password)
    assert reply.fault[:2] == ("ipsApiFault", 30003)
    assert "dateTime" in reply.fault[2]


def test_not_an_envelope_and_soap12(sandbox):
    reply = call(sandbox.url, "submitJob", data=b"<submitJobParam/>")
    assert reply.fault[:2] == ("ipsApiFault", 30003)
    soap12 = envelope("submitJob", PUBLISH.format(name="x"), user="a", password="b").replace(
        b"http://schemas.xmlsoap.org/soap/envelope/", b"http://www.w3.org/2003/05/soap-envelope")
    reply = call(sandbox.url, "submitJob", data=soap12)
    assert reply.fault[:2] == ("ipsApiFault", 30003) and "SOAP 1.2" in reply.fault[2]
    reply = call(sandbox.url, "submitJob", PUBLISH.format(name="x"), user=sandbox.user,
                 password=sandbox.password, content_type="application/json")
    assert reply.fault[:2] == ("ipsApiFault", 30003) and "Content-Type" in reply.fault[2]


def test_unsupported_operation(sandbox):
    reply = call(sandbox.url, "addCompany", "<companyName>x</companyName>", user=sandbox.user,
                 password=sandbox.password)
    assert reply.fault[:2] == ("ipsApiFault", 30000)
    assert "addCompany" in reply.fault[2]


def test_request_namespace_is_echoed(sandbox):
    beta = "http://www.scene7.com/IpsApi/xsd/2013-08-29-beta"
    reply = call(sandbox.url, "submitJob", PUBLISH.format(name="ns"), user=sandbox.user,
                 password=sandbox.password, ns=beta)
    assert reply.status == 200, reply.content
    assert reply.body.tag == f"{{{beta}}}submitJobReturn"
    assert reply.text("jobHandle", ns=beta) == "j|101|ns||"


def test_fault_envelope_shape(sandbox):
    reply = submit(sandbox, password="nope")
    env = reply.root
    fault = env.find("{http://schemas.xmlsoap.org/soap/envelope/}Body/{http://schemas.xmlsoap.org/soap/envelope/}Fault")
    assert fault.findtext("faultcode") == "soapenv:Client"
    assert fault.findtext("faultstring") == "AuthenticationException"
    detail = fault.find("detail")[0]
    assert detail.tag == f"{{{NS_UNVERSIONED}}}authenticationFault"
    assert [c.tag for c in detail] == [f"{{{NS_UNVERSIONED}}}code", f"{{{NS_UNVERSIONED}}}reason"]


# -- authentication -----------------------------------------------------------------------------------


def test_auth_header_in_unversioned_namespace(sandbox):
    assert submit(sandbox, auth_ns=NS_UNVERSIONED).status == 200


def test_auth_header_in_dated_namespace(sandbox):
    assert submit(sandbox, auth_ns=NS).status == 200


def test_http_basic_auth(sandbox):
    reply = call(sandbox.url, "submitJob", PUBLISH.format(name="basic"), auth=(sandbox.user, sandbox.password))
    assert reply.status == 200, reply.content
    assert sandbox.submitted_jobs()[0]["user"] == sandbox.user
    token = base64.b64encode(f"{sandbox.user}:bad".encode()).decode()
    r = requests.post(sandbox.url, data=envelope("submitJob", PUBLISH.format(name="b2")),
                      headers={"Content-Type": "text/xml", "SOAPAction": "submitJob",
                               "Authorization": f"Basic {token}"}, timeout=10)
    assert r.status_code == 500 and b"<flt:code>10001</flt:code>" in r.content


def test_missing_credentials_is_10000(sandbox):
    reply = call(sandbox.url, "submitJob", PUBLISH.format(name="x"))
    assert reply.status == 500
    assert reply.fault[:2] == ("authenticationFault", 10000)
    reply = call(sandbox.url, "submitJob", PUBLISH.format(name="x"), user=sandbox.user)
    assert reply.fault[:2] == ("authenticationFault", 10000)


def test_unknown_user_is_10002(sandbox):
    reply = submit(sandbox, user="nobody@example.com")
    assert reply.fault[:2] == ("authenticationFault", 10002)


def test_wrong_password_is_10001(sandbox):
    reply = submit(sandbox, password="wrong")
    assert reply.fault == ("authenticationFault", 10001, "Invalid username/password")
    assert sandbox.submitted_jobs() == []


@pytest.mark.parametrize("code", [200, 400, 503])
def test_fault_http_status_code_is_honoured(sandbox, code):
    reply = submit(sandbox, password="wrong", fault_status=code)
    assert reply.status == code
    assert reply.fault[:2] == ("authenticationFault", 10001)
    # and on success the status stays 200
    assert submit(sandbox, fault_status=code).status == 200


def test_fault_http_status_code_also_for_api_faults(sandbox):
    reply = call(sandbox.url, "submitJob", "<companyHandle>c|101</companyHandle><jobName>x</jobName>",
                 user=sandbox.user, password=sandbox.password, fault_status=200)
    assert reply.status == 200
    assert reply.fault[:2] == ("ipsApiFault", 30002)


# -- TLS ------------------------------------------------------------------------------------------------


def test_tls_with_the_ca(sandbox_tls):
    assert sandbox_tls.url.startswith("https://127.0.0.1:")
    reply = submit(sandbox_tls, verify=sandbox_tls.ca_path)
    assert reply.status == 200
    assert reply.text("jobHandle") == "j|101|nightly||"
    localhost = sandbox_tls.url.replace("127.0.0.1", "localhost")
    reply = call(localhost, "submitJob", PUBLISH.format(name="lh"), user=sandbox_tls.user,
                 password=sandbox_tls.password, verify=sandbox_tls.ca_path)
    assert reply.status == 200


def test_tls_refused_without_the_ca(sandbox_tls):
    with pytest.raises(requests.exceptions.SSLError):
        submit(sandbox_tls)  # system trust store: the sandbox CA is not in it
    # the server survives the failed handshake
    assert submit(sandbox_tls, verify=sandbox_tls.ca_path).status == 200


def test_plain_http_to_tls_port_does_not_break_it(sandbox_tls):
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.post(sandbox_tls.url.replace("https:", "http:"), data=b"x", timeout=5)
    assert submit(sandbox_tls, verify=sandbox_tls.ca_path).status == 200


def test_tls_ca_file_removed_on_stop(sandbox_factory):
    import os

    sb = sandbox_factory(tls=True)
    path = sb.ca_path
    assert os.path.exists(path)
    sb.stop()
    assert not os.path.exists(path)


def test_stop_releases_the_port(sandbox_factory):
    import socket

    sb = sandbox_factory()
    port = int(sb.url.split(":")[2].split("/")[0])
    s = requests.Session()
    s.trust_env = False
    assert call(sb.url, "checkLogin", f"<email>{sb.user}</email><password>x</password>", user=sb.user,
                password=sb.password, session=s).status == 200  # leaves a keep-alive connection open
    sb.stop()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
    with pytest.raises(requests.exceptions.ConnectionError):
        s.post(sb.url, data=b"x", timeout=5)


# -- gzip ---------------------------------------------------------------------------------------------------


def _raw_post(sb, body: bytes, accept: str | None):
    import http.client

    port = int(sb.url.split(":")[2].split("/")[0])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Content-Type": "text/xml", "SOAPAction": "getUserInfo"}
    if accept is not None:
        headers["Accept-Encoding"] = accept
    conn.request("POST", "/scene7/services/IpsApiService", body=body, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


@pytest.mark.parametrize("accept,forced,gzipped", [
    (None, None, False), ("gzip, deflate", None, True), ("gzip;q=0", None, False), ("identity", None, False),
    ("gzip", "false", False), (None, "true", True),
])
def test_gzip_follows_accept_encoding_and_gzip_response(sandbox, accept, forced, gzipped):
    import gzip

    from ips_tui.sandbox.raw import auth_header

    extra = f"<gzipResponse>{forced}</gzipResponse>" if forced else ""
    header = auth_header(sandbox.user, sandbox.password).replace("</appVersion>", "</appVersion>" + extra)
    resp, data = _raw_post(sandbox, envelope("getUserInfo", header=header), accept)
    assert resp.status == 200
    assert (resp.getheader("Content-Encoding") == "gzip") is gzipped
    if gzipped:
        data = gzip.decompress(data)
    assert b"<email>demo@sandbox.ips</email>" in data
