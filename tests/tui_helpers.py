"""Helpers for the TUI tests: a wizard on a real sandbox, a fixed clock, the screen as text."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from rich.console import Console

#: The instant the tests live at: Saturday 28 November 2026, 09:00 in Los Angeles (the sandbox's zone).
NOW = datetime(2026, 11, 28, 17, 0, tzinfo=timezone.utc)
LOCAL = ZoneInfo("Europe/Madrid")
SHOWN_URL = "http://127.0.0.1:8080/scene7/services/IpsApiService"


def make_app(sandbox=None, *, state_dir=None, password=None, profile=None, drafts=True, display_url=None,
             timeout: float = 10.0):
    """An IpsApp on ``sandbox`` (or on ``profile``), with the fixed clock and zones."""
    from ips_tui.tui.app import IpsApp, Options
    from ips_tui.connection import Connection, sandbox_profile

    if profile is None:
        profile = sandbox_profile(sandbox)
    if password is None and sandbox is not None:
        password = sandbox.password
    conn = Connection.from_profile(profile, password=password, display_url=display_url)
    options = Options(connection=conn, state_dir=str(state_dir) if state_dir else None, drafts=drafts,
                      now=NOW, local_tz=LOCAL, timeout=timeout, env={})
    app = IpsApp(options)
    app.animation_level = "none"  # no scroll animations to wait for between key presses
    return app


def screen_text(app) -> str:
    """What the terminal shows, as plain text (for assertions and for reading failures)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


# -- driving the wizard with keys -------------------------------------------------------------------
async def workers_done(app) -> None:
    """Wait for the app's workers. A worker that failed is the app's to report (its state change reaches the
    screen as a message, which the tests check): waiting on it must not raise WorkerFailed here, which it
    does while the failed worker is still listed."""
    from textual.worker import WorkerCancelled, WorkerFailed

    for worker in list(app.workers):
        try:
            await worker.wait()
        except (WorkerFailed, WorkerCancelled):
            pass


async def settle(pilot, app) -> None:
    """Let workers finish, the wizard's check after a burst of keys run, and the screen catch up."""
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()
    for _i in range(100):  # the whole-request check runs once the keys stop (CHECK_DELAY)
        if not getattr(app.screen, "check_pending", False):
            break
        await pilot.pause(0.02)
    await workers_done(app)  # (in a thread for a form with a list of thousands of lines)
    for _i in range(300):  # keys held while a step is being built go out once it has the focus
        if not (getattr(app, "_keys_waiting", None) or getattr(app, "_key_holds", 0)):
            break
        await pilot.pause(0.01)
    await pilot.pause()


async def still_cursors(pilot, app) -> None:
    """Cursors drawn, not blinking, whatever the blink's phase: the same picture every run. A ``TextArea``
    keeps its drawn lines keyed on the blink's cursor only, so a line drawn while the blink was off would be
    shown again, without its cursor, once blinking stops: its lines are drawn anew."""
    from textual.widgets import TextArea

    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False
        if isinstance(widget, TextArea):
            widget.notify_style_update()  # empties its line cache
            widget.refresh()
    await pilot.pause()


async def type_text(pilot, text: str) -> None:
    keys = []
    for ch in text:
        keys.append({" ": "space", "\t": "tab", "\n": "enter"}.get(ch, ch))
    await pilot.press(*keys)


def focused_path(app) -> str | None:
    node = app.focused
    while node is not None:
        path = getattr(node, "path", None)
        if isinstance(path, str):
            return path
        node = node.parent
    return None


async def tab_to(pilot, app, path: str, limit: int = 120) -> None:
    """Press Tab until the focus is in the row for ``path`` (the form's Tab order)."""
    for _i in range(limit):
        if focused_path(app) == path:
            return
        await pilot.press("tab")
    raise AssertionError(f"Tab never reached {path}; focus is on {focused_path(app)}")


async def pick(pilot, index: int) -> None:
    """In a focused Select: open it, move to the ``index``-th choice (1 = first after the blank), take it.

    On a loaded machine a key can arrive before the overlay is up; then the pick is tried again."""
    from textual.widgets import Select

    for _ in range(250):  # the step may still be mounting (slowly on a busy machine): wait for the focus
        if isinstance(pilot.app.focused, Select):
            break
        await pilot.pause(0.02)
    select = pilot.app.focused
    assert isinstance(select, Select), f"no Select took the focus to pick from (focus: {select!r})"
    for _attempt in range(3):
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause()
            if select.expanded:
                break
        await pilot.press(*(["down"] * index))
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause()
            if not select.expanded:
                break
        if select.value is not Select.BLANK:
            return
        if pilot.app.focused is not select:
            select.focus()
            await pilot.pause()
    raise AssertionError(f"choice {index} of {select!r} never took")


async def choose_job_type(pilot, app, element: str) -> None:
    """On the Job type step: move the highlight to ``element`` and press Enter."""
    from ips_tui.ips.catalog import catalog

    index = list(catalog().jobs).index(element)
    await pilot.press("home", *(["down"] * index), "enter")
    await pilot.pause()


async def new_job(pilot, app, job_type: str) -> None:
    """From a fresh app: a new job of ``job_type`` (the wizard then on its Fields step)."""
    await settle(pilot, app)
    await pilot.press("ctrl+n")
    await settle(pilot, app)
    await choose_job_type(pilot, app, job_type)
    await settle(pilot, app)


async def new_job_on(pilot, app, step: str, job_type: str = "metadataPublishJob") -> None:
    """From a fresh app: a new job of ``job_type``, the wizard on ``step``."""
    await new_job(pilot, app, job_type)
    app.screen.goto(step)
    await settle(pilot, app)


def fixed_profile(environment: str = "sandbox", *, name: str | None = None):
    """A profile with a fixed URL (no network) for snapshots: sandbox, production or staging."""
    from ips_tui.store.profiles import Profile

    if environment == "sandbox":
        return Profile(name="sandbox", user="demo@sandbox.ips", url=SHOWN_URL, sandbox=True,
                       timezone="America/Los_Angeles",
                       companies={"Acme Retail": "c|101", "Brio Outdoor": "c|102", "Cielo Foods": "c|103"})
    return Profile(name=name or f"acme-{environment}", user="ops@acme.example", region="na",
                   staging=environment == "staging", locale="en-US", email_setting="Error",
                   companies={"Acme": "c|101"})


def fast_pilot(monkeypatch) -> None:
    """Pilot waits ~20 ms twice per key press to see the app go idle; 5 ms is plenty for this app and
    keeps the whole TUI suite within its time budget. (Workers are awaited explicitly with ``settle``.)"""
    import textual._wait

    monkeypatch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005)
