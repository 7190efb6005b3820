"""Rows for the fields that take handles (``REFERENCES`` in the catalogue): the row of its kind — a list of
lines or one input, typed as before — plus **F8** (or the Pick… button) for the field's picker
(:mod:`ips_tui.tui.pickers`). What a picker chooses is written as a job file writes it, one line an item:
a handle, or a reference such as ``{ path = "AcmeRetail/spring/1001.jpg" }`` (names stay names; Submit asks
the service for the handles). Under the field: what was picked, name and folder first, the handle after."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, Input, Static

from ips_tui.i18n import N_, _, ngettext
from ips_tui.tui.widgets.fields import LinesRow
from ips_tui.tui.widgets.rows import FieldRow

#: picked items named under the field (the rest are counted)
SHOWN_PICKED = 2


class Picks:
    """Mixin: F8 opens the picker; ``Picker.Chosen`` comes back here (``labels``: line -> words shown)."""

    def pick_button(self) -> Button:
        return Button(_("Pick… F8"), compact=True, classes="pick")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if "pick" in event.button.classes:
            event.stop()
            self.action_pick()

    def action_pick(self) -> None:
        from ips_tui.tui.pickers import open_picker

        open_picker(self)

    def picked_text(self, lines: list[str], labels: dict[str, str]) -> Text:
        text = Text()
        shown = [line for line in lines if line in labels][:SHOWN_PICKED]
        for i, line in enumerate(shown):
            if i:
                text.append("; ")
            name, _sep, handle = labels[line].partition("\0")
            text.append("✓ " + name)
            if handle:
                text.append("  " + handle, style="dim")
        rest = len(lines) - len(shown)
        if shown and rest > 0:
            text.append("  " + ngettext("(+{n} more)", "(+{n} more)", rest).format(n=rest), style="dim")
        return text


#: (on each row class: Textual collects bindings from widget classes only, not from a mixin)
PICK = Binding("f8", "pick", N_("Pick…"), id="pick")


class HandleLinesRow(Picks, LinesRow):
    """An array of handles (``assetHandleArray``, ``pdfHandleArray``, ``projectHandleArray``)."""

    BINDINGS = [PICK]

    DEFAULT_CSS = """
    HandleLinesRow .pick { width: auto; min-width: 10; margin-left: 1; }
    HandleLinesRow .picked { padding-left: 31; height: auto; max-height: 2; color: $text-muted; }
    """

    def controls(self) -> ComposeResult:
        from textual.widgets import TextArea

        # not wrapped: a reference is one line, as in a job file (a long path scrolls instead)
        yield TextArea(str(self.value or ""), soft_wrap=False, show_line_numbers=True, compact=True,
                       placeholder=_("one handle per line, or F8 to pick by name; paste a block of many lines"),
                       classes="control")
        yield self.pick_button()

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", classes="picked")

    def on_picker_chosen(self, event) -> None:
        from textual.widgets import TextArea

        event.stop()
        area = self.query_one(TextArea)
        lines = [line for line in area.text.splitlines() if line.strip()]
        known = {line.strip() for line in lines}
        added = [line for line in event.lines if line not in known]
        lines += added
        text = "\n".join(lines)
        self.labels = {**getattr(self, "labels", {}), **event.labels}
        area.load_text(text)
        area.move_cursor((area.document.line_count - 1, 0))  # the start of the last line: names in view
        self._line_count = area.document.line_count
        self.show_count(self.count_text(text))
        self.query_one(".picked", Static).update(self.picked_text([line.strip() for line in lines], self.labels))
        self.store(text)


class HandleRow(Picks, FieldRow):
    """One handle (``userHandle``, ``contextHandle``, an ICC profile, ``destFolder``)."""

    BINDINGS = [PICK]

    DEFAULT_CSS = """
    HandleRow .pick { width: auto; min-width: 10; margin-left: 1; }
    HandleRow .picked { padding-left: 31; height: auto; max-height: 1; color: $text-muted; }
    """

    def controls(self) -> ComposeResult:
        from ips_tui.tui.widgets.rows import FieldInput

        words = _("required") if self.help_field.required else _("optional")
        yield FieldInput(value=str(self.value or ""), placeholder=words + " · " + _("F8 picks by name"),
                         compact=True, classes="control")
        yield self.pick_button()

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield Static("", classes="picked")

    def on_picker_chosen(self, event) -> None:
        event.stop()
        if not event.lines:
            return
        line = event.lines[0]
        self.labels = {**getattr(self, "labels", {}), **event.labels}
        self.query_one(Input).value = line  # the row's watch stores it, as a typed value is
        self.query_one(".picked", Static).update(self.picked_text([line], self.labels))


class UrlFolderRow(Picks, LinesRow):
    """``urlArray`` (``URL<TAB>path`` lines): F8 picks the folder from the tree, and every line's file goes
    there (the file name kept, or taken from the URL)."""

    BINDINGS = [PICK]
    DEFAULT_CSS = "UrlFolderRow .pick { width: auto; min-width: 10; margin-left: 1; }"

    def controls(self) -> ComposeResult:
        yield from super().controls()
        yield self.pick_button()

    def on_picker_chosen(self, event) -> None:
        from textual.widgets import TextArea

        event.stop()
        if not event.lines:
            return
        area = self.query_one(TextArea)
        text = into_folder(area.text, event.lines[0])
        area.load_text(text)
        self.show_count(self.count_text(text))
        self.store(text)


def into_folder(text: str, folder: str) -> str:
    """URL lines (``URL<TAB>path`` or ``URL path`` or a bare URL) with every destination in ``folder``: the
    file name of the path is kept, a line without one takes the URL's last segment (its query left out)."""
    from ips_tui.tui.form import split_url_line

    folder = folder if folder.endswith("/") else folder + "/"
    out = []
    for line in text.splitlines():
        if not line.strip():
            out.append(line)
            continue
        pair = split_url_line(line.strip())
        name = pair["destPath"].rstrip("/").rsplit("/", 1)[-1] if pair["destPath"] else ""
        if not name:
            name = pair["sourceUrl"].split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
        out.append(f"{pair['sourceUrl']}\t{folder}{name}")
    return "\n".join(out)


def handle_row(path: str, f, value, **kwargs):
    """The row for a field that takes references (or URL lines into a folder): a list for arrays, one input
    otherwise."""
    cls = UrlFolderRow if f.kind == "urls" else HandleLinesRow if f.kind == "handles" else HandleRow
    return cls(path, f, value, **kwargs)
