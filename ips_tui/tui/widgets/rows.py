"""A row of the form: a label, its control and the problems found at its path.

Kept apart from the other field widgets so the first screen (the company handle) loads only this.
"""

from __future__ import annotations

from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from ips_tui.i18n import _, ngettext
from ips_tui.tui.repaint import hold_repaint

MAX_SHOWN_ERRORS = 3


class FormHost:
    """What a screen with a form gives its rows, downwards: ``form`` (a FormState) to read and ``report``
    (a reactive Report: the problems and line numbers) to watch. Rows never call it: changes go up as
    :class:`FieldRow.Changed` messages."""

    form = None


def host_of(widget: Widget) -> FormHost | None:
    screen = widget.screen
    return screen if isinstance(screen, FormHost) else None


def field_label(f) -> str:
    return f.label if f.label != f.name else f.name


def placeholder_for(f) -> str:
    if f.kind in ("int", "double"):
        lo, hi = f.bounds or (None, None)
        word = _("whole number") if f.kind == "int" else _("number")
        if lo is not None and hi is not None:
            return f"{word} {lo:g}–{hi:g}"
        if lo is not None:
            return f"{word} ≥ {lo:g}"
        return word
    if f.kind == "handles":
        return _("one handle per line; paste a block of many lines")
    if f.kind == "urls":
        return _("one per line: URL<TAB>path or URL path; paste a block of many lines")
    return _("required") if f.required else _("optional")


def marked(label: str, invalid: bool) -> Content:
    """A row's label, in the theme's error colour while the row has a problem (its words are the ✗ line
    under it; the colour is second)."""
    return Content.styled(label, "$text-error") if invalid else Content(label)


class FieldInput(Input):
    """Textual's Input, without a whole-screen layout on every keystroke.

    Input records its text width as its virtual size, a layout reactive: each key reflows the whole screen
    (every row, the bands, the footer) though a fixed-size input's place never changes. Here the virtual
    size is set quietly when the input's own size is fixed; the input still repaints itself. A change of
    its text holds the screen's repaints a moment (:mod:`ips_tui.tui.repaint`), so the key and what the
    screen shows in answer are one frame.

    It has no validators (the form checks every field, and its problem line says what is wrong), so Textual's
    own validation is off: with none it still set the ``-valid`` class on the first change, a restyle of the
    input (about 1 ms) on the first key typed into each field.

    Its row watches its ``value`` (:class:`FieldRow`), so Textual's ``Input.Changed`` is not posted: it went up
    through the row's bar and the row on each key, three dispatches for what the watch hears at once."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("validate_on", ())
        super().__init__(*args, **kwargs)

    def post_message(self, message) -> bool:
        if isinstance(message, Input.Changed):
            return False
        return super().post_message(message)

    def _watch_value(self, value: str) -> None:
        hold_repaint(self.app)  # the key and the screen's answer to it in one frame
        if not self.styles.auto_dimensions:
            from textual.geometry import Size
            from textual.widget import Widget

            self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)


class Words(Static):
    """A Static of words that are never a link (labels, problem lines, the status line): Textual's link
    styling, a pass over every line on each redraw, is left out."""

    auto_links = Reactive(False)


def row_label(text: str) -> Words:
    """A row's label (its text is the field's name, never markup)."""
    return Words(text, classes="label", markup=False)


class ProblemsView(Words):
    """The error line(s) under a field: words first (✗), colour second."""

    DEFAULT_CSS = """
    ProblemsView { display: none; height: auto; padding-left: 2; }
    ProblemsView.-shown { display: block; }
    """

    def show_messages(self, messages: list[str]) -> None:
        if not messages:
            self.remove_class("-shown")
            self.update("")
            return
        self.update(problem_text(messages))
        self.add_class("-shown")


def problem_text(messages: list[str], each: Callable[[str], Text] | None = None) -> Text:
    """The ✗ lines of ``messages``: the first :data:`MAX_SHOWN_ERRORS`, then how many more; ``each`` makes
    one message's lines (by default "✗ " and its words)."""
    text = Text()
    for i, message in enumerate(messages[:MAX_SHOWN_ERRORS]):
        if i:
            text.append("\n")
        text.append_text(each(message) if each else Text("✗ " + message))
    extra = len(messages) - MAX_SHOWN_ERRORS
    if extra > 0:
        text.append("\n" + ngettext("… and {n} more problem", "… and {n} more problems", extra).format(n=extra))
    return text


class Row(Vertical):
    """Base of everything that shows problems for a path."""

    help_field = None  # the catalogue Field F1 explains
    #: the view of the row's problem lines (it has ``show_messages``)
    problems_view: type[Widget] = ProblemsView

    def __init__(self, path: str, f=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.help_field = f
        self.problem_count = 0

    _host: FormHost | None = None

    def on_mount(self) -> None:
        self._host = host = host_of(self)
        if host is not None:
            self.watch(host, "report", self.show_report, init=True)

    # Textual's :focus-within is not reapplied to a row's children when the focus moves to another row
    # (the label left behind stayed marked, the new one was not): the row marks itself, ``-focus``
    def on_descendant_focus(self, _event) -> None:
        self.set_class(True, "-focus")
        self.mark_label()

    def on_descendant_blur(self, _event) -> None:
        self.set_class(False, "-focus")
        self.mark_label()

    def show_report(self, report) -> None:
        self.set_problems(report.problems, report.lines)

    def mine(self, problems: list[tuple[str, str]]) -> list[str]:
        return [m for p, m in problems if p == self.path]

    def set_problems(self, problems: list[tuple[str, str]], lines: dict[str, list[int]]) -> None:
        messages = self.mine_with_lines(problems, lines)
        if messages == getattr(self, "_shown_messages", None):
            return  # unchanged: no restyle (this runs for every row on every keystroke)
        self._shown_messages = messages
        self.problem_count = len(messages)
        if self.has_class("-invalid") != bool(messages):
            self.set_class(bool(messages), "-invalid", update=False)
            self.mark_label()
        for view in self.query_children(self.problems_view):
            view.show_messages(messages)

    _label_marked = False

    def mark_label(self) -> None:
        """The label in the error colour while the row has a problem and not the focus. The field being typed
        in says what is wrong in its problem line, and the focus's reverse sets its label apart; a label
        that changed colour as the text turned valid and invalid was one more redraw on those keys.

        The colour is carried by the label's text: a restyle of the label (before that, of the whole row:
        its input, its problem lines) on each turn between valid and invalid cost 1–1.3 ms."""
        mark = self.has_class("-invalid") and not self.has_class("-focus")
        if mark == self._label_marked:
            return
        self._label_marked = mark
        for bar in self.query_children(Horizontal):
            for label in bar.query_children(".label"):
                label.update(marked(str(label.content), mark), layout=False)

    def mine_with_lines(self, problems, lines) -> list[str]:
        return self.mine(problems)


class FieldRow(Row):
    """A label and one control."""

    DEFAULT_CSS = """
    FieldRow { height: auto; }
    FieldRow > Horizontal { height: auto; }
    FieldRow .label { width: 30; padding-right: 1; }
    FieldRow.-wide .label { width: 100%; }
    FieldRow .control { width: 1fr; }
    """

    class Changed(Message):
        """What the operator typed or chose at ``path`` (None: back to not set)."""

        def __init__(self, path: str, value: Any) -> None:
            super().__init__()
            self.path = path
            self.value = value

    def __init__(self, path: str, f, value: Any = None, *, label: str | None = None, **kwargs) -> None:
        super().__init__(path, f, **kwargs)
        self.value = value
        self.text_label = label or field_label(f)

    def label_text(self) -> str:
        mark = " *" if self.help_field is not None and self.help_field.required else ""
        return self.text_label + mark

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield row_label(self.label_text())
            yield from self.controls()
        yield self.problems_view()

    def controls(self) -> ComposeResult:
        f = self.help_field
        yield FieldInput(value=str(self.value or ""), placeholder=placeholder_for(f), compact=True,
                         classes="control", id=None)

    def on_mount(self) -> None:
        # what is typed (or set: a pick, a preset) goes to the form; Row.on_mount runs too
        for bar in self.query_children(Horizontal):
            for box in bar.query_children(FieldInput):
                self.watch(box, "value", self.typed, init=False)

    def typed(self, value: str) -> None:
        self.store(value)

    def store(self, value: Any) -> None:
        # to the screen that owns the form, not up through the step's containers: each level a message
        # passes is a turn of that widget's queue (four or five a key); what a step shows of the change it
        # follows from the form
        host = self._host
        (host if host is not None else self).post_message(self.Changed(self.path, value))
