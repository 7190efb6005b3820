"""The CLI and the client give the same JSON, exit codes and envelopes in English and in Spanish.

Each scenario runs twice, once with the environment a Spanish machine has (``LANGUAGE=es
LANG=es_ES.UTF-8``, the interface following it) and once in English; what a script reads must be
identical. What people read (stderr without ``--json``) is allowed to change, and is checked to have.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ips_tui import cli, i18n
from ips_tui.ips.catalog import catalog
from ips_tui.ips.client import IpsClient
from ips_tui.job.request import JobRequest
from jobgen import request_data
from test_cli_invalid import CASES

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
LANGS = {"en": {"LANGUAGE": "en", "LANG": "en_US.UTF-8"}, "es": {"LANGUAGE": "es", "LANG": "es_ES.UTF-8"}}


def _in(lang: str, monkeypatch) -> None:
    for var, value in LANGS[lang].items():
        monkeypatch.setenv(var, value)
    assert i18n.set_language(None) == lang  # the machine's language, as the program picks it up


def _run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _both(monkeypatch, capsys, argv, normalise=lambda s: s):
    """(code, stdout, stderr) per language, stdout normalised."""
    got = {}
    for lang in LANGS:
        _in(lang, monkeypatch)
        code, out, err = _run(argv, capsys)
        got[lang] = (code, normalise(out), err)
    return got


def test_dry_run_envelopes_and_json_are_the_same(monkeypatch, capsys):
    files = [str(p) for p in sorted(EXAMPLES.glob("*.toml"))]
    for extra in ([], ["--json"]):
        got = _both(monkeypatch, capsys, ["submit", *files, "--dry-run", *extra])
        assert got["en"][0] == got["es"][0] == 0
        assert got["en"][1] == got["es"][1] and got["en"][1]


def test_invalid_files_same_json_and_exit_code_words_translated(tmp_path, monkeypatch, capsys):
    paths = []
    for name, text, _expected in CASES:
        path = tmp_path / f"{name}.toml"
        path.write_text(text)
        paths.append(str(path))
    got = _both(monkeypatch, capsys, ["submit", *paths, "--dry-run", "--json"])
    assert got["en"][0] == got["es"][0] == 2
    assert got["en"][1] == got["es"][1]
    assert len(got["en"][1].splitlines()) == len(CASES)
    plain = _both(monkeypatch, capsys, ["submit", paths[1], "--dry-run"])
    assert plain["en"][0] == plain["es"][0] == 2
    assert plain["en"][2] != plain["es"][2]  # people's words follow the language; the facts do not


def test_submit_to_the_sandbox_same_json_and_codes(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    conn = ["--url", sandbox.url, "--user", sandbox.user]
    seeds = [str(EXAMPLES / "export-originals.toml")]
    got = {}
    for lang in LANGS:
        _in(lang, monkeypatch)
        code, out, _err = _run(["submit", *seeds, "--company", "c|101", "--json", "--again", *conn], capsys)
        got[lang] = (code, [sorted(json.loads(line)) for line in out.splitlines()])
    assert got["en"] == got["es"] and got["en"][0] == 0
    monkeypatch.setenv("IPS_PASSWORD", "wrong")
    wrong = _both(monkeypatch, capsys, ["submit", *seeds, "--company", "c|101", "--json", "--again", *conn])
    assert wrong["en"][0] == wrong["es"][0] == 3
    assert wrong["en"][1] == wrong["es"][1]
    jobs = _both(monkeypatch, capsys, ["jobs", "--company", "c|101", "--json", *conn])
    assert jobs["en"][0] == jobs["es"][0]


def test_schedule_command_same_output_and_codes(monkeypatch, capsys):
    argv = ["schedule", "0 30 6 ? * MON-FRI", "--count", "3", "--after", "2026-11-27T12:00:00Z", "--tz", "Europe/Madrid"]
    got = _both(monkeypatch, capsys, argv)
    assert got["en"][:2] == got["es"][:2] and got["en"][0] == 0
    bad = _both(monkeypatch, capsys, ["schedule", "0 0 12 ? * 9"])
    assert bad["en"][0] == bad["es"][0] == 2


@pytest.mark.parametrize("element", list(catalog().jobs))
def test_client_envelopes_are_byte_identical(element, monkeypatch):
    from datetime import datetime, timezone

    now = datetime(2026, 11, 1, tzinfo=timezone.utc)
    envelopes = {}
    for lang in LANGS:
        _in(lang, monkeypatch)
        client = IpsClient("https://127.0.0.1:9/scene7/services/IpsApiService", "ops@example.com", "pw")
        try:
            payload = JobRequest(request_data(element, maximal=True)).to_payload(now=now)
            envelopes[lang] = client.build_envelope("submitJob", payload)
        finally:
            client.close()
    assert envelopes["en"] == envelopes["es"]


def test_client_errors_keep_kind_and_exit_code(sandbox, monkeypatch):
    from ips_tui.ips.faults import IpsError

    seen = {}
    for lang in LANGS:
        _in(lang, monkeypatch)
        client = IpsClient(sandbox.url, sandbox.user, "wrong", timeout=10)
        try:
            with pytest.raises(IpsError) as info:
                client.get_company_membership()
        finally:
            client.close()
        seen[lang] = (type(info.value).__name__, info.value.kind, info.value.exit_code, getattr(info.value, "code", None))
    assert seen["en"] == seen["es"]
