"""`--profile NAME` on the CLI: the saved connection, its default company, the password from its variable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ips_tui.store.profiles import Profile, ProfileStore

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-example.toml"


def test_profile_with_env_password_and_no_keyring(tmp_path, sandbox):
    config = tmp_path / "config"
    store = ProfileStore(config)
    store.save_profile(Profile(name="lab", user=sandbox.user, url=sandbox.url, password_env="LAB_PW",
                               companies={"Brio": sandbox.companies[1]["handle"]}))
    job = tmp_path / "job.toml"
    job.write_text(SEED.read_text().replace('companyHandle = "47"\n', ""))  # the profile's company is used
    env = {k: v for k, v in os.environ.items() if k not in ("IPS_PASSWORD", "REQUESTS_CA_BUNDLE")}
    env.update(IPS_TUI_CONFIG_DIR=str(config), IPS_TUI_STATE_DIR=str(tmp_path / "state"), LAB_PW=sandbox.password,
               PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    out = subprocess.run([sys.executable, "-m", "ips_tui", "submit", str(job), "--profile", "lab", "--json"],
                         env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["jobHandle"].startswith("j|")
    (got,) = sandbox.submitted_jobs()
    assert got["companyHandle"] == sandbox.companies[1]["handle"]
    assert sandbox.password not in "".join(p.read_text(errors="ignore") for p in tmp_path.rglob("*") if p.is_file()
                                           if p.name != "job.toml")

    env.pop("LAB_PW")
    missing = subprocess.run([sys.executable, "-m", "ips_tui", "submit", str(job), "--profile", "lab"],
                             env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert missing.returncode == 2 and "LAB_PW" in missing.stderr, missing.stderr
    unknown = subprocess.run([sys.executable, "-m", "ips_tui", "submit", str(job), "--profile", "nope"],
                             env=env, capture_output=True, text=True, timeout=60)
    assert unknown.returncode == 2 and "nope" in unknown.stderr
    assert len(sandbox.submitted_jobs()) == 1


def test_connection_options_before_or_after_the_command():
    from ips_tui.cli import build_parser

    for argv in (["--profile", "lab", "submit", "a.toml"], ["submit", "a.toml", "--profile", "lab"]):
        args = build_parser().parse_args(argv)
        assert args.profile == "lab" and args.timeout == 60.0 and args.url is None
