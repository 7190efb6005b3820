"""The jobs screen at scale, against a real sandbox over loopback, counting what the sandbox received: only
the tab on screen is polled, a changed job's row is updated in place, a job's echoed request is read only
when it is opened, and the pace slows while nothing changes (back to quick on a change or a key)."""

from __future__ import annotations

import pytest
from lxml import etree
from textual.widgets import DataTable

from tui_helpers import make_app, screen_text, settle
from test_tui_jobs import COMPANY, SIZE, frozen, open_jobs, submit, until  # noqa: F401 (frozen: a fixture)

NS = "{http://www.scene7.com/IpsApi/xsd/2014-04-03}"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


def asked(sb, operation: str, *, by_handle: bool | None = None) -> int:
    """How many ``operation`` requests the sandbox received (only those naming one job, or only lists)."""
    n = 0
    for r in sb.received.of(operation):
        one = etree.fromstring(r.body).find(f".//{NS}jobHandle") is not None
        if by_handle is None or by_handle == one:
            n += 1
    return n


async def test_only_the_tab_on_screen_is_polled(frozen, tmp_path, monkeypatch):
    from ips_tui.tui.screens import jobs

    monkeypatch.setattr(jobs, "POLL_SECONDS", 0.05)
    monkeypatch.setattr(jobs, "POLL_SLOWEST", 0.05)  # no back-off here: count polls at a steady pace
    submit(frozen, "nightly", "imageServingPublishJob", execSchedule="0 0 2 ? * *")
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        await settle(pilot, app)
        # the first poll reads the tab on screen (it shows at once), the second every tab, once
        assert screen.polled[:2] == [("active",), ("active", "scheduled", "logs")]
        scheduled_at, logs_at = asked(frozen, "getScheduledJobs"), asked(frozen, "getJobLogs")
        active_at = asked(frozen, "getActiveJobs")
        await pilot.pause(0.5)
        await settle(pilot, app)
        assert asked(frozen, "getActiveJobs") > active_at + 2  # the active tab is polled by itself
        assert asked(frozen, "getScheduledJobs") == scheduled_at and asked(frozen, "getJobLogs") == logs_at
        await pilot.press("2")
        await settle(pilot, app)
        active_at = asked(frozen, "getActiveJobs")
        await pilot.pause(0.5)
        await settle(pilot, app)
        assert asked(frozen, "getScheduledJobs") > scheduled_at + 2
        assert asked(frozen, "getActiveJobs") <= active_at + 1  # at most the poll under way when the tab changed
        assert asked(frozen, "getJobLogs") == logs_at


async def test_a_changed_job_updates_its_row_only(frozen, tmp_path):
    for i in range(5):
        submit(frozen, f"weekly-{i}", "imageServingPublishJob", execSchedule="0 0 2 ? * SUN")
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        table = screen.query_one("#scheduled", DataTable)
        handle = next(j["jobHandle"] for j in screen.snapshot.scheduled if j["originalName"] == "weekly-3")
        before = dict(table.rows)
        from ips_tui.ips.client import IpsClient

        with IpsClient(frozen.url, frozen.user, frozen.password) as c:
            c.pause_job(COMPANY, handle)  # changed behind the screen's back
        await until(pilot, app, lambda: str(table.get_row(handle)[0]) == "Paused")
        assert screen.rows["scheduled"].updated == 1  # that row alone was rebuilt
        assert dict(table.rows) == before  # the same rows: nothing was rebuilt
        row = [str(c) for c in table.get_row(handle)]
        assert row[2] == "—" and row[3] == "—"  # a paused job shows no next run
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert screen.rows["scheduled"].updated == 0  # nothing new: nothing touched


async def test_a_jobs_request_is_read_only_when_it_is_opened(frozen, tmp_path):
    submit(frozen, "nightly", "imageServingPublishJob", execSchedule="0 0 2 ? * *")
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        assert asked(frozen, "getScheduledJobs", by_handle=True) == 0  # lists only
        assert screen.snapshot.scheduled and all("imageServingPublishJob" not in j and "execTime" not in j
                                                 for j in screen.snapshot.scheduled)  # read lean: no request
        assert "publishType" not in screen_text(app)
        await pilot.press("enter")  # open the selected job
        await until(pilot, app, lambda: "publishType" in screen_text(app), refresh=False)
        text = screen_text(app)
        assert "Request of nightly" in text and "imageServingPublishJob.publishType = Full" in text
        assert asked(frozen, "getScheduledJobs", by_handle=True) == 1
        [opened] = [r for r in frozen.received.of("getScheduledJobs")
                    if etree.fromstring(r.body).find(f".//{NS}jobHandle") is not None]
        assert etree.fromstring(opened.body).findtext(f".//{NS}jobHandle") == screen.snapshot.scheduled[0]["jobHandle"]


async def test_polls_slow_down_while_nothing_changes_and_a_key_brings_them_back(frozen, tmp_path, monkeypatch):
    from ips_tui.tui.screens import jobs

    monkeypatch.setattr(jobs, "POLL_SECONDS", 0.02)
    monkeypatch.setattr(jobs, "POLL_SLOWEST", 0.16)
    submit(frozen, "nightly", "imageServingPublishJob", execSchedule="0 0 2 ? * *")
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        await until(pilot, app, lambda: screen.poller.wait == jobs.POLL_SLOWEST, refresh=False, tries=200)
        await pilot.press("down")  # a key: back to the quick pace
        assert screen.poller.wait == jobs.POLL_SECONDS


def test_the_pace_doubles_while_nothing_changes_and_a_change_resets_it():
    from ips_tui.tui.polling import Poller

    class Screen:  # what a Poller asks of its screen: a timer and whether it is still shown
        is_attached = True

        def __init__(self):
            self.waits = []

        def set_timer(self, seconds, callback):
            self.waits.append(seconds)
            return type("Timer", (), {"stop": lambda self: None})()

    screen = Screen()
    launched = []
    poller = Poller(screen, lambda: launched.append(1), lambda: 3.0, slowest=30.0)
    for changed in (True, False, False, False, False, False, True, False):
        poller.request()
        poller.done(changed)
    assert screen.waits == [3.0, 6.0, 12.0, 24.0, 30.0, 30.0, 3.0, 6.0] and len(launched) == 8
    poller.nudge()  # a key while a slow wait is pending: re-armed at the quick pace
    assert screen.waits[-1] == 3.0 and poller.wait == 3.0
    steady = Poller(screen, lambda: None, lambda: 3.0)  # without ``slowest``: always the same pace
    steady.request()
    steady.done(False)
    assert steady.wait == 3.0


async def test_every_table_shows_times_in_the_servers_zone(frozen, tmp_path):
    """One rule: the Logs table, like the Scheduled one, shows the server's time (09:00 in Los Angeles), not
    the local one (18:00 in Madrid); the detail says both."""
    submit(frozen, "agency-export", "exportJob")
    frozen.clock.advance(60)
    app = make_app(frozen, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_jobs(pilot, app)
        await pilot.press("3")
        await until(pilot, app, lambda: screen.selected_job("logs") is not None)
        row = [str(c) for c in screen.query_one("#logs", DataTable).get_row_at(0)]
        assert row[1] == "11-28 09:00" and row[2] == "11-28 09:00", row
        assert "2026-11-28 09:00:00 PST" in screen_text(app)


@pytest.mark.parametrize("language", ["en", "es"])
async def test_every_column_heading_is_whole_at_80_columns(frozen, tmp_path, language):
    """Res(ult) and Sched(ule) were cut at 80×24: each tab's headings fit, in English and in Spanish."""
    from ips_tui import i18n
    from ips_tui.tui.screens.jobs_rows import COLUMNS

    submit(frozen, "nightly-full-publish-for-every-brand", "imageServingPublishJob", execSchedule="0 30 6 ? * MON-FRI")
    submit(frozen, "agency-export", "exportJob")
    frozen.clock.advance(60)
    i18n.set_language(language)
    try:
        app = make_app(frozen, state_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_jobs(pilot, app)
            for key, tab in (("1", "active"), ("2", "scheduled"), ("3", "logs")):
                await pilot.press(key)
                await until(pilot, app, lambda tab=tab: screen.rows[tab].shown != {} or tab == "active")
                heads = screen_text(app).splitlines()[4]
                for label, _width in COLUMNS[tab]:
                    assert i18n._(label) in heads, (tab, i18n._(label), heads)
            row = screen_text(app).splitlines()[5]
            result = i18n._("ok {ok} · errors {err}").format(ok=2, err=0)
            assert row.rstrip().endswith(result), row  # the last column whole
    finally:
        i18n.set_language("en")
