"""`ips-tui profiles list|add|edit|remove|test|companies`, against a real sandbox; exit codes 0/2/3/4."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from ips_tui import i18n
from ips_tui.cli import main
from ips_tui.store import secrets
from ips_tui.store.profiles import ProfileStore
from ips_tui.store.secrets import KEYRING_SERVICE

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-example.toml"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service, username):
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    """Config and state folders of their own; English; no stray password or CA variables."""
    config, state = tmp_path / "config", tmp_path / "state"
    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(config))
    monkeypatch.setenv("IPS_TUI_STATE_DIR", str(state))
    monkeypatch.setenv("LANGUAGE", "en")
    for var in ("IPS_PASSWORD", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)
    yield config, state
    i18n.set_language(None)


@pytest.fixture
def ring():
    previous = keyring.get_keyring()

    def install(backend):
        keyring.set_keyring(backend)
        return backend

    yield install
    deadline = time.monotonic() + 5
    while secrets.keyring_busy() and time.monotonic() < deadline:
        time.sleep(0.01)
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(ring):
    return ring(keyring.backends.fail.Keyring())


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """``ips-tui ARGV`` in this process; (exit code, stdout, stderr)."""
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def cli(env: dict, *argv: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    """``ips-tui ARGV`` in its own process (no terminal)."""
    return subprocess.run([sys.executable, "-m", "ips_tui", *argv], env=env, capture_output=True, text=True,
                          timeout=60, stdin=stdin)


def child_env(config: Path, state: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("IPS_PASSWORD", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env.update(IPS_TUI_CONFIG_DIR=str(config), IPS_TUI_STATE_DIR=str(state), LANGUAGE="en",
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.update(extra)
    return env


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the two "done when" tests at the CLI --------------------------------------------------------


def test_list_on_a_corrupted_file_exits_2_with_path_and_line_and_keeps_a_backup(tmp_path):
    config, state = tmp_path / "config", tmp_path / "state"
    config.mkdir()
    broken = '# mine\n[profiles.acme]\nuser = "ops@acme.com"\nregion = "na\n'
    (config / "profiles.toml").write_text(broken)
    out = cli(child_env(config, state), "profiles", "list")
    assert out.returncode == 2, out
    assert str(config / "profiles.toml") in out.stderr and "line 4" in out.stderr
    assert "Traceback" not in out.stderr and out.stdout == ""
    backups = list(config.glob("profiles.toml.bad-*"))
    assert len(backups) == 1 and backups[0].read_text() == broken
    assert str(backups[0]) in out.stderr
    assert (config / "profiles.toml").read_text() == broken  # never overwritten

    # Adding a profile is refused the same way: the file stays as it was.
    add = cli(child_env(config, state), "profiles", "add", "b", "--user", "b@acme.com", "--region", "na")
    assert add.returncode == 2 and "line 4" in add.stderr
    assert (config / "profiles.toml").read_text() == broken
    assert len(list(config.glob("profiles.toml.bad-*"))) == 1  # one backup per distinct content


def test_submit_with_a_password_variable_and_no_keyring_backend_at_all(tmp_path, sandbox):
    config, state = tmp_path / "config", tmp_path / "state"
    env = child_env(config, state)
    add = cli(env, "profiles", "add", "lab", "--user", sandbox.user, "--url", sandbox.url, "--password-env", "LAB_PW",
              "--company", f"Brio Outdoor={sandbox.companies[1]['handle']}")
    assert add.returncode == 0, add.stderr
    job = tmp_path / "job.toml"
    job.write_text(SEED.read_text().replace('companyHandle = "47"\n', ""))  # the profile's default company

    env["LAB_PW"] = sandbox.password
    out = cli(env, "submit", str(job), "--profile", "lab", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["jobHandle"].startswith("j|")
    (got,) = sandbox.submitted_jobs()
    assert got["companyHandle"] == sandbox.companies[1]["handle"] and got["user"] == sandbox.user
    assert "keyring" not in out.stderr  # the variable answered: the keyring was never needed
    assert sandbox.password not in out.stdout + out.stderr


# --- add / list / edit / remove ------------------------------------------------------------------


def test_add_list_edit_remove(dirs, capsys, no_keyring):
    config, _state = dirs
    code, out, err = run(capsys, "profiles", "add", "acme-prod", "--user", "ops@acme.com", "--region", "na",
                         "--locale", "en-US", "--email-setting", "Error", "--password-env", "ACME_PW",
                         "--company", "Acme Retail=c|101", "--company", "Brio=c|102", "--default-company", "Brio")
    assert code == 0, err
    assert "acme-prod" in out and "PRODUCTION" in out
    code, out, err = run(capsys, "profiles", "add", "acme-stage", "--user", "ops@acme.com", "--region", "emea",
                         "--staging")
    assert code == 0, err

    code, out, _err = run(capsys, "profiles", "list")
    assert code == 0
    lines = out.splitlines()
    assert lines[1].startswith("*") and "acme-prod" in lines[1] and "PRODUCTION" in lines[1]  # the first is default
    assert "$ACME_PW" in lines[1] and "Brio (c|102)" in lines[1]
    assert "acme-stage" in lines[2] and "STAGING" in lines[2] and "emea" in lines[2]

    code, out, _err = run(capsys, "profiles", "list", "--json")
    doc = json.loads(out)
    assert doc["default"] == "acme-prod" and doc["path"] == str(config / "profiles.toml")
    prod, stage = doc["profiles"]
    assert prod["timezone"] == "America/Los_Angeles" and prod["email_setting"] == "Error"
    assert stage["environment"] == "staging" and stage["timezone"] == "Europe/London"
    assert not any("password" == k for p in doc["profiles"] for k in p)

    # edit: only what is given changes; a new region brings its zone unless one was chosen
    code, out, err = run(capsys, "profiles", "edit", "acme-stage", "--region", "apac", "--production",
                         "--rename", "acme-apac", "--default", "--company", "Cielo=c|103")
    assert code == 0, err
    p = ProfileStore(config).get("acme-apac")
    assert (p.region, p.staging, p.timezone, p.user) == ("apac", False, "Asia/Tokyo", "ops@acme.com")
    assert p.companies == {"Cielo": "c|103"} and p.default_company == "Cielo"
    assert ProfileStore(config).load().default_profile == "acme-apac"
    code, out, err = run(capsys, "profiles", "edit", "acme-prod", "--unset", "locale", "--remove-company", "Brio",
                         "--timezone", "America/New_York")
    assert code == 0, err
    p = ProfileStore(config).get("acme-prod")
    assert p.locale is None and p.companies == {"Acme Retail": "c|101"} and p.default_company == "Acme Retail"
    assert p.timezone == "America/New_York"
    code, out, err = run(capsys, "profiles", "edit", "acme-prod", "--url", "https://ips.example.net/IpsApiService")
    assert code == 0, err
    p = ProfileStore(config).get("acme-prod")
    assert p.url and p.region is None and p.environment == "custom"

    # remove needs --yes without a terminal
    code, out, err = run(capsys, "profiles", "remove", "acme-apac")
    assert code == 2 and "--yes" in err
    code, out, err = run(capsys, "profiles", "remove", "acme-apac", "--yes")
    assert code == 0 and "acme-apac" in out
    assert ProfileStore(config).names() == ["acme-prod"]
    assert ProfileStore(config).load().default_profile is None
    text = (config / "profiles.toml").read_text()
    assert "acme-apac" not in text
    assert (config / "profiles.toml").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(
    "argv, words",
    [
        (["--user", "ops@acme.com"], "--region"),
        (["--user", "not-an-email", "--region", "na"], "e-mail"),
        (["--user", "ops@acme.com", "--region", "na", "--timezone", "Mars/Olympus"], "Mars/Olympus"),
        (["--user", "ops@acme.com", "--region", "na", "--locale", "en_us"], "en-US"),
        (["--user", "ops@acme.com", "--url", "http://x.example/IpsApiService", "--staging"], "--staging"),
        (["--user", "ops@acme.com", "--region", "na", "--company", "Acme"], "NAME=HANDLE"),
        (["--user", "ops@acme.com", "--region", "na", "--password-env", "1BAD"], "1BAD"),
        (["--user", "ops@acme.com", "--region", "na", "--cacert", "/nonexistent/ca.pem"], "/nonexistent/ca.pem"),
        (["--user", "ops@acme.com", "--region", "na", "--default-company", "Nope"], "Nope"),
    ],
)
def test_add_refuses_what_is_wrong_and_saves_nothing(dirs, capsys, argv, words):
    config, _state = dirs
    code, out, err = run(capsys, "profiles", "add", "p", *argv)
    assert code == 2, (out, err)
    assert words in err and "Traceback" not in err
    assert not (config / "profiles.toml").exists()


def test_add_twice_and_edit_unknown(dirs, capsys):
    assert run(capsys, "profiles", "add", "p", "--user", "ops@acme.com", "--region", "na")[0] == 0
    code, _out, err = run(capsys, "profiles", "add", "p", "--user", "ops@acme.com", "--region", "na")
    assert code == 2 and "profiles edit p" in err
    code, _out, err = run(capsys, "profiles", "edit", "q", "--locale", "es-ES")
    assert code == 2 and "'q'" in err and "p" in err
    code, _out, err = run(capsys, "profiles", "remove", "q", "--yes")
    assert code == 2 and "'q'" in err
    code, _out, err = run(capsys, "profiles")
    assert code == 2 and "list, add" in err


def test_an_empty_store_says_how_to_start(dirs, capsys):
    code, out, _err = run(capsys, "profiles", "list")
    assert code == 0 and "profiles add" in out


# --- test / companies against the sandbox ---------------------------------------------------------


def add_lab(capsys, sandbox, *extra: str) -> None:
    code, _out, err = run(capsys, "profiles", "add", "lab", "--user", sandbox.user, "--url", sandbox.url,
                          "--password-env", "LAB_PW", *extra)
    assert code == 0, err


def test_companies_fill_the_profile(dirs, capsys, sandbox, monkeypatch, no_keyring):
    config, _state = dirs
    monkeypatch.setenv("LAB_PW", sandbox.password)
    add_lab(capsys, sandbox, "--company", "Mine=c|999")
    code, out, err = run(capsys, "profiles", "companies", "lab")
    assert code == 0, err
    assert "Acme Retail" in out and "c|103" in out and "IpsUser" in out
    p = ProfileStore(config).get("lab")
    assert p.companies == {"Mine": "c|999", "Acme Retail": "c|101", "Brio Outdoor": "c|102", "Cielo Foods": "c|103"}
    assert p.default_company == "Mine"

    code, out, err = run(capsys, "profiles", "companies", "lab", "--replace", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["saved"] and doc["default_company"] == "Acme Retail"
    assert [c["handle"] for c in doc["companies"]] == ["c|101", "c|102", "c|103"]
    assert "Mine" not in ProfileStore(config).get("lab").companies

    # getCompanyInfo by name; --no-save leaves the file alone
    before = (config / "profiles.toml").read_bytes()
    code, out, err = run(capsys, "profiles", "companies", "lab", "--name", "Brio Outdoor", "--no-save")
    assert code == 0, err
    assert "c|102" in out and (config / "profiles.toml").read_bytes() == before
    code, out, err = run(capsys, "profiles", "companies", "lab", "--name", "Nobody Inc")
    assert code == 3 and "Nobody Inc" in err
    assert [r.operation for r in sandbox.received] == [
        "getCompanyMembership", "getCompanyMembership", "getCompanyInfo", "getCompanyInfo"]


def test_add_with_fetch_companies(dirs, capsys, sandbox, monkeypatch, no_keyring):
    config, _state = dirs
    monkeypatch.setenv("LAB_PW", sandbox.password)
    add_lab(capsys, sandbox, "--fetch-companies")
    assert ProfileStore(config).get("lab").company_handle() == "c|101"


def test_test_says_ok_or_why_not(dirs, capsys, sandbox, monkeypatch, no_keyring):
    _config, state = dirs
    add_lab(capsys, sandbox)
    monkeypatch.setenv("LAB_PW", sandbox.password)
    code, out, err = run(capsys, "profiles", "test", "lab")
    assert code == 0 and "Login OK" in out and "CUSTOM" in out, err
    code, out, _err = run(capsys, "profiles", "test", "--json")  # the default profile (said on stderr)
    assert code == 0 and json.loads(out) == {"profile": "lab", "user": sandbox.user, "url": sandbox.url,
                                             "environment": "custom", "ok": True,
                                             "authHeader": {"documented": True, "dated": True},
                                             "checkLogin": "allowed", "notes": []}

    monkeypatch.setenv("LAB_PW", "wrong-password")
    code, out, err = run(capsys, "profiles", "test", "lab")
    assert code == 3 and "10001" in err and "Traceback" not in err

    # no variable, no keyring, no terminal: explained once, exit 2
    monkeypatch.delenv("LAB_PW")
    code, out, err = run(capsys, "profiles", "test", "lab")
    assert code == 2 and "LAB_PW" in err and "no system keyring" in err
    code, out, err = run(capsys, "profiles", "test", "lab")
    assert code == 2 and "LAB_PW" in err and "no system keyring" not in err  # said once only
    assert (state / "keyring-notice-shown").exists()

    monkeypatch.setenv("LAB_PW", sandbox.password)
    code, out, err = run(capsys, "profiles", "test", "lab", "--url", f"http://127.0.0.1:{closed_port()}/x",
                         "--timeout", "5")
    assert code == 4, err
    assert sandbox.password not in out + err


def test_store_password_in_the_keyring_then_use_it_then_forget_it(dirs, capsys, sandbox, monkeypatch, ring):
    config, _state = dirs
    backend = ring(MemoryKeyring())
    monkeypatch.setattr(sys, "stdin", io.StringIO(sandbox.password + "\n"))
    code, out, err = run(capsys, "profiles", "add", "lab", "--user", sandbox.user, "--url", sandbox.url,
                         "--store-password", "--fetch-companies")
    assert code == 0, err
    assert backend.entries == {(KEYRING_SERVICE, f"lab:{sandbox.user}"): sandbox.password}
    assert "c|102" in out
    assert sandbox.password not in (config / "profiles.toml").read_text()

    code, out, err = run(capsys, "profiles", "test", "lab")  # no variable: the keyring answers
    assert code == 0, err

    code, out, err = run(capsys, "profiles", "edit", "lab", "--rename", "lab2")
    assert code == 0, err
    assert backend.entries == {(KEYRING_SERVICE, f"lab2:{sandbox.user}"): sandbox.password}

    code, out, err = run(capsys, "profiles", "remove", "lab2", "--yes")
    assert code == 0 and "keyring" in out, err
    assert backend.entries == {}


def test_store_password_without_a_keyring_explains_and_changes_nothing(dirs, capsys, monkeypatch, no_keyring):
    config, _state = dirs
    monkeypatch.setattr(sys, "stdin", io.StringIO("secret\n"))
    code, out, err = run(capsys, "profiles", "add", "lab", "--user", "ops@acme.com", "--region", "na",
                         "--store-password")
    assert code == 2 and "password_env" in err and "IPS_PASSWORD" in err
    assert not (config / "profiles.toml").exists()
