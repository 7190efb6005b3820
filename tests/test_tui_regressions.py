"""Sequences that ended the app in operator trials: a second job after a submit, history re-opened twice,
keys that arrive in one burst. Each drives the real app against the embedded sandbox."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.widgets import Input

from ips_tui.job.request import JobRequest
from tui_helpers import NOW, choose_job_type, focused_path, make_app, new_job_on, settle, tab_to

SIZE = (80, 24)
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


def record(state_dir, sb, path: Path, handle: str):
    from ips_tui.store.journal import open_journal

    req = JobRequest(tomllib.loads(path.read_text()))
    with open_journal(state_dir) as journal:
        e = journal.record(req.to_toml(), url=sb.url, user=sb.user, company=req.data.get("companyHandle"),
                           job_name=req.job_name, job_type=req.job_type, source="tui", now=NOW)
        journal.mark_sent(e.id, now=NOW)
        journal.mark_submitted(e.id, handle, now=NOW)


async def submit_metadata_publish(pilot, app) -> str:
    """From the type step: metadataPublishJob (nothing required), Review, F5; the handle."""
    await choose_job_type(pilot, app, "metadataPublishJob")
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    assert app.screen.problems == [], app.screen.problems
    await pilot.press("f5")
    await settle(pilot, app)
    assert app.screen.result is not None, app.screen.last_error
    return app.screen.result["handle"]


async def test_new_job_after_a_submit_then_a_second_submit(sandbox, tmp_path):
    """Submit → "New job" → choose a type → submit again: two jobs, the app alive all along."""
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        first = await submit_metadata_publish(pilot, app)
        # the result's "New job" button, by keys: Follow has the focus, New job is two to the right
        await pilot.press("tab", "tab", "enter")
        await settle(pilot, app)
        w = app.screen
        assert app.is_running and w.current == "type" and w.form.job_type is None and w.result is None
        second = await submit_metadata_publish(pilot, app)
        assert app.is_running and second != first
    assert len(sandbox.submitted_jobs()) == 2


async def test_new_job_from_the_palette_twice(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        for _round in range(2):
            await submit_metadata_publish(pilot, app)
            app.screen.new_job()
            await settle(pilot, app)
            assert app.is_running and app.screen.current == "type"
    assert len(sandbox.submitted_jobs()) == 2


async def test_history_reopened_twice(sandbox, tmp_path):
    """F4 → re-open an entry, then F4 → re-open another: each lands on Review with its own values."""
    from ips_tui.tui.screens.history import HistoryScreen

    record(tmp_path, sandbox, EXAMPLES / "export-originals.toml", "j|101|agency-export||")
    record(tmp_path, sandbox, EXAMPLES / "supplier-urls.toml", "j|101|spring||")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        seen = []
        for row in (0, 1, 0):
            await pilot.press("f4")
            await settle(pilot, app)
            assert isinstance(app.screen, HistoryScreen)
            await pilot.press(*(["down"] * row), "enter")
            await settle(pilot, app)
            w = app.screen
            assert app.is_running and w.current == "review"
            seen.append(w.form.job_type)
            assert w.problems == [], w.problems
        assert seen == ["uploadUrlsJob", "exportJob", "uploadUrlsJob"]


async def test_a_burst_across_tab_lands_in_both_fields(sandbox, tmp_path):
    """``job-two<Tab>night run`` posted at once (before any of it is handled): each part in its field."""
    from textual import events

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        await pilot.press("ctrl+u")
        for ch in "job-two\tnight run\tx":
            key = {"\t": "tab", " ": "space"}.get(ch, ch)
            app.post_message(events.Key(key, ch if ch != "\t" else "\t"))
        await settle(pilot, app)
        values = app.screen.form.values
        assert values.get("jobName") == "job-two"
        assert values.get("description") == "night run"
        assert focused_path(app) == "locale"


async def test_ctrl_u_then_typing_at_once_keeps_what_was_typed(sandbox, tmp_path):
    from textual import events

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        for key, ch in [("a", "a"), ("b", "b"), ("ctrl+u", None), ("c", "c"), ("d", "d")]:
            app.post_message(events.Key(key, ch))
        await settle(pilot, app)
        assert app.focused.value == "cd" and isinstance(app.focused, Input)
        assert app.screen.form.values.get("jobName") == "cd"


@pytest.mark.parametrize("key,part", [("f4", "#entries"), ("f3", "TabbedContent")])
async def test_a_closing_screen_can_still_say_its_keys(sandbox, tmp_path, key, part):
    """Found by the model-based walk (F4 then Esc under load): the footer asked for the keys of a screen
    whose widgets were already being removed, and the app ended with NoMatches. The same order, on purpose."""
    record(tmp_path, sandbox, EXAMPLES / "export-originals.toml", "j|101|agency-export||")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press(key)
        await settle(pilot, app)
        screen = app.screen
        await screen.query_one(part).remove()  # as the screen's teardown does, before its footer
        assert isinstance(screen.active_bindings, dict)  # runs check_action for every key
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.is_running and app.screen.current == "start"


async def test_a_job_with_no_fields_set_is_reopened_with_its_type(sandbox, tmp_path):
    """Submitted from the wizard (metadataPublishJob: nothing to fill in), then F4 → re-open: the draft has
    its job type and no problem (the journal's job file used to lose the empty job table)."""
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        await submit_metadata_publish(pilot, app)
        await pilot.press("f4")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        w = app.screen
        assert w.current == "review" and w.form.job_type == "metadataPublishJob"
        assert w.problems == [], w.problems


async def test_keys_typed_right_after_next_land_in_the_next_step(sandbox, tmp_path):
    """Ctrl+N and then typing, in one burst: the typing goes to the first field of the step Ctrl+N shows,
    whether that step is being built (first visit) or was built before (its focus moves a moment later)."""
    from textual import events

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        await choose_job_type(pilot, app, "metadataPublishJob")  # now on Fields
        await settle(pilot, app)
        for round_, text in enumerate(("abc", "xyz")):
            app.post_message(events.Key("ctrl+n", None))
            for ch in text:
                app.post_message(events.Key(ch, ch))
            await settle(pilot, app)
            w = app.screen
            assert w.current == "details" and focused_path(app) == "jobName", (round_, focused_path(app))
            # (an input selects its text when it takes the focus: what is typed then replaces it)
            assert w.form.values["jobName"] == text, w.form.values
            await pilot.press("escape")  # back to Fields
            await settle(pilot, app)


async def test_a_list_of_thousands_of_lines_is_checked_off_the_event_loop(sandbox, tmp_path, monkeypatch):
    """A 5,000-line URL list with one bad line: the check after the burst runs in a thread (the screen keeps
    answering keys), and its result is the one shown: the problem, named by its line."""
    import threading

    from textual.widgets import TextArea

    from ips_tui.tui.wizard import editing

    threads = []
    real = editing.report_of

    def spy(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args)

    monkeypatch.setattr(editing, "report_of", spy)
    lines = [f"https://img.example/{i}.jpg\tacme/{i}.jpg" for i in range(5000)]
    lines[4321] = "not-a-url\tacme/x.jpg"
    assert len(lines) > editing.BIG_FORM_LINES
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        await choose_job_type(pilot, app, "uploadUrlsJob")
        area = app.focused
        assert isinstance(area, TextArea)
        threads.clear()
        area.load_text("\n".join(lines))
        await settle(pilot, app)
        w = app.screen
        assert threads and not threads[-1], threads  # the last check ran off the event loop
        assert not w._stale
        assert any(p.startswith("uploadUrlsJob.urlArray[4321]") for p, _m in w.report.problems), w.report.problems


async def test_characters_typed_into_a_box_wait_for_no_turn(sandbox, tmp_path):
    """A character typed into a box stops there (no binding runs, the focus stays), so it takes no turn up
    the DOM: the keys behind it queue on the same box at once. Tab and Ctrl+U still take theirs."""
    from textual import events

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        before = app._key_turn
        for ch in "night-01":
            app.post_message(events.Key({"-": "minus"}.get(ch, ch), ch))
        await settle(pilot, app)
        assert app._key_turn == before
        for key, ch in [("ctrl+u", None), ("x", "x"), ("tab", "\t"), ("y", "y")]:
            app.post_message(events.Key(key, ch))
        await settle(pilot, app)
        assert app._key_turn == before + 2
        values = app.screen.form.values
        assert values.get("jobName") == "x" and values.get("description") == "y"


async def test_the_fields_step_takes_the_focus_though_its_rows_mount_late(sandbox, tmp_path, monkeypatch):
    """A row composes its controls only once it is mounted; on a busy machine that came after the step's first
    refresh, so the step, entered then, found nothing to focus and the keys typed meanwhile went nowhere.
    Here the refresh comes at once, before any row has mounted: the first field still takes the focus, and
    keys typed with the choice land in it."""
    from textual import events

    from ips_tui.tui.wizard.steps.fields import FieldsStep

    monkeypatch.setattr(FieldsStep, "call_after_refresh", lambda self, callback, *args: callback(*args))
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        index = 5  # uploadDirectoryJob: its first field (destFolder) is a text box
        app.post_message(events.Key("home", None))
        for _i in range(index):
            app.post_message(events.Key("down", None))
        app.post_message(events.Key("enter", None))
        for ch in "in/":
            app.post_message(events.Key(ch, ch))
        await settle(pilot, app)
        assert app.screen.current == "fields", app.screen.current
        assert app.focused is not None, "nothing has the focus on the Fields step"
        first = focused_path(app)
        assert first is not None and app.screen.form.values.get(first) == "in/", (first, app.screen.form.values)
