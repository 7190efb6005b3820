"""The pickers of the handle fields, driven with keys at 80×24 against the real sandbox: each test asserts on
the submitJob the sandbox received (names picked, handles sent)."""

from __future__ import annotations

import pytest

from tui_helpers import choose_job_type, make_app, pick, screen_text, settle, tab_to, type_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


@pytest.fixture(autouse=True)
def every_request_matches_adobes_schema(request):
    """Whatever the pickers and Submit sent (look-ups included) validates against Adobe's schema."""
    from schemas import reference_problems

    sb = request.getfixturevalue("sandbox")
    yield
    for r in sb.received:
        assert reference_problems(r.body) == [], r.operation


async def to_job(pilot, app, element: str) -> None:
    await settle(pilot, app)
    await pilot.press("ctrl+n")
    await pilot.pause()
    await choose_job_type(pilot, app, element)
    await settle(pilot, app)


async def open_picker(pilot, app, path: str):
    from ips_tui.tui.pickers.base import Picker

    await tab_to(pilot, app, path)
    await pilot.press("f8")
    await settle(pilot, app)
    assert isinstance(app.screen, Picker), app.screen
    return app.screen


async def searched(pilot, app, picker, words: str) -> None:
    await type_text(pilot, words)
    for _i in range(200):  # the debounce, then the answer
        await pilot.pause(0.02)
        if picker.shown_generation == picker.generation and picker._timer is None:
            break
    await settle(pilot, app)


async def submit(pilot, app) -> None:
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    assert app.screen.problems == [], app.screen.problems
    await pilot.press("f5")
    await settle(pilot, app)


def only_job(sandbox) -> dict:
    jobs = sandbox.submitted_jobs()
    assert len(jobs) == 1, jobs
    return jobs[0]


async def test_export_of_50_assets_picked_by_a_search(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await to_job(pilot, app, "exportJob")
        picker = await open_picker(pilot, app, "exportJob.assetHandleArray")
        await searched(pilot, app, picker, "10")
        assert picker.total > 50
        wanted = [a.handle for a in picker.items[:50]]
        await pilot.press("down", *(["space"] * 50))
        await settle(pilot, app)
        assert len(picker.chosen) == 50
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen.form
        lines = form.values["exportJob.assetHandleArray"].splitlines()
        assert len(lines) == 50 and all(line.startswith('{ path = "AcmeRetail/') for line in lines)  # names stay names
        await tab_to(pilot, app, "exportJob.fmt")
        await pick(pilot, 1)  # orig
        await tab_to(pilot, app, "exportJob.emailSetting")
        await pick(pilot, 2)  # Error
        await submit(pilot, app)
    job = only_job(sandbox)["job"]
    assert job["assetHandleArray"] == {"items": wanted}
    assert job["fmt"] == "orig"
