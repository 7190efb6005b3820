"""A steady view draws its lines itself (Textual's line API), rendered once per text: they must be the lines
a Static draws for the same text — the same wrapping, the same styles — and a problem band must look like
a row's ProblemsView."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.text import Text
from textual.app import App
from textual.geometry import Region
from textual.widgets import Static

from ips_tui.tui.widgets.rows import ProblemsView
from ips_tui.tui.widgets.steady import Section, SteadyLines, problem_band

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
    Text("Next runs", style="bold") + Text("\n1.  Wed 2 Dec 2026, 06:30", style="dim"),
]


class One(SteadyLines):
    SECTIONS = (Section(1),)


class Problems(SteadyLines):
    SECTIONS = (problem_band(2),)


def look(style):
    """What a style shows (not the offsets a Static leaves in it for a mouse selection, which a steady view
    does not take)."""
    if style is None:
        return None
    return (style.color, style.bgcolor, style.bold, style.dim, style.italic, style.underline, style.reverse,
            style.strike)


def drawn(widget) -> list[list[tuple[str, object]]]:
    """The widget's lines as Textual composes them (its padding and styles applied), a run per look."""
    w, h = widget.region.size  # the whole widget, its padding included
    lines = []
    for strip in widget.render_lines(Region(0, 0, w, h)):
        runs: list[tuple[str, object]] = []
        for seg in strip:
            if runs and runs[-1][1] == look(seg.style):
                runs[-1] = (runs[-1][0] + seg.text, runs[-1][1])
            else:
                runs.append((seg.text, look(seg.style)))
        lines.append(runs)
    return lines


def test_the_lines_are_the_ones_a_static_draws():
    class Views(App):
        CSS = """
        #a, #b { padding: 0 3; }
        #c, #d { line-pad: 2; }
        #e, #f { text-overflow: ellipsis; text-wrap: nowrap; }
        Static { height: auto; }
        """

        def compose(self):
            for static, view in (("s", "v"), ("a", "b"), ("c", "d"), ("e", "f")):
                yield Static(id=static)
                yield One(id=view)

    async def run():
        app = Views()
        async with app.run_test(size=(42, 60)) as pilot:
            await pilot.pause()
            pairs = [(app.query_one(f"#{s}", Static), app.query_one(f"#{v}", One))
                     for s, v in (("s", "v"), ("a", "b"), ("c", "d"), ("e", "f"))]
            for text in TEXTS:
                for static, view in pairs:
                    static.update(text)
                    view.show(text)
                    view.reset_height()  # only as tall as this text: the room earlier ones took is given back
                await pilot.pause()
                for static, view in pairs:
                    assert static.size.height == view.size.height, (view.id, text.plain)
                    assert drawn(view) == drawn(static), (view.id, text.plain)

    asyncio.run(run())


def test_a_problem_band_looks_like_a_rows_problem_lines():
    from ips_tui.tui import app as tui_app

    class Views(App):
        CSS_PATH = Path(tui_app.__file__).with_name("app.tcss")  # the colour of problem lines

        def compose(self):
            yield ProblemsView()
            yield Problems()

    async def run():
        app = Views()
        async with app.run_test(size=(50, 20)) as pilot:
            await pilot.pause()
            static, view = app.query_one(ProblemsView), app.query_one(Problems)
            for messages in (["minutes: 61 is out of range (0–59)"],
                             ["first problem", "a second problem whose words need more than one line here"]):
                static.show_messages(messages)
                view.show_messages(messages)
                await pilot.pause()
                assert drawn(view)[:static.size.height] == drawn(static), messages
            # valid: the view keeps its room (the three lines the second messages took), empty, where a
            # ProblemsView hides; shown again, it gives the room back
            view.show_messages([])
            await pilot.pause()
            assert view.size.height == 3 and all(not "".join(t for t, _s in line).strip() for line in drawn(view))
            view.reset_height()
            await pilot.pause()
            assert view.size.height == 2

    asyncio.run(run())


def test_a_narrower_view_wraps_again_and_a_repeated_key_draws_nothing():
    class Views(App):
        CSS = "One { width: 30; } One.-narrow { width: 12; }"

        def compose(self):
            yield One()

    async def run():
        app = Views()
        async with app.run_test(size=(40, 10)) as pilot:
            view = app.query_one(One)
            view.show(Text("one two three four five"), key="a")
            await pilot.pause()
            assert view.size.height == 1
            view.add_class("-narrow")
            await pilot.pause()
            assert view.size.height == 3, drawn(view)  # "one two", "three four", "five"
            before = view.lines
            view.show(Text("something else"), key="a")  # the same key: left alone
            assert view.lines == before

    asyncio.run(run())


def test_a_new_theme_draws_the_lines_again():
    """The colours are in the lines it keeps: a theme switched while they are shown must reach them."""
    class Views(App):
        def compose(self):
            yield Static(id="s")
            yield One(id="v")

    async def run():
        app = Views()
        async with app.run_test(size=(40, 6)) as pilot:
            static, view = app.query_one(Static), app.query_one(One)
            static.update(TEXTS[-1])
            view.show(TEXTS[-1])
            await pilot.pause()
            before = drawn(view)
            app.theme = "textual-light"
            await pilot.pause()
            assert drawn(view) == drawn(static) != before

    asyncio.run(run())
