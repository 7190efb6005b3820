"""What every wizard step has: a scrolling body that fits 80×24, a title, focus on entry."""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.widgets import Static


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


class Title(Static):
    DEFAULT_CSS = "Title { text-style: bold; height: auto; margin-bottom: 1; }"


class Step(VerticalScroll):
    DEFAULT_CSS = """
    Step { height: 1fr; padding: 0 1; }
    Step .section { text-style: bold; margin-top: 1; height: auto; }
    Step .note { color: $text-muted; height: auto; }
    """

    @property
    def wizard(self):
        return self.screen

    def load(self) -> None:
        """Show the form's values again (a draft was restored, a connection arrived)."""

    def entered(self) -> None:
        """The step was shown: focus its first control."""
        for widget in self.query("*"):
            if widget.focusable and widget.display and widget.visible:
                widget.focus()
                return

    def refresh_view(self) -> None:
        pass
