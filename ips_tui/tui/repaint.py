"""One frame for a keystroke and what it causes.

A key in a form input is painted at once; its change then climbs to the screen (row, step, screen), and
what the screen changes in answer (the field's problem line, its mark, the next runs) is painted in a
second frame: two frames a key where one would do. From the moment its text changes, a form input holds
the screen's repaints for a few milliseconds (Textual's ``App.batch_update``), so the answer lands in the
same frame as the key. The hold is never nested and always ends: it is a plain timer of the event loop,
not a widget's (a widget removed meanwhile would take its timer, and every repaint, with it).
"""

from __future__ import annotations

import asyncio

#: how long a key waits for what it causes: its way up and the screen's answer take about a millisecond;
#: a frame at 60 Hz is 16.7 ms, so the echo of a key is never a frame late
HOLD_SECONDS = 0.008


def hold_repaint(app, seconds: float = HOLD_SECONDS) -> None:
    """Hold ``app``'s repaints for ``seconds`` (nothing when a hold is on already: it ends on its time)."""
    if getattr(app, "_repaint_hold", None) is not None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not on the app's loop (a value set from a thread): no hold
        return
    batch = app.batch_update()
    batch.__enter__()
    app._repaint_hold = batch

    def release() -> None:
        app._repaint_hold = None
        batch.__exit__(None, None, None)
        # Textual then prompts the app only; the screen paints what changed meanwhile on its own next
        # turn, which, with no key or timer after this one, would never come
        screens = app.screen_stack
        if screens:
            screens[-1].check_idle()

    loop.call_later(seconds, release)
