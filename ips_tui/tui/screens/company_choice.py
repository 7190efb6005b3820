"""Choosing one of the profile's companies (re-opening a past job for another company): a short list, Enter
picks, Esc leaves it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ips_tui.i18n import _
from ips_tui.tui.screens.modals import Dialog
from ips_tui.safe_text import visible  # names come from a file or the service


class CompanyChoice(Dialog):
    """Dismissed with (name, handle) of the company chosen, or None."""

    DEFAULT_CSS = "CompanyChoice OptionList { height: auto; max-height: 12; }"

    def __init__(self, title: str, companies: dict[str, str], current: str | None = None) -> None:
        super().__init__()
        self.title_text, self.current = title, current
        self.companies = list(companies.items())  # (name, handle), in the profile's order

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            yield OptionList(*[Option(f"{visible(name)}  ({visible(handle)})"
                                      + ("  · " + _("now") if handle == self.current else ""), id=str(i))
                               for i, (name, handle) in enumerate(self.companies)], id="companies")
            yield Static(_("Enter chooses · Esc cancels"), classes="note")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        others = [i for i, (_n, h) in enumerate(self.companies) if h != self.current]
        if others:
            options.highlighted = others[0]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self.companies[int(event.option.id)])
