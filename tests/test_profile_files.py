"""profiles.toml as operators keep it: behind a symlink, with loose permissions, with a BOM; the new keys."""

from __future__ import annotations

import os

import pytest

from ips_tui.store.permissions import take_notices
from ips_tui.store.profiles import Profile, ProfileFileError, ProfileStore
from reliability_helpers import cli_env, run  # noqa: F401  (fixture)

TEXT = '[profiles.lab]\nuser = "a@b.c"\nregion = "na"\n'


def test_a_symlinked_file_is_written_through_and_stays_a_link(tmp_path):
    config = tmp_path / "config"
    dotfiles = tmp_path / "dotfiles"
    config.mkdir(mode=0o700)
    dotfiles.mkdir(mode=0o700)
    target = dotfiles / "ips-profiles.toml"
    target.write_text(TEXT)
    os.chmod(target, 0o600)
    (config / "profiles.toml").symlink_to(target)
    store = ProfileStore(config)
    store.save_profile(Profile(name="two", user="x@y.z", region="emea"))
    assert (config / "profiles.toml").is_symlink()
    assert os.readlink(config / "profiles.toml") == str(target)
    assert "[profiles.two]" in target.read_text() and "[profiles.lab]" in target.read_text()
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [p.name for p in dotfiles.iterdir()] == ["ips-profiles.toml"]  # no temporary left behind


def test_a_loose_folder_and_file_are_tightened_and_said(tmp_path, cli_env, capsys):
    config, _state = cli_env
    config.mkdir(mode=0o755)
    os.chmod(config, 0o755)
    (config / "profiles.toml").write_text(TEXT)
    os.chmod(config / "profiles.toml", 0o644)
    take_notices()
    code, out, err = run(capsys, "profiles", "list")
    assert code == 0, err
    assert oct(config.stat().st_mode & 0o777) == "0o700"
    assert oct((config / "profiles.toml").stat().st_mode & 0o777) == "0o600"
    assert f"{config} could be read by other users (mode 755); it is now 700." in err
    assert "mode 644" in err
    code, out, err = run(capsys, "profiles", "list")
    assert "could be read" not in err  # said once: it is tight now


def test_a_bom_is_accepted(tmp_path):
    (tmp_path / "profiles.toml").write_bytes(b"\xef\xbb\xbf" + TEXT.encode())
    assert ProfileStore(tmp_path).get("lab").user == "a@b.c"


def test_new_keys_are_checked(tmp_path):
    (tmp_path / "profiles.toml").write_text(TEXT + 'auth_header = "both"\nmax_reply_mib = 0\n')
    with pytest.raises(ProfileFileError) as info:
        ProfileStore(tmp_path).load()
    text = str(info.value)
    assert "auth_header: 'both' is not one of documented, dated" in text
    assert "max_reply_mib: give a whole number of MiB from 1 to 1024" in text
    (tmp_path / "profiles.toml").write_text(TEXT + 'max_inflated_mib = true\n')
    with pytest.raises(ProfileFileError) as info:
        ProfileStore(tmp_path).load()
    assert "max_inflated_mib: must be a whole number" in str(info.value)


def test_reply_limits_from_the_profile_reach_the_client(tmp_path, cli_env, capsys):
    from hostile import HostileServer

    config, _state = cli_env
    with HostileServer("oversize", size=3 * 1024 * 1024) as server:
        config.mkdir(mode=0o700)
        (config / "profiles.toml").write_text(f'default_profile = "lab"\n[profiles.lab]\nuser = "a@b.c"\n'
                                              f'url = "{server.url}"\nmax_reply_mib = 2\npassword_env = "PW"\n')
        os.environ["PW"] = "x"
        try:
            code, out, err = run(capsys, "jobs", "--company", "c|1", "--timeout", "10")
        finally:
            del os.environ["PW"]
    assert code == 4 and "larger than the limit of 2 MiB (max_reply_mib in the profile)" in err


def test_a_profiles_file_that_is_not_a_regular_file_or_too_big(tmp_path):
    (tmp_path / "profiles.toml").symlink_to("/dev/zero")
    with pytest.raises(ProfileFileError) as info:
        ProfileStore(tmp_path).load()
    assert "not a regular file" in str(info.value)
    (tmp_path / "profiles.toml").unlink()
    (tmp_path / "profiles.toml").write_text("# " + "x" * (1024 * 1024 + 10) + "\n")
    with pytest.raises(ProfileFileError) as info:
        ProfileStore(tmp_path).load()
    assert "larger than 1024 KiB" in str(info.value)
