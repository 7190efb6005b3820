"""Layouts that hold at 80×24 and degrade cleanly to 60×20, in English and Spanish: the bands' fitting rules
as pure functions, then the wizard on screen (a real sandbox where something is sent)."""

from __future__ import annotations

import pytest

from ips_tui import i18n
from ips_tui.tui.widgets.chrome import env_bar_text, footer_layout, step_bar_text
from ips_tui.tui.wizard.flow import STEPS
from test_tui_snapshots import app_for, publish_job, to_fields
from tui_helpers import choose_job_type, make_app, pick, screen_text, settle, type_text

ADOBE = "https://s7sps1apissl.scene7.com/scene7/services/IpsApiService"
WARNINGS = {"en": "real jobs on Adobe's servers", "es": "trabajos reales en servidores de Adobe"}


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


# -- the step bar ----------------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("width", [118, 78, 58, 40])
@pytest.mark.parametrize("current", [key for key, _t in STEPS])
def test_the_step_bar_keeps_the_current_step_and_every_number(lang, width, current):
    i18n.set_language(lang)
    text = step_bar_text(STEPS, current, {"fields"}, {k for k, _t in STEPS}, width=width).plain
    assert len(text) <= width, text
    index = [k for k, _t in STEPS].index(current)
    title = i18n._(STEPS[index][1])
    assert f"[{index + 1} {title}" in text, text
    for n in range(1, len(STEPS) + 1):
        assert str(n) in text
    assert "3!" in text or "3 " in text and "!" in text  # the flagged step keeps its flag


def test_the_step_bar_shortens_only_when_it_must():
    i18n.set_language("es")
    wide = step_bar_text(STEPS, "timing", set(), set(), width=200).plain
    assert "6 Revisión" in wide and "1 Inicio" in wide
    narrow = step_bar_text(STEPS, "timing", set(), set(), width=78).plain
    assert "[5 Programación]" in narrow and "1 Inicio" not in narrow  # the farthest title went first


async def test_the_step_bar_is_built_again_only_when_what_it_shows_changes(monkeypatch):
    """The screen asks the bar on every key; the same steps, flags, width and language build nothing
    (fitting the bar to the width builds it up to seven times)."""
    from textual.app import App

    from ips_tui.tui.widgets import chrome

    built = []

    def counted(*args, **kwargs):
        text = step_bar_text(*args, **kwargs)
        built.append(text.plain)
        return text

    monkeypatch.setattr(chrome, "step_bar_text", counted)

    class One(App):
        def compose(self):
            yield chrome.StepBar()

    app = One()
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.query_one(chrome.StepBar)
        reached = {k for k, _t in STEPS}
        for _i in range(3):
            bar.show(STEPS, "timing", set(), reached)
        assert len(built) == 1
        bar.show(STEPS, "timing", {"fields"}, reached)
        assert len(built) == 2 and "!" in built[-1]
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert len(built) == 3 and len(built[-1]) <= 48
        i18n.set_language("es")
        try:
            bar.show(STEPS, "timing", {"fields"}, reached)
            assert len(built) == 4 and "Programación" in built[-1]
            assert str(bar.content) == built[-1]
        finally:
            i18n.set_language("en")


# -- the environment band --------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("width", [118, 78, 58])
def test_the_production_warning_is_always_whole(lang, width):
    i18n.set_language(lang)
    text = env_bar_text("production", "operations@acme-retail.example", ADOBE,
                        "Acme Retail North America (c|101)", width=width).plain
    assert len(text) <= width, text
    assert WARNINGS[lang] in text, text
    assert i18n._("PRODUCTION") in text


def test_the_band_gives_way_host_first_then_the_user_then_the_company():
    full = env_bar_text("production", "ops@acme.example", ADOBE, "Acme (c|101)").plain
    assert "s7sps1apissl.scene7.com" in full and "company Acme (c|101)" in full
    at_80 = env_bar_text("production", "ops@acme.example", ADOBE, "Acme (c|101)", width=78).plain
    assert "scene7" not in at_80 and "Acme (c|101)" in at_80 and "ops@acme.example" in at_80, at_80
    at_60 = env_bar_text("production", "ops@acme.example", ADOBE, "Acme Retail (c|101)", width=58).plain
    assert WARNINGS["en"] in at_60 and "ops@" in at_60, at_60


# -- the footer ------------------------------------------------------------------------------------
def test_footer_layout():
    keys = [7, 8, 7, 9, 9, 11, 7, 10, 7]  # the wizard's keys at the Fields step, in English
    assert footer_layout(keys, 200, 11) == (1, True)
    assert footer_layout(keys, 78, 11) == (2, True)
    assert footer_layout(keys, 58, 11) == (2, False)  # the palette key gives way, no step key does
    assert footer_layout(keys, 30, 11)[0] >= 3
    assert footer_layout([], 10, 0) == (1, False)


async def walk_the_steps(pilot, app, lang):
    """Every step in turn: (step, screen text)."""
    await settle(pilot, app)
    yield "start", screen_text(app)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    yield "type", screen_text(app)
    await choose_job_type(pilot, app, "imageServingPublishJob")
    await settle(pilot, app)
    yield "fields", screen_text(app)
    await pick(pilot, 1)
    await pilot.press("tab")
    await pick(pilot, 2)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    yield "details", screen_text(app)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    yield "timing", screen_text(app)
    await pilot.press("ctrl+r")
    await settle(pilot, app)
    yield "review", screen_text(app)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_every_step_shows_submit_and_the_current_step(lang, size):
    i18n.set_language(lang)
    submit = "f5 " + i18n._("Submit")
    app = app_for()
    async with app.run_test(size=size) as pilot:
        async for step, text in walk_the_steps(pilot, app, lang):
            assert app.screen.current == step
            lines = text.splitlines()
            assert any(submit in line for line in lines[-3:]), f"{step}: {submit!r} not in the footer\n{text}"
            index = [k for k, _t in STEPS].index(step)
            assert f"[{index + 1} {i18n._(STEPS[index][1])}" in lines[1], f"{step}: {lines[1]!r}"
            assert "▏" not in lines[-1] or "palette" in lines[-1] or "paleta" in lines[-1]


# -- toasts and dialogs ----------------------------------------------------------------------------
async def test_a_toast_never_covers_a_dialog():
    from ips_tui.tui.screens.modals import ConfirmScreen

    app = app_for()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:  # (tests run without toasts)
        await settle(pilot, app)
        assert app.screen.query("ToastRack")
        app.notify("A toast from before the dialog", timeout=30)
        await pilot.pause()
        app.push_screen(ConfirmScreen("Delete it?", "It goes for good.", "Delete", "Keep"))
        await settle(pilot, app)
        app.notify("Said while the dialog is open", severity="warning", timeout=30)
        await settle(pilot, app)
        text = screen_text(app)
        assert not app.screen.query("Toast"), "a toast is drawn over the dialog"
        assert "Delete" in text and "Keep" in text and "It goes for good." in text  # the dialog is whole
        assert "Said while the dialog is open" in text  # inside the dialog
        note = app.screen.query_one(".dialog-note")
        buttons = app.screen.query_one(".buttons")
        assert note.region.bottom <= buttons.region.y  # above the buttons, not over them
        await pilot.press("n")
        await settle(pilot, app)
        assert app.screen.query("Toast")  # the toasts still live show once the dialog is gone


# -- F5 from another step --------------------------------------------------------------------------
async def test_f5_from_the_fields_step_goes_to_review_and_submits_there(sandbox):
    app = make_app(sandbox, drafts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await choose_job_type(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)
        await settle(pilot, app)
        assert app.screen.current == "fields" and not app.screen.problems
        await pilot.press("f5")
        await settle(pilot, app)
        for _i in range(200):
            if app.screen.submit_state.done:
                break
            await pilot.pause(0.02)
        assert app.screen.current == "review"
        assert app.screen.submit_state.done
        assert "Submitted." in screen_text(app)
    assert len(sandbox.submitted_jobs()) == 1


# -- the timing step and the server's zone ---------------------------------------------------------
async def to_timing(pilot, app) -> None:
    from test_tui_snapshots import focused

    await publish_job(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    await pilot.press("ctrl+n")
    await focused(pilot, "modes")
    await settle(pilot, app)


async def test_the_timing_step_says_the_server_zone_is_unknown_never_utc():
    from ips_tui.store.profiles import Profile

    profile = Profile(name="own", user="ops@acme.example", url="https://ips.acme.example/scene7/services/IpsApiService",
                      companies={"Acme": "c|101"})
    app = make_app(profile=profile, password="not-used", drafts=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await to_timing(pilot, app)
        await pilot.press("down", "enter")  # At a time
        await settle(pilot, app)
        at = screen_text(app)
        assert "Server zone: unknown" in at, at
        assert app.screen.query_one("#zone-server").disabled
        await type_text(pilot, "2026-12-24 02:00Z")
        await settle(pilot, app)
        assert "time zone unknown" in screen_text(app)
        app.screen.query_one("#modes").focus()
        await pilot.pause()
        await pilot.press("down", "enter")  # Recurring
        await type_text(pilot, "0 30 6 ? * MON-FRI")
        await settle(pilot, app)
        text = screen_text(app)
        assert "the server's time zone is unknown" in text, text
        assert "UTC" not in text.split("Quartz schedule")[1], text


async def test_the_timing_step_uses_the_zone_the_start_step_names():
    app = app_for()  # the sandbox profile: America/Los_Angeles
    async with app.run_test(size=(100, 30)) as pilot:
        await to_timing(pilot, app)
        await pilot.press("down", "down", "enter")
        await type_text(pilot, "0 30 6 ? * MON-FRI")
        await settle(pilot, app)
        text = screen_text(app)
        assert "server (America/Los_Angeles)" in text, text
        assert "Mon 30 Nov, 06:30" in text, text


# -- the wizard's small defects ----------------------------------------------------------------------
async def test_a_unix_cron_keeps_its_quartz_form_whole():
    app = app_for()
    async with app.run_test(size=(60, 20)) as pilot:
        await to_timing(pilot, app)
        await pilot.press("down", "down", "enter")
        await type_text(pilot, "30 6 * * 1-5")
        await settle(pilot, app)
        text = screen_text(app)
        assert "found 5. This looks like a Unix cron" in " ".join(text.split()), text
        assert any(line.split() [:6] == "0 30 6 ? * MON-FRI".split() for line in text.splitlines()), text


async def test_the_preset_boxes_are_labelled():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await to_timing(pilot, app)
        await pilot.press("down", "down", "enter")
        await settle(pilot, app)
        step = app.screen.query_one("#step-timing")
        assert step.query_one("#preset-time-word").display and not step.query_one("#preset-day").display
        assert " at 06:30" in screen_text(app)
        step.query_one("#preset").value = "monthly"
        await settle(pilot, app)
        assert step.query_one("#preset-day-word").display and step.query_one("#preset-day").display
        assert "on day 1" in " ".join(screen_text(app).split())


async def test_a_deprecated_type_says_so_once():
    app = app_for()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        options = app.screen.query_one("#types")
        from ips_tui.ips.catalog import catalog

        index = list(catalog().jobs).index("ripPdfsJob")
        prompt = options.get_option_at_index(index).prompt
        from rich.console import Console

        console = Console(width=120, record=True, file=open("/dev/null", "w"))
        console.print(prompt)
        words = console.export_text().lower()
        assert words.count("deprecated") == 2, words  # the label's "(deprecated)" and one note


def test_labels_read_as_the_form_writes_them():
    from ips_tui.ips import catalog_text
    from ips_tui.tui.wizard.summary import label_for

    assert label_for("uploadUrlsJob.emailSetting") == "E-mail"
    assert label_for("jobName") == "Job name" and label_for("execSchedule") == "Schedule"
    assert label_for("uploadUrlsJob.postVideoPublishJob") == "Then: Video publish"
    assert label_for("nosuchJob.x") == "nosuchJob.x"
    for name, (label, _help) in catalog_text.FIELD_TEXT.items():
        if label.startswith("Then: "):
            assert label[6].isupper(), label


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_the_url_list_wraps_between_url_and_path(size):
    from textual import events

    urls = [f"https://supplier.example.com/img/{n}.jpg" for n in (1001, 1002, 1003)]
    app = app_for()
    async with app.run_test(size=size) as pilot:
        await to_fields(pilot, "uploadUrlsJob")
        app.post_message(events.Paste("\n".join(f"{u}\tacme/spring/{u[-8:]}" for u in urls)))
        await settle(pilot, app)
        text = screen_text(app)
        for url in urls:
            assert any(url in line for line in text.splitlines()), f"{url} is broken inside:\n{text}"
        for n in (1001, 1002, 1003):
            assert any(f"acme/spring/{n}.jpg" in line for line in text.splitlines()), text


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_reviews_buttons_are_all_within_the_screen(lang, size):
    from textual.widgets import Button

    i18n.set_language(lang)
    app = app_for()
    async with app.run_test(size=size) as pilot:
        async for step, _text in walk_the_steps(pilot, app, lang):
            if step != "review":
                continue
            review = app.screen.query_one("#step-review")
            for bid in ("submit", "save", "copy", "pager"):
                button = review.query_one(f"#{bid}", Button)
                assert button.region.right <= size[0] - 1, f"{bid} reaches column {button.region.right}"
                assert button.region.width > 0, bid
