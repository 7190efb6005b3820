"""A row's problem mark colours its label (the theme's error colour, carried by the label's text), and
nothing else of the row changes look; the mark goes when the problem does. The row being typed in is not
marked while it has the focus (its problem line says what is wrong); it is once the focus leaves."""

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
            app.set_focus(None)
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


def test_the_focused_rows_label_is_marked_once_the_focus_leaves():
    f = catalog().job("uploadUrlsJob").child("overwrite")

    class Two(App):
        def compose(self):
            yield FieldRow("x.field", f, "")
            yield FieldRow("x.other", f, "")

    async def run():
        app = Two()
        async with app.run_test(size=(80, 10)) as pilot:
            await pilot.pause()
            error = app.theme_variables["text-error"].lower()
            row = app.query(FieldRow).first()
            label = row.query_one(".label")
            assert row.has_class("-focus")
            row.set_problems([("x.field", "must be a whole number.")], {})
            await pilot.pause()
            assert row.has_class("-invalid")
            assert error not in {c.name.lower() for c in colours(label) if c}  # typed in: not marked
            await pilot.press("tab")
            await pilot.pause()
            assert {c.name.lower() for c in colours(label)} == {error}  # left: marked
            await pilot.press("shift+tab")
            await pilot.pause()
            assert error not in {c.name.lower() for c in colours(label) if c}

    asyncio.run(run())


def test_only_the_focused_rows_label_is_marked(sandbox, tmp_path):
    """Reverse on the label of the field being typed in (it reads without colour), and on no other."""
    from tui_helpers import make_app, new_job_on, settle, tab_to

    def marked(app) -> list[str]:
        return [str(row.query_one(".label").content) for row in app.screen.query(FieldRow)
                if row.display and any(s.style and s.style.reverse for s in row.query_one(".label").render_line(0))]

    async def run():
        app = make_app(sandbox, state_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await new_job_on(pilot, app, "details")
            await tab_to(pilot, app, "jobName")
            await settle(pilot, app)
            assert marked(app) == ["Job name *"]
            await pilot.press("tab")
            await settle(pilot, app)
            assert len(marked(app)) == 1 and marked(app) != ["Job name *"]
            await pilot.press("shift+tab")
            await settle(pilot, app)
            assert marked(app) == ["Job name *"]

    asyncio.run(run())
