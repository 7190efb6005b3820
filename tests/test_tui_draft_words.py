"""What the draft dialog says: never "not submitted" for a form the journal shows was sent, and nothing at
all after a clean quit."""

from __future__ import annotations

import subprocess
import sys

import pytest

from ips_tui.store.drafts import save_draft
from tui_helpers import NOW, choose_job_type, make_app, screen_text, settle

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


def dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)


def a_form():
    from ips_tui.tui.form import FormState

    return FormState(profile="sandbox", company="c|101", job_type="metadataPublishJob",
                     values={"jobName": "lost-answer", "locale": "en-US"})


async def test_a_clean_quit_leaves_no_draft_to_offer(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        await choose_job_type(pilot, app, "metadataPublishJob")
        await pilot.pause(0.6)  # the draft is written once the keys stop
        assert list((tmp_path / "drafts").glob("*.json"))
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not list((tmp_path / "drafts").glob("*.json"))
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Resume your draft?" not in screen_text(app)


@pytest.mark.parametrize("state", ["reconciled", "submitted"])
async def test_a_draft_whose_request_was_sent_says_so(sandbox, tmp_path, state):
    from ips_tui.store.journal import open_journal

    form = a_form()
    request = form.request()
    with open_journal(tmp_path) as journal:
        e = journal.record(request.to_toml(), url=sandbox.url, user=sandbox.user, company="c|101",
                           job_name="lost-answer", source="tui", now=NOW)
        journal.mark_sent(e.id, now=NOW)
        if state == "reconciled":
            journal.mark_reconciled(e.id, "j|101|lost-answer||", "found on the service", now=NOW)
        else:
            journal.mark_submitted(e.id, "j|101|lost-answer||", now=NOW)
    save_draft(form.to_dict(), state_dir=tmp_path, pid=dead_pid())
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = " ".join(screen_text(app).split())
        assert "Resume your draft?" in text
        assert "not submitted" not in text
        assert "was submitted" in text and "j|101|lost-answer||" in text


async def test_a_draft_never_sent_is_offered_as_not_submitted(sandbox, tmp_path):
    save_draft(a_form().to_dict(), state_dir=tmp_path, pid=dead_pid())
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = " ".join(screen_text(app).split())
        assert "Resume your draft?" in text and "was not submitted" in text
