"""A row's problem mark recolours its label (the rule in app.tcss), though only the label is restyled
when the row turns valid or invalid."""

from __future__ import annotations

import asyncio

from textual.app import App
from textual.color import Color

from ips_tui.ips.catalog import catalog
from ips_tui.tui.widgets.rows import FieldRow


def test_the_label_follows_the_rows_mark():
    f = catalog().job("uploadUrlsJob").child("overwrite")  # any plain field

    class One(App):
        CSS = "Row.-invalid > Horizontal > .label { color: rgb(255,0,0); }"

        def compose(self):
            yield FieldRow("x.field", f, "")

    async def run():
        app = One()
        async with app.run_test(size=(80, 10)) as pilot:
            await pilot.pause()
            row = app.query_one(FieldRow)
            label = row.query_one(".label")
            control = row.query_one(".control")
            plain, control_color = label.styles.color, control.styles.color
            assert plain != Color(255, 0, 0)
            row.set_problems([("x.field", "must be a whole number.")], {})
            await pilot.pause()
            assert row.has_class("-invalid")
            assert label.styles.color == Color(255, 0, 0)
            assert control.styles.color == control_color  # nothing else changes look
            row.set_problems([], {})
            await pilot.pause()
            assert not row.has_class("-invalid")
            assert label.styles.color == plain

    asyncio.run(run())
