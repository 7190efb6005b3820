"""SVG snapshots of every step at 80×24 and 120×40 (pytest-textual-snapshot).

Stable by construction: a fixed clock and zones, a profile with a fixed URL (nothing listens there and
nothing is sent), no drafts, no cursor blink. Update with ``pytest tests/test_tui_snapshots.py
--snapshot-update`` after checking the report.
"""

from __future__ import annotations

import pytest
from textual import events

from tui_helpers import choose_job_type, fixed_profile, make_app, pick, settle, still_cursors, tab_to, type_text

SIZES = [(80, 24), (120, 40)]

URLS = "\n".join([
    "https://supplier.example.com/img/1001.jpg\tacme/spring/1001.jpg",
    "https://supplier.example.com/img/1002.jpg acme/spring/1002.jpg",
    "supplier.example.com/img/1003.jpg\tacme/spring/1003.jpg",
    "https://supplier.example.com/img/1004.jpg",
])


def app_for(environment: str = "sandbox"):
    return make_app(profile=fixed_profile(environment), password="not-used", drafts=False)


async def steady(pilot) -> None:
    """Workers done, focus settled, cursors still: the same picture every run (a step takes its focus a
    frame after it shows, later still on a busy machine)."""
    app = pilot.app
    await settle(pilot, app)
    seen, same = object(), 0
    for _i in range(100):
        same = same + 1 if app.focused is seen else 0
        if same >= 3:
            break
        seen = app.focused
        await pilot.pause(0.01)
    await still_cursors(pilot, app)


async def to_fields(pilot, element: str) -> None:
    await settle(pilot, pilot.app)
    await pilot.press("ctrl+n")
    await choose_job_type(pilot, pilot.app, element)


async def publish_job(pilot) -> None:
    await to_fields(pilot, "imageServingPublishJob")
    await pick(pilot, 1)
    await pilot.press("tab")
    await pick(pilot, 2)


STEPS = {}


def step(name):
    def register(fn):
        STEPS[name] = fn
        return fn
    return register


@step("1-start")
async def _start(pilot):
    await steady(pilot)


@step("2-type")
async def _type(pilot):
    await settle(pilot, pilot.app)
    await pilot.press("ctrl+n")
    await focused(pilot, "types")  # the list takes the focus a frame after the step shows (a busy CI is slower)
    await pilot.press("down", "down", "down", "down", "down", "down")
    await steady(pilot)


async def focused(pilot, widget_id: str, tries: int = 100) -> None:
    for _i in range(tries):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.pause(0.02)
    raise AssertionError(f"#{widget_id} never took the focus (it is {pilot.app.focused!r})")


@step("3-fields")
async def _fields(pilot):
    await to_fields(pilot, "uploadUrlsJob")
    pilot.app.post_message(events.Paste(URLS))
    await pilot.pause()
    await steady(pilot)


@step("4-details")
async def _details(pilot):
    await publish_job(pilot)
    await pilot.press("ctrl+n")
    await tab_to(pilot, pilot.app, "locale")
    await pilot.press("ctrl+u")
    await type_text(pilot, "es-SP")
    await steady(pilot)


@step("5-timing")
async def _timing(pilot):
    await publish_job(pilot)
    await pilot.press("ctrl+n", "ctrl+n")
    await focused(pilot, "modes")
    await pilot.press("down", "down", "enter")
    await type_text(pilot, "0 30 6 ? * MON-FRI")
    await steady(pilot)


@step("6-review")
async def _review(pilot):
    await publish_job(pilot)
    await pilot.press("ctrl+r")
    await steady(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("name", list(STEPS))
def test_step(snap_compare, monkeypatch, name, size):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    assert snap_compare(app_for(), terminal_size=size, run_before=STEPS[name])


def test_production_start(snap_compare, monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    assert snap_compare(app_for("production"), terminal_size=(80, 24), run_before=_start)


def test_at_a_time_without_zone(snap_compare, monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)

    async def run(pilot):
        await publish_job(pilot)
        await pilot.press("ctrl+n", "ctrl+n", "down", "enter")
        await type_text(pilot, "2026-12-24 02:00")
        await steady(pilot)

    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=run)


def test_review_with_problems(snap_compare, monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)

    async def run(pilot):
        await to_fields(pilot, "exportJob")
        await pilot.press("f5")
        await focused(pilot, "problems")  # Review focuses (and scrolls to) its problems a frame later
        await steady(pilot)

    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=run)


def test_no_color(snap_compare, monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")

    async def run(pilot):
        await to_fields(pilot, "uploadDirectoryJob")
        await steady(pilot)

    assert snap_compare(app_for("staging"), terminal_size=(80, 24), run_before=run)


# -- the jobs and history screens ---------------------------------------------------------------------------
def jobs_sandbox(sandbox_factory):
    """A sandbox frozen at the tests' instant with a scheduled job, a finished export and a running job."""
    from ips_tui.ips.client import IpsClient
    from ips_tui.job.request import JobRequest
    from tui_helpers import NOW

    sb = sandbox_factory(speed=0, clock=NOW)
    jobs = [
        {"jobName": "nightly-full-publish", "execSchedule": "0 0 2 ? * *",
         "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}},
        {"jobName": "agency-export", "exportJob": {"assetHandleArray": ["a|101|1001", "a|101|1002"], "fmt": "orig",
                                                   "emailSetting": "None"}},
        {"jobName": "spring-optimize", "optimizeImagesJob": {"emailSetting": "None"}},
    ]
    with IpsClient(sb.url, sb.user, sb.password) as c:
        for i, job in enumerate(jobs):
            c.submit_job(JobRequest({"companyHandle": "c|101", **job}).to_payload(now=sb.clock.now()))
            sb.clock.advance(12 if i == 1 else 0)
        sb.clock.advance(2)
    return sb


def jobs_app(sb):
    from tui_helpers import SHOWN_URL

    return make_app(sb, drafts=False, display_url=SHOWN_URL)


async def _jobs(pilot):
    await settle(pilot, pilot.app)
    await pilot.press("f3")
    await settle(pilot, pilot.app)
    await steady(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_jobs_screen(snap_compare, monkeypatch, sandbox_factory, size):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    assert snap_compare(jobs_app(jobs_sandbox(sandbox_factory)), terminal_size=size, run_before=_jobs)


@pytest.mark.parametrize("tab", ["scheduled", "logs"])
def test_jobs_screen_tabs(snap_compare, monkeypatch, sandbox_factory, tab):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)

    async def run(pilot):
        await _jobs(pilot)
        await pilot.press({"scheduled": "2", "logs": "3"}[tab])
        if tab == "logs":
            await pilot.press("down")  # the finished export, with its download link
        await settle(pilot, pilot.app)
        await steady(pilot)

    assert snap_compare(jobs_app(jobs_sandbox(sandbox_factory)), terminal_size=(80, 24), run_before=run)


def journal_entries():
    """Three submissions recorded at the tests' instant (a fixed URL: nothing is contacted)."""
    from datetime import timedelta

    from ips_tui.job.request import JobRequest
    from ips_tui.store.journal import open_journal
    from tui_helpers import NOW, SHOWN_URL

    export = {"companyHandle": "c|101", "jobName": "agency-export",
              "exportJob": {"assetHandleArray": ["a|101|1001", "a|101|1002"], "fmt": "orig",
                            "emailSetting": "JobCompletion"}}
    publish = {"companyHandle": "c|102", "jobName": "nightly-full-publish", "execSchedule": "0 0 2 ? * *",
               "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}}
    reprocess = {"companyHandle": "c|101", "jobName": "fix-colour",
                 "reprocessAssetsJob": {"assetHandleArray": ["a|101|9999"], "emailSetting": "Error"}}
    with open_journal() as journal:
        for i, (data, handle, error) in enumerate([
                (export, "j|101|agency-export||", None),
                (publish, "j|102|nightly-full-publish||", None),
                (reprocess, None, "Asset a|101|9999 not found (code 30001)")]):
            when = NOW + timedelta(minutes=5 * i)
            req = JobRequest(data)
            e = journal.record(req.to_toml(), url=SHOWN_URL, user="demo@sandbox.ips", company=data["companyHandle"],
                               job_name=req.job_name, job_type=req.job_type, source="tui", now=when)
            journal.mark_sent(e.id, now=when)
            if handle:
                journal.mark_submitted(e.id, handle, now=when)
            else:
                journal.mark_failed(e.id, "fault", 30001, error, now=when)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_screen(snap_compare, monkeypatch, size):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    journal_entries()

    async def run(pilot):
        await settle(pilot, pilot.app)
        await pilot.press("f4")
        await settle(pilot, pilot.app)
        await steady(pilot)

    assert snap_compare(app_for(), terminal_size=size, run_before=run)


def test_jobs_screen_no_color(snap_compare, monkeypatch, sandbox_factory):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(jobs_app(jobs_sandbox(sandbox_factory)), terminal_size=(80, 24), run_before=_jobs)
