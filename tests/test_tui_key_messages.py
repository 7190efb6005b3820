"""What a character typed into a form field sends: one FieldRow.Changed, straight to the screen that owns
the form (not up through the step's containers), and no Input.Changed (the row watches its input's value).
Each level a message passes is a turn of that widget's queue."""

from __future__ import annotations

import collections

import pytest
from textual import events
from textual.message_pump import MessagePump
from textual.widgets import Input

from ips_tui.tui.widgets.rows import FieldRow
from tui_helpers import make_app, new_job_on, settle, tab_to

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


async def test_a_typed_character_reaches_the_screen_in_one_message(sandbox, tmp_path, monkeypatch):
    seen: collections.Counter = collections.Counter()
    real = MessagePump._dispatch_message

    async def spy(self, message):
        if isinstance(message, (FieldRow.Changed, Input.Changed)):
            seen[(type(message).__qualname__, type(self).__name__)] += 1
        return await real(self, message)

    monkeypatch.setattr(MessagePump, "_dispatch_message", spy)
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        await pilot.press("ctrl+u")
        await settle(pilot, app)
        seen.clear()
        for ch in "night":
            app.post_message(events.Key(ch, ch))
        await settle(pilot, app)
        assert app.screen.form.values["jobName"] == "night"
        assert seen == {("FieldRow.Changed", "WizardScreen"): 5}, seen
