"""One rule for a profile's environment: a custom URL that is Adobe's production host is PRODUCTION in the
wizard's profile list, the profile manager and ``ips-tui profiles list`` alike."""

from __future__ import annotations

import json

import pytest

from ips_tui.environments import profile_environment
from ips_tui.store.profiles import Profile, ProfileStore
from tui_helpers import LOCAL, NOW, screen_text, settle

ADOBE_NA = "https://s7sps1apissl.scene7.com/scene7/services/IpsApiService"


def custom_adobe() -> Profile:
    return Profile(name="acme-by-url", user="ops@acme.example", url=ADOBE_NA, companies={"Acme": "c|101"})


@pytest.mark.parametrize("profile, expected", [
    (custom_adobe(), "production"),
    (Profile(name="a", user="u@x", url=ADOBE_NA.replace("apissl", "apissl-staging")), "staging"),
    (Profile(name="b", user="u@x", url="https://ips.example.com/scene7/services/IpsApiService"), "custom"),
    (Profile(name="c", user="u@x", region="na"), "production"),
    (Profile(name="d", user="u@x", region="emea", staging=True), "staging"),
    (Profile(name="e", user="u@x", url="http://127.0.0.1:1/x", sandbox=True), "sandbox"),
])
def test_the_rule(profile, expected):
    assert profile_environment(profile) == expected


async def test_the_wizard_profile_list_says_production(tmp_path):
    from ips_tui.tui.app import IpsApp, Options

    ProfileStore(tmp_path / "config").save_profile(custom_adobe())
    app = IpsApp(Options(state_dir=str(tmp_path / "state"), config_dir=str(tmp_path / "config"), now=NOW,
                         local_tz=LOCAL, env={}))
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        listing = app.screen.query_one("#profiles")
        line = str(listing.get_option_at_index(0).prompt)
        assert "acme-by-url" in line and "[PRODUCTION]" in line and "CUSTOM" not in line, line
        assert line in screen_text(app)


def test_the_cli_says_the_same(tmp_path, monkeypatch):
    from ips_tui.cli import main

    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(tmp_path / "config"))
    ProfileStore(tmp_path / "config").save_profile(custom_adobe())
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main(["profiles", "list", "--json"])
    data = json.loads(out.getvalue())
    rows = data if isinstance(data, list) else data.get("profiles", data)
    row = next(r for r in rows if r["name"] == "acme-by-url")
    assert row["environment"] == "production", row
