"""Snapshots of the layouts that must hold (pytest-textual-snapshot, as ``test_tui_snapshots.py``): Review at
80×24 for a job with a long name, a follow-on publish and a schedule; the production band at 80×24; the
wizard at 60×20; a Spanish screen. Each picture has a twin test that reads the same screen as text and says
what must be on it (nothing cut, the current step and F5 shown, no English left), so a wrong picture cannot
be accepted by updating it.

Update with ``pytest tests/test_tui_layout_snapshots.py --snapshot-update`` after reading the report."""

from __future__ import annotations

import pytest
from textual import events

from ips_tui import i18n
from test_tui_snapshots import app_for, focused, steady, to_fields
from tui_helpers import pick, screen_text, settle, tab_to, type_text

LONG_NAME = "reprocess-company-wide-spring-catalogue-images-for-the-new-season-2027"
SCHEDULE = "0 30 6 ? * MON-FRI"
URLS = "\n".join(f"https://supplier.example.com/img/{n}.jpg\tacme/spring/{n}.jpg" for n in (1001, 1002, 1003))
TARGET = "http://127.0.0.1:8080/scene7/services/IpsApiService"

#: English words and phrases that used to show on a Spanish screen (Textual's own, and ours)
ENGLISH = ("palette", "Dismiss menu", "Search for commands", "Submit", "Next", "Help", "Quit", "Review",
           "Profiles", "History", "company", "required", "Back", "Jobs")


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    yield
    i18n.set_language("en")


async def review_long_job(pilot) -> None:
    """An upload with a long name, a follow-on Image Rendering publish and a weekday schedule, on Review,
    scrolled to its summary."""
    app = pilot.app
    await to_fields(pilot, "uploadUrlsJob")
    app.post_message(events.Paste(URLS))
    await settle(pilot, app)
    await tab_to(pilot, app, "uploadUrlsJob.emailSetting")
    await pick(pilot, 2)  # Error
    await tab_to(pilot, app, "uploadUrlsJob#follow-on publish")
    await pick(pilot, 2)  # Then: Image Rendering publish
    await settle(pilot, app)
    await tab_to(pilot, app, "uploadUrlsJob.postImageRenderingPublishJob.emailSetting")
    await pick(pilot, 2)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    await tab_to(pilot, app, "jobName")
    await pilot.press("ctrl+u")
    await type_text(pilot, LONG_NAME)
    await pilot.press("ctrl+n")
    await focused(pilot, "modes")
    await pilot.press("down", "down", "enter")
    await type_text(pilot, SCHEDULE)
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    review = app.screen.query_one("#step-review")
    review.scroll_to_widget(review.query_one("#summary-title"), top=True, animate=False)
    await steady(pilot)


async def production_fields(pilot) -> None:
    await to_fields(pilot, "imageServingPublishJob")
    await steady(pilot)


async def narrow_timing(pilot) -> None:
    app = pilot.app
    await to_fields(pilot, "imageServingPublishJob")
    await pick(pilot, 1)
    await pilot.press("tab")
    await pick(pilot, 2)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    await pilot.press("ctrl+n")
    await focused(pilot, "modes")
    await pilot.press("down", "down", "enter")
    await type_text(pilot, SCHEDULE)
    await steady(pilot)


async def spanish_select_open(pilot) -> None:
    """The Fields step with a Select's menu open: the footer shows the menu's own key (Textual's words)."""
    app = pilot.app
    await to_fields(pilot, "imageServingPublishJob")
    await settle(pilot, app)
    await pilot.press("enter")
    await steady(pilot)


# -- the pictures -----------------------------------------------------------------------------------
def test_review_of_a_long_job_at_80x24(snap_compare):
    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=review_long_job)


def test_production_band_at_80x24(snap_compare):
    assert snap_compare(app_for("production"), terminal_size=(80, 24), run_before=production_fields)


def test_wizard_at_60x20(snap_compare):
    assert snap_compare(app_for(), terminal_size=(60, 20), run_before=narrow_timing)


def test_spanish_screen(snap_compare):
    i18n.set_language("es")
    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=spanish_select_open)


# -- what each picture must show ----------------------------------------------------------------------
def squeezed(text: str) -> str:
    """The text without spaces, line ends and scroll bar glyphs: a wrapped value reads whole again."""
    return "".join(ch for ch in "".join(text.split()) if ch not in "▁▂▃▄▅▆▇█▔▊▎▏")


async def test_review_shows_every_value_whole():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await review_long_job(pilot)
        text = screen_text(app)
        assert app.screen.current == "review" and not app.screen.problems, app.screen.problems
        summary = text.split("Summary", 1)[1].split("Envelope", 1)[0]
        assert "…" not in summary, summary
        for label, value in (("Send to", TARGET), ("Job name", LONG_NAME), ("Schedule", SCHEDULE),
                             ("Job type", "Upload from URLs"), ("Then: Image Rendering publish", "")):
            assert label in summary and squeezed(value) in squeezed(summary), f"{label} {value!r} not whole in:\n{summary}"
        assert "uploadUrlsJob." not in summary  # short labels, not the schema's dotted paths


async def test_production_band_keeps_its_warning():
    app = app_for("production")
    async with app.run_test(size=(80, 24)) as pilot:
        await production_fields(pilot)
        top = screen_text(app).splitlines()[0]
        assert "PRODUCTION" in top and "real jobs on Adobe's servers" in top and "Acme (c|101)" in top, top


async def test_60x20_shows_the_current_step_and_submit():
    app = app_for()
    async with app.run_test(size=(60, 20)) as pilot:
        await narrow_timing(pilot)
        lines = screen_text(app).splitlines()
        assert "[5 Timing]" in lines[1], lines[1]
        assert any("f5 Submit" in line for line in lines[-2:]), lines[-2:]


async def test_the_spanish_screen_has_no_english_left():
    i18n.set_language("es")
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await spanish_select_open(pilot)
        text = screen_text(app)
        assert "Cerrar el menú" in text and "paleta" in text, text
        visible = text.replace("imageServingPublishJob", "").replace("Image Serving", "")
        left = [word for word in ENGLISH if word in visible]
        assert not left, f"English on the Spanish screen: {left}\n{text}"
        await pilot.press("escape", "ctrl+p")
        await settle(pilot, app)
        palette = screen_text(app)
        assert "Buscar comandos…" in palette and "Search for commands" not in palette, palette
