"""Small dialogs: password prompt, field help, confirmation, draft offer, file name."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from ips_tui.i18n import N_, _
from ips_tui.tui.compositor import NarrowRepaints
from ips_tui.tui.text import translate_bindings


class Dialog(NarrowRepaints, ModalScreen):
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical { width: 72; max-width: 100%; height: auto; max-height: 100%; border: thick $primary;
                        padding: 0 1; background: $surface; }
    Dialog .title { text-style: bold; width: 100%; }
    Dialog .buttons { height: auto; align-horizontal: right; margin-top: 1; }
    Dialog Button { margin-left: 1; min-width: 10; }
    Dialog .dialog-note { margin-top: 1; }
    Dialog .dialog-note.-warning { color: $text-warning; }
    Dialog .dialog-note.-error { color: $text-error; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", N_("Close"), id="close")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def on_mount(self) -> None:
        # no toasts over a dialog: what is said while it is open shows inside it (:meth:`say`), above its
        # buttons; a toast still live when it closes shows on the screen beneath
        for rack in self.query("#textual-toastrack"):
            rack.remove()

    def say(self, message: str, severity: str = "information") -> None:
        """Show ``message`` in the dialog, above its buttons (the app's notify calls this)."""
        from rich.text import Text

        notes = self.query(".dialog-note")
        if notes:
            note = notes.first(Static)
        else:
            note = Static(classes="dialog-note")
            box = self.query_one(Vertical)
            buttons = box.query_children(".buttons")
            box.mount(note, before=buttons.first()) if buttons else box.mount(note)
        note.set_classes(f"dialog-note -{severity}")
        note.update(Text(message))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class PasswordScreen(Dialog):
    """A masked prompt; the password is returned to the caller and kept in memory only."""

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(_("Password"), classes="title")
            yield Static(self.question)
            yield Input(password=True, id="password", placeholder=_("kept in memory only, never saved"))
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("OK"), id="ok", variant="primary")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.query_one(Input).value or None if event.button.id == "ok" else None)


class HelpScreen(Dialog):
    DEFAULT_CSS = "HelpScreen VerticalScroll { height: auto; max-height: 18; }"

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            with VerticalScroll():
                yield Static(self.body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(_("Close (Esc)"), id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


class ConfirmScreen(Dialog):
    """Yes/No. ``y`` / ``n`` work too."""

    DEFAULT_CSS = "ConfirmScreen > Vertical.-danger { border: thick $error; }"
    BINDINGS = [Binding("y", "answer(True)", N_("Yes"), id="yes"), Binding("n", "answer(False)", N_("No"), id="no")]

    def __init__(self, title: str, body: str, yes: str, no: str, *, danger: bool = False) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no, self.danger = title, body, yes, no, danger

    def compose(self) -> ComposeResult:
        with Vertical(classes="-danger" if self.danger else ""):
            yield Label(self.title_text, classes="title")
            yield Static(self.body, markup=False)
            with Horizontal(classes="buttons"):
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="error" if self.danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "yes")


class PathScreen(Dialog):
    """Ask for a file name (save as job file)."""

    def __init__(self, title: str, value: str, note: str = "") -> None:
        super().__init__()
        self.title_text, self.value, self.note = title, value, note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.title_text, classes="title")
            if self.note:
                yield Static(self.note)
            yield Input(self.value, id="path")
            with Horizontal(classes="buttons"):
                yield Button(_("Cancel"), id="cancel")
                yield Button(_("Save"), id="ok", variant="primary")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(self.query_one(Input).value.strip() or None if event.button.id == "ok" else None)
