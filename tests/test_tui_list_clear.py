"""A list box (an array of URLs or handles) is emptied with one key, and the lines come back with Ctrl+Z."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import TextArea

from tui_helpers import choose_job_type, focused_path, make_app, screen_text, settle

URLS = "https://a.example/1.jpg\tx/1.jpg\nhttps://a.example/2.jpg\tx/2.jpg\nhttps://a.example/3.jpg\tx/3.jpg\n"


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


async def test_ctrl_l_clears_the_list_and_ctrl_z_brings_it_back(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=(100, 36)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await choose_job_type(pilot, app, "uploadUrlsJob")
        assert focused_path(app) == "uploadUrlsJob.urlArray"
        area = app.focused
        assert isinstance(area, TextArea)
        app.post_message(events.Paste(URLS))
        await settle(pilot, app)
        assert "3 items" in screen_text(app)
        await pilot.press("ctrl+l")
        await settle(pilot, app)
        assert area.text == "" and "0 items" in screen_text(app)
        assert app.screen.form.values.get("uploadUrlsJob.urlArray", "") == ""  # the form holds what is shown
        await pilot.press("ctrl+z")
        await settle(pilot, app)
        assert area.text == URLS and "3 items" in screen_text(app)
