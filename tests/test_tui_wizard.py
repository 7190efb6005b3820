"""The wizard driven with keys at 80×24 against a real in-process sandbox; assertions on what it received."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import TextArea

from ips_tui.tui.widgets.rows import Row
from tui_helpers import (
    NOW,
    choose_job_type,
    focused_path,
    make_app,
    pick,
    screen_text,
    settle,
    tab_to,
    type_text,
)

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


async def start_to_type(pilot, app) -> None:
    await settle(pilot, app)
    assert app.screen.form.company == "c|101"  # the sandbox profile's default company
    await pilot.press("ctrl+n")
    await pilot.pause()
    assert app.screen.current == "type"


async def rename(pilot, app, name: str) -> None:
    """On Details: replace the suggested job name."""
    await tab_to(pilot, app, "jobName")
    await pilot.press("ctrl+u")
    await type_text(pilot, name)


async def submit(pilot, app) -> None:
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    assert app.screen.current == "review"
    assert app.screen.problems == [], app.screen.problems
    await pilot.press("f5")
    await settle(pilot, app)


def only_job(sandbox) -> dict:
    """The one accepted submitJob, as the sandbox parsed it (values are the XML texts sent)."""
    jobs = sandbox.submitted_jobs()
    assert len(jobs) == 1, jobs
    return jobs[0]


async def test_image_serving_publish_now(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "imageServingPublishJob")
        assert app.screen.current == "fields"
        assert focused_path(app) == "imageServingPublishJob.publishType"
        await pick(pilot, 1)  # Full
        await pilot.press("tab")
        await pick(pilot, 2)  # Error
        await pilot.press("ctrl+n")  # Details
        await rename(pilot, app, "nightly-full")
        await pilot.press("ctrl+n")  # Timing: Run now is the default
        assert app.screen.form.timing == "now"
        await submit(pilot, app)
        handle = app.screen.result["handle"]
        assert handle in screen_text(app)
    job = only_job(sandbox)
    assert job["jobHandle"] == handle
    assert job["jobType"] == "imageServingPublishJob"
    assert job["job"] == {"publishType": "Full", "emailSetting": "Error"}
    assert (job["companyHandle"], job["jobName"], job["locale"]) == ("c|101", "nightly-full", None)
    assert job["execTime"] is None and job["execSchedule"] is None
    # a submitted job leaves no draft behind
    assert not list((tmp_path / "drafts").glob("*.json")) if (tmp_path / "drafts").exists() else True


URLS = "\n".join([
    "https://supplier.example.com/img/1001.jpg\tacme/spring/1001.jpg",
    "https://supplier.example.com/img/1002.jpg acme/spring/1002.jpg",
    "",
    "https://supplier.example.com/img/1003.jpg\tacme/spring/1003.jpg",
])


async def test_upload_urls_with_a_pasted_block(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "uploadUrlsJob")
        assert focused_path(app) == "uploadUrlsJob.urlArray"
        area = app.focused
        assert isinstance(area, TextArea)
        app.post_message(events.Paste(URLS))  # what the terminal sends for a pasted block
        await pilot.pause()
        assert "3 items" in screen_text(app)
        await tab_to(pilot, app, "uploadUrlsJob.overwrite")
        await pilot.press("space")  # overwrite: yes
        await tab_to(pilot, app, "uploadUrlsJob.readyForPublish")
        await pilot.press("space")
        await tab_to(pilot, app, "uploadUrlsJob.emailSetting")
        await pick(pilot, 2)  # Error
        await submit(pilot, app)
    job = only_job(sandbox)["job"]
    assert job["urlArray"] == {"items": [
        {"sourceUrl": "https://supplier.example.com/img/1001.jpg", "destPath": "acme/spring/1001.jpg"},
        {"sourceUrl": "https://supplier.example.com/img/1002.jpg", "destPath": "acme/spring/1002.jpg"},
        {"sourceUrl": "https://supplier.example.com/img/1003.jpg", "destPath": "acme/spring/1003.jpg"},
    ]}
    assert (job["overwrite"], job["readyForPublish"], job["createMask"]) == ("true", "true", "false")
    assert job["emailSetting"] == "Error"
    assert "preserveCrop" not in job  # an optional switch never touched is not sent


async def test_reprocess_with_a_nested_group_and_one_crop_option(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "reprocessAssetsJob")
        await type_text(pilot, "a|101|1001\na|101|1002")
        # crop: exactly one option, chosen from a list; its fields appear under it
        await tab_to(pilot, app, "reprocessAssetsJob#crop")
        await pick(pilot, 1)  # Manual crop
        for side, value in (("left", "10"), ("right", "20"), ("top", "0"), ("bottom", "5")):
            await tab_to(pilot, app, f"reprocessAssetsJob.manualCropOptions.{side}")
            await type_text(pilot, value)
        # a folded group opens with Enter
        await tab_to(pilot, app, "reprocessAssetsJob.colorManagementOptions")
        assert "reprocessAssetsJob.colorManagementOptions.colorManagement" not in {r.path for r in app.screen.query(Row)}
        await pilot.press("enter")
        await pilot.pause()
        await tab_to(pilot, app, "reprocessAssetsJob.colorManagementOptions.colorManagement")
        await pick(pilot, 3)  # Convert
        await tab_to(pilot, app, "reprocessAssetsJob.emailSetting")
        await pick(pilot, 1)  # All
        await submit(pilot, app)
    job = only_job(sandbox)["job"]
    assert job["assetHandleArray"] == {"items": ["a|101|1001", "a|101|1002"]}
    assert job["manualCropOptions"] == {"left": "10", "right": "20", "top": "0", "bottom": "5"}
    assert job["colorManagementOptions"] == {"colorManagement": "Convert"}
    assert "autoColorCropOptions" not in job and "autoTransparentCropOptions" not in job
    assert job["emailSetting"] == "All"


async def test_scheduled_upload_directory_with_a_follow_on_publish(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "uploadDirectoryJob")
        await tab_to(pilot, app, "uploadDirectoryJob.serverDir")
        await type_text(pilot, "vendor/drop")
        await tab_to(pilot, app, "uploadDirectoryJob.includeSubfolders")
        await pilot.press("space")
        await tab_to(pilot, app, "uploadDirectoryJob.emailSetting")
        await pick(pilot, 2)  # Error
        await tab_to(pilot, app, "uploadDirectoryJob#follow-on publish")
        await pick(pilot, 1)  # Image Serving publish
        await tab_to(pilot, app, "uploadDirectoryJob.postImageServingPublishJob.publishType")
        await pick(pilot, 3)  # Incremental
        await tab_to(pilot, app, "uploadDirectoryJob.postImageServingPublishJob.emailSetting")
        await pick(pilot, 2)  # Error
        await pilot.press("ctrl+n", "ctrl+n")  # Details, Timing (the second waits for Details to be built)
        await settle(pilot, app)
        assert app.screen.current == "timing"
        await pilot.press("down", "down", "enter")  # Recurring
        await type_text(pilot, "0 30 6 ? * MON-FRI")
        await pilot.pause()
        text = screen_text(app)
        assert "Monday through Friday" in text
        # the next five runs, in the server's zone and the operator's (Mon 30 Nov 06:30 in Los Angeles)
        assert "Mon 30 Nov, 06:30" in text and "Mon 30 Nov, 15:30" in text and "Fri 4 Dec, 06:30" in text
        await submit(pilot, app)
    job = only_job(sandbox)
    assert job["execSchedule"] == "0 30 6 ? * MON-FRI" and job["execTime"] is None
    body = job["job"]
    assert body["serverDir"] == "vendor/drop" and body["includeSubfolders"] == "true"
    assert body["postImageServingPublishJob"] == {"publishType": "Incremental", "emailSetting": "Error"}
    assert "postImageRenderingPublishJob" not in body and "postVideoPublishJob" not in body


async def test_export_at_a_time_in_the_server_zone(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "exportJob")
        await type_text(pilot, "a|101|1001")
        await tab_to(pilot, app, "exportJob.fmt")
        await pick(pilot, 1)  # orig
        await tab_to(pilot, app, "exportJob.emailSetting")
        await pick(pilot, 4)  # JobCompletion
        await pilot.press("ctrl+n", "ctrl+n")
        await pilot.press("down", "enter")  # At a time
        await type_text(pilot, "2026-12-24 02:00")
        await pilot.pause()
        assert "no time zone" in screen_text(app)  # the live error
        await tab_to(pilot, app, "execTime")
        await pilot.press("tab", "enter")  # "Use server zone"
        await pilot.pause()
        assert app.screen.form.exec_time == "2026-12-24T02:00:00-08:00"
        text = screen_text(app)
        assert "Thu 24 Dec 2026, 02:00 (GMT-08:00)" in text  # server (Los Angeles)
        assert "Thu 24 Dec 2026, 11:00 (GMT+01:00)" in text  # the operator (Madrid)
        await submit(pilot, app)
    job = only_job(sandbox)
    assert job["execSchedule"] is None
    assert job["execTime"] in ("2026-12-24T02:00:00-08:00", "2026-12-24T10:00:00Z", "2026-12-24T10:00:00+00:00")
    assert job["job"] == {"assetHandleArray": {"items": ["a|101|1001"]}, "fmt": "orig",
                          "emailSetting": "JobCompletion"}


# -- live errors and refusals -----------------------------------------------------------------------
async def go_to_timing_with_a_valid_job(pilot, app) -> None:
    await start_to_type(pilot, app)
    await choose_job_type(pilot, app, "optimizeImagesJob")
    await pick(pilot, 2)
    await pilot.press("ctrl+n", "ctrl+n")  # (the second waits for Details to be built)
    await settle(pilot, app)
    assert app.screen.current == "timing"


async def refused(pilot, app, sandbox) -> str:
    """F5 with problems: nothing is sent, the Review step lists them."""
    await pilot.press("f5")
    await settle(pilot, app)
    assert app.screen.current == "review"
    assert not sandbox.submitted_jobs()
    return screen_text(app)


async def test_bad_schedule_is_explained_live_and_refused(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to_timing_with_a_valid_job(pilot, app)
        await pilot.press("down", "down", "enter")
        await type_text(pilot, "0 61 6 * * ?")
        await pilot.pause()
        assert "minutes: 61 is out of range (0–59)" in screen_text(app)
        await pilot.press("ctrl+u")
        await type_text(pilot, "30 6 * * 1-5")  # a Unix cron
        await pilot.pause()
        text = screen_text(app)
        assert "0 30 6 ? * MON-FRI" in text  # its Quartz equivalent, offered
        text = await refused(pilot, app, sandbox)
        assert "Schedule: " in text  # the problem list names the field by its label
        await pilot.press("escape")  # back to Timing
        await tab_to(pilot, app, "execSchedule")
        await pilot.press("tab", "enter")  # "Use the Quartz form"
        await pilot.pause()
        assert app.screen.form.exec_schedule == "0 30 6 ? * MON-FRI"
        await submit(pilot, app)
    assert only_job(sandbox)["execSchedule"] == "0 30 6 ? * MON-FRI"


async def test_time_without_zone_is_refused_until_it_has_one(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to_timing_with_a_valid_job(pilot, app)
        await pilot.press("down", "enter")
        await type_text(pilot, "2026-12-24T02:00:00")
        await pilot.pause()
        assert "has no time zone" in screen_text(app)
        await refused(pilot, app, sandbox)
        await pilot.press("escape")
        await tab_to(pilot, app, "execTime")
        await pilot.press("end")
        await type_text(pilot, "Z")
        await submit(pilot, app)
    assert only_job(sandbox)["execTime"].startswith("2026-12-24T02:00:00")


async def test_bad_locale_suggests_near_misses_and_is_refused(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await go_to_timing_with_a_valid_job(pilot, app)
        await pilot.press("escape")  # Details
        await tab_to(pilot, app, "locale")
        assert "(not set: the service's default)" in screen_text(app)  # no locale in the profile: none
        await pilot.press("ctrl+u")
        await type_text(pilot, "es-SP")
        await pilot.pause()
        text = screen_text(app)
        assert "es-SP is not a known locale" in text and "Use es-ES" in text
        await refused(pilot, app, sandbox)
        await pilot.press("escape", "escape")  # Timing, Details
        await tab_to(pilot, app, "locale")
        await pilot.press("tab", "enter")  # the first suggestion
        await pilot.pause()
        assert app.screen.form.values["locale"] == "es-ES"
        assert "Spanish (Spain)" in screen_text(app)
        await submit(pilot, app)
    assert only_job(sandbox)["locale"] == "es-ES"


async def test_missing_required_field_is_shown_and_refused(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "imageServingPublishJob")
        await pick(pilot, 1)
        assert "required: E-mail is missing" in screen_text(app)
        text = await refused(pilot, app, sandbox)
        assert "✗ E-mail: required: E-mail is missing" in text  # named by its label, not its schema path
        assert app.screen.query_one("#submit").disabled
        await pilot.press("enter")  # the focused problem: go to its field
        await pilot.pause()
        assert app.screen.current == "fields"
        assert focused_path(app) == "imageServingPublishJob.emailSetting"
        await pick(pilot, 5)  # None
        await submit(pilot, app)
    assert only_job(sandbox)["job"]["emailSetting"] == "None"


async def test_a_number_that_is_not_a_number_is_an_error_at_its_field(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "uploadUrlsJob")
        await tab_to(pilot, app, "uploadUrlsJob.numUrls")
        await type_text(pilot, "12x")
        await pilot.pause()
        assert ("uploadUrlsJob.numUrls", "'12x' is not a whole number.") in app.screen.problems
        assert "'12x' is not a whole number." in screen_text(app)


async def test_a_fault_from_the_sandbox_keeps_the_form(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path, password="not-the-password")
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await pilot.press("ctrl+n")
        await rename(pilot, app, "keep-me")
        before = dict(app.screen.form.values)
        await submit(pilot, app)
        screen = app.screen
        assert screen.result is None and not screen.in_flight
        assert "10001" in screen.last_error
        assert "10001" in screen_text(app)
        assert screen.form.values == before  # everything typed is kept
        # fix the password (as the prompt would) and send again: accepted once
        screen.connection.password = sandbox.password
        await pilot.press("f5")
        await settle(pilot, app)
        assert screen.result is not None
    assert only_job(sandbox)["jobName"] == "keep-me"


async def test_submit_becomes_cancel_and_nothing_is_sent_twice(sandbox, tmp_path):
    sandbox.inject("delay", operation="submitJob", seconds=1.5)
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        await pilot.press("f5")
        await pilot.pause(0.2)
        screen = app.screen
        assert screen.in_flight
        assert "Cancel waiting" in screen_text(app)
        await pilot.press("tab")  # the screen stays responsive while the worker waits
        await pilot.press("f5")  # Cancel: stop waiting, never resend
        await pilot.pause()
        assert not screen.in_flight
        await pilot.press("f5")  # a second F5 after cancelling asks first (the first may have gone through)
        await settle(pilot, app)
        await pilot.pause(1.6)
        await settle(pilot, app)
    sent = [r for r in sandbox.received if r.operation == "submitJob"]
    assert len(sent) == 1


async def test_deprecated_type_names_its_replacement(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await pilot.press(*(["down"] * 8))
        await pilot.pause()
        assert "Deprecated: use Reprocess assets instead." in screen_text(app)


async def test_f1_explains_the_focused_field(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "exportJob")
        await tab_to(pilot, app, "exportJob.fmt")
        await pilot.press("f1")
        await pilot.pause()
        text = screen_text(app)
        assert "Element: exportJob.fmt" in text and "Allowed values: orig, convert" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.current == "fields"


async def test_save_as_a_job_file_the_cli_reads(sandbox, tmp_path, monkeypatch):
    from ips_tui.job.request import JobRequest

    monkeypatch.chdir(tmp_path)
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "imageServingPublishJob")
        await pick(pilot, 1)
        await pilot.press("tab")
        await pick(pilot, 2)
        await pilot.press("ctrl+n")
        await rename(pilot, app, "saved-job")
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("enter")  # accept the proposed path
        await pilot.pause()
    saved = JobRequest.from_toml(tmp_path / "saved-job.toml")
    assert saved.validate(now=NOW) == []
    assert saved.data["imageServingPublishJob"] == {"publishType": "Full", "emailSetting": "Error"}
    assert "password" not in (tmp_path / "saved-job.toml").read_text()


async def test_review_shows_the_exact_envelope_with_the_password_masked(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        envelope = app.screen.query_one("#envelope", TextArea).text
        assert "<ns0:optimizeImagesJob>" in envelope or "optimizeImagesJob>" in envelope
        assert "********" in envelope and sandbox.password not in envelope
        await pilot.press("ctrl+y")  # copy (OSC 52)
        await pilot.pause()
        assert app.clipboard == envelope


async def test_the_80x24_review_shows_the_password_line_masked(sandbox, tmp_path):
    """What the operator sees on Review at 80×24, with the envelope scrolled to the auth header."""
    import re

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "metadataPublishJob")
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        area = app.screen.query_one("#envelope", TextArea)
        for _i in range(100):
            if "password" in area.text:
                break
            await pilot.pause(0.05)
        row = next(i for i, line in enumerate(area.text.splitlines()) if "password" in line)
        area.focus()
        area.move_cursor((row, 0))
        for _i in range(100):  # the step scrolls the envelope into view, the envelope its cursor's line
            area.scroll_visible(animate=False)
            await pilot.pause(0.05)
            shown = screen_text(app)
            if "password>" in shown:
                break
        assert re.search(r"<ns\d:password>\*{8}</ns\d:password>", shown), shown
        assert sandbox.password not in shown


async def test_draft_is_offered_back_after_a_lost_session(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "exportJob")
        await type_text(pilot, "a|101|1001")
        await pilot.press("ctrl+n")
        await rename(pilot, app, "unsent-export")
        await pilot.pause(0.6)  # the draft is written shortly after typing stops
    drafts = list((tmp_path / "drafts").glob("*.json"))
    assert len(drafts) == 1
    assert oct(drafts[0].stat().st_mode & 0o777) == "0o600"
    assert sandbox.password not in drafts[0].read_text()
    # a new session (the old one is gone) offers it back
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert "Resume your draft?" in screen_text(app)
        await pilot.press("y")
        await settle(pilot, app)
        form = app.screen.form
        assert form.job_type == "exportJob"
        assert form.values["jobName"] == "unsent-export"
        assert form.values["exportJob.assetHandleArray"] == "a|101|1001"


async def test_production_is_unmistakable_and_asks_before_sending(tmp_path):
    from tui_helpers import fixed_profile

    app = make_app(profile=fixed_profile("production"), password="x", state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        text = screen_text(app)
        top = text.splitlines()[0]
        # at 80 columns the band keeps its warning and the company whole; the host gives way (the Start
        # step names the endpoint)
        assert "PRODUCTION" in top and "real jobs on Adobe's servers" in top and "Acme (c|101)" in top, top
        assert "Endpoint: https://s7sps1apissl.scene7.com" in text
        assert app.screen.query_one("#env").has_class("-production")


@pytest.mark.parametrize("env,word", [("staging", "STAGING"), ("sandbox", "SANDBOX")])
async def test_environment_band_in_words(tmp_path, env, word, monkeypatch):
    from tui_helpers import fixed_profile

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(profile=fixed_profile(env), password="x", state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        assert app.no_color
        assert word in screen_text(app).splitlines()[0]


async def test_command_palette_reaches_every_step(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "Go to step 5")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.current == "timing"


async def test_production_asks_before_sending(tmp_path):
    from tui_helpers import fixed_profile

    app = make_app(profile=fixed_profile("production"), password="x", state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await choose_job_type(pilot, app, "optimizeImagesJob")
        assert app.screen.form.values["optimizeImagesJob.emailSetting"] == "Error"  # the profile's default
        await pilot.press("f5")
        await pilot.pause()
        assert "Submit to PRODUCTION?" in screen_text(app)
        await pilot.press("n")  # nothing is sent (and no network is touched)
        await pilot.pause()
        assert not app.screen.in_flight and app.screen.result is None


async def test_follow_the_submitted_job(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await submit(pilot, app)
        await settle(pilot, app)
        assert app.focused.id == "follow"
        await pilot.press("enter")
        await settle(pilot, app)
        text = screen_text(app)
        assert "optimizeImages-20261128-1800" in text and "Handle" in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.current == "review"
    assert "getActiveJobs" in [r.operation for r in sandbox.received]


async def test_pager_without_a_terminal_is_an_error_in_words(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        await pilot.press("ctrl+o")  # headless: there is no terminal to hand to $PAGER
        await pilot.pause()
        assert app.is_running and app.screen.current == "review"


async def test_dates_follow_the_ui_language(sandbox, tmp_path):
    from ips_tui import i18n

    i18n.set_language("es")
    try:
        app = make_app(sandbox, state_dir=tmp_path)
        async with app.run_test(size=SIZE) as pilot:
            await go_to_timing_with_a_valid_job(pilot, app)
            await pilot.press("down", "down", "enter")
            await type_text(pilot, "0 30 6 ? * MON-FRI")
            await pilot.pause()
            text = screen_text(app)
            assert "lun 30 nov, 06:30" in text
            assert app.screen.form.exec_schedule == "0 30 6 ? * MON-FRI"  # what is sent does not change
    finally:
        i18n.set_language("en")


async def test_every_submission_is_journalled(sandbox, tmp_path):
    from ips_tui.store.journal import open_journal

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await submit(pilot, app)
        handle = app.screen.result["handle"]
    with open_journal(tmp_path) as journal:
        (entry,) = journal.entries()
    assert (entry.state, entry.handle, entry.company) == ("submitted", handle, "c|101")
    assert sandbox.password not in entry.request


async def test_language_switch_keeps_the_job_in_progress(sandbox, tmp_path):
    from ips_tui import i18n

    app = make_app(sandbox, state_dir=tmp_path)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await start_to_type(pilot, app)
            await choose_job_type(pilot, app, "imageServingPublishJob")
            await pick(pilot, 1)  # Full
            assert app.screen.current == "fields"
            before = dict(app.screen.form.to_dict(), saved_at=None)
            app.screen.switch_language("es")
            await settle(pilot, app)
            assert i18n.language() == "es"
            assert app.screen.current == "fields"
            assert dict(app.screen.form.to_dict(), saved_at=None) == before
            assert app.screen.form.company == "c|101"
            text = screen_text(app)
            assert "Siguiente" in text or "Ayuda" in text, text
            assert "imageServingPublishJob" in str(app.screen.form.to_dict())
            app.screen.switch_language("en")  # and back again, still the same job
            await settle(pilot, app)
            assert i18n.language() == "en" and dict(app.screen.form.to_dict(), saved_at=None) == before
            assert len(app.screen_stack) == 2
    finally:
        i18n.set_language("en")


async def test_f2_opens_the_profile_manager(sandbox, tmp_path, monkeypatch):
    from ips_tui.tui.screens.profiles import ProfilesScreen

    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(tmp_path / "config"))
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        await pilot.press("f2")
        await settle(pilot, app)
        assert isinstance(app.screen, ProfilesScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen.current == "start" and app.screen.form.company == "c|101"


async def test_keys_faster_than_a_step_mounts_change_nothing_but_the_form(sandbox, tmp_path):
    """Enter on a job type, then Ctrl+R at once: the choice is handled while Review is still mounting."""
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await start_to_type(pilot, app)
        w = app.screen
        w.goto("review")
        w.choose_job_type("metadataPublishJob")  # Review has not composed its widgets yet
        await settle(pilot, app)
        assert app.is_running and w.current == "review" and w.form.job_type == "metadataPublishJob"
        for _i in range(50):
            if "metadataPublishJob" in w.query_one("#envelope", TextArea).text:
                break
            await pilot.pause(0.05)
        assert "metadataPublishJob" in w.query_one("#envelope", TextArea).text
