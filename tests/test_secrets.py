"""The password chain: environment variable → keyring (optional, with a timeout) → prompt."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
import threading
import time

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import KeyringLocked, PasswordDeleteError

from ips_tui.store import secrets
from ips_tui.store.profiles import Profile
from ips_tui.store.secrets import (
    KEYRING_SERVICE,
    MissingPasswordError,
    Secret,
    delete_password,
    keyring_status,
    resolve_password,
    store_password,
)

PASSWORD = "s3cret-Hunter2!"


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


class SlowKeyring(MemoryKeyring):
    """A locked Secret Service: every call hangs until released."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service, username):
        self.release.wait(30)
        return "too-late"

    def set_password(self, service, username, password):
        self.release.wait(30)


class LockedKeyring(MemoryKeyring):
    def get_password(self, service, username):
        raise KeyringLocked("locked")


class PlaintextKeyring(MemoryKeyring):
    """Stands for keyrings.alt.file.PlaintextKeyring."""


PlaintextKeyring.__module__ = "keyrings.alt.file"


@pytest.fixture
def backend():
    """Install a keyring backend for one test; put the previous one back afterwards."""
    previous = keyring.get_keyring()
    installed: list[KeyringBackend] = []

    def install(ring: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(ring)
        installed.append(ring)
        return ring

    yield install
    for ring in installed:
        if isinstance(ring, SlowKeyring):
            ring.release.set()
    deadline = time.monotonic() + 5
    while secrets.keyring_busy() and time.monotonic() < deadline:
        time.sleep(0.01)
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(backend):
    return backend(keyring.backends.fail.Keyring())


def profile(**changes) -> Profile:
    values = dict(name="acme", user="ops@acme.com", region="na", password_env="ACME_IPS_PASSWORD")
    values.update(changes)
    return Profile(**values)


def asked(answer):
    questions: list[str] = []

    def prompt(question: str):
        questions.append(question)
        return answer

    prompt.questions = questions
    return prompt


# --- Secret ------------------------------------------------------------------------------------


def test_secret_never_shows_its_value():
    secret = Secret(PASSWORD, "env", "ACME_IPS_PASSWORD")
    assert secret.value == PASSWORD
    for shown in (repr(secret), str(secret), f"{secret}", f"{secret!r}", "%s" % secret, f"{[secret]}"):
        assert PASSWORD not in shown
    assert "env" in repr(secret) and "ACME_IPS_PASSWORD" in repr(secret)
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(AttributeError):
        secret.extra = 1  # slots: no __dict__ to leak through vars()
    with pytest.raises(ValueError):
        Secret(PASSWORD, "file")


# --- environment -------------------------------------------------------------------------------


def test_the_profiles_variable_works_with_no_keyring_at_all(no_keyring):
    secret = resolve_password(profile(), env={"ACME_IPS_PASSWORD": PASSWORD})
    assert (secret.value, secret.source, secret.origin) == (PASSWORD, "env", "ACME_IPS_PASSWORD")


def test_ips_password_for_a_profile_that_names_no_variable(no_keyring):
    secret = resolve_password(profile(password_env=None), env={"IPS_PASSWORD": PASSWORD})
    assert (secret.source, secret.origin) == ("env", "IPS_PASSWORD")


def test_a_profile_with_its_own_variable_does_not_take_ips_password(no_keyring):
    with pytest.raises(MissingPasswordError, match="ACME_IPS_PASSWORD"):
        resolve_password(profile(), env={"IPS_PASSWORD": "someone-elses"})


def test_an_empty_variable_counts_as_unset(no_keyring):
    prompt = asked(PASSWORD)
    assert resolve_password(profile(), prompt, env={"ACME_IPS_PASSWORD": ""}).source == "prompt"


def test_process_environment_in_a_subprocess_without_keyring():
    """PYTHON_KEYRING_BACKEND=fail: the state of a server with no desktop session."""
    code = (
        "import json; from ips_tui.store.profiles import Profile; from ips_tui.store import secrets\n"
        "p = Profile('acme', user='ops@acme.com', region='na', password_env='ACME_IPS_PASSWORD')\n"
        "s = secrets.resolve_password(p)\n"
        "print(json.dumps([s.source, s.value == 'from-env', list(secrets.keyring_status()),"
        " bool(secrets.store_password(p, 'x'))]))\n"
    )
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring", ACME_IPS_PASSWORD="from-env")
    env.pop("IPS_PASSWORD", None)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    source, matched, (available, explanation), stored = json.loads(out.stdout)
    assert (source, matched, available, stored) == ("env", True, False, False)
    assert "from-env" not in out.stdout + out.stderr


# --- keyring -----------------------------------------------------------------------------------


def test_keyring_status_without_a_backend_explains_the_other_ways(no_keyring):
    available, explanation = keyring_status()
    assert available is False
    assert "no system keyring" in explanation
    assert "password_env" in explanation and "IPS_PASSWORD" in explanation
    assert "type the password" in explanation and "memory only" in explanation
    assert explanation.count("no system keyring") == 1  # said once


def test_store_and_read_back_from_the_keyring(backend):
    ring = backend(MemoryKeyring())
    assert keyring_status()[0] is True
    result = store_password(profile(), PASSWORD)
    assert result and result.ok and result.reason == ""
    assert ring.entries == {(KEYRING_SERVICE, "acme:ops@acme.com"): PASSWORD}
    secret = resolve_password(profile(), env={})
    assert (secret.value, secret.source) == (PASSWORD, "keyring")
    # the environment still wins
    assert resolve_password(profile(), env={"ACME_IPS_PASSWORD": "env"}).source == "env"
    assert delete_password(profile())
    assert not delete_password(profile())
    with pytest.raises(MissingPasswordError, match="keyring has no password"):
        resolve_password(profile(), env={})


def test_store_password_without_a_backend_says_why(no_keyring):
    result = store_password(profile(), PASSWORD)
    assert not result
    assert "no system keyring" in result.reason
    assert not store_password(profile(), "")


def test_a_plaintext_keyring_is_never_used(backend):
    ring = backend(PlaintextKeyring())
    ring.entries[(KEYRING_SERVICE, "acme:ops@acme.com")] = PASSWORD
    available, explanation = keyring_status()
    assert available is False and "keyrings.alt" in explanation
    assert not store_password(profile(), "new")
    prompt = asked("typed")
    assert resolve_password(profile(), prompt, env={}).source == "prompt"
    assert ring.entries[(KEYRING_SERVICE, "acme:ops@acme.com")] == PASSWORD  # untouched


def test_a_locked_keyring_counts_as_none(backend):
    backend(LockedKeyring())
    secret = resolve_password(profile(), asked("typed"), env={})
    assert secret.source == "prompt"


def test_a_hanging_keyring_times_out(backend):
    ring = backend(SlowKeyring())
    start = time.monotonic()
    secret = resolve_password(profile(), asked("typed"), env={}, timeout=0.3)
    elapsed = time.monotonic() - start
    assert secret.source == "prompt" and secret.value == "typed"
    assert 0.25 <= elapsed < 0.3 + 10  # waited its 0.3 s, then gave up (room for a busy machine)

    # While that call is still stuck, later ones do not queue behind it.
    start = time.monotonic()
    available, explanation = keyring_status(timeout=5)
    assert available is False and "locked" in explanation
    assert time.monotonic() - start < 5 * 0.8  # well inside its own 5 s timeout: it did not queue and wait
    with pytest.raises(MissingPasswordError, match="not answered"):
        resolve_password(profile(), env={}, timeout=5)
    assert not store_password(profile(), "x", timeout=5)

    ring.release.set()  # the keyring comes back: it is used again
    deadline = time.monotonic() + 5
    while secrets.keyring_busy():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    ring.entries.clear()
    backend(MemoryKeyring())
    assert keyring_status()[0] is True


def test_keyring_can_be_skipped(backend):
    ring = backend(MemoryKeyring())
    ring.entries[(KEYRING_SERVICE, "acme:ops@acme.com")] = PASSWORD
    assert resolve_password(profile(), asked("typed"), env={}, use_keyring=False).source == "prompt"


# --- prompt ------------------------------------------------------------------------------------


def test_the_prompt_is_last_and_kept_in_memory(no_keyring, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    prompt = asked(PASSWORD)
    secret = resolve_password(profile(), prompt, env={})
    assert (secret.value, secret.source) == (PASSWORD, "prompt")
    assert prompt.questions == ["Password for ops@acme.com (profile acme): "]
    assert os.listdir(tmp_path) == []  # nothing written anywhere near


@pytest.mark.parametrize("answer", [None, ""])
def test_a_cancelled_prompt(no_keyring, answer):
    with pytest.raises(MissingPasswordError) as caught:
        resolve_password(profile(), asked(answer), env={})
    assert caught.value.cancelled is True


def test_nothing_and_no_prompt(no_keyring):
    with pytest.raises(MissingPasswordError) as caught:
        resolve_password(profile(), env={})
    message = str(caught.value)
    assert caught.value.cancelled is False
    assert "ops@acme.com" in message and "ACME_IPS_PASSWORD" in message
    assert "no system keyring" in message
    assert "store the password in the keyring" not in message  # not advice that cannot work here
