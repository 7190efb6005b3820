"""The snapshots' still cursors do not depend on the blink's phase (a snapshot once failed on a busy machine
because the URL list's cursor had been drawn in its off phase and that line was shown again)."""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea

from test_tui_snapshots import URLS, app_for, to_fields
from tui_helpers import settle, still_cursors


async def test_a_list_shows_its_cursor_though_the_blink_was_off():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_fields(pilot, "uploadUrlsJob")
        app.post_message(events.Paste(URLS))
        await settle(pilot, app)
        area = app.focused
        assert isinstance(area, TextArea)
        area._cursor_visible = False  # the blink's off phase, drawn
        area.refresh()
        await pilot.pause()
        await still_cursors(pilot, app)
        row, column = area.cursor_location
        x, y = area.cursor_screen_offset
        cell = app.screen.get_style_at(x, y)
        assert cell.reverse or cell.bgcolor != app.screen.get_style_at(x + 1, y).bgcolor, (row, column)
