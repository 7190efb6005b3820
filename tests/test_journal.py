"""The submission journal: written before sending, updated after, 0600, and never a password."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timezone

from ips_tui.store.journal import open_journal

TOML = 'companyHandle = "c|101"\njobName = "n"\n[optimizeImagesJob]\nemailSetting = "None"\n'
NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


def test_a_submission_moves_from_pending_to_submitted(tmp_path):
    with open_journal(tmp_path) as j:
        e = j.record(TOML, url="https://h/scene7/services/IpsApiService", user="ops@acme.com", company="c|101",
                     job_name="n", job_type="optimizeImagesJob", now=NOW)
        assert e.state == "pending" and e.unresolved
        assert j.mark_sent(e.id, now=NOW).state == "sent"
        done = j.mark_submitted(e.id, "j|101|n||", now=NOW)
        assert done.state == "submitted" and done.handle == "j|101|n||" and not done.unresolved
        assert j.get(e.id).job_request().job_name == "n"
    path = next(tmp_path.glob("*.sqlite*"), None) or next(p for p in tmp_path.iterdir() if p.is_file())
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_failures_and_unknown_outcomes_are_kept(tmp_path):
    with open_journal(tmp_path) as j:
        a = j.record(TOML, url=None, user="u", company="c|1", job_name="a", now=NOW)
        b = j.record(TOML, url=None, user="u", company="c|1", job_name="b", now=NOW)
        j.mark_failed(a.id, "authentication", 10001, "Wrong password", now=NOW)
        j.mark_unknown(b.id, "timeout", None, "no answer", now=NOW)
        states = {e.job_name: e.state for e in j.entries()}
    assert states == {"a": "failed", "b": "unknown"}
    with open_journal(tmp_path) as j:  # still there after a restart
        assert [e.job_name for e in j.entries() if e.unresolved] == ["b"]


def test_no_password_reaches_the_journal(tmp_path):
    with open_journal(tmp_path) as j:
        j.record(TOML, url="https://ops@acme.com:s3cret-pw@h/x", user="u", company="c|1", job_name="n", now=NOW)
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"s3cret-pw" not in blob
