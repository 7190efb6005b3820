"""Textual's own words (its system commands, the palette's placeholder and key, a Select's "Dismiss menu"),
declared here so the catalogue has them and shown through ``_()`` in the interface language.

Textual writes them in English inside its classes; the app gives them back translated where it hands them
out: :meth:`IpsApp.get_system_commands`, :meth:`IpsApp.action_command_palette`, and the footer
(:class:`~ips_tui.tui.widgets.chrome.KeyFooter` translates every description it shows)."""

from __future__ import annotations

from typing import Iterable

from ips_tui.i18n import N_, _

#: the msgids of Textual's words as it writes them (textual/app.py, command.py, widgets/_select.py)
WORDS = (
    N_("palette"),
    N_("Open the command palette"),
    N_("Search for commands…"),
    N_("Search for themes…"),
    N_("Dismiss menu"),
    N_("Exit the command palette"),
    N_("Quit"),
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def translated_commands(commands: Iterable) -> Iterable:
    """Textual's :class:`~textual.app.SystemCommand` items with their title and help in the interface
    language (a SystemCommand is a NamedTuple)."""
    for command in commands:
        yield command._replace(title=_(command.title), help=_(command.help))
