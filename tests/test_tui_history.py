"""The history screen (the submission journal): past submissions listed newest first, one re-opened as a
new draft in the wizard, one saved as a job file the CLI accepts (never over an existing file)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input

from ips_tui import cli
from ips_tui.job.request import JobRequest
from tui_helpers import NOW, make_app, screen_text, settle, type_text

SIZE = (80, 24)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


def record(state_dir, sb, text: str, *, handle: str | None = None, error: str | None = None):
    """A journal entry as the wizard or the CLI writes it."""
    from ips_tui.store.journal import open_journal

    req = JobRequest(tomllib.loads(text))
    with open_journal(state_dir) as journal:
        e = journal.record(req.to_toml(), url=sb.url, user=sb.user, company=req.data.get("companyHandle"),
                           job_name=req.job_name, job_type=req.job_type, source="tui", now=NOW)
        journal.mark_sent(e.id, now=NOW)
        if handle:
            e = journal.mark_submitted(e.id, handle, now=NOW)
        elif error:
            e = journal.mark_failed(e.id, "fault", 30001, error, now=NOW)
        return e


async def open_history(pilot, app):
    from ips_tui.tui.screens.history import HistoryScreen

    await settle(pilot, app)
    await pilot.press("f4")
    await settle(pilot, app)
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


def test_a_request_fills_the_form_it_came_from():
    """FormState.from_request is build()'s inverse for every example job file."""
    from ips_tui.tui.form import FormState

    for path in sorted(EXAMPLES.glob("*.toml")):
        data = tomllib.loads(path.read_text())
        form = FormState.from_request(data)
        assert JobRequest(form.build().data).to_payload(now=NOW) == JobRequest(data).to_payload(now=NOW), path


async def test_history_lists_entries_newest_first_with_their_job_file(sandbox, tmp_path):
    record(tmp_path, sandbox, (EXAMPLES / "export-originals.toml").read_text(), handle="j|101|agency-export||")
    record(tmp_path, sandbox, (EXAMPLES / "reprocess-colour.toml").read_text(), error="Asset not found")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot, app)
        assert [e.id for e in screen.entries] == [2, 1]
        text = screen_text(app)
        assert "failed" in text and "Asset not found" in text
        await pilot.press("down")
        await pilot.pause()
        text = screen_text(app)
        assert "j|101|agency-export||" in text and "[exportJob]" in text
        await pilot.press("ctrl+y")
        assert app.clipboard == "j|101|agency-export||"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.current == "start"
    assert [r.operation for r in sandbox.received] == []  # reading the journal asks the service nothing


async def test_reopen_as_a_new_draft_fills_the_wizard(sandbox, tmp_path):
    record(tmp_path, sandbox, (EXAMPLES / "export-originals.toml").read_text(), handle="j|101|agency-export||")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app)
        await pilot.press("o")
        await settle(pilot, app)
        wizard = app.screen
        assert wizard.current == "review"
        assert wizard.form.job_type == "exportJob" and wizard.form.company == "c|101"
        assert wizard.form.values["jobName"] == "agency-export"
        assert wizard.form.values["exportJob.assetHandleArray"].splitlines()[0] == "a|101|1001"
        assert wizard.problems == [], wizard.problems
        assert wizard.result is None  # a new job, not the one already submitted
        # and it submits as a new job
        await pilot.press("f5")
        await settle(pilot, app)
        assert wizard.result is not None
    [job] = sandbox.submitted_jobs()
    assert job["jobName"] == "agency-export"


async def test_enter_reopens_too_and_the_fields_step_shows_the_values(sandbox, tmp_path):
    record(tmp_path, sandbox, (EXAMPLES / "supplier-urls.toml").read_text(), handle="j|101|spring||")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        wizard = app.screen
        assert wizard.form.job_type == "uploadUrlsJob"
        assert wizard.form.values["uploadUrlsJob.overwrite"] is True
        first = wizard.form.values["uploadUrlsJob.urlArray"].splitlines()[0]
        assert first == "https://supplier.example.com/img/1001.jpg\tacme/spring/1001.jpg"
        wizard.goto("fields")
        await settle(pilot, app)
        assert "acme/spring/1001.jpg" in screen_text(app)


async def test_save_as_job_file_writes_what_the_cli_accepts_and_never_overwrites(sandbox, tmp_path):
    record(tmp_path, sandbox, (EXAMPLES / "export-originals.toml").read_text(), handle="j|101|agency-export||")
    target = tmp_path / "out" / "again.toml"
    target.parent.mkdir()
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot, app)
        assert target.exists()
        # the same name again: refused, and the dialog comes back with what was typed
        target.write_text("# mine\n")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot, app)
        assert target.read_text() == "# mine\n"
        assert isinstance(app.focused, Input) and app.focused.value == str(target)
        assert any("exists" in n.message for n in app._notifications)
        await pilot.press("escape")
        await pilot.pause()
    target.unlink()
    await _save_again(sandbox, tmp_path, target)
    assert cli.main(["submit", str(target), "--dry-run"]) == 0


async def _save_again(sandbox, tmp_path, target):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+u")
        await type_text(pilot, str(target))
        await pilot.press("enter")
        await settle(pilot, app)
    data = tomllib.loads(target.read_text())
    assert data["jobName"] == "agency-export" and "exportJob" in data


async def test_empty_history_says_so(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app)
        assert "Nothing submitted yet" in screen_text(app)
        await pilot.press("o", "ctrl+s")  # nothing selected: nothing happens
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"


def test_the_source_of_a_wizard_submission_is_said_in_words():
    """The history says a job came from the wizard (not "file: tui"), in either language; a job file's path
    is its file."""
    from ips_tui import i18n
    from ips_tui.store.journal_entry import WIZARD_SOURCE, source_words

    try:
        assert source_words(WIZARD_SOURCE) == ("from", "the wizard")
        assert source_words("jobs/night.toml") == ("file", "jobs/night.toml")
        assert source_words(None) is None
        i18n.set_language("es")
        assert source_words(WIZARD_SOURCE) == ("origen", "el asistente")
        assert source_words("jobs/night.toml") == ("archivo", "jobs/night.toml")
    finally:
        i18n.set_language("en")
