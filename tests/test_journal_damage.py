"""A damaged, empty or full journal: exit 2 naming the file and what to do, never a traceback; a damaged
file is moved aside (never deleted or overwritten) and ``history --recover`` reads back what it can."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from ips_tui.store.journal import Journal, JournalError
from ips_tui.store.journal_errors import damaged_copies
from ips_tui.store.journal_repair import check, recover
from reliability_helpers import cli_env, run  # noqa: F401  (fixture)

PAGE = 4096


def filled(path: Path, n: int = 300) -> list[int]:
    with Journal(path) as j:
        ids = [j.record(f'jobName = "job-{i}"\n' + "# padding\n" * 40, url="http://x", user="u",
                        company="c|101", job_name=f"job-{i}").id for i in range(n)]
        for i in ids[:10]:
            j.mark_submitted(i, f"j|101|job-{i}||")
    # fold the WAL into the main file so the damage below hits real pages
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return ids


def damage(path: Path, page: int) -> None:
    with open(path, "r+b") as fh:
        fh.seek(page * PAGE + 100)
        fh.write(os.urandom(1500))


def test_a_corrupt_page_is_moved_aside_and_named(cli_env, capsys):
    _config, state = cli_env
    path = state / "journal.sqlite3"
    state.mkdir(parents=True)
    filled(path)
    damage(path, 20)
    original = path.read_bytes()
    code, out, err = run(capsys, "history")
    assert code == 2
    assert str(path) in err and "moved to" in err and "history --recover" in err and "Traceback" not in err
    copies = damaged_copies(path)
    assert len(copies) == 1 and copies[0].read_bytes() == original  # moved, not changed
    assert not path.exists()

    code, out, err = run(capsys, "history", "--check")  # the new journal does not exist yet: sound
    assert code == 0 and str(copies[0]) in out
    code, out, err = run(capsys, "history", "--recover")
    assert code == 0, err
    assert "Recovered" in out and str(copies[0]) in out
    with Journal(path) as j:
        back = j.entries(limit=None)
    assert 0 < len(back) < 300  # what was on the broken page is lost, the rest is back
    assert all("recovered from journal.sqlite3.damaged-" in e.note for e in back)
    assert {e.handle for e in back if e.handle} <= {f"j|101|job-{i}||" for i in range(1, 11)}
    assert copies[0].read_bytes() == original  # recovery reads only


def test_check_reports_damage_without_touching_the_file(tmp_path):
    path = tmp_path / "journal.sqlite3"
    filled(path)
    damage(path, 20)
    before = path.read_bytes()
    result = check(path)
    assert not result.ok and result.problems
    assert path.read_bytes() == before


def test_a_zero_length_journal_is_not_taken_for_a_new_one(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"")
    old = time.time() - 60
    os.utime(path, (old, old))
    with pytest.raises(JournalError) as info:
        Journal(path)
    assert "empty" in str(info.value) and info.value.moved_to is not None and info.value.moved_to.exists()
    assert info.value.moved_to.stat().st_size == 0
    with Journal(path) as j:  # the next open starts afresh
        assert j.count() == 0


def test_a_file_that_is_not_a_database(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(JournalError) as info:
        Journal(path)
    assert str(path) in str(info.value) and info.value.moved_to.read_bytes() == b"this is not sqlite" * 100


def test_recover_refuses_the_journal_in_use(tmp_path):
    path = tmp_path / "journal.sqlite3"
    with Journal(path) as j:
        with pytest.raises(JournalError):
            recover(path, j)


def test_a_submit_with_a_damaged_journal_sends_nothing(cli_env, capsys, sandbox, tmp_path, monkeypatch):
    _config, state = cli_env
    state.mkdir(parents=True)
    path = state / "journal.sqlite3"
    filled(path)
    damage(path, 20)
    job = tmp_path / "job.toml"
    job.write_text('companyHandle = "c|101"\njobName = "j"\n[imageServingPublishJob]\npublishType = "Full"\n'
                   'emailSetting = "Error"\n')
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    code, out, err = run(capsys, "submit", str(job), "--url", sandbox.url, "--user", sandbox.user)
    assert code == 2 and str(path) in err and "Traceback" not in err
    assert sandbox.submitted_jobs() == []


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                              capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


@pytest.fixture
def tiny_disk(tmp_path):
    where = tmp_path / "tiny"
    if not _mount_tmpfs(where, "256k"):
        pytest.skip("mounting a small tmpfs is not permitted here")
    yield where
    subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=10)


def fill(folder: Path) -> None:
    """Take every free block of the small file system."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(fd, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(fd)


def test_disk_full_journal_is_a_message(tiny_disk, capsys, monkeypatch):
    from ips_tui import i18n

    monkeypatch.setenv("IPS_TUI_STATE_DIR", str(tiny_disk / "state"))
    monkeypatch.setenv("LANGUAGE", "en")
    with Journal(tiny_disk / "state" / "journal.sqlite3") as j:
        j.record('jobName = "a"\n', url="http://x", user="u", company="c", job_name="a")
    before = (tiny_disk / "state" / "journal.sqlite3").read_bytes()
    fill(tiny_disk)
    with pytest.raises(JournalError) as info:
        with Journal(tiny_disk / "state" / "journal.sqlite3") as j:
            for i in range(200):
                j.record('jobName = "b"\n' + "x" * 2000, url="http://x", user="u", company="c", job_name="b")
    assert "disk is full" in str(info.value) and "journal.sqlite3" in str(info.value)
    assert (tiny_disk / "state" / "journal.sqlite3").read_bytes()[:16] == before[:16]  # still a database
    assert not damaged_copies(tiny_disk / "state" / "journal.sqlite3")  # full is not damaged: nothing moved
    i18n.set_language(None)


def test_disk_full_while_saving_a_profile(tiny_disk, capsys, monkeypatch):
    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(tiny_disk / "config"))
    monkeypatch.setenv("IPS_TUI_STATE_DIR", str(tiny_disk / "state"))
    monkeypatch.setenv("LANGUAGE", "en")
    code, out, err = run(capsys, "profiles", "add", "one", "--user", "a@b.c", "--region", "na")
    assert code == 0, err
    before = (tiny_disk / "config" / "profiles.toml").read_bytes()
    fill(tiny_disk)
    code, out, err = run(capsys, "profiles", "add", "two", "--user", "a@b.c", "--region", "na",
                         "--company", "X=" + "c|1" * 3000)
    assert code == 2 and "the disk is full" in err and "profiles.toml" in err and "Traceback" not in err
    assert (tiny_disk / "config" / "profiles.toml").read_bytes() == before
    assert [p.name for p in (tiny_disk / "config").iterdir() if p.name.endswith(".tmp")] == []


def test_disk_full_while_saving_a_job_file_from_history(tiny_disk, capsys, monkeypatch, cli_env):
    _config, state = cli_env
    state.mkdir(parents=True, exist_ok=True)
    with Journal(state / "journal.sqlite3") as j:
        entry = j.record('jobName = "a"\n' + "# x\n" * 20000, url="http://x", user="u", company="c",
                         job_name="a")
    fill(tiny_disk)
    code, out, err = run(capsys, "history", str(entry.id), "--save", str(tiny_disk / "job.toml"))
    assert code == 2 and "the disk is full" in err and "Traceback" not in err
    assert not (tiny_disk / "job.toml").exists()


def test_disk_full_while_saving_a_draft(tiny_disk):
    from ips_tui.store.atomic import StoreWriteError
    from ips_tui.store.drafts import save_draft

    path = save_draft({"jobName": "first"}, state_dir=tiny_disk / "state")
    before = path.read_bytes()
    fill(tiny_disk)
    with pytest.raises(StoreWriteError) as info:
        save_draft({"jobName": "second", "description": "x" * 200_000}, state_dir=tiny_disk / "state")
    assert "the disk is full" in str(info.value) and str(path) in str(info.value)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_two_processes_meeting_the_same_damaged_journal(tmp_path):
    from ips_tui.store.journal_errors import move_aside

    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"junk")
    first = move_aside(path, "not a database")
    second = move_aside(path, "not a database")  # the file is already gone: no crash, the same copy named
    assert first.moved_to == second.moved_to and first.moved_to.read_bytes() == b"junk"


def test_a_damaged_journal_in_a_read_only_folder_is_left_alone(tmp_path):
    from ips_tui.store.journal_errors import move_aside

    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "journal.sqlite3"
    path.write_bytes(b"junk")
    os.chmod(folder, 0o500)
    try:
        if os.access(folder, os.W_OK):  # root ignores the mode
            pytest.skip("the folder stays writable for this user")
        error = move_aside(path, "not a database")
    finally:
        os.chmod(folder, 0o700)
    assert error.moved_to is None and "could not be moved aside" in str(error) and path.read_bytes() == b"junk"
