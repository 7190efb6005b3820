"""What a character typed into a form field causes. One FieldRow.Changed, straight to the screen that owns
the form (not up through the step's containers), and no Input.Changed (the row watches its input's value):
each level a message passes is a turn of that widget's queue. The field's own check at once; the whole
request once a burst of keys is over (CHECK_DELAY after the last key), not once per key, and keys typed
slowly each checked."""

from __future__ import annotations

import collections
import time
from contextlib import asynccontextmanager

import pytest
from textual import events
from textual.message_pump import MessagePump
from textual.widgets import Input

from ips_tui.tui.widgets.rows import FieldRow
from ips_tui.tui.wizard.editing import CHECK_DELAY
from tui_helpers import make_app, new_job_on, settle, tab_to

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


@asynccontextmanager
async def in_an_empty_job_name(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        await pilot.press("ctrl+u")
        await settle(pilot, app)
        yield app, pilot


def type_keys(app, text: str) -> None:
    for ch in text:
        app.post_message(events.Key({"-": "minus"}.get(ch, ch), ch))


def spy_on_checks(monkeypatch) -> list[float]:
    from ips_tui.tui.wizard import editing

    calls: list[float] = []
    real = editing.Editing.build_report

    def spy(self):
        calls.append(time.monotonic())
        return real(self)

    monkeypatch.setattr(editing.Editing, "build_report", spy)
    return calls


async def test_a_typed_character_reaches_the_screen_in_one_message(sandbox, tmp_path, monkeypatch):
    seen: collections.Counter = collections.Counter()
    real = MessagePump._dispatch_message

    async def spy(self, message):
        if isinstance(message, (FieldRow.Changed, Input.Changed)):
            seen[(type(message).__qualname__, type(self).__name__)] += 1
        return await real(self, message)

    monkeypatch.setattr(MessagePump, "_dispatch_message", spy)
    async with in_an_empty_job_name(sandbox, tmp_path) as (app, pilot):
        seen.clear()
        type_keys(app, "night")
        await settle(pilot, app)
        assert app.screen.form.values["jobName"] == "night"
        assert seen == {("FieldRow.Changed", "WizardScreen"): 5}, seen


async def test_a_burst_is_checked_once_after_its_last_key(sandbox, tmp_path, monkeypatch):
    calls = spy_on_checks(monkeypatch)
    async with in_an_empty_job_name(sandbox, tmp_path) as (app, pilot):
        w = app.screen
        assert any(p == "jobName" for p, _m in w.report.problems)  # required, and now empty
        calls.clear()
        sent = time.monotonic()
        type_keys(app, "night-01")
        await pilot.pause()
        assert not any(p == "jobName" for p, _m in w.report.problems)  # the field's own check, at once
        await settle(pilot, app)
        assert w.form.values["jobName"] == "night-01"
        assert len(calls) == 1, calls
        assert calls[0] - sent >= CHECK_DELAY
        assert not w.check_pending


async def test_keys_typed_slowly_are_each_checked(sandbox, tmp_path, monkeypatch):
    calls = spy_on_checks(monkeypatch)
    async with in_an_empty_job_name(sandbox, tmp_path) as (app, pilot):
        calls.clear()
        for ch in "abc":
            type_keys(app, ch)
            await pilot.pause(CHECK_DELAY * 3)
        assert len(calls) == 3, calls
        assert not app.screen.check_pending
