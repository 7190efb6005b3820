"""Shared by the reliability tests: run the CLI in-process against a sandbox with a profile of its own."""

from __future__ import annotations

import json

import keyring
import keyring.backends.fail
import pytest

from ips_tui import i18n
from ips_tui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    """Own config and state folders, English, no keyring, no stray password or CA variables."""
    config, state = tmp_path / "config", tmp_path / "state"
    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("IPS_TUI_STATE_DIR", str(state))
    monkeypatch.setenv("LANGUAGE", "en")
    for var in ("IPS_PASSWORD", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    yield config, state
    keyring.set_keyring(previous)
    i18n.set_language(None)


def add_profile(capsys, monkeypatch, box, name="lab", *, user=None, password=None, extra=()):
    monkeypatch.setenv("LAB_PW", password or box.password)
    code, out, err = run(capsys, "profiles", "add", name, "--user", user or box.user, "--url", box.url,
                         "--password-env", "LAB_PW", "--timezone", "America/Los_Angeles", "--default", *extra)
    assert code == 0, err
    return name


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]
