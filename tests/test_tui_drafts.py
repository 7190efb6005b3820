"""Drafts on disk: private, never a password, one per session, the orphan offered back."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from ips_tui.store.drafts import discard_draft, list_drafts, orphaned_draft, save_draft


def test_saved_private_and_without_secrets(tmp_path):
    path = save_draft({"values": {"jobName": "x", "password": "s3cret"}, "nested": [{"apiToken": "t"}]},
                      state_dir=tmp_path)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct((tmp_path / "drafts").stat().st_mode & 0o777) == "0o700"
    text = path.read_text()
    assert "s3cret" not in text and "apiToken" not in text and '"jobName": "x"' in text


def test_a_running_sessions_draft_is_not_offered_a_dead_ones_is(tmp_path):
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    try:
        save_draft({"values": {"jobName": "running"}}, state_dir=tmp_path, pid=alive.pid, now=200.0)
        save_draft({"values": {"jobName": "lost"}}, state_dir=tmp_path, pid=int(dead.stdout), now=100.0)
        assert [d.form["values"]["jobName"] for d in list_drafts(state_dir=tmp_path)] == ["running", "lost"]
        draft = orphaned_draft(state_dir=tmp_path)
        assert draft.form["values"]["jobName"] == "lost"
        discard_draft(draft.path)
        assert orphaned_draft(state_dir=tmp_path) is None
    finally:
        alive.kill()
        alive.wait()


def test_unreadable_drafts_are_skipped_not_deleted(tmp_path):
    folder = tmp_path / "drafts"
    folder.mkdir()
    (folder / "1.json").write_text("{not json")
    (folder / "2.json").write_text(json.dumps({"pid": 2, "saved_at": 1, "form": "nope"}))
    assert list_drafts(state_dir=tmp_path) == []
    assert sorted(os.listdir(folder)) == ["1.json", "2.json"]
    assert orphaned_draft(state_dir=tmp_path / "missing") is None
