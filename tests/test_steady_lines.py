"""The timing step's steady views count the lines of a text instead of rendering it: the count must be
the height Textual itself gives the text at the view's width."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import App
from textual.content import Content
from textual.widgets import Static

from ips_tui.tui.widgets.steady import lines_needed

TEXTS = [
    Text("✗ must have 6 or 7 fields"),
    Text("✗ first\n✗ second\n    0 30 6 ? * MON-FRI"),
    Text("x" * 40),
    Text("x" * 41),  # one wider than the view, no space to break at: folded
    Text("x" * 100),
    Text("日本語" * 7),  # wide characters: 42 cells
    Text("日本語" * 8),
    Text("a long line of words " * 6 + "\nshort"),
    Text("✗ Quartz needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); "
         "found 5. This looks like a Unix cron; in Quartz it is:\n    0 30 6 ? * MON-FRI"),
    Text("word " * 8 + "x" * 60),  # a word longer than the line after shorter ones
    Text("tab\tinside"),
    Text("ends with a newline\n"),
    Text("\n\nblank lines\n"),
    Text(""),
]


def textual_height(widget, text: Text) -> int:
    return Content.from_rich_text(text).get_height(widget.styles, widget.content_size.width)


def test_counted_lines_match_textuals_wrapping():
    class Views(App):
        CSS = "#padded { padding: 0 3; } #pad { line-pad: 2; } #cut { text-overflow: ellipsis; }"

        def compose(self):
            yield Static(id="out")
            yield Static(id="padded")
            yield Static(id="pad")
            yield Static(id="cut")

    async def run():
        app = Views()
        async with app.run_test(size=(42, 12)) as pilot:
            await pilot.pause()
            out = app.query_one("#out", Static)
            assert out.content_size.width == 42
            for view in app.query(Static):
                for text in TEXTS:
                    assert lines_needed(view, text) == textual_height(view, text), (view.id, text.plain)

    asyncio.run(run())
