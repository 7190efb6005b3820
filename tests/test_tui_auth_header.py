"""The wizard and the jobs screen against a service that reads the authHeader in one namespace only (the
sandbox's strict modes): a submit goes through once, and the jobs screen lists it, the client having learnt
where the header goes."""

from __future__ import annotations

import pytest

from ips_tui.ips.schema import NS, NS_UNVERSIONED
from test_auth_header import header_namespaces
from test_tui_jobs import open_jobs, optimize_job_on_review, until
from tui_helpers import NOW, make_app, screen_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


@pytest.mark.parametrize("strict", ["dated", "documented"])
async def test_submit_and_list_jobs_in_a_strict_mode(sandbox_factory, tmp_path, strict):
    box = sandbox_factory(speed=0, clock=NOW, auth_header=strict)
    app = make_app(box, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await optimize_job_on_review(pilot, app)
        await pilot.press("f5")
        await until(pilot, app, lambda: app.screen.result is not None, refresh=False)
        name = app.screen.result["job_name"]
        assert app.screen.result["handle"].startswith("j|101|"), app.screen.result
        await pilot.press("escape")
        screen = await open_jobs(pilot, app)
        await until(pilot, app, lambda: name in screen_text(app))
        assert screen.snapshot is not None and any(j.get("originalName") == name for j in screen.snapshot.active)
    assert [j["jobName"] for j in box.submitted_jobs()] == [name]  # one job: a refused try creates nothing
    # whatever was tried first, the calls that were answered carried the header where this service reads it
    wanted = NS if strict == "dated" else NS_UNVERSIONED
    assert header_namespaces(box)[-1] == wanted
