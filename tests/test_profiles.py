"""Profiles in profiles.toml, the folders they live in, and the atomic write under them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from ips_tui.store import paths
from ips_tui.store.atomic import StoreLockError, atomic_write_text, locked
from ips_tui.store.profiles import (
    DEFAULT_TIMEZONES,
    EMAIL_SETTINGS,
    Profile,
    ProfileError,
    ProfileFileError,
    ProfileNotFoundError,
    ProfileStore,
    SecretInProfileError,
)


def acme(**changes) -> Profile:
    values = dict(
        name="acme-prod",
        user="ops@acme.com",
        region="na",
        locale="en-US",
        email_setting="Error",
        companies={"Acme": "c|1234", "Acme Europe": "c|5678"},
        default_company="Acme",
        password_env="ACME_IPS_PASSWORD",
    )
    values.update(changes)
    return Profile(**values)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def store(tmp_path) -> ProfileStore:
    return ProfileStore(tmp_path / "config")


# --- the model ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("region", "staging", "url"),
    [
        ("na", False, "https://s7sps1apissl.scene7.com/scene7/services/IpsApiService"),
        ("na", True, "https://s7sps1apissl-staging.scene7.com/scene7/services/IpsApiService"),
        ("emea", False, "https://s7sps3apissl.scene7.com/scene7/services/IpsApiService"),
        ("emea", True, "https://s7sps3apissl-staging.scene7.com/scene7/services/IpsApiService"),
        ("apac", False, "https://s7sps5apissl.scene7.com/scene7/services/IpsApiService"),
        ("apac", True, "https://s7sps5apissl-staging.scene7.com/scene7/services/IpsApiService"),
    ],
)
def test_service_url_per_region(region, staging, url):
    profile = Profile("p", user="a@b.com", region=region, staging=staging)
    assert profile.service_url == url
    assert profile.environment == ("staging" if staging else "production")
    assert profile.upload_url.endswith("/scene7/UploadFile")
    assert ("-staging." in profile.upload_url) == staging


def test_custom_and_sandbox_environments():
    custom = Profile("dev", user="a@b.com", url="https://ips.example.net/scene7/services/IpsApiService")
    assert custom.environment == "custom"
    assert custom.service_url == "https://ips.example.net/scene7/services/IpsApiService"
    assert custom.upload_url is None
    assert custom.timezone == "UTC"
    sandbox = Profile("sandbox", user="sandbox@example.com", url="http://127.0.0.1:9/x", sandbox=True)
    assert sandbox.environment == "sandbox"
    assert sandbox.problems() == []


def test_timezone_defaults_per_region_and_can_be_changed():
    assert DEFAULT_TIMEZONES == {"na": "America/Los_Angeles", "emea": "Europe/London", "apac": "Asia/Tokyo"}
    for region, zone in DEFAULT_TIMEZONES.items():
        assert Profile("p", user="a@b.com", region=region).timezone == zone
    assert Profile("p", user="a@b.com", region="na", timezone="America/New_York").timezone == "America/New_York"


def test_default_company():
    profile = Profile("p", user="a@b.com", region="na", companies={"One": "c|1", "Two": "c|2"})
    assert profile.default_company == "One"
    assert profile.company_handle() == "c|1"
    assert profile.company_handle("Two") == "c|2"
    assert profile.company_handle("Three") is None


def test_a_profile_has_no_password_attribute():
    profile = acme()
    assert not hasattr(profile, "password")
    with pytest.raises(AttributeError):
        profile.password = "hunter2"  # slots: there is nowhere to put it


def test_problems_name_the_key():
    profile = Profile(
        "bad:name",
        user="not-an-email",
        region="mars",
        timezone="Mars/Olympus_Mons",
        locale="en_US",
        email_setting="Sometimes",
        companies={"A": ""},
        default_company="B",
        password_env="1BAD",
    )
    keys = {p.key for p in profile.problems()}
    assert keys == {
        "name", "user", "region", "timezone", "locale", "email_setting", "companies", "default_company",
        "password_env",
    }
    assert Profile("x", user="a@b.com").problems()[0].key == "region"  # neither region nor url
    both = Profile("x", user="a@b.com", region="na", url="https://h/x", staging=True)
    assert {p.key for p in both.problems()} == {"region", "staging"}
    assert {p.key for p in Profile("x", user="a@b.com", url="ftp://h/x").problems()} == {"url"}
    assert acme().problems() == []
    assert all(Profile("x", user="a@b.com", region="na", email_setting=v).problems() == [] for v in EMAIL_SETTINGS)


# --- the store ---------------------------------------------------------------------------------


def test_missing_file_is_an_empty_store(store):
    data = store.load()
    assert data.profiles == {} and data.default_profile is None
    assert store.list() == []
    with pytest.raises(ProfileNotFoundError, match="no profiles"):
        store.get()
    assert not store.path.parent.exists()  # reading creates nothing


def test_round_trip(store):
    first = acme()
    second = Profile(
        "staging eu", user="qa@acme.com", region="emea", staging=True, timezone="Europe/Madrid", cacert="~/ca.pem"
    )
    third = Profile("local", user="dev@acme.com", url="http://localhost:8081/scene7/services/IpsApiService")
    for profile in (first, second, third):
        store.save_profile(profile)
    store.set_default("acme-prod")

    again = ProfileStore(store.path.parent)
    assert again.get("acme-prod") == first
    assert again.get("staging eu") == second
    assert again.get("local") == third
    assert again.get() == first
    assert [p.name for p in again.list()] == ["acme-prod", "local", "staging eu"]
    assert again.load().default_profile == "acme-prod"


def test_the_file_reads_like_a_person_wrote_it(store):
    store.save_profile(acme())
    store.set_default("acme-prod")
    text = store.path.read_text()
    assert text.startswith("#")
    assert 'default_profile = "acme-prod"' in text
    assert "[profiles.acme-prod]" in text
    assert "[profiles.acme-prod.companies]" in text
    assert 'region = "na"' in text and 'user = "ops@acme.com"' in text
    assert '"Acme Europe" = "c|5678"' in text
    assert "None" not in text.replace('"None"', "")  # nothing unset is written
    assert "password =" not in text and "sandbox" not in text
    doc = tomllib.loads(text)
    assert doc["profiles"]["acme-prod"]["companies"] == {"Acme": "c|1234", "Acme Europe": "c|5678"}
    assert "cacert" not in doc["profiles"]["acme-prod"]


def test_a_hand_edited_file_is_read(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text(
        "# mine\n"
        'default_profile = "eu"\n'
        "[profiles.eu]\n"
        'user = "ops@acme.com"\n'
        'region = "emea"\n'
        "[profiles.eu.companies]\n"
        '"Acme EU" = "c|9"\n'
    )
    profile = store.get()
    assert profile.name == "eu" and profile.timezone == "Europe/London" and profile.staging is False
    assert profile.default_company == "Acme EU"
    assert profile.service_url.startswith("https://s7sps3apissl.scene7.com/")


def test_permissions(tmp_path):
    store = ProfileStore(tmp_path / "deep" / "config")
    store.save_profile(acme())
    assert mode(store.path) == 0o600
    assert mode(store.path.parent) == 0o700
    assert mode(store.path.parent.parent) == 0o700  # every folder it had to create
    os.chmod(store.path, 0o644)
    store.save_profile(acme(user="other@acme.com"))
    assert mode(store.path) == 0o600  # a rewrite restores it


def test_no_temporary_files_are_left(store):
    for i in range(5):
        store.save_profile(acme(name=f"p{i}"))
    store.remove("p0")
    store.update("p1", lambda p: setattr(p, "locale", "de-DE"))
    names = sorted(os.listdir(store.path.parent))
    assert names == ["profiles.toml", "profiles.toml.lock"]


def test_save_replaces_update_renames_remove_deletes(store):
    store.save_profile(acme())
    store.set_default("acme-prod")
    store.save_profile(acme(email_setting="All"))
    assert store.get("acme-prod").email_setting == "All"
    assert len(store.list()) == 1

    def add_company(profile):
        profile.companies["Acme Asia"] = "c|42"

    updated = store.update("acme-prod", add_company)
    assert updated.companies["Acme Asia"] == "c|42"
    assert store.get("acme-prod").companies["Acme Asia"] == "c|42"

    renamed = store.update("acme-prod", lambda p: Profile(**{**_fields(p), "name": "acme"}))
    assert renamed.name == "acme"
    assert store.load().default_profile == "acme"  # the default follows the rename
    with pytest.raises(ProfileNotFoundError, match="acme-prod"):
        store.get("acme-prod")

    store.save_profile(acme(name="other"))
    with pytest.raises(ProfileError, match="exists already"):
        store.update("acme", lambda p: setattr(p, "name", "other"))

    store.remove("acme")
    assert store.load().default_profile is None
    assert store.names() == ["other"]
    assert store.get().name == "other"  # the only one
    with pytest.raises(ProfileNotFoundError):
        store.remove("acme")
    with pytest.raises(ProfileNotFoundError):
        store.set_default("nobody")
    with pytest.raises(ProfileNotFoundError):
        store.update("nobody", lambda p: None)


def _fields(profile: Profile) -> dict:
    return {name: getattr(profile, name) for name in Profile.__dataclass_fields__}


def test_get_without_a_default_among_several(store):
    store.save_profile(acme(name="a"))
    store.save_profile(acme(name="b"))
    with pytest.raises(ProfileNotFoundError, match="a, b"):
        store.get()


def test_invalid_profiles_are_refused_before_writing(store):
    store.save_profile(acme())
    before = store.path.read_bytes()
    with pytest.raises(ProfileError) as caught:
        store.save_profile(acme(timezone="Nowhere/Town"))
    assert [p.key for p in caught.value.problems] == ["timezone"]
    with pytest.raises(ProfileError):
        store.update("acme-prod", lambda p: setattr(p, "region", "mars"))
    with pytest.raises(ProfileError, match="sandbox"):
        store.save_profile(acme(sandbox=True))
    assert store.path.read_bytes() == before


def test_passwords_never_reach_the_file(store):
    with pytest.raises(SecretInProfileError):
        store.save_profile({"name": "x", "user": "a@b.com", "region": "na", "password": "hunter2"})

    class Sneaky(Profile):
        pass

    sneaky = Sneaky("x", user="a@b.com", region="na")
    sneaky.password = "hunter2"  # a subclass without slots has a __dict__
    with pytest.raises(SecretInProfileError):
        store.save_profile(sneaky)
    assert not store.path.exists()


def test_save_from_a_mapping(store):
    stored = store.save_profile({"name": "m", "user": "a@b.com", "region": "apac", "companies": {"X": "c|1"}})
    assert stored.timezone == "Asia/Tokyo" and stored.default_company == "X"
    with pytest.raises(ProfileError, match="colour"):
        store.save_profile({"name": "m", "user": "a@b.com", "region": "apac", "colour": "red"})


# --- a file that cannot be used ----------------------------------------------------------------

BROKEN = 'default_profile = "a"\n\n[profiles.a]\nuser = "ops@acme.com\nregion = "na"\n'


def test_a_file_that_does_not_parse(store):
    store.save_profile(acme())
    store.path.write_text(BROKEN)
    original = store.path.read_bytes()

    with pytest.raises(ProfileFileError) as caught:
        store.load()
    error = caught.value
    assert error.line == 4 and error.column == 21
    message = str(error)
    assert str(store.path) in message and "line 4, column 21" in message
    assert error.backup is not None and error.backup.name.startswith("profiles.toml.bad-")
    assert str(error.backup) in message
    assert error.backup.read_bytes() == original
    assert mode(error.backup) == 0o600
    assert store.path.read_bytes() == original

    # Every write refuses, and the file stays as it was.
    for attempt in (
        lambda: store.save_profile(acme(name="new")),
        lambda: store.remove("a"),
        lambda: store.set_default(None),
        lambda: store.update("a", lambda p: None),
    ):
        with pytest.raises(ProfileFileError) as again:
            attempt()
        assert again.value.line == 4
    assert store.path.read_bytes() == original
    with pytest.raises(ProfileFileError):
        store.list()
    # One copy per distinct content, however often it is read.
    assert len(list(store.path.parent.glob("profiles.toml.bad-*"))) == 1

    # Once the user moves it away, saving works again.
    store.path.rename(store.path.with_name("profiles.toml.mine"))
    store.save_profile(acme(name="new"))
    assert store.names() == ["new"]


def test_a_second_broken_version_gets_its_own_copy(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("a = \n")
    with pytest.raises(ProfileFileError) as first:
        store.load()
    store.path.write_text("[profiles\n")
    with pytest.raises(ProfileFileError) as second:
        store.load()
    assert first.value.backup != second.value.backup
    assert second.value.backup.read_text() == "[profiles\n"


def test_error_at_the_end_of_the_file_and_bad_utf8(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text("a = 1\na = 2")
    with pytest.raises(ProfileFileError, match="end of the file"):
        store.load()
    store.path.write_bytes(b'[profiles.a]\nuser = "\xff"\n')
    with pytest.raises(ProfileFileError) as caught:
        store.load()
    assert (caught.value.line, caught.value.column) == (2, 9)
    assert caught.value.backup.read_bytes() == b'[profiles.a]\nuser = "\xff"\n'


@pytest.mark.parametrize(
    ("body", "profile", "key"),
    [
        ('[profiles.a]\nuser = "a@b.com"\nregion = "mars"\n', "a", "region"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\ntimezone = "Pacific/Atlantis"\n', "a", "timezone"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\nemail_setting = "Always"\n', "a", "email_setting"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\nlocale = "en_US"\n', "a", "locale"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\nlocale = "xx-YY"\n', "a", "locale"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\nstaging = "yes"\n', "a", "staging"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\ntimezon = "UTC"\n', "a", "timezon"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\npassword = "hunter2"\n', "a", "password"),
        ('[profiles.a]\nuser = "a@b.com"\nregion = "na"\ndefault_company = "X"\n', "a", "default_company"),
        ('[profiles.a]\nuser = "a@b.com"\n', "a", "region"),
        ('default_profile = "b"\n[profiles.a]\nuser = "a@b.com"\nregion = "na"\n', None, "default_profile"),
        ('colour = "red"\n', None, "colour"),
    ],
)
def test_content_errors_name_the_profile_and_key(store, body, profile, key):
    store.path.parent.mkdir(parents=True)
    store.path.write_text(body)
    with pytest.raises(ProfileFileError) as caught:
        store.load()
    problems = caught.value.problems
    assert [(p.profile, p.key) for p in problems] == [(profile, key)]
    message = str(caught.value)
    assert str(store.path) in message and key in message
    if profile:
        assert f"profile '{profile}'" in message
    assert "hunter2" not in message  # a password in the file is refused, never echoed
    with pytest.raises(ProfileFileError):
        store.save_profile(acme())
    assert store.path.read_text() == body
    assert not list(store.path.parent.glob("*.bad-*"))  # it parses: nothing to rescue


def test_all_problems_are_reported_at_once(store):
    store.path.parent.mkdir(parents=True)
    store.path.write_text(
        '[profiles.a]\nuser = "a@b.com"\nregion = "mars"\n[profiles.b]\nuser = "a@b.com"\nregion = "na"\n'
        'timezone = "Nowhere"\n'
    )
    with pytest.raises(ProfileFileError) as caught:
        store.load()
    assert [(p.profile, p.key) for p in caught.value.problems] == [("a", "region"), ("b", "timezone")]


# --- folders and the atomic write --------------------------------------------------------------


def test_folders_follow_xdg_and_overrides(tmp_path, monkeypatch):
    for var in ("IPS_TUI_CONFIG_DIR", "IPS_TUI_STATE_DIR", "IPS_TUI_DATA_DIR", "IPS_TUI_CACHE_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xc"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xs"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xd"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xk"))
    if sys.platform.startswith("linux"):
        assert paths.config_dir(create=False) == tmp_path / "xc" / "ips-tui"
        assert paths.state_dir(create=False) == tmp_path / "xs" / "ips-tui"
        assert paths.data_dir(create=False) == tmp_path / "xd" / "ips-tui"
        assert paths.cache_dir(create=False) == tmp_path / "xk" / "ips-tui"
    assert not (tmp_path / "xc").exists()
    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(tmp_path / "mine" / "cfg"))
    monkeypatch.setenv("IPS_TUI_STATE_DIR", str(tmp_path / "st"))
    monkeypatch.setenv("IPS_TUI_DATA_DIR", str(tmp_path / "da"))
    monkeypatch.setenv("IPS_TUI_CACHE_DIR", str(tmp_path / "ca"))
    old = os.umask(0o022)
    try:
        assert paths.config_dir() == tmp_path / "mine" / "cfg"
        assert paths.state_dir() == tmp_path / "st"
        assert paths.data_dir() == tmp_path / "da"
        assert paths.cache_dir() == tmp_path / "ca"
    finally:
        os.umask(old)
    for folder in ("mine", "mine/cfg", "st", "da", "ca"):
        assert mode(tmp_path / folder) == 0o700
    assert ProfileStore().path == tmp_path / "mine" / "cfg" / "profiles.toml"


def test_existing_folders_keep_their_mode(tmp_path):
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    paths.ensure_dir(folder / "inner")
    assert mode(folder) == 0o755 and mode(folder / "inner") == 0o700


def test_atomic_write(tmp_path):
    target = tmp_path / "f.txt"
    atomic_write_text(target, "one\n")
    atomic_write_text(target, "twö\r\n", mode=0o640)
    assert target.read_bytes() == "twö\r\n".encode()
    assert mode(target) == 0o640
    assert os.listdir(tmp_path) == ["f.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "f.txt"
    atomic_write_text(target, "old")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(target, "bad \udc80 surrogate")
    (tmp_path / "sub").mkdir()
    with pytest.raises(IsADirectoryError):
        atomic_write_text(tmp_path / "sub", "x")
    assert target.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["f.txt", "sub"]
    assert os.listdir(tmp_path / "sub") == []


def test_lock_timeout_names_the_file(tmp_path):
    target = tmp_path / "profiles.toml"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from ips_tui.store.atomic import locked\n"
            f"with locked({str(target)!r}):\n"
            "    print('held', flush=True); time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        start = time.monotonic()
        with pytest.raises(StoreLockError) as caught:
            with locked(target, timeout=0.3):
                pass
        assert time.monotonic() - start < 0.3 + 10  # gave up after its timeout, while the lock was still held
        assert str(target) in str(caught.value) and "another ips-tui process" in str(caught.value)
        store = ProfileStore(tmp_path, lock_timeout=0.3)
        with pytest.raises(StoreLockError):
            store.save_profile(acme())
    finally:
        holder.kill()
        holder.wait()
    with locked(target, timeout=5):  # released when the holder died
        pass



def test_an_atomic_write_that_must_not_replace_leaves_the_file_and_no_temporary(tmp_path):
    from ips_tui.store.atomic import atomic_write_text

    target = tmp_path / "job.toml"
    atomic_write_text(target, "first\n", replace=False)
    assert target.read_text() == "first\n" and target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(FileExistsError):
        atomic_write_text(target, "second\n", replace=False)
    assert target.read_text() == "first\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job.toml"]
