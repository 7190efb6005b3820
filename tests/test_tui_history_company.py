"""The history screen: a past job re-opened for another of the profile's companies (every field kept, the
company and the job name changed; what the sandbox received), and End / Home going to the last and the first
entry."""

from __future__ import annotations

import tomllib

import pytest

from test_tui_history import EXAMPLES, SIZE, open_history, record
from tui_helpers import make_app, screen_text, settle


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


async def test_reopen_for_another_company_sends_it_there_named_for_it(sandbox, tmp_path):
    text = (EXAMPLES / "publish-tonight.toml").read_text()
    record(tmp_path, sandbox, text, handle="j|101|nightly-full-publish||")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await open_history(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        assert "for which company?" in screen_text(app) and "Brio Outdoor" in screen_text(app)
        await pilot.press("enter")  # the first company that is not the entry's own: Brio Outdoor (c|102)
        await settle(pilot, app)
        wizard = app.screen
        assert wizard.current == "review" and wizard.problems == [], wizard.problems
        assert wizard.form.company == "c|102"
        assert wizard.form.values["jobName"] == "nightly-full-publish-Brio-Outdoor"
        await pilot.press("f5")
        await settle(pilot, app)
        assert wizard.result is not None
    [job] = sandbox.submitted_jobs()
    original = tomllib.loads(text)
    assert job["companyHandle"] == "c|102" and job["jobName"] == "nightly-full-publish-Brio-Outdoor"
    element = next(k for k, v in original.items() if isinstance(v, dict))
    assert job["jobType"] == element
    for field, value in original[element].items():  # every field of the job kept
        if not isinstance(value, dict):
            assert str(job["job"][field]).lower() == str(value).lower(), field
    assert job["execTime"] and job["execTime"].startswith("2026-12-2")  # the time kept too


def test_a_name_that_said_the_old_company_says_the_new_one():
    from ips_tui.tui.screens.history import for_another_company

    class Conn:
        companies = {"Acme Retail": "c|101", "Brio Outdoor": "c|102"}

    data = {"companyHandle": "c|101", "jobName": "nightly-Acme-Retail", "optimizeImagesJob": {"emailSetting": "None"}}
    out = for_another_company(data, ("Brio Outdoor", "c|102"), Conn())
    assert out["jobName"] == "nightly-Brio-Outdoor" and out["companyHandle"] == "c|102"
    assert out["optimizeImagesJob"] == data["optimizeImagesJob"] and data["jobName"] == "nightly-Acme-Retail"
    plain = for_another_company({**data, "jobName": "nightly"}, ("Brio Outdoor", "c|102"), Conn())
    assert plain["jobName"] == "nightly-Brio-Outdoor"


async def test_end_and_home_go_to_the_last_and_the_first_entry(sandbox, tmp_path):
    from textual.widgets import DataTable

    for i in range(30):
        record(tmp_path, sandbox, f'companyHandle = "c|101"\njobName = "job-{i:02d}"\n'
                                  '[optimizeImagesJob]\nemailSetting = "None"\n', handle=f"j|101|job-{i:02d}||")
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_history(pilot, app)
        table = screen.query_one("#entries", DataTable)
        assert table.cursor_row == 0
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 29 and screen.selected().job_name == "job-00"
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row == 0 and screen.selected().job_name == "job-29"
