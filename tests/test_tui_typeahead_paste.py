"""A paste that arrives with the Enter that picks a job type lands in the next step's first field (a paste is
typing: it waits its turn with the keys, tui/keys.py)."""

from __future__ import annotations

from textual import events

from test_tui_wizard import SIZE, start_to_type
from tui_helpers import make_app, settle

from ips_tui.ips.catalog import catalog

LINES = "https://img.example/1.jpg\tacme/1.jpg\nhttps://img.example/2.jpg\tacme/2.jpg"


async def test_a_paste_right_after_enter_on_the_job_type_list_lands_in_the_first_field(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        index = list(catalog().jobs).index("uploadUrlsJob")  # its first field is the URL list
        await pilot.press("home", *(["down"] * index))
        await settle(pilot, app)
        # what the terminal driver posts for Enter and then a bracketed paste, with nothing in between
        app.post_message(events.Key("enter", "\r"))
        app.post_message(events.Paste(LINES))
        for _i in range(50):
            await settle(pilot, app)
            if app.screen.form.values.get("uploadUrlsJob.urlArray"):
                break
        assert app.screen.current == "fields"
        assert app.screen.form.values.get("uploadUrlsJob.urlArray") == LINES
