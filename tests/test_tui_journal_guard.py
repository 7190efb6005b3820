"""The wizard refuses to send when the submission journal cannot be written, as the CLI does (exit 2 there):
the operator is told which file and why, the form keeps everything, and the sandbox receives no submitJob.
A request sent without its record could be sent twice (nothing would say it went out)."""

from __future__ import annotations

import os
import sqlite3

from test_tui_wizard import SIZE, start_to_type
from tui_helpers import choose_job_type, make_app, pick, settle

from ips_tui.store.journal import FILE_NAME, Journal


def submit_jobs_received(sandbox) -> list:
    return [r for r in sandbox.received if r.operation == "submitJob"]


def damage(path) -> None:
    """A journal with real entries whose pages are then overwritten (what a crash on a bad disk leaves)."""
    with Journal(path) as journal:
        for i in range(200):
            journal.record(f'jobName = "old-{i}"\n' + "# padding\n" * 40, url="http://x", user="u",
                           company="c|101", job_name=f"old-{i}")
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    with open(path, "r+b") as fh:
        fh.seek(10 * 4096 + 100)
        fh.write(os.urandom(2000))


async def fill_and_submit(pilot, app) -> dict:
    await start_to_type(pilot, app)
    await choose_job_type(pilot, app, "optimizeImagesJob")
    await pick(pilot, 2)
    await settle(pilot, app)
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    assert app.screen.problems == []
    form = dict(app.screen.form.to_dict(), saved_at=None)
    return form


async def refused(pilot, app, form: dict) -> str:
    await pilot.press("f5")
    for _i in range(100):  # until the submit worker has finished
        await settle(pilot, app)
        if app.screen.submit_state.phase != "sending":
            break
    state = app.screen.submit_state
    assert state.phase == "failed" and state.handle is None, state
    assert dict(app.screen.form.to_dict(), saved_at=None) == form  # the form keeps everything
    assert app.screen.current == "review"
    return state.error


async def test_a_damaged_journal_stops_the_submission(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await fill_and_submit(pilot, app)
        path = tmp_path / FILE_NAME
        damage(path)  # after the start, so the start's own look at the journal did not move it first
        error = await refused(pilot, app, form)
        assert str(path) in error and "damaged" in error, error
        assert submit_jobs_received(sandbox) == []
        assert sandbox.submitted_jobs() == []


async def test_an_unopenable_journal_stops_the_submission(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        form = await fill_and_submit(pilot, app)
        path = tmp_path / FILE_NAME
        for side in ("", "-wal", "-shm"):
            if os.path.exists(f"{path}{side}"):
                os.remove(f"{path}{side}")
        path.mkdir()  # something that is not a file where the journal must be: it cannot be opened (even by root)
        error = await refused(pilot, app, form)
        assert str(path) in error and "cannot be opened for writing" in error, error
        assert submit_jobs_received(sandbox) == []

        # once the journal can be written again, the same form goes out, once
        path.rmdir()
        await pilot.press("f5")
        for _i in range(100):
            await settle(pilot, app)
            if app.screen.submit_state.phase != "sending":
                break
        assert app.screen.submit_state.done, app.screen.submit_state
        assert len(submit_jobs_received(sandbox)) == 1
