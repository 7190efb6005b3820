"""The wizard's delayed calls (the whole-request check, the draft's write): one call after the last start, in
the widget's own turn, and none once cancelled — also when its time had come and it only waited for the turn
(a draft written after it was discarded would be offered back as a lost session)."""

from __future__ import annotations

import asyncio

from textual.app import App

from ips_tui.tui.turn_timer import TurnTimer

DELAY = 0.03


def run(scenario, pump=None) -> list[str]:
    """``scenario(timer, pilot)`` with a timer on the screen (or on the widget ``pump`` mounted first)."""
    calls: list[str] = []

    class Host(App):
        pass

    async def go():
        app = Host()
        async with app.run_test() as pilot:
            if pump is not None:
                await app.screen.mount(pump)
            timer = TurnTimer(pump or app.screen, DELAY, lambda: calls.append("call"))
            await scenario(timer, pilot)
            await asyncio.sleep(DELAY * 3)
            await pilot.pause()

    asyncio.run(go())
    return calls


def test_starts_in_a_row_make_one_call_after_the_last():
    async def scenario(timer, pilot):
        for _ in range(5):
            timer.start()
            await asyncio.sleep(DELAY / 3)
        assert timer.pending
        await asyncio.sleep(DELAY * 2)
        await pilot.pause()
        assert not timer.pending

    assert run(scenario) == ["call"]


def test_a_cancelled_call_is_not_made_even_when_it_waited_for_its_turn():
    async def scenario(timer, pilot):
        timer.start()
        # its time comes: the loop's timer runs, here and now rather than from the loop ...
        fire = timer._handle._callback
        timer._handle.cancel()
        fire()
        assert timer.pending  # ... and the call waits for the screen's turn, which has not come yet
        timer.cancel()
        assert not timer.pending

    assert run(scenario) == []


def test_a_call_whose_widget_is_gone_is_not_made():
    from textual.widgets import Static

    widget = Static()

    async def scenario(timer, pilot):
        timer.start()
        await widget.remove()  # before its time

    assert run(scenario, pump=widget) == []
