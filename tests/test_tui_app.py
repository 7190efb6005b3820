"""How the app starts: the embedded sandbox, --url/--user with IPS_PASSWORD or a masked prompt, saved profiles."""

from __future__ import annotations

import argparse
import socket

import pytest

from tui_helpers import LOCAL, NOW, fast_pilot, screen_text, settle, type_text


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    fast_pilot(monkeypatch)


def app_with(tmp_path, **options):
    from ips_tui.tui.app import IpsApp, Options

    app = IpsApp(Options(state_dir=str(tmp_path / "state"), config_dir=str(tmp_path / "config"), now=NOW,
                         local_tz=LOCAL, **options))
    app.animation_level = "none"
    return app


def test_options_from_the_command_line():
    from ips_tui.tui.app import Options

    args = argparse.Namespace(sandbox=True, url=None, user=None, cacert=None, profile=None, lang=None, timeout=None)
    opts = Options.from_args(args)
    assert opts.sandbox and opts.timeout == 60.0 and opts.connection is None


async def test_sandbox_starts_inside_the_app_after_the_first_frame_and_stops_on_exit(tmp_path):
    app = app_with(tmp_path, sandbox=True, env={})
    async with app.run_test(size=(80, 24)) as pilot:
        first = screen_text(app)
        assert "SANDBOX" in first.splitlines()[0]  # labelled before the sandbox is up
        # From the first frame: the cursor in the company list; the status line waits for the connection
        # (it never says "Ready to submit" before anything was checked).
        assert app.screen.focused is not None and app.screen.focused.id == "companies"
        assert app.screen.status_text == "Connecting…" and "Ready to submit" not in first
        for _i in range(100):
            await settle(pilot, app)
            if app.screen.connection is not None:
                break
        connection = app.screen.connection
        assert connection.environment == "sandbox"
        assert connection.companies == {"Acme Retail": "c|101", "Brio Outdoor": "c|102", "Cielo Foods": "c|103"}
        assert app.screen.form.company == "c|101"
        text = screen_text(app)
        assert "Acme Retail" in text and "SANDBOX" in text
        port = int(connection.url.split(":")[2].split("/")[0])
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            pass
    assert app.sandbox is None  # stopped on exit
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


async def test_url_and_user_with_ips_password_fetch_the_companies(sandbox, tmp_path):
    app = app_with(tmp_path, url=sandbox.url, user=sandbox.user, env={"IPS_PASSWORD": sandbox.password})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        connection = app.screen.connection
        assert connection.environment == "custom"
        assert set(connection.companies.values()) == {"c|101", "c|102", "c|103"}
        assert "CUSTOM" in screen_text(app).splitlines()[0]
    assert [r.operation for r in sandbox.received] == ["getCompanyMembership"]


async def test_url_and_user_without_a_password_ask_for_it_masked(sandbox, tmp_path):
    app = app_with(tmp_path, url=sandbox.url, user=sandbox.user, env={})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert "Password" in screen_text(app)
        await type_text(pilot, sandbox.password)
        assert sandbox.password not in screen_text(app)  # masked
        await pilot.press("enter")
        await settle(pilot, app)
        await settle(pilot, app)
        assert app.screen.connection.password == sandbox.password
        assert "c|102" in app.screen.connection.companies.values()


async def test_saved_profiles_are_listed_and_chosen(tmp_path):
    from ips_tui.store.profiles import Profile, ProfileStore

    store = ProfileStore(tmp_path / "config")
    store.save_profile(Profile(name="acme-staging", user="ops@acme.example", region="na", staging=True,
                               companies={"Acme": "c|101"}))
    store.save_profile(Profile(name="acme-prod", user="ops@acme.example", region="na", locale="es-ES",
                               companies={"Acme": "c|101"}))
    store.set_default("acme-staging")
    app = app_with(tmp_path, env={})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.screen.connection.name == "acme-staging"
        assert "STAGING" in screen_text(app).splitlines()[0]
        await pilot.press("shift+tab")  # from the companies to the profiles list
        profiles = app.screen.query_one("#profiles")
        if app.focused is not profiles:
            profiles.focus()
        await pilot.press("home", "enter")  # acme-prod is listed first
        await settle(pilot, app)
        assert app.screen.connection.name == "acme-prod"
        top = screen_text(app).splitlines()[0]
        assert "PRODUCTION" in top
        assert app.screen.form.values["locale"] in ("en-US", "es-ES")



async def test_with_no_profile_at_all_nothing_is_checked_and_the_status_says_so(tmp_path):
    app = app_with(tmp_path, env={})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.screen.connection is None and not app.screen.query("#profiles")
        assert "no profiles yet" in screen_text(app).splitlines()[0]
        assert app.screen.status_text == "No profile chosen yet."
        assert "No profile chosen yet." in screen_text(app)


async def test_the_collector_is_back_on_once_the_first_frame_is_up(tmp_path):
    import gc

    app = app_with(tmp_path, env={})
    gc.disable()  # as the command line starts the app (cli.run_tui)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            assert gc.isenabled()
            assert gc.get_freeze_count() > 1000  # start-up's objects, left out of later collections
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_command_line_turns_the_collector_off_only_while_the_app_starts(monkeypatch):
    import gc

    from ips_tui import cli

    seen = []
    monkeypatch.setattr("ips_tui.tui.app.run", lambda args: seen.append(gc.isenabled()) or 0)
    assert cli.run_tui(argparse.Namespace()) == 0
    assert seen == [False] and gc.isenabled()
