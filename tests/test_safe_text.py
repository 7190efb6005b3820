"""safe_text.visible: what came from outside is printed as it was sent, on one line, with no terminal control."""

from __future__ import annotations

import pytest

from ips_tui.safe_text import is_clean, visible


@pytest.mark.parametrize("raw, shown", [
    ("plain name", "plain name"),
    ("ñandú · 日本", "ñandú · 日本"),
    ("a\x1b[31mred", "a\\x1b[31mred"),
    ("nul\x00here", "nul\\x00here"),
    ("del\x7f", "del\\x7f"),
    ("csi\x9b2J", "csi\\x9b2J"),
    ("nel\x85", "nel\\x85"),
    ("evil\u202etxt.exe", "evil\\u202etxt.exe"),
    ("\u2066isolate\u2069", "\\u2066isolate\\u2069"),
    ("line one\nfake: OK", "line one\\nfake: OK"),
    ("cr\roverwrite", "cr\\roverwrite"),
    ("tab\there", "tab\\there"),
    ("sep\u2028x", "sep\\u2028x"),
])
def test_visible(raw, shown):
    assert visible(raw) == shown
    assert is_clean(visible(raw))
    assert is_clean(raw) == (raw == shown)


def test_many_lines_keep_newlines_and_tabs_only():
    assert visible("a\n\tb\x1b[2J\u202e", one_line=False) == "a\n\tb\\x1b[2J\\u202e"


def test_anything_becomes_text():
    assert visible(None) == "" and visible(42) == "42"


def test_fault_reasons_from_the_service_are_made_visible():
    from ips_tui.ips.faults import service_fault

    fault = service_fault("ipsApiFault", 30001, "bad\x1b]0;owned\x07 value\nOK", operation="submitJob")
    assert "\x1b" not in fault.message and "\n" not in fault.message
    assert "bad\\x1b]0;owned\\x07 value\\nOK" in fault.message


def test_job_names_from_the_service_are_printed_visibly(sandbox, capsys, monkeypatch, tmp_path):
    from ips_tui.cli import main
    from ips_tui.ips.client import IpsClient

    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    monkeypatch.setenv("LANGUAGE", "en")
    name = "nightly\u202egpj.exe\nOK: all good\u009b2J"
    with IpsClient(sandbox.url, sandbox.user, sandbox.password) as client:
        client.submit_job({"companyHandle": "c|101", "jobName": name, "execSchedule": "0 0 3 ? * MON",
                           "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}})
    capsys.readouterr()
    code = main(["jobs", "--company", "c|101", "--url", sandbox.url, "--user", sandbox.user, "--logs", "0"])
    out = capsys.readouterr().out
    assert code == 0
    assert "nightly\\u202egpj.exe\\nOK: all good\\x9b2J" in out
    assert "\u202e" not in out and "\u009b" not in out and "\nOK: all good" not in out
