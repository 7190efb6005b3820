"""Typing a Quartz schedule hardly moves the screen: the explanation keeps its height and the problem line
its room from key to key (each change of either height is a layout of the whole screen)."""

from __future__ import annotations

import pytest

from test_tui_wizard import SIZE, go_to_timing_with_a_valid_job
from tui_helpers import make_app, screen_text


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


KEYS = {" ": "space", "?": "question_mark", "*": "asterisk", "-": "minus"}


async def test_typing_a_schedule_keeps_the_explanation_in_place(sandbox, tmp_path):
    from ips_tui.tui.wizard.steps.timing import ScheduleView

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to_timing_with_a_valid_job(pilot, app)
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        view = app.screen.query_one(ScheduleView)
        drawn: list[int] = []  # the lines Textual asked the view for: the ones a key made dirty
        draw = view.render_line
        view.render_line = lambda y: (drawn.append(y), draw(y))[1]
        places, repaints = [], []
        for ch in "0 30 6 ? * MON-FRI":
            drawn.clear()
            await pilot.press(KEYS.get(ch, ch))
            await pilot.pause()
            places.append((view.region.y, view.region.height))
            repaints.append((ch, sorted(set(drawn))))
        assert "Monday through Friday" in screen_text(app)  # the explanation did follow the keys
        moves = sum(a != b for a, b in zip(places, places[1:]))
        # 18 keys, the message changing on most, valid and invalid three times: the view moved or grew
        # only when a message first needed more lines — not once per key, nor when the expression turned
        # valid (the problem lines stay, empty, as tall as the tallest message was)
        assert moves <= 1, places
        problem_lines = set(range(len(view.lines) - ScheduleView.SECTIONS[1].floor))
        # a key that changes only the message repaints the problem lines, never the explanation
        for ch, ys in repaints[:12]:  # "0 30 6 ? * M": unfinished, the explanation is the hint throughout
            assert set(ys) <= problem_lines, (ch, ys, repaints)
        assert any(ys and max(ys) >= len(problem_lines) for _ch, ys in repaints[12:])  # ... and then it is


async def test_the_explanation_follows_a_schedule_set_after_the_form_was_replaced(sandbox, tmp_path):
    """A draft (or a re-opened submission) replaces the form; a schedule then set in the box — the one the
    operator had typed before — is explained, not left showing the replaced form's."""
    from textual.widgets import Input

    from ips_tui.tui.form import FormState
    from ips_tui.tui.wizard.steps.timing import ScheduleRow
    from tui_helpers import settle

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to_timing_with_a_valid_job(pilot, app)
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        w = app.screen
        box = w.query_one(ScheduleRow).query_one(Input)
        box.value = "0 0 2 * * ?"
        await settle(pilot, app)
        assert "At 02:00 AM" in screen_text(app)
        w.resume(FormState.from_dict({**w.form.to_dict(), "exec_schedule": "0 30 6 ? * MON-FRI"}))
        await settle(pilot, app)
        assert "Monday through Friday" in screen_text(app)
        box.value = "0 0 2 * * ?"
        await settle(pilot, app)
        assert w.form.exec_schedule == "0 0 2 * * ?"
        assert "At 02:00 AM" in screen_text(app), screen_text(app)
