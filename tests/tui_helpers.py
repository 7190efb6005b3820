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
    from ips_tui.tui.connection import Connection, sandbox_profile

    if profile is None:
        profile = sandbox_profile(sandbox)
    if password is None and sandbox is not None:
        password = sandbox.password
    conn = Connection(profile, password=password, display_url=display_url)
    options = Options(connection=conn, state_dir=str(state_dir) if state_dir else None, drafts=drafts,
                      now=NOW, local_tz=LOCAL, timeout=timeout, env={})
    return IpsApp(options)


def screen_text(app) -> str:
    """What the terminal shows, as plain text (for assertions and for reading failures)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system=None, record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()
