"""An account whose role may not call checkLogin or getCompanyMembership (WebServiceUser), and
``profiles test --schema`` against the sandbox's WSDL and a modified copy served by a test server."""

from __future__ import annotations

import http.server
import threading

import pytest

from ips_tui.companies import fetch_companies
from ips_tui.ips.client import IpsClient
from ips_tui.ips.schema import OUR_WSDL
from ips_tui.ips.schema_diff import compare, our_model, parse_wsdl, wsdl_url
from reliability_helpers import add_profile, cli_env, json_lines, run  # noqa: F401  (fixture)

WS_USER, WS_PASSWORD = "webservice@sandbox.ips", "sandbox-ws"


def test_profiles_test_for_a_webservice_user(sandbox, cli_env, capsys, monkeypatch):
    add_profile(capsys, monkeypatch, sandbox, user=WS_USER, password=WS_PASSWORD)
    code, out, err = run(capsys, "profiles", "test", "lab")
    assert code == 0, err
    assert "Login OK" in out and "may not call checkLogin (code 20003" in out
    code, out, err = run(capsys, "profiles", "test", "lab", "--json")
    assert json_lines(out)[0]["checkLogin"] == "refused" and json_lines(out)[0]["ok"] is True


def test_a_wrong_password_is_still_caught_for_a_webservice_user(sandbox, cli_env, capsys, monkeypatch):
    add_profile(capsys, monkeypatch, sandbox, user=WS_USER, password="wrong")
    code, out, err = run(capsys, "profiles", "test", "lab")
    assert code == 3 and "10001" in err


def test_companies_fall_back_to_what_the_role_may_call(sandbox, cli_env, capsys, monkeypatch):
    config, _state = cli_env
    add_profile(capsys, monkeypatch, sandbox, user=WS_USER, password=WS_PASSWORD,
                extra=("--company", "Acme=c|101", "--company", "Cielo=c|103"))
    code, out, err = run(capsys, "profiles", "companies", "lab")
    assert code == 0, err
    assert "may not call getCompanyMembership (code 20003" in err and "getPublishContexts" in err
    assert "Acme" in out and "c|101" in out and "Cielo" not in out  # c|103 is not this account's
    assert [r.operation for r in sandbox.received][-3:] == ["getCompanyMembership", "getPublishContexts",
                                                            "getPublishContexts"]


def test_companies_without_any_known_say_how_to_add_them(sandbox):
    notes = []
    client = IpsClient(sandbox.url, WS_USER, WS_PASSWORD)
    assert fetch_companies(client, known={}, notes=notes) == []
    assert "--company NAME=HANDLE" in notes[0]
    found = fetch_companies(client, ["Acme Retail"], known={"Acme Retail": "c|101"}, notes=notes)
    assert [(c.name, c.handle) for c in found] == [("Acme Retail", "c|101")] and "getCompanyInfo" in notes[1]


def test_companies_for_an_ordinary_user_are_unchanged(sandbox):
    notes = []
    found = fetch_companies(IpsClient(sandbox.url, sandbox.user, sandbox.password), notes=notes)
    assert {c.handle for c in found} == {"c|101", "c|102", "c|103"} and notes == []


# --- the service's schema ---------------------------------------------------------------------------------


def test_our_wsdl_against_itself_has_no_difference():
    assert compare(our_model(), ["submitJob", "getActiveJobs"]) == []


def modified_wsdl() -> bytes:
    text = OUR_WSDL.read_text(encoding="utf-8")
    start = text.index('<xsd:complexType name="ImageServingPublishJob">')
    end = text.index("</xsd:complexType>", start)
    block = text[start:end]
    changed = (block
               .replace('name="publishType" type="xsd:string"', 'name="publishType" type="types:PublishType"')
               .replace('name="httpCompletionUrl" type="xsd:string" minOccurs="0"',
                        'name="httpCompletionUrl" type="xsd:string" minOccurs="1"')
               .replace('<xsd:element name="contextHandle" type="xsd:string" minOccurs="0"/>',
                        '<xsd:element name="priority" type="xsd:int" minOccurs="0"/>'))
    enum = ('<xsd:simpleType name="PublishType"><xsd:restriction base="xsd:string">'
            + "".join(f'<xsd:enumeration value="{v}"/>' for v in ("Full", "FullWithSearch", "Incremental",
                                                                  "FullOverride"))
            + "</xsd:restriction></xsd:simpleType>")
    return (text[:start] + enum + changed + text[end:]).encode()


def test_the_differences_that_matter_are_found():
    found = {(d.kind, d.path, d.detail) for d in compare(parse_wsdl(modified_wsdl()), ["submitJob"])}
    base = "submitJobParam/imageServingPublishJob"
    assert ("required", f"{base}/httpCompletionUrl", "required by the service, optional here") in found
    assert ("gone", f"{base}/contextHandle", "we may send it; the service does not know it") in found
    assert ("added", f"{base}/priority", "a new optional field") in found
    assert ("enum-added", f"{base}/publishType", "FullOverride") in found
    # a type used in several places (the upload jobs' follow-on publish) is reported once, where first met
    assert not any(p.endswith("postImageServingPublishJob/httpCompletionUrl") for _k, p, _d in found)


def test_a_hostile_wsdl_is_refused():
    with pytest.raises(ValueError):
        parse_wsdl(b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')
    with pytest.raises(ValueError):
        parse_wsdl(b"<html>login</html>")
    with pytest.raises(ValueError):
        parse_wsdl(b" " * (8 * 1024 * 1024 + 1))


def test_wsdl_url():
    assert wsdl_url("https://s7sps1apissl.scene7.com/scene7/services/IpsApiService") == \
        "https://s7sps1apissl.scene7.com/scene7/webservice/IpsApi-2014-04-03.wsdl"


def test_profiles_test_schema_against_the_sandbox(sandbox, cli_env, capsys, monkeypatch):
    add_profile(capsys, monkeypatch, sandbox)
    code, out, err = run(capsys, "profiles", "test", "lab", "--schema")
    assert code == 0, err
    assert "matches ours for every operation and job type we send" in out
    assert sandbox.wsdl_url in out


@pytest.fixture
def wsdl_server():
    body = modified_wsdl()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path.endswith(".wsdl") else 404)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_profiles_test_schema_against_a_modified_copy(sandbox, wsdl_server, cli_env, capsys, monkeypatch):
    from ips_tui.cli_profiles_service import _schema
    from ips_tui.connection import Connection

    conn = Connection(wsdl_server + "/scene7/services/IpsApiService", sandbox.user)
    schema = _schema(conn, 5)
    kinds = {d["kind"] for d in schema["differences"]}
    assert {"required", "gone", "added", "enum-added"} <= kinds
    from ips_tui.cli_profiles_service import _print_schema

    capsys.readouterr()
    _print_schema(schema)
    out = capsys.readouterr().out
    assert "differs from ours in" in out and "value added: submitJobParam/imageServingPublishJob/publishType" \
        "  FullOverride" in out


def test_fetching_a_wsdl_is_bounded_in_size_and_time():
    import time

    from hostile import HostileServer
    from ips_tui.ips.faults import MalformedReply, RequestTimeout
    from ips_tui.ips.schema_diff import fetch

    with HostileServer("oversize", size=20 * 1024 * 1024) as server:
        with pytest.raises(MalformedReply) as info:
            fetch(server.url, timeout=10, verify=True, max_bytes=1024 * 1024)
    assert "larger than 1 MiB" in str(info.value)
    with HostileServer("drip_body", interval=0.3) as server:
        started = time.monotonic()
        with pytest.raises(RequestTimeout):
            fetch(server.url, timeout=1, verify=True)
    assert time.monotonic() - started < 1 + 3


def test_profiles_test_schema_where_the_service_serves_no_wsdl(cli_env, capsys, monkeypatch, sandbox):
    from hostile import HostileServer

    # a service that answers the login (forwarded to the sandbox) but has no WSDL where it should be
    with HostileServer("mangle", upstream=sandbox.url) as server:
        add_profile(capsys, monkeypatch, sandbox)
        code, out, err = run(capsys, "profiles", "test", "lab", "--url", server.url, "--schema", "--timeout", "5")
    assert "Login OK" in out
    assert code == 4 and "ips-tui:" in err and "Traceback" not in err
