"""A whole session against the sandbox, then every file ips-tui could have written is read back.

CLI: add a profile, fetch its companies, test it, submit with --profile (password from the variable the
profile names), and once without any password at all (no keyring backend, no terminal). TUI: the
profile manager tests the connection with a typed password, then the wizard, on the saved profile,
submits a job with the password typed into its masked prompt (its draft, written on the way and
discarded after the submit, is read while it exists).

Then every file under the config, state, data and cache folders (and the XDG folders and HOME the
processes saw) is read: the password appears in none, not even base64-encoded; every file is 0600 and
every folder 0700, and the files that hold profile data are among them.
"""

from __future__ import annotations

import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest

from tui_helpers import LOCAL, NOW, choose_job_type, fast_pilot, pick, screen_text, settle, type_text

PASSWORD = "Hyg1ene-7f3c-Pa55!word"
USER = "hygiene@sandbox.ips"
SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-example.toml"
KINDS = ("config", "state", "data", "cache")


@pytest.fixture
def session(tmp_path, sandbox, monkeypatch):
    """Four ips-tui folders, XDG folders and a HOME, all under tmp_path; a user of our own on the sandbox."""
    fast_pilot(monkeypatch)
    sandbox.add_user(USER, PASSWORD, {"c|101": "IpsUser", "c|102": "IpsUser"})
    dirs = {kind: tmp_path / kind for kind in KINDS}
    env = {k: v for k, v in os.environ.items()
           if k not in ("IPS_PASSWORD", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE") and not k.startswith("XDG_")}
    env.update({f"IPS_TUI_{kind.upper()}_DIR": str(path) for kind, path in dirs.items()})
    env.update({f"XDG_{kind.upper()}_HOME": str(tmp_path / "xdg" / kind) for kind in KINDS})
    env.update(HOME=str(tmp_path / "home"), LANGUAGE="en", PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    (tmp_path / "home").mkdir()
    for key in list(os.environ):
        if key.startswith("XDG_") or key in ("IPS_PASSWORD", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
            monkeypatch.delenv(key)
    for key in ("HOME", "LANGUAGE") + tuple(k for k in env if k.startswith(("IPS_TUI_", "XDG_"))):
        monkeypatch.setenv(key, env[key])
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())  # this process: no keyring backend either
    yield dirs, env
    keyring.set_keyring(previous)


def cli(env: dict, *argv: str, **extra: str) -> subprocess.CompletedProcess:
    out = subprocess.run([sys.executable, "-m", "ips_tui", *argv], env={**env, **extra}, capture_output=True,
                         text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert PASSWORD not in out.stdout + out.stderr, argv  # nothing printed shows it either
    return out


def run_cli_part(sandbox, env: dict, tmp_path: Path) -> str:
    add = cli(env, "profiles", "add", "lab", "--user", USER, "--url", sandbox.url, "--password-env", "HYGIENE_PW",
              "--locale", "en-US", "--email-setting", "Error")
    assert add.returncode == 0, add.stderr
    companies = cli(env, "profiles", "companies", "lab", HYGIENE_PW=PASSWORD)
    assert companies.returncode == 0 and "c|102" in companies.stdout, companies.stderr
    test = cli(env, "profiles", "test", "lab", HYGIENE_PW=PASSWORD)
    assert test.returncode == 0 and "Login OK" in test.stdout, test.stderr
    nothing = cli(env, "profiles", "test", "lab")  # no variable, no keyring, no terminal
    assert nothing.returncode == 2 and "HYGIENE_PW" in nothing.stderr and "no system keyring" in nothing.stderr

    job = tmp_path / "job.toml"
    job.write_text(SEED.read_text().replace('companyHandle = "47"\n', ""))  # the profile's default company
    submitted = cli(env, "submit", str(job), "--profile", "lab", "--json", HYGIENE_PW=PASSWORD)
    assert submitted.returncode == 0, submitted.stderr
    handle = json.loads(submitted.stdout)["jobHandle"]
    assert handle.startswith("j|101|")
    return handle


async def run_tui_part(sandbox, dirs: dict) -> str:
    from ips_tui.store.profiles import ProfileStore
    from ips_tui.tui.app import IpsApp, Options
    from ips_tui.tui.screens.profiles import ProfilesScreen

    options = Options(config_dir=str(dirs["config"]), state_dir=str(dirs["state"]), env={}, now=NOW,
                      local_tz=LOCAL, timeout=10.0)
    app = IpsApp(options)
    app.animation_level = "none"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        wizard = app.screen
        assert wizard.connection is not None and wizard.connection.name == "lab"  # the default profile
        assert wizard.form.company == "c|101"

        # The profile manager, as the first step opens it: test with a typed password.
        app.push_screen(ProfilesScreen(store=ProfileStore(dirs["config"]), env={}, state_dir=dirs["state"],
                                       timeout=10.0))
        await settle(pilot, app)
        await pilot.press("t")
        await settle(pilot, app)
        assert "Password for" in screen_text(app)
        await type_text(pilot, PASSWORD)
        await pilot.press("enter")
        await settle(pilot, app)
        assert "Login OK" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is wizard

        # The wizard: a publish job, submitted with the password typed into its prompt.
        await pilot.press("ctrl+n")
        await pilot.pause()
        await choose_job_type(pilot, app, "imageServingPublishJob")
        await pick(pilot, 1)  # Full
        await pilot.press("tab")
        await pick(pilot, 2)  # Error
        await pilot.pause(0.6)  # a draft is written after 0.4 s without typing
        # The draft exists now (it is discarded after a successful submit): read it while it is there.
        drafts = [p for p in dirs["state"].rglob("*.json")]
        assert drafts, "no draft was written"
        for draft in drafts:
            data = draft.read_bytes()
            assert PASSWORD.encode() not in data and b"lab" in data, draft  # profile data, no password
            assert draft.stat().st_mode & 0o777 == 0o600, draft
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert wizard.problems == [], wizard.problems
        await pilot.press("f5")
        await settle(pilot, app)
        assert "Password" in screen_text(app)
        await type_text(pilot, PASSWORD)
        assert PASSWORD not in screen_text(app)
        await pilot.press("enter")
        await settle(pilot, app)
        await settle(pilot, app)
        assert wizard.result is not None, screen_text(app)
        return wizard.result["handle"]


def every_file(roots: list[Path]) -> list[Path]:
    return sorted(p for root in roots if root.exists() for p in root.rglob("*") if p.is_file() or p.is_symlink())


async def test_a_whole_session_leaves_the_password_in_no_file(tmp_path, sandbox, session):
    dirs, env = session
    cli_handle = run_cli_part(sandbox, env, tmp_path)
    tui_handle = await run_tui_part(sandbox, dirs)

    jobs = sandbox.submitted_jobs()
    assert [j["jobHandle"] for j in jobs] == [cli_handle, tui_handle]
    assert all(j["user"] == USER for j in jobs)
    received = {r.operation for r in sandbox.received}
    assert {"getCompanyMembership", "checkLogin", "submitJob"} <= received

    roots = [*dirs.values(), tmp_path / "xdg", tmp_path / "home"]
    files = every_file(roots)
    assert files, "the session wrote nothing?"
    needles = {
        "plain": PASSWORD.encode(),
        "base64": base64.b64encode(PASSWORD.encode()),
        "utf-16": PASSWORD.encode("utf-16-le"),
    }
    for path in files:
        data = path.read_bytes()
        for how, needle in needles.items():
            assert needle not in data, f"the password ({how}) is in {path}"

    # Which files hold profile data (the profile's name with its user, or its companies)?
    holding = [p for p in files if USER.encode() in p.read_bytes() or b"[profiles.lab" in p.read_bytes()]
    names = {p.name for p in holding}
    assert "profiles.toml" in names, names
    assert any(p.is_relative_to(dirs["state"]) for p in holding), names  # the journal or the draft
    loose = [f"{p} {stat.filemode(p.stat().st_mode)}" for p in files if p.stat().st_mode & 0o777 != 0o600]
    assert loose == [], loose
    folders = [d for root in dirs.values() if root.exists() for d in [root, *root.rglob("*")] if d.is_dir()]
    open_folders = [f"{d} {stat.filemode(d.stat().st_mode)}" for d in folders if d.stat().st_mode & 0o777 != 0o700]
    assert open_folders == [], open_folders
    assert not (tmp_path / "xdg").exists() or not every_file([tmp_path / "xdg"])  # nothing strayed to XDG
