"""resolve_connection: --profile, --url/--user, the default profile, the password chain, the keyring notice once."""

from __future__ import annotations

import argparse
import time

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

from ips_tui.companies import FoundCompany, fetch_companies, merge_companies
from ips_tui.connection import (
    KEYRING_NOTICE_FILE,
    Connection,
    ConnectionSetupError,
    keyring_notice,
    resolve_connection,
)
from ips_tui.environments import classify_url
from ips_tui.store import secrets
from ips_tui.store.profiles import Profile, ProfileStore
from ips_tui.store.secrets import KEYRING_SERVICE, move_keyring_entry

PASSWORD = "Conn-Pa55-9d1e"


class MemoryKeyring(KeyringBackend):
    priority = 1

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.calls = 0

    def get_password(self, service, username):
        self.calls += 1
        return self.entries.get((service, username))

    def set_password(self, service, username, password):
        self.entries[(service, username)] = password

    def delete_password(self, service, username):
        if self.entries.pop((service, username), None) is None:
            raise PasswordDeleteError(username)


@pytest.fixture
def ring():
    """Install a keyring for one test (call with a backend); the previous one comes back afterwards."""
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


@pytest.fixture
def store(tmp_path):
    s = ProfileStore(tmp_path / "config")
    s.save_profile(Profile(name="acme-prod", user="ops@acme.com", region="na", locale="en-US",
                           password_env="ACME_PW", companies={"Acme": "c|101", "Brio": "c|102"},
                           default_company="Brio"))
    s.save_profile(Profile(name="acme-stage", user="ops@acme.com", region="emea", staging=True))
    return s


def ns(**values) -> argparse.Namespace:
    base = dict(profile=None, url=None, user=None, cacert=None)
    base.update(values)
    return argparse.Namespace(**base)


class Said(list):
    def __call__(self, text: str) -> None:
        self.append(text)


def resolve(args, tmp_path, **kw):
    kw.setdefault("prompt", False)
    kw.setdefault("env", {})
    kw.setdefault("state_dir", tmp_path / "state")
    return resolve_connection(args, **kw)


# --- --profile ---------------------------------------------------------------------------------


def test_a_profile_gives_everything_but_the_password_from_the_file(store, tmp_path, no_keyring):
    said = Said()
    conn = resolve(ns(profile="acme-prod"), tmp_path, need_password=True, store=store,
                   env={"ACME_PW": PASSWORD}, notify=said)
    assert conn.url == "https://s7sps1apissl.scene7.com/scene7/services/IpsApiService"
    assert conn.user == "ops@acme.com" and conn.password == PASSWORD and conn.password_source == "env"
    assert conn.locale == "en-US" and conn.timezone == "America/Los_Angeles"
    assert conn.company == "c|102"  # the default company's handle
    assert conn.environment == "production" and conn.profile.name == "acme-prod" and conn.profile_name == "acme-prod"
    assert said == []  # the variable was set: the keyring was never needed, nothing to say
    assert not (tmp_path / "state" / KEYRING_NOTICE_FILE).exists()
    assert PASSWORD not in repr(conn) and "********" in repr(conn)


def test_staging_is_named_as_such(store, tmp_path):
    conn = resolve(ns(profile="acme-stage"), tmp_path, need_password=False, store=store)
    assert conn.environment == "staging" and conn.password is None
    assert conn.url.startswith("https://s7sps3apissl-staging.scene7.com/")
    assert conn.timezone == "Europe/London"


def test_url_user_and_cacert_override_the_profile_for_this_run_only(store, tmp_path):
    conn = resolve(ns(profile="acme-prod", url="https://ips.example.net/IpsApiService", user="other@acme.com",
                      cacert="/etc/ca.pem"), tmp_path, need_password=False, store=store)
    assert (conn.url, conn.user, conn.cacert) == ("https://ips.example.net/IpsApiService", "other@acme.com",
                                                  "/etc/ca.pem")
    assert conn.environment == "custom"
    assert conn.company == "c|102" and conn.locale == "en-US"  # the rest is still the profile's
    again = store.get("acme-prod")
    assert again.url is None and again.user == "ops@acme.com"  # the file is untouched

    # An Adobe host given with --url is still called what it is.
    adobe = resolve(ns(profile="acme-stage", url="https://s7sps5apissl.scene7.com/scene7/services/IpsApiService"),
                    tmp_path, need_password=False, store=store)
    assert adobe.environment == "production"


def test_an_unknown_profile_lists_the_known_ones(store, tmp_path):
    with pytest.raises(ConnectionSetupError) as caught:
        resolve(ns(profile="acme"), tmp_path, need_password=True, store=store)
    assert caught.value.exit_code == 2
    assert "'acme'" in caught.value.message and "acme-prod" in caught.value.message
    assert "acme-stage" in caught.value.message


def test_a_broken_file_is_named_with_its_line(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text('[profiles.a]\nuser = "x@y.z"\nregion = na\n')
    with pytest.raises(ConnectionSetupError) as caught:
        resolve(ns(profile="a"), tmp_path, need_password=False, store=ProfileStore(config))
    assert str(config / "profiles.toml") in caught.value.message and "line 3" in caught.value.message
    assert list(config.glob("profiles.toml.bad-*"))


# --- the password ------------------------------------------------------------------------------


def test_no_keyring_is_explained_once_then_the_prompt_answers(store, tmp_path, no_keyring):
    said = Said()
    questions = []

    def prompt(question):
        questions.append(question)
        return PASSWORD

    conn = resolve(ns(profile="acme-prod"), tmp_path, need_password=True, store=store, prompt=prompt, notify=said)
    assert conn.password == PASSWORD and conn.password_source == "prompt"
    assert questions and "ops@acme.com" in questions[0]
    assert len(said) == 1 and "keyring" in said[0] and "password_env" in said[0]  # the two other ways
    marker = tmp_path / "state" / KEYRING_NOTICE_FILE
    assert marker.exists() and marker.stat().st_mode & 0o777 == 0o600
    assert PASSWORD not in marker.read_text()

    said.clear()
    resolve(ns(profile="acme-prod"), tmp_path, need_password=True, store=store, prompt=prompt, notify=said)
    assert said == []  # once is enough
    assert keyring_notice(tmp_path / "state") is None
    assert "keyring" in keyring_notice(tmp_path / "state", force=True)


def test_without_a_terminal_nobody_is_asked(store, tmp_path, no_keyring):
    with pytest.raises(ConnectionSetupError) as caught:
        resolve(ns(profile="acme-prod"), tmp_path, need_password=True, store=store, prompt=None, notify=Said())
    # pytest's stdin is not a terminal: getpass is never called, the message says what to set
    assert "ACME_PW" in caught.value.message and caught.value.exit_code == 2


def test_a_cancelled_prompt_sends_nothing(store, tmp_path, no_keyring):
    with pytest.raises(ConnectionSetupError) as caught:
        resolve(ns(profile="acme-prod"), tmp_path, need_password=True, store=store, prompt=lambda q: "",
                notify=Said())
    assert "No password" in caught.value.message


def test_the_keyring_answers_when_there_is_one(store, tmp_path, ring):
    backend = ring(MemoryKeyring())
    backend.set_password(KEYRING_SERVICE, "acme-prod:ops@acme.com", PASSWORD)
    said = Said()
    conn = resolve(ns(profile="acme-prod"), tmp_path, need_password=True, store=store, notify=said)
    assert conn.password == PASSWORD and conn.password_source == "keyring"
    assert said == [] and not (tmp_path / "state" / KEYRING_NOTICE_FILE).exists()
    assert keyring_notice(tmp_path / "state") is None  # a keyring works: nothing to explain


def test_no_password_needed_never_touches_the_keyring(store, tmp_path, ring):
    backend = ring(MemoryKeyring())
    conn = resolve(ns(profile="acme-prod"), tmp_path, need_password=False, store=store)
    assert conn.password is None and conn.password_source is None and backend.calls == 0


def test_moving_the_keyring_entry_after_a_rename(store, tmp_path, ring):
    backend = ring(MemoryKeyring())
    old = store.get("acme-prod")
    backend.set_password(KEYRING_SERVICE, old.keyring_username, PASSWORD)
    new = store.update("acme-prod", lambda p: setattr(p, "name", "acme-na"))
    assert move_keyring_entry(old, new)
    assert backend.entries == {(KEYRING_SERVICE, "acme-na:ops@acme.com"): PASSWORD}
    assert not move_keyring_entry(old, new)  # nothing left to move


# --- --url / --user ----------------------------------------------------------------------------


def test_url_and_user_without_a_profile_take_ips_password(tmp_path, ring):
    backend = ring(MemoryKeyring())
    conn = resolve(ns(url="https://ips.example.net/x", user="ops@acme.com"), tmp_path, need_password=True,
                   env={"IPS_PASSWORD": PASSWORD})
    assert conn.password == PASSWORD and conn.profile is None and conn.environment == "custom"
    assert conn.company is None and conn.timezone is None
    assert backend.calls == 0  # no profile: the keyring is not asked


def test_url_and_user_without_a_password_ask_or_explain(tmp_path):
    args = ns(url="https://ips.example.net/x", user="ops@acme.com")
    conn = resolve(args, tmp_path, need_password=True, prompt=lambda q: PASSWORD)
    assert conn.password == PASSWORD and conn.password_source == "prompt"
    with pytest.raises(ConnectionSetupError) as caught:
        resolve(args, tmp_path, need_password=True)
    assert "IPS_PASSWORD" in caught.value.message


def test_url_without_user_is_refused(tmp_path):
    with pytest.raises(ConnectionSetupError, match="--url and --user"):
        resolve(ns(url="https://ips.example.net/x"), tmp_path, need_password=False)
    with pytest.raises(ConnectionSetupError, match="--url and --user"):
        resolve(ns(user="ops@acme.com"), tmp_path, need_password=False)


# --- neither -----------------------------------------------------------------------------------


def test_with_neither_the_default_profile_is_used_and_said(store, tmp_path):
    said = Said()
    assert resolve(ns(), tmp_path, need_password=False, store=store, notify=said) is None  # no default yet
    assert said == []
    store.set_default("acme-stage")
    conn = resolve(ns(), tmp_path, need_password=False, store=store, notify=said)
    assert conn.profile.name == "acme-stage"
    assert len(said) == 1 and "acme-stage" in said[0] and conn.notes == said


def test_with_neither_and_a_broken_file_it_says_why_and_goes_on(tmp_path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text("default_profile = \n")
    said = Said()
    assert resolve(ns(), tmp_path, need_password=False, store=ProfileStore(config), notify=said) is None
    assert len(said) == 1 and "line 1" in said[0]


def test_a_drop_in_for_the_cli_namespace(store, tmp_path, monkeypatch):
    from ips_tui.cli import build_parser

    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(store.path.parent))
    args = build_parser().parse_args(["submit", "job.toml", "--profile", "acme-prod", "--cacert", "/ca.pem"])
    conn = resolve_connection(args, need_password=False)
    assert isinstance(conn, Connection) and conn.cacert == "/ca.pem" and conn.user == "ops@acme.com"


def test_classify_url():
    assert classify_url("https://s7sps1apissl.scene7.com/scene7/services/IpsApiService") == "production"
    assert classify_url("https://s7sps3apissl-staging.scene7.com/x") == "staging"
    assert classify_url("http://127.0.0.1:8080/x") == "custom"
    assert classify_url(None) == "custom" and classify_url("http://[::1") == "custom"


# --- companies ---------------------------------------------------------------------------------


def test_companies_from_the_sandbox_by_membership_and_by_name(sandbox):
    from ips_tui.ips.client import IpsClient

    with IpsClient(sandbox.url, sandbox.user, sandbox.password, timeout=10) as client:
        found = fetch_companies(client)
        by_name = fetch_companies(client, ["Cielo Foods"])
    assert {(c.name, c.handle) for c in found} == {(c["name"], c["handle"]) for c in sandbox.companies}
    assert all(c.role for c in found)
    assert by_name == [FoundCompany("Cielo Foods", "c|103")]


def test_merging_companies_keeps_the_default_and_reports_changes():
    profile = Profile(name="p", user="a@b.c", region="na", companies={"Old": "c|9", "Brio": "c|1"},
                      default_company="Brio")
    changed, dropped = merge_companies(profile, [FoundCompany("Brio", "c|102"), FoundCompany("Acme", "c|101")])
    assert profile.companies == {"Old": "c|9", "Brio": "c|102", "Acme": "c|101"}
    assert changed == ["Brio", "Acme"] and dropped == [] and profile.default_company == "Brio"
    changed, dropped = merge_companies(profile, [FoundCompany("Acme", "c|101")], replace=True)
    assert profile.companies == {"Acme": "c|101"} and dropped == ["Old", "Brio"] and changed == []
    assert profile.default_company == "Acme"
