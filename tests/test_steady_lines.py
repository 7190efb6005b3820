"""The timing step's steady views count the lines of a text that fits instead of rendering it: the count
must be the one Rich's own wrapping gives."""

from __future__ import annotations

import asyncio

from rich.text import Text
from textual.app import App
from textual.widgets import Static

from ips_tui.tui.widgets.steady import lines_needed


def rich_lines(widget, renderable) -> int:
    console = widget.app.console
    width = widget.content_size.width
    return len(console.render_lines(renderable, console.options.update(width=width, height=None), pad=False))


def test_counted_lines_match_rich_wrapping():
    class One(App):
        def compose(self):
            yield Static(id="out")

    texts = [
        Text("✗ must have 6 or 7 fields"),
        Text("✗ first\n✗ second\n    0 30 6 ? * MON-FRI"),
        Text("x" * 40),
        Text("x" * 41),  # one wider than the view: wrapped, so measured by Rich
        Text("日本語" * 7),  # wide characters: 42 cells
        Text("a long line of words " * 6 + "\nshort"),
        Text("tab\tinside"),
        Text("ends with a newline\n"),
        Text(""),
    ]

    async def run():
        app = One()
        async with app.run_test(size=(42, 10)) as pilot:
            await pilot.pause()
            out = app.query_one("#out", Static)
            assert out.content_size.width == 42
            for text in texts:
                assert lines_needed(out, text) == rich_lines(out, text), text.plain

    asyncio.run(run())
