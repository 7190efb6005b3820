"""The Textual shell: ``run(args)`` starts the wizard.

This module imports only what the first screen needs. zeep (and the WSDL parse), the sandbox,
the profile store, babel and the job catalogue are loaded in workers or when their step is
first shown, so the first paint is close to a bare Textual app's.
"""

from __future__ import annotations

import gc
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Iterable

from textual.app import App, SystemCommand
from textual.binding import Binding

from ips_tui.i18n import N_, _
from ips_tui.tui.keys import OrderedKeys


@dataclass
class Options:
    """How the app was started (from the command line, or built by a test)."""

    sandbox: bool = False
    url: str | None = None
    user: str | None = None
    cacert: str | None = None
    profile: str | None = None
    timeout: float = 60.0
    connection: Any = None  # a ready Connection (tests): no sandbox start, no profile store
    config_dir: str | None = None
    state_dir: str | None = None
    drafts: bool = True
    now: datetime | None = None  # a fixed clock (tests, screenshots)
    local_tz: tzinfo | None = None  # the operator's zone (default: the machine's)
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))

    @classmethod
    def from_args(cls, args) -> "Options":
        return cls(
            sandbox=bool(getattr(args, "sandbox", False)),
            url=getattr(args, "url", None),
            user=getattr(args, "user", None),
            cacert=getattr(args, "cacert", None),
            profile=getattr(args, "profile", None),
            timeout=float(getattr(args, "timeout", None) or 60.0),
        )


class IpsApp(OrderedKeys, App[int]):
    """ips-tui: build a submitJob request step by step and send it."""

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "ips-tui"
    BINDINGS = [
        Binding("ctrl+q", "quit", N_("Quit"), id="quit", priority=True),
    ]

    def __init__(self, options: Options | None = None, **kwargs) -> None:
        super().__init__(**kwargs)  # (its key descriptions stay msgids: the footer shows them translated)
        self.options = options or Options()
        self.sandbox = None  # the embedded Sandbox when --sandbox
        self._local_tz = self.options.local_tz

    def on_ready(self) -> None:
        """The first frame is up: the collector resumes if start-up turned it off (cli.run_tui). What
        start-up made lives as long as the app, so later collections leave it out (shorter pauses)."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
        self.apply_keymap()

    def apply_keymap(self) -> None:
        """The operator's ``[keys]`` (config.toml), checked; what could not be used is said, the rest applies."""
        from ips_tui.tui.keymap_apply import load_for

        self.keymap = load_for(self)
        for problem in self.keymap.problems:
            self.notify(problem, title=_("Keys"), severity="warning", timeout=20)

    async def action_quit(self) -> None:
        """A clean quit: the form in progress is not offered back later as a lost session's."""
        if self.options.drafts:
            from ips_tui.store.drafts import discard_draft

            try:
                discard_draft(state_dir=self.options.state_dir)
            except OSError:
                pass
        self.exit()

    # -- clock and zones ------------------------------------------------------------------
    def clock(self) -> datetime:
        """Now, aware (a fixed instant in tests and screenshots)."""
        return self.options.now or datetime.now(timezone.utc)

    def local_zone(self) -> tzinfo:
        if self._local_tz is None:
            from ips_tui.job.zones import machine_zone

            self._local_tz = machine_zone()
        return self._local_tz

    # -- screens --------------------------------------------------------------------------
    def get_default_screen(self):
        from ips_tui.tui.wizard.screen import WizardScreen

        return WizardScreen()

    def get_system_commands(self, screen) -> Iterable[SystemCommand]:
        from ips_tui.tui.textual_words import translated_commands

        yield from translated_commands(super().get_system_commands(screen))
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            yield from commands()

    def action_command_palette(self) -> None:
        """Textual's palette with its placeholder in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def search_themes(self) -> None:
        from textual.command import CommandPalette
        from textual.theme import ThemeProvider

        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def notify(self, message: str, **kwargs) -> None:
        """A toast; over a dialog, said inside the dialog instead (a toast would cover its buttons)."""
        from ips_tui.tui.screens.modals import Dialog

        screen = self.screen_stack[-1] if self.screen_stack else None
        if isinstance(screen, Dialog):
            screen.say(message, kwargs.get("severity", "information"))
        super().notify(message, **kwargs)

    # -- one place for errors -------------------------------------------------------------
    def report_error(self, error: BaseException, context: str = "") -> str:
        """Show an error in words (never a traceback); returns the text shown."""
        from ips_tui.tui.text import error_text

        text = error_text(error)
        if context:
            text = f"{context}: {text}"
        self.notify(text, title=_("Error"), severity="error", timeout=12)
        return text

    def on_unmount(self) -> None:
        self.stop_sandbox()

    def stop_sandbox(self) -> None:
        sandbox, self.sandbox = self.sandbox, None
        if sandbox is not None:
            try:
                sandbox.stop()
            except Exception:
                pass


def run(args) -> int:
    """Start the wizard with the command line's options; the exit code."""
    app = IpsApp(Options.from_args(args))
    try:
        result = app.run()
    finally:
        app.stop_sandbox()
    return int(result or app.return_code or 0)
