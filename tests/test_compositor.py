"""The narrowed partial repaint (ips_tui/tui/compositor.py) sends the terminal exactly what Textual's own
compositor sends, on the wizard's real screens, for the regions a key really changes and for random ones;
and it does draw fewer widgets."""

from __future__ import annotations

import asyncio
import importlib
import pkgutil
import random
import re

from textual.geometry import Region
from textual.screen import Screen

import ips_tui.tui
from ips_tui.tui.compositor import NarrowCompositor, NarrowRepaints
from ips_tui.tui.screens.modals import Dialog
from tui_helpers import make_app, new_job_on, settle, tab_to, type_text


#: a cursor move that nothing is drawn after (the next move, a newline or the end follows): Textual writes
#: one for a piece of a line cut to nothing, which the narrowed repaint does not draw at all
IDLE_MOVE = re.compile(r"\x1b\[\d+;\d+H(?=\x1b\[\d+;\d+H|\n|$)")


def partial_update(compositor: NarrowCompositor, regions, console, *, narrow: bool) -> str:
    """What a partial repaint of ``regions`` writes to the terminal (moves that draw nothing left out)."""
    compositor.narrow = narrow
    try:
        compositor._dirty_regions.update(regions)
        update = compositor.render_partial_update()
        return IDLE_MOVE.sub("", update.render_segments(console)) if update is not None else ""
    finally:
        compositor.narrow = True


def random_regions(rng: random.Random, width: int, height: int) -> list[Region]:
    out = []
    for _i in range(rng.randint(1, 4)):
        x, y = rng.randrange(width), rng.randrange(height)
        out.append(Region(x, y, rng.randint(1, width - x), rng.randint(1, min(3, height - y))))
    return out


def same_output(app, extra: list[list[Region]], rng: random.Random, rounds: int = 150) -> int:
    compositor = app.screen._compositor
    assert isinstance(compositor, NarrowCompositor) and NarrowCompositor.narrow
    width, height = app.size
    checked = 0
    for regions in extra + [random_regions(rng, width, height) for _i in range(rounds)]:
        ours = partial_update(compositor, regions, app.console, narrow=True)
        textuals = partial_update(compositor, regions, app.console, narrow=False)
        assert ours == textuals, f"regions {regions}"
        checked += 1
    return checked


def test_the_narrowed_repaint_sends_what_textual_sends(sandbox, tmp_path):
    rng = random.Random(20261201)

    async def run():
        app = make_app(sandbox, state_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            checked = same_output(app, [], rng)  # the Start step
            await new_job_on(pilot, app, "timing")
            wizard = app.screen
            await pilot.press("down", "down", "enter")  # Recurring
            await settle(pilot, app)
            await tab_to(pilot, app, "execSchedule")
            box = app.focused
            # the regions a key really leaves to repaint: the input, its problem line, the status line...
            seen: list[list[Region]] = []
            real = wizard._compositor.render_partial_update

            def record():
                seen.append(list(wizard._compositor._dirty_regions))
                return real()

            wizard._compositor.render_partial_update = record
            for text in ("0", "0 30 6 ? * MO", "0 30 6 ? * MON", "0 30 6 ? * MON-"):
                box.value = ""
                await type_text(pilot, text)
                await settle(pilot, app)
            del wizard._compositor.render_partial_update
            assert any(len(r) > 1 for r in seen)
            checked += same_output(app, seen, rng)
            wizard.goto("details")
            await settle(pilot, app)
            checked += same_output(app, [], rng)
            await tab_to(pilot, app, "jobName")
            await pilot.press("f1")  # a dialog over the wizard: a modal screen, the wizard seen around it
            await settle(pilot, app)
            assert isinstance(app.screen, Dialog)
            checked += same_output(app, [], rng)
            await pilot.press("escape")
            await settle(pilot, app)
            await pilot.resize_terminal(60, 20)
            await settle(pilot, app)
            checked += same_output(app, [], rng)
            wizard.goto("review")
            await settle(pilot, app)
            checked += same_output(app, [], rng)
            await pilot.resize_terminal(80, 24)
            await pilot.press("f3")  # the jobs screen: tabs, a table, its detail pane
            await settle(pilot, app)
            assert type(app.screen).__name__ == "JobsScreen"
            checked += same_output(app, [], rng)
            assert checked > 900
    asyncio.run(run())


def test_a_change_in_one_field_draws_only_the_widgets_under_it(sandbox, tmp_path):
    async def run():
        app = make_app(sandbox, state_dir=tmp_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await new_job_on(pilot, app, "details")
            await tab_to(pilot, app, "jobName")
            compositor = app.screen._compositor
            line = app.focused.region
            compositor._changed = [line]
            try:
                ours = [r for r in compositor._get_renders(line)]
                compositor.narrow = False
                textuals = [r for r in compositor._get_renders(line)]
            finally:
                compositor.narrow = True
                compositor._changed = None
            # the input alone: not the containers it covers, the footer, the bands and the other rows
            assert len(ours) <= 2 < 8 < len(textuals)
    asyncio.run(run())


def test_every_screen_of_the_app_repaints_narrowly():
    for info in pkgutil.walk_packages(ips_tui.tui.__path__, "ips_tui.tui."):
        importlib.import_module(info.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = {c for c in subclasses(Screen) if c.__module__.startswith("ips_tui.")}
    assert len(ours) >= 6
    assert [c.__qualname__ for c in ours if not issubclass(c, NarrowRepaints)] == []
