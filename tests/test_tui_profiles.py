"""The profile manager driven with keys at 80×24 against a real sandbox: add, test, fetch, save, edit, delete."""

from __future__ import annotations

import time

import keyring
import keyring.backends.fail
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError
from textual.app import App
from textual.widgets import Input

from ips_tui.store import secrets
from ips_tui.store.profiles import Profile, ProfileStore
from ips_tui.store.secrets import KEYRING_SERVICE
from tui_helpers import fast_pilot, screen_text, settle, type_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast_pilot(monkeypatch)


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


class Host(App):
    """A bare app that opens the manager, as the wizard's first step does, and keeps what it returns."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.manager = screen
        self.returned = "not yet"

    def on_mount(self) -> None:
        self.push_screen(self.manager, self.closed)

    def closed(self, result) -> None:
        self.returned = result


def host(tmp_path, *, env=None, store=None):
    from ips_tui.tui.screens.profiles import ProfilesScreen

    store = store or ProfileStore(tmp_path / "config")
    app = Host(ProfilesScreen(store=store, env=env if env is not None else {}, state_dir=tmp_path / "state",
                              timeout=10))
    app.animation_level = "none"
    return app, store


async def settled(pilot, app, times: int = 2) -> None:
    for _i in range(times):
        await settle(pilot, app)


def status(app) -> str:
    from textual.widgets import Static

    return str(app.screen.query_one("#pm-status", Static).render())


async def fill(pilot, app, widget_id: str, text: str) -> None:
    widget = app.screen.query_one(f"#{widget_id}", Input)
    widget.focus()
    await pilot.pause()
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, text)


async def choose_custom_url(pilot, app) -> None:
    app.screen.query_one("#endpoint").focus()
    await pilot.pause()
    await pilot.press("enter")
    for _i in range(50):
        await pilot.pause()
        if app.screen.query_one("#endpoint").expanded:
            break
    await pilot.press("end", "enter")
    await settled(pilot, app, 1)


async def test_add_a_profile_with_a_custom_url_test_it_fetch_companies_and_save(tmp_path, sandbox, no_keyring):
    app, store = host(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert "no profiles yet" in screen_text(app)
        await pilot.press("a")
        await settled(pilot, app)
        assert "New profile" in screen_text(app)
        await fill(pilot, app, "name", "lab")
        await choose_custom_url(pilot, app)
        assert app.screen.query_one("#endpoint").value == "custom"
        await fill(pilot, app, "url", sandbox.url)
        await fill(pilot, app, "user", sandbox.user)
        text = screen_text(app)
        assert "CUSTOM" in text and "127.0.0.1" in text  # where it goes, in words
        assert "No system keyring here" in text  # no keyring: the other ways, no password field

        await pilot.press("ctrl+t")  # Test connection: no variable, no keyring -> a masked prompt
        await settled(pilot, app)
        assert "Password for demo@sandbox.ips" in screen_text(app)
        await type_text(pilot, sandbox.password)
        assert sandbox.password not in screen_text(app)
        await pilot.press("enter")
        await settled(pilot, app)
        assert "Login OK" in status(app)

        await pilot.press("ctrl+f")  # Fetch companies: the password is remembered while the manager is open
        await settled(pilot, app)
        assert "3 companies found" in status(app)
        text = screen_text(app)
        assert "★ Acme Retail  c|101" in text and "Cielo Foods  c|103" in text
        assert [r.operation for r in sandbox.received] == ["checkLogin", "getCompanyMembership"]

        # Brio becomes the default company: down to it, Enter
        app.screen.query_one("#companies").focus()
        await pilot.press("home", "down", "enter")
        await pilot.pause()
        assert "★ Brio Outdoor" in screen_text(app)

        await pilot.press("ctrl+s")
        await settled(pilot, app)
        assert type(app.screen).__name__ == "ProfilesScreen"
        text = screen_text(app)
        assert "★ lab" in text and "CUSTOM" in text and "3 companies" in text  # the first is the default
    saved = store.get("lab")
    assert saved.url == sandbox.url and saved.user == sandbox.user
    assert saved.company_handle() == "c|102" and len(saved.companies) == 3
    assert store.load().default_profile == "lab"
    raw = store.path.read_text()
    assert sandbox.password not in raw
    assert store.path.stat().st_mode & 0o777 == 0o600
    assert app.returned == "not yet"


async def test_test_and_fetch_from_the_list_with_the_password_variable(tmp_path, sandbox, no_keyring):
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="lab", user=sandbox.user, url=sandbox.url, password_env="LAB_PW"))
    store.save_profile(Profile(name="acme-prod", user="ops@acme.example", region="na", staging=False))
    store.save_profile(Profile(name="acme-stage", user="ops@acme.example", region="emea", staging=True))
    app, _store = host(tmp_path, env={"LAB_PW": sandbox.password}, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        lines = screen_text(app).splitlines()
        assert "acme-prod" in lines[1] and "PRODUCTION" in lines[1]
        assert "acme-stage" in lines[2] and "STAGING" in lines[2]
        assert "lab" in lines[3] and "CUSTOM" in lines[3]
        footer = lines[-1]
        for word in ("Add", "Edit", "Test", "Companies", "Delete", "Use", "Close"):
            assert word in footer
        await pilot.press("end")  # lab
        await pilot.press("t")
        await settled(pilot, app)
        assert "Login OK" in status(app) and "Password" not in screen_text(app).splitlines()[5]
        await pilot.press("f")
        await settled(pilot, app)
        assert "3 companies found and saved in 'lab'" in status(app)
        assert "Acme Retail (c|101)" in screen_text(app)
    assert store.get("lab").companies == {c["name"]: c["handle"] for c in sandbox.companies}
    assert [r.operation for r in sandbox.received] == ["checkLogin", "getCompanyMembership"]


async def test_a_wrong_password_is_said_in_words_and_asked_again(tmp_path, sandbox, no_keyring):
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="lab", user=sandbox.user, url=sandbox.url))
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("t")
        await settled(pilot, app)
        await type_text(pilot, "not-the-password")
        await pilot.press("enter")
        await settled(pilot, app)
        assert status(app).startswith("✗") and "10001" in status(app)
        assert "Traceback" not in screen_text(app)
        await pilot.press("t")  # the wrong one was forgotten: asked again
        await settled(pilot, app)
        assert "Password for" in screen_text(app)
        await type_text(pilot, sandbox.password)
        await pilot.press("enter")
        await settled(pilot, app)
        assert "Login OK" in status(app)


async def test_delete_asks_first(tmp_path, ring):
    backend = ring(MemoryKeyring())
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="acme-prod", user="ops@acme.example", region="na"))
    store.save_profile(Profile(name="old", user="old@acme.example", region="apac"))
    backend.set_password(KEYRING_SERVICE, "old:old@acme.example", "old-secret")
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("end", "d")
        await pilot.pause()
        text = screen_text(app)
        assert "Delete profile 'old'?" in text and "PRODUCTION" in text
        await pilot.press("n")
        await settled(pilot, app)
        assert store.names() == ["acme-prod", "old"] and "Nothing was deleted" in status(app)
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await settled(pilot, app)
        assert store.names() == ["acme-prod"]
        assert "Deleted profile 'old'" in status(app) and "keyring" in status(app)
        assert "old" not in screen_text(app).splitlines()[2]
    assert backend.entries == {}


async def test_the_form_explains_mistakes_where_they_are_typed(tmp_path, no_keyring):
    app, store = host(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("a")
        await settled(pilot, app)
        await fill(pilot, app, "name", "acme")
        await fill(pilot, app, "user", "not-an-email")
        await fill(pilot, app, "timezone", "Europe/Londn")
        assert "is not a known time zone" in screen_text(app)
        await fill(pilot, app, "timezone", "Europe/Madrid")
        assert "is not a known time zone" not in screen_text(app)
        await fill(pilot, app, "locale", "en_us")
        assert "Use en-US" in screen_text(app)
        await pilot.press("ctrl+s")
        await settled(pilot, app)
        assert "Not saved" in status(app)
        assert "not an e-mail address" in screen_text(app)
        await fill(pilot, app, "user", "ops@acme.example")
        await fill(pilot, app, "locale", "es-ES")
        assert "Spanish (Spain)" in screen_text(app)
        await pilot.press("ctrl+s")
        await settled(pilot, app)
        assert type(app.screen).__name__ == "ProfilesScreen"
    p = store.get("acme")
    assert (p.region, p.timezone, p.locale) == ("na", "Europe/Madrid", "es-ES")


async def test_the_region_brings_its_zone_and_staging_is_said_in_words(tmp_path, no_keyring):
    app, store = host(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("a")
        await settled(pilot, app)
        assert app.screen.query_one("#timezone", Input).value == "America/Los_Angeles"
        app.screen.query_one("#endpoint").value = "emea"
        await pilot.pause()
        assert app.screen.query_one("#timezone", Input).value == "Europe/London"
        app.screen.query_one("#staging").focus()
        await pilot.press("space")
        await pilot.pause()
        text = screen_text(app)
        assert "STAGING" in text and "s7sps3apissl-staging.scene7.com" in text and "staging (pre-production)" in text
        await fill(pilot, app, "name", "eu-stage")
        await fill(pilot, app, "user", "ops@acme.example")
        await pilot.press("ctrl+s")
        await settled(pilot, app)
    p = store.get("eu-stage")
    assert (p.region, p.staging, p.timezone, p.environment) == ("emea", True, "Europe/London", "staging")


async def test_edit_renames_and_keeps_a_change_made_elsewhere_meanwhile(tmp_path, ring):
    backend = ring(MemoryKeyring())
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="acme", user="ops@acme.example", region="na", companies={"Acme": "c|101"}))
    backend.set_password(KEYRING_SERVICE, "acme:ops@acme.example", "kept-secret")
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("enter")  # Enter on a profile edits it
        await settled(pilot, app)
        assert "Edit profile 'acme'" in screen_text(app)
        assert "Keyring password" in screen_text(app)  # a keyring works here
        await fill(pilot, app, "name", "acme-na")
        await fill(pilot, app, "locale", "en-GB")
        # another terminal changes another key meanwhile
        ProfileStore(tmp_path / "config").update("acme", lambda p: setattr(p, "email_setting", "Error"))
        await pilot.press("ctrl+s")
        await settled(pilot, app)
        assert "acme-na" in screen_text(app).splitlines()[1]
    p = store.get("acme-na")
    assert p.locale == "en-GB" and p.email_setting == "Error" and p.companies == {"Acme": "c|101"}
    assert store.names() == ["acme-na"]
    assert backend.entries == {(KEYRING_SERVICE, "acme-na:ops@acme.example"): "kept-secret"}  # moved with it


async def test_a_typed_keyring_password_goes_to_the_keyring_only(tmp_path, sandbox, ring):
    backend = ring(MemoryKeyring())
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="lab", user=sandbox.user, url=sandbox.url))
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("e")
        await settled(pilot, app)
        await fill(pilot, app, "password", sandbox.password)
        assert sandbox.password not in screen_text(app)
        await pilot.press("ctrl+t")  # the typed password is the one tested
        await settled(pilot, app)
        assert "Login OK" in status(app)
        await pilot.press("ctrl+s")
        await settled(pilot, app)
    assert backend.entries == {(KEYRING_SERVICE, f"lab:{sandbox.user}"): sandbox.password}
    assert sandbox.password not in store.path.read_text()


async def test_a_company_found_by_name(tmp_path, sandbox, no_keyring):
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="lab", user=sandbox.user, url=sandbox.url, password_env="LAB_PW"))
    app, _store = host(tmp_path, env={"LAB_PW": sandbox.password}, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("e")
        await settled(pilot, app)
        await fill(pilot, app, "company-add", "Cielo Foods")
        await pilot.press("enter")
        await settled(pilot, app)
        assert "★ Cielo Foods  c|103" in screen_text(app)
        await fill(pilot, app, "company-add", "Mine=c|999")
        await pilot.press("enter")
        await pilot.pause()
        assert "Mine  c|999" in screen_text(app)
        app.screen.query_one("#companies").focus()
        await pilot.press("home", "delete")  # forget Cielo
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settled(pilot, app)
    assert store.get("lab").companies == {"Mine": "c|999"} and store.get("lab").default_company == "Mine"
    assert [r.operation for r in sandbox.received] == ["getCompanyInfo"]


async def test_use_returns_the_name_and_escape_returns_nothing(tmp_path, no_keyring):
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="a", user="a@acme.example", region="na"))
    store.save_profile(Profile(name="b", user="b@acme.example", region="na"))
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("end", "s")  # b becomes the default
        await settled(pilot, app)
        assert store.load().default_profile == "b" and "★ b" in screen_text(app)
        await pilot.press("u")
        await pilot.pause()
        assert app.returned == "b"
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.returned is None


async def test_cancel_with_changes_asks_first(tmp_path, no_keyring):
    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="a", user="a@acme.example", region="na"))
    app, _store = host(tmp_path, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        await pilot.press("e")
        await settled(pilot, app)
        await fill(pilot, app, "user", "z@acme.example")
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard your changes?" in screen_text(app)
        await pilot.press("y")
        await settled(pilot, app)
        assert type(app.screen).__name__ == "ProfilesScreen"
    assert store.get("a").user == "a@acme.example"


async def test_a_broken_file_is_shown_with_its_line_and_nothing_is_added(tmp_path, no_keyring):
    config = tmp_path / "config"
    config.mkdir()
    (config / "profiles.toml").write_text('[profiles.a]\nuser = "a@acme.example"\nregion = "na\n')
    app, store = host(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        text = screen_text(app)
        assert "line 3" in status(app) and "profiles.toml" in status(app)
        assert "Add" not in text.splitlines()[-1]  # adding is off until the file is fixed
        await pilot.press("a")
        await pilot.pause()
        assert type(app.screen).__name__ == "ProfilesScreen"
    assert list(config.glob("profiles.toml.bad-*"))


async def test_no_keyring_is_explained_once(tmp_path, no_keyring):
    from ips_tui.connection import KEYRING_NOTICE_FILE

    app, _store = host(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        # said in the manager's status line, not in a toast that would cover the list
        assert "no system keyring" in str(app.screen.query_one("#pm-status").render())
        assert not any("no system keyring" in n.message for n in app._notifications)
    assert (tmp_path / "state" / KEYRING_NOTICE_FILE).exists()
    app, _store = host(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot, app)
        assert "no system keyring" not in str(app.screen.query_one("#pm-status").render())
        assert not any("no system keyring" in n.message for n in app._notifications)
