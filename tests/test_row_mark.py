"""A row's problem mark colours its label (the theme's error colour, carried by the label's text), and
nothing else of the row changes look; the mark goes when the problem does."""

from __future__ import annotations

import asyncio

from textual.app import App

from ips_tui.ips.catalog import catalog
from ips_tui.tui.widgets.rows import FieldRow


def colours(widget) -> set:
    """The foreground colours of the widget's first line as drawn."""
    return {seg.style.color for seg in widget.render_line(0) if seg.text.strip() and seg.style}


def test_the_label_follows_the_rows_mark():
    f = catalog().job("uploadUrlsJob").child("overwrite")  # any plain field

    class One(App):
        def compose(self):
            yield FieldRow("x.field", f, "")

    async def run():
        app = One()
        async with app.run_test(size=(80, 10)) as pilot:
            await pilot.pause()
            error = app.theme_variables["text-error"].lower()
            row = app.query_one(FieldRow)
            label = row.query_one(".label")
            control = row.query_one(".control")
            plain, control_style = colours(label), control.styles.color
            assert error not in {c.name.lower() for c in plain if c}
            row.set_problems([("x.field", "must be a whole number.")], {})
            await pilot.pause()
            assert row.has_class("-invalid")
            assert {c.name.lower() for c in colours(label)} == {error}
            assert str(label.content) == row.label_text()  # the same words
            assert control.styles.color == control_style  # nothing else changes look
            row.set_problems([], {})
            await pilot.pause()
            assert not row.has_class("-invalid")
            assert colours(label) == plain

    asyncio.run(run())
