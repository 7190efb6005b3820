"""The whole request is checked once a burst of keys is over (CHECK_DELAY after the last key), not once per
key; keys typed slowly are each checked. The field's own check still answers every key at once."""

from __future__ import annotations

import time

import pytest
from textual import events

from tui_helpers import make_app, new_job_on, settle, tab_to

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


def spy_on_checks(monkeypatch) -> list[float]:
    from ips_tui.tui.wizard import editing

    calls: list[float] = []
    real = editing.Editing.build_report

    def spy(self):
        calls.append(time.monotonic())
        return real(self)

    monkeypatch.setattr(editing.Editing, "build_report", spy)
    return calls


async def test_a_burst_is_checked_once_after_its_last_key(sandbox, tmp_path, monkeypatch):
    from ips_tui.tui.wizard.editing import CHECK_DELAY

    calls = spy_on_checks(monkeypatch)
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        await pilot.press("ctrl+u")
        await settle(pilot, app)
        w = app.screen
        assert any(p == "jobName" for p, _m in w.report.problems)  # required, and now empty
        calls.clear()
        sent = time.monotonic()
        for ch in "night-01":
            app.post_message(events.Key({"-": "minus"}.get(ch, ch), ch))
        await pilot.pause()
        assert not any(p == "jobName" for p, _m in w.report.problems)  # the field's own check, at once
        await settle(pilot, app)
        assert w.form.values["jobName"] == "night-01"
        assert len(calls) == 1, calls
        assert calls[0] - sent >= CHECK_DELAY
        assert not w.check_pending


async def test_keys_typed_slowly_are_each_checked(sandbox, tmp_path, monkeypatch):
    from ips_tui.tui.wizard.editing import CHECK_DELAY

    calls = spy_on_checks(monkeypatch)
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job_on(pilot, app, "details")
        await tab_to(pilot, app, "jobName")
        await settle(pilot, app)
        calls.clear()
        for ch in "abc":
            app.post_message(events.Key(ch, ch))
            await pilot.pause(CHECK_DELAY * 3)
        assert len(calls) == 3, calls
        assert not app.screen.check_pending
