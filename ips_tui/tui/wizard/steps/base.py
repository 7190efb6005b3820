"""What every wizard step has: a scrolling body that fits 80×24, a title, focus on entry."""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static

from ips_tui.tui.keys import released_after


@dataclass(frozen=True)
class SimpleField:
    """A field the catalogue does not describe (the company handle on the first screen)."""

    name: str
    label: str
    help: str = ""
    required: bool = False
    kind: str = "string"
    choices: tuple = ()
    bounds: tuple | None = None
    max_items: int | None = None
    exclusive: str | None = None


class HoldingList(OptionList):
    """An option list whose choice moves the focus (to the next step, or to the field the choice opens).
    The keys typed in the same burst as Enter would reach this list before the focus has moved (the choice
    travels as messages, behind them), so the app holds them from the moment of the choice; whoever moves
    the focus takes the hold (:meth:`take_hold`) and lets them go once it has (``app.release_keys``)."""

    held = False

    def action_select(self) -> None:
        index = self.highlighted
        if index is not None and not self.get_option_at_index(index).disabled and not self.held:
            self.held = True
            self.app.hold_keys()
        super().action_select()

    def take_hold(self) -> bool:
        held, self.held = self.held, False
        return held


def take_hold(option_list) -> bool:
    """Whether ``option_list`` holds the keys for its choice (it is then the caller's to release)."""
    return option_list.take_hold() if isinstance(option_list, HoldingList) else False


class Title(Static):
    DEFAULT_CSS = "Title { text-style: bold; height: auto; margin-bottom: 1; }"


class Step(VerticalScroll):
    DEFAULT_CSS = """
    Step { height: 1fr; padding: 0 1; }
    Step .section { text-style: bold; margin-top: 1; height: auto; }
    Step .note { color: $text-muted; height: auto; }
    """

    focus_on_mount = False  # set by the step host when the step is shown before it is mounted

    @property
    def wizard(self):
        """The wizard screen, to read from (its form, connection, report, submit state); steps tell it
        things with messages (``ips_tui.tui.messages``), never by calling it."""
        return self.screen

    @property
    def shown(self) -> bool:
        return getattr(self.parent, "current", None) == self.id

    def on_mount(self) -> None:
        # (runs after the subclass's own on_mount: the step's widgets are filled in by then)
        self.watch(self.screen, "form_version", self._form_replaced, init=False)
        if self.focus_on_mount:
            # after the refresh: rows a step mounts in its own on_mount (the fields) exist by then; the
            # keys typed meanwhile are held by the app, so they land here, in order
            self.focus_on_mount = False
            self.call_after_refresh(self._enter_and_release)

    def _enter_and_release(self) -> None:
        with released_after(self.app):
            if self.shown:
                self.entered()

    def _form_replaced(self, _version: int) -> None:
        self.load()

    def load(self) -> None:
        """Show the form's values again (a new job, a draft restored, a type chosen, a connection)."""

    def entered(self) -> None:
        """The step was shown: focus its first control."""
        for widget in self.query("*"):
            if widget.focusable and widget.display and widget.visible:
                widget.focus()
                return

    def refresh_view(self) -> None:
        pass
