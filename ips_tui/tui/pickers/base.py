"""What every picker shares: a modal screen over the wizard that answers its field's row with
:class:`Picker.Chosen` (the lines to write, as a job file writes them, and the words to show for each), or
nothing at all on Esc. Look-ups run in thread workers on the company's NameSession; a failure is shown in
words (``error_text``) on the picker's status line and leaves the field as it was."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from ips_tui.i18n import N_, _
from ips_tui.tui.compositor import NarrowRepaints
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.widgets.chrome import KeyFooter


class ChoiceList(OptionList):
    """A picker's list: Space chooses (or un-chooses) the highlighted entry."""

    BINDINGS = [Binding("space", "toggle", N_("Choose"), id="picker-choose")]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)  # its footer key, in the language in force

    def action_toggle(self) -> None:
        self.screen.toggle(self.highlighted)


class Picker(NarrowRepaints, ModalScreen[bool]):
    DEFAULT_CSS = """
    Picker { align: center middle; }
    Picker > #picker { width: 100%; max-width: 110; height: 100%; max-height: 34; border: round $accent;
                       padding: 0 1; background: $surface; }
    Picker #picker-title { height: 1; text-style: bold; }
    Picker #picker-status { height: 1; color: $text-muted; }
    Picker #picker-status.-error { color: $text-error; }
    """
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="picker-cancel")]

    class Chosen(Message):
        """What the operator picked for ``path``: ``lines`` (a handle or an inline reference table each) and
        ``labels`` (line -> "name · folder" and the handle after a NUL)."""

        def __init__(self, path: str, lines: list[str], labels: dict[str, str]) -> None:
            super().__init__()
            self.path = path
            self.lines = lines
            self.labels = labels

    def __init__(self, row, session_of: Callable[[], object], *, title: str) -> None:
        super().__init__()
        translate_bindings(self)  # its footer, in the language in force
        self.row = row
        self.session_of = session_of
        self.title_text = title
        self.many = getattr(row.help_field, "kind", "") == "handles"

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(self.title_text, id="picker-title")
            yield from self.body()
            yield Static("", id="picker-status")
        yield KeyFooter(compact=True)  # as every screen's: in two rows rather than cut, in the language in force

    def body(self) -> ComposeResult:
        yield from ()

    # -- answers ---------------------------------------------------------------------------------
    def choose(self, lines: list[str], labels: dict[str, str]) -> None:
        if not lines:
            self.status(_("Nothing chosen yet: Space chooses, Esc leaves the field as it was."))
            return
        self.row.post_message(self.Chosen(self.row.path, lines, labels))
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)

    # -- work ------------------------------------------------------------------------------------
    def lookup(self, call: Callable, done: Callable, *, group: str, failed: Callable | None = None) -> None:
        """``call(session)`` in a thread worker, then ``done(result)`` on the event loop (errors in words)."""
        app = self.app

        def work():
            try:
                result = call(self.session_of())
            except Exception as error:  # a fault or the network: said on the status line, nothing changes
                app.call_from_thread(failed or self.show_error, error)
                return
            app.call_from_thread(done, result)

        self.run_worker(work, thread=True, exit_on_error=False, group=group)

    def show_error(self, error: BaseException) -> None:
        from ips_tui.tui.text import error_text

        self.status(error_text(error), error=True)

    def status(self, text: str, *, error: bool = False) -> None:
        view = self.query_one("#picker-status", Static)
        view.set_class(error, "-error")
        view.update(text)


def label(name: str, folder: str, handle: str = "") -> str:
    """The words a row shows for a picked item: name and folder, the handle secondary (after a NUL)."""
    return (f"{name} · {folder}" if folder else name) + (f"\0{handle}" if handle else "")


def short_folder(path: str) -> str:
    """A folder as the screen shows it: without the company's root folder, which every path starts with."""
    rest = path.partition("/")[2]
    return rest or "/"
