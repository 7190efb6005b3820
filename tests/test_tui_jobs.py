"""Following jobs on screen, against a real sandbox over loopback: a job followed from the wizard's submit
to Done with its progress shown, the jobs screen's stop / pause / resume / delete / run now (asserted on
the sandbox's own state), the export link copied from a job log, the poll paused while the screen is
hidden, and an unanswered submission reconciled when the app starts."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from textual.widgets import DataTable, ProgressBar

from ips_tui.ips.client import IpsClient
from ips_tui.job.request import JobRequest
from ips_tui.store.journal import open_journal
from tui_helpers import NOW, choose_job_type, make_app, pick, screen_text, settle

SIZE = (80, 24)
COMPANY = "c|101"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


@pytest.fixture
def frozen(sandbox_factory):
    """A sandbox whose clock stands still at the tests' instant: the test moves it."""
    return sandbox_factory(speed=0, clock=NOW)


def client_for(sb) -> IpsClient:
    return IpsClient(sb.url, sb.user, sb.password)


def submit(sb, name: str, element: str = "optimizeImagesJob", **common) -> str:
    fields = {"emailSetting": "None"}
    if element == "exportJob":
        fields.update(assetHandleArray=["a|101|1001", "a|101|1002"], fmt="orig")
    if element == "imageServingPublishJob":
        fields.update(publishType="Full")
    data = {"companyHandle": COMPANY, "jobName": name, **common, element: fields}
    with client_for(sb) as c:
        return c.submit_job(JobRequest(data).to_payload(now=sb.clock.now()))


def active(sb, name: str) -> list[dict]:
    with client_for(sb) as c:
        return [j for j in c.get_active_jobs(COMPANY) if j.get("originalName") == name]


def scheduled(sb, name: str) -> list[dict]:
    with client_for(sb) as c:
        return [j for j in c.get_scheduled_jobs(COMPANY) if j.get("originalName") == name]


async def until(pilot, app, condition, *, refresh: bool = True, tries: int = 30) -> None:
    """Refresh (Ctrl+R) until ``condition()`` holds."""
    for _i in range(tries):
        await settle(pilot, app)
        if condition():
            return
        if refresh:
            await pilot.press("ctrl+r")
    raise AssertionError(screen_text(app))


async def open_jobs(pilot, app):
    from ips_tui.tui.screens.jobs import JobsScreen

    await settle(pilot, app)
    await pilot.press("f3")
    await until(pilot, app, lambda: isinstance(app.screen, JobsScreen) and app.screen.snapshot is not None)
    return app.screen


async def select(pilot, app, table_id: str, name: str) -> None:
    """Move the cursor of a list to the job called ``name`` with the arrow keys."""
    screen = app.screen
    table = screen.query_one(f"#{table_id}", DataTable)
    snap_rows = getattr(screen.snapshot, table_id)
    index = next(i for i, j in enumerate(snap_rows) if name in (j.get("originalName"), j.get("name")))
    table.focus()
    await pilot.press(*(["up"] * table.row_count), *(["down"] * index))
    await pilot.pause()
    assert screen.selected_job(table_id)["originalName"] == name


async def optimize_job_on_review(pilot, app) -> None:
    """In the wizard: an optimizeImagesJob with its e-mail setting chosen, on the Review step."""
    await settle(pilot, app)
    await pilot.press("ctrl+n")
    await choose_job_type(pilot, app, "optimizeImagesJob")
    await pick(pilot, 2)
    await pilot.press("ctrl+r")
    await settle(pilot, app)


# -- following a job from the wizard ------------------------------------------------------------------------
async def test_follow_a_job_from_submit_to_done_with_its_progress(frozen, tmp_path):
    from ips_tui.tui.screens.follow import FollowScreen

    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await optimize_job_on_review(pilot, app)
        await pilot.press("f5")
        await until(pilot, app, lambda: app.screen.result is not None, refresh=False)
        name = app.screen.result["job_name"]
        await pilot.press("enter")  # "Follow the job" has the focus after a submit
        await until(pilot, app, lambda: isinstance(app.screen, FollowScreen) and app.screen.status is not None,
                    refresh=False)
        follow = app.screen
        assert follow.status.phase == "waiting"  # New for half a second
        frozen.clock.advance(2.0)
        await until(pilot, app, lambda: follow.status.phase == "running" and 0 < follow.status.progress < 100)
        bar = follow.query_one("#follow-bar", ProgressBar)
        assert 0 < bar.progress < 100
        text = screen_text(app)
        assert "Running" in text and f"{int(bar.progress)}%" in text and name in text
        frozen.clock.advance(60)
        await until(pilot, app, lambda: follow.status.phase == "done")
        assert bar.progress == 100
        assert any(0 < p < 100 for p in follow.seen_progress) and follow.seen_progress[-1] == 100
        text = screen_text(app)
        assert "Done: 3 of 3 succeeded" in text and "100%" in text
        await pilot.press("f3")  # the jobs screen, on this job
        await until(pilot, app, lambda: getattr(app.screen, "snapshot", None) is not None)
        assert app.screen.current_tab == "logs"  # finished: only its log is left
        assert app.screen.selected_job("logs")["jobName"].startswith(name + "_")
    assert [j["jobName"] for j in frozen.submitted_jobs()] == [name]


async def test_follow_screen_stops_and_shows_the_export_link(frozen, tmp_path):
    from ips_tui.tui.screens.follow import FollowScreen

    handle = submit(frozen, "follow-export", "exportJob")
    frozen.clock.advance(1.5)
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.push_screen(FollowScreen(app.screen.connection, COMPANY, handle, "follow-export", since=NOW))
        await until(pilot, app, lambda: app.screen.status is not None and app.screen.status.phase == "running")
        await pilot.press("p")  # pause: no confirmation
        await until(pilot, app, lambda: app.screen.status.phase == "paused")
        assert active(frozen, "follow-export")[0]["progressMessage"] == "Paused"
        await pilot.press("r")
        await until(pilot, app, lambda: app.screen.status.phase == "running")
        frozen.clock.advance(60)
        await until(pilot, app, lambda: app.screen.status.phase == "done")
        url = "https://sandbox.invalid/export/follow-export.zip"
        assert url in screen_text(app).replace("\n", "")
        await pilot.press("u")
        assert app.clipboard == url


# -- the jobs screen --------------------------------------------------------------------------------------
async def test_jobs_screen_lists_active_scheduled_and_logs(frozen, tmp_path):
    submit(frozen, "nightly", "imageServingPublishJob", execSchedule="0 0 2 ? * *")
    submit(frozen, "agency-export", "exportJob")
    frozen.clock.advance(2)
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        text = screen_text(app)
        assert "Running" in text and "agency-export" in text and "%" in text and "█" in text
        await pilot.press("2")
        await settle(pilot, app)
        text = screen_text(app)
        # the next fire time in the server's zone and here (02:00 in Los Angeles is 11:00 in Madrid)
        row = [str(c) for c in screen.query_one("#scheduled", DataTable).get_row_at(0)]
        assert row[1] == "nightly" and row[2] == "11-29 02:00" and row[3] == "11-29 11:00"  # zones: in the heads
        assert "2026-11-29 02:00:00 PST (server)" in text and "2026-11-29 11:00:00 CET (here)" in text
        assert "Normal" in text
        frozen.clock.advance(60)
        await pilot.press("3")
        await until(pilot, app, lambda: screen.selected_job("logs") is not None
                    and screen.selected_job("logs").get("endDate") is not None
                    and "https://sandbox.invalid/export/agency-export.zip" in screen_text(app))
        await pilot.press("ctrl+y")
        assert app.clipboard == "https://sandbox.invalid/export/agency-export.zip"
        assert screen.query_one("#log-rows", DataTable).row_count > 4  # the detail rows
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.current == "start"


async def test_pause_resume_stop_and_delete_running_jobs(frozen, tmp_path):
    for name in ("to-pause", "to-stop", "to-delete"):
        submit(frozen, name)
    frozen.clock.advance(1.0)
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        # pause, then resume (no confirmation)
        await select(pilot, app, "active", "to-pause")
        await pilot.press("p")
        await until(pilot, app, lambda: active(frozen, "to-pause")[0]["progressMessage"] == "Paused", refresh=False)
        await until(pilot, app, lambda: "Paused" in screen_text(app))
        await select(pilot, app, "active", "to-pause")
        await pilot.press("r")
        await until(pilot, app, lambda: active(frozen, "to-pause")[0]["progressMessage"] != "Paused", refresh=False)
        # stop: confirmed first; "n" leaves it running
        await select(pilot, app, "active", "to-stop")
        await pilot.press("s")
        await pilot.pause()
        assert "Stop the running job" in screen_text(app)
        await pilot.press("n")
        await settle(pilot, app)
        assert frozen.received.of("stopJob") == []
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await until(pilot, app, lambda: active(frozen, "to-stop")[0]["state"] == "Done", refresh=False)
        assert active(frozen, "to-stop")[0]["progressMessage"] == "Job stopped"
        # delete: confirmed, then gone from the active jobs
        await until(pilot, app, lambda: screen.selected_job("active") is not None)
        await select(pilot, app, "active", "to-delete")
        await pilot.press("d")
        await pilot.pause()
        assert "Delete the job" in screen_text(app)
        await pilot.press("y")
        await until(pilot, app, lambda: active(frozen, "to-delete") == [], refresh=False)
        await until(pilot, app, lambda: all(j.get("originalName") != "to-delete" for j in screen.snapshot.active))
    stop_handles = [r for r in frozen.received.of("stopJob")]
    assert len(stop_handles) == 1 and len(frozen.received.of("deleteJob")) == 1
    assert len(frozen.received.of("pauseJob")) == 1 and len(frozen.received.of("resumeJob")) == 1


async def test_scheduled_job_paused_resumed_and_run_now(frozen, tmp_path):
    submit(frozen, "weekday-publish", "imageServingPublishJob", execSchedule="0 30 6 ? * MON-FRI")
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        assert screen.current_tab == "scheduled"
        await select(pilot, app, "scheduled", "weekday-publish")
        await pilot.press("p")
        await until(pilot, app, lambda: scheduled(frozen, "weekday-publish")[0]["triggerState"] == "Paused",
                    refresh=False)
        await until(pilot, app, lambda: screen.selected_job("scheduled")["triggerState"] == "Paused")
        await pilot.press("r")
        await until(pilot, app, lambda: scheduled(frozen, "weekday-publish")[0]["triggerState"] == "Normal",
                    refresh=False)
        assert active(frozen, "weekday-publish") == []
        await pilot.press("n")
        await pilot.pause()
        assert "Run the scheduled job now" in screen_text(app)
        await pilot.press("y")
        await until(pilot, app, lambda: len(active(frozen, "weekday-publish")) == 1, refresh=False)
        await pilot.press("1")  # only the tab on screen is polled: the run shows on the active one
        await until(pilot, app, lambda: any(j.get("originalName") == "weekday-publish" for j in screen.snapshot.active))
        assert scheduled(frozen, "weekday-publish")[0]["triggerState"] == "Normal"  # still scheduled
    assert len(frozen.received.of("executeJob")) == 1


async def test_polls_never_overlap_and_stop_while_hidden(frozen, tmp_path, monkeypatch):
    from textual.worker import WorkerState

    from ips_tui.tui.screens import jobs

    monkeypatch.setattr(jobs, "POLL_SECONDS", 0.05)
    submit(frozen, "watched")
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        screen.poll()
        screen.poll()
        screen.poll()
        running = [w for w in app.workers if w.group == "jobs-poll"
                   and w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
        assert len(running) <= 1
        await settle(pilot, app)
        await pilot.pause(0.3)
        assert len(frozen.received.of("getActiveJobs")) > 3  # it polls by itself
        await pilot.press("d")  # a confirmation on top: the jobs screen is hidden
        await settle(pilot, app)
        hidden_at = len(frozen.received.of("getActiveJobs"))
        await pilot.pause(0.4)
        await settle(pilot, app)
        assert len(frozen.received.of("getActiveJobs")) == hidden_at
        await pilot.press("n")
        await settle(pilot, app)
        await pilot.pause(0.2)
        assert len(frozen.received.of("getActiveJobs")) > hidden_at
        assert frozen.received.of("deleteJob") == []
        await pilot.press("escape")  # back to the wizard: no more polls
        await settle(pilot, app)
        gone_at = len(frozen.received.of("getActiveJobs"))
        await pilot.pause(0.3)
        assert len(frozen.received.of("getActiveJobs")) == gone_at


async def test_jobs_key_needs_a_company(frozen, tmp_path):
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.screen.form.company = ""
        await pilot.press("f3")
        await settle(pilot, app)
        assert app.screen.current == "start"
        assert any("Choose a company first" in n.message for n in app._notifications)


# -- reconciling at start ---------------------------------------------------------------------------------
async def test_an_unanswered_submission_is_found_at_start_and_not_sent_again(sandbox, tmp_path):
    """A submit whose answer was lost (the app was killed): at the next start the journal entry is settled
    by asking the service, and nothing is sent again."""
    from ips_tui.follow.submit import Submission
    from ips_tui.store.journal import open_journal

    data = {"companyHandle": COMPANY, "jobName": "lost-answer", "optimizeImagesJob": {"emailSetting": "None"}}
    request = JobRequest(data)
    sub = Submission.from_request(request, request.to_payload(), source="tui")
    with open_journal(tmp_path) as journal:
        entry = journal.record(sub.request_toml, url=sandbox.url, user=sandbox.user, company=COMPANY,
                               job_name="lost-answer")
        journal.mark_sent(entry.id)
        with client_for(sandbox) as c:
            handle = c.submit_job(request.to_payload())  # it went through; the answer never came back
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
        journal._update(entry.id, owner=f"{socket.gethostname()}:{gone}:1")  # a process that has ended
    app = make_app(sandbox, state_dir=tmp_path, profile=_as_remote(sandbox))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        notes = [n.message for n in app._notifications]
        assert any("lost-answer" in n and "Found on the service" in n for n in notes), notes
    with open_journal(tmp_path) as journal:
        [entry] = journal.entries()
    assert entry.state == "reconciled" and "lost-answer" in entry.handle and handle.startswith("j|101|lost-answer")
    assert len(sandbox.received.of("submitJob")) == 1  # never resubmitted


def _as_remote(sandbox):
    """The sandbox reached as a service of its own (``ips-tui sandbox`` + ``--url/--user``), not embedded."""
    from ips_tui.connection import command_line_profile

    return command_line_profile(sandbox.url, sandbox.user)


async def test_the_embedded_sandbox_is_never_reconciled(sandbox, tmp_path):
    """It starts empty each time, so an entry from an earlier run cannot be on it: nothing is loaded or asked."""
    with open_journal(tmp_path) as journal:
        entry = journal.record("jobName = 'x'", url=sandbox.url, user=sandbox.user, company=COMPANY, job_name="x")
        journal.mark_sent(entry.id)
        journal._update(entry.id, owner="elsewhere:1:1")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        assert list(app._notifications) == []
    with open_journal(tmp_path) as journal:
        assert journal.get(entry.id).state == "sent"
    assert [r.operation for r in sandbox.received] == []


async def test_nothing_to_reconcile_says_nothing_and_asks_nothing(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path, profile=_as_remote(sandbox))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await settle(pilot, app)
        assert list(app._notifications) == []
    assert [r.operation for r in sandbox.received] == []
    assert not (tmp_path / "journal.sqlite3").exists()  # looking created no journal


# -- a retry after a dropped session ------------------------------------------------------------------------
async def test_the_wizard_asks_before_sending_a_job_the_journal_says_may_be_there(frozen, tmp_path):
    """The draft came back after a dropped session; the same job had been sent and its answer lost. F5 sends
    nothing until the operator says to, and then exactly one job."""
    from ips_tui.follow.submit import Submission
    from ips_tui.tui.screens.modals import ConfirmScreen

    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await optimize_job_on_review(pilot, app)
        wizard = app.screen
        # what the earlier session journaled before its process died (the answer never came)
        request = JobRequest(wizard.form.build().data)
        sub = Submission.from_request(request, wizard.payload(), source="tui")
        with open_journal(tmp_path) as journal:
            entry = journal.record(sub.request_toml, url=frozen.url, user=frozen.user, company=COMPANY,
                                   job_name=sub.job_name)
            journal.mark_sent(entry.id)
            journal._update(entry.id, owner="elsewhere:1:1")
        await pilot.press("f5")
        await until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen), refresh=False)
        text = screen_text(app)
        assert "Sent before?" in text and f"#{entry.id}" in text
        assert frozen.received.of("submitJob") == []
        await pilot.press("escape")  # no
        await settle(pilot, app)
        assert app.screen is wizard and wizard.result is None and not wizard.in_flight
        assert frozen.received.of("submitJob") == []
        await pilot.press("f5")
        await until(pilot, app, lambda: isinstance(app.screen, ConfirmScreen), refresh=False)
        await pilot.press("y")
        await until(pilot, app, lambda: wizard.result is not None, refresh=False)
    assert len(frozen.received.of("submitJob")) == 1


async def test_a_poll_with_the_same_jobs_updates_only_the_rows_that_changed():
    """Each poll refills the tables: unchanged rows are not touched, a changed one has its cells updated in
    place (the cursor stays, nothing flickers), a gone job is removed and a new one appended without
    rebuilding the others; another order rebuilds the table, the cursor still on its job."""
    from textual.app import App

    from ips_tui.tui.screens.jobs_rows import TableRows, add_columns

    class One(App):
        def compose(self):
            yield DataTable(id="t")

    def job(handle, state, name, progress=0):
        return {"jobHandle": handle, "state": state, "name": name, "progress": progress, "progressMessage": ""}

    app = One()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        add_columns(table, "active")
        rows = TableRows(table, "active")
        assert rows.fill([job("j1", "Running", "a"), job("j2", "Queued", "b"), job("j1", "dup", "x")], None, None)
        await pilot.pause()
        assert [k.value for k in table.rows] == ["j1", "j2"]  # a handle listed twice is shown once
        table.move_cursor(row=1)
        rows_before = dict(table.rows)
        assert not rows.fill([job("j1", "Running", "a"), job("j2", "Queued", "b")], None, None)
        assert rows.updated == 0  # nothing changed: nothing touched
        assert rows.fill([job("j1", "Done", "a", 100), job("j2", "Queued", "b")], None, None)
        await pilot.pause()
        assert rows.updated == 1 and all(table.rows[k] is row for k, row in rows_before.items())
        assert table.cursor_row == 1
        assert str(table.get_row("j1")[0]) == "Done" and "100%" in str(table.get_row("j1")[1])
        assert rows.fill([job("j2", "Queued", "b"), job("j3", "Queued", "c")], None, None)  # j1 gone, j3 new
        await pilot.pause()
        assert [k.value for k in table.rows] == ["j2", "j3"] and rows.updated == 1
        assert table.rows[next(k for k in table.rows if k.value == "j2")] is rows_before[
            next(k for k in rows_before if k.value == "j2")]  # j2 kept its row
        table.move_cursor(row=0)
        assert rows.fill([job("j3", "Queued", "c"), job("j2", "Done", "b")], None, None)  # another order
        await pilot.pause()
        assert [k.value for k in table.rows] == ["j3", "j2"] and table.cursor_row == 1  # still on j2


async def test_a_message_that_grows_widens_its_column():
    """A poll that changes a running job's message to a longer one ("Job completed") widens the message
    column as a new row would; it was left as wide as the old text and the new one was cut."""
    from textual.app import App

    from ips_tui.tui.screens.jobs_rows import TableRows, add_columns

    class One(App):
        def compose(self):
            yield DataTable(id="t")

    def job(message):
        return {"jobHandle": "j1", "state": "Running", "name": "a", "progress": 50, "progressMessage": message}

    app = One()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        add_columns(table, "active")
        rows = TableRows(table, "active")
        rows.fill([job("")], None, None)
        await pilot.pause()
        assert rows.fill([job("Job completed after 8 of 8 files")], None, None)
        await pilot.pause()
        message = list(table.columns.values())[-1]
        assert message.get_render_width(table) >= len("Job completed after 8 of 8 files")


async def test_a_hostile_job_name_from_the_service_is_shown_escaped(frozen, tmp_path):
    """A C1 CSI, a bidi override and a line break in a job name (all legal in XML, so a service can send
    them) reach the screen made visible, never raw."""
    from ips_tui.sandbox.raw import Caller

    hostile = "evil\u202egnp.exe\u009b31mred\nFAKE"
    caller = Caller(frozen)
    try:
        reply = caller("submitJob", f"<companyHandle>{COMPANY}</companyHandle><jobName>{hostile}</jobName>"
                                    "<optimizeImagesJob><emailSetting>None</emailSetting></optimizeImagesJob>")
        assert reply.fault is None, reply.fault
    finally:
        caller.close()
    frozen.clock.advance(2)
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_jobs(pilot, app)
        await until(pilot, app, lambda: "gnp.exe" in screen_text(app))
        text = screen_text(app)
        assert "\u202e" not in text and "\u009b" not in text
        cells = [str(c) for row in range(screen.query_one("#active", DataTable).row_count)
                 for c in screen.query_one("#active", DataTable).get_row_at(row)]
        assert any(c.startswith("evil\\u202egnp.exe\\x9b31mred\\nFAKE_") for c in cells), cells
