"""Form widgets generated from the job catalogue.

Every row knows its *path* (``uploadUrlsJob.manualCropOptions.left``), writes what is typed into
the wizard's :class:`~ips_tui.tui.form.FormState` and shows the problems the wizard finds there.
Texts: Input; enums: Select; booleans: Switch with the state in words; arrays: a text area, one
item per line (a pasted block of hundreds of lines is fine); nested option groups: folded until
opened; exclusion groups (one crop option, one follow-on publish job): a chooser showing only the
chosen member.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Select, Static, Switch

from ips_tui.i18n import N_, _, ngettext
from ips_tui.tui.form import locate
from ips_tui.tui.widgets.rows import FieldRow, ProblemsView, Row, field_label, host_of, placeholder_for
from ips_tui.tui.widgets.steady import SteadyLines, problem_band


class EnumRow(FieldRow):
    def controls(self) -> ComposeResult:
        f = self.help_field
        options = [(c, c) for c in f.choices]
        value = self.value if self.value in f.choices else Select.NULL
        prompt = _("(choose)") if f.required else _("(not set)")
        yield Select(options, value=value, allow_blank=True, prompt=prompt, compact=True, classes="control")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self.store("" if event.value is Select.NULL else event.value)


class TriSwitch(Switch):
    """A switch that can also be *not set* (the service default applies): Delete resets it."""

    BINDINGS = [Binding("delete,backspace", "reset", N_("Use default"), show=False)]

    class Reset(Message):
        pass

    def action_reset(self) -> None:
        self.post_message(self.Reset())


class BoolRow(FieldRow):
    DEFAULT_CSS = """
    BoolRow Switch { border: none; height: 1; width: 6; padding: 0; }
    BoolRow .state { width: 1fr; padding-left: 1; }
    """

    def controls(self) -> ComposeResult:
        switch = TriSwitch(value=bool(self.value), animate=False, classes="control-switch")
        yield switch
        yield Static(self.state_words(self.value), classes="state")

    def state_words(self, value) -> str:
        if value is None or not isinstance(value, bool):
            if self.help_field.required:
                return _("no")
            return _("not set (service default) · Space sets")
        word = _("yes") if value else _("no")
        return word if self.help_field.required else word + "  · " + _("Delete: default")

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        if getattr(self, "_resetting", False):
            return
        self.value = event.value
        self.query_one(".state", Static).update(self.state_words(event.value))
        self.store(event.value)

    def on_tri_switch_reset(self, event: TriSwitch.Reset) -> None:
        event.stop()
        if self.help_field.required:
            return
        self.value = None
        self._resetting = True
        self.query_one(TriSwitch).value = False
        self.call_after_refresh(setattr, self, "_resetting", False)
        self.query_one(".state", Static).update(self.state_words(None))
        self.store(None)


class ListProblems(SteadyLines):
    """A list's problem lines: room for two from the start (a line being typed has a problem with its URL
    and one with its path), so the first key of a new line does not lay out the step."""

    SECTIONS = (problem_band(2),)


class LinesRow(FieldRow):
    """An array as lines of text: handles, or URL pairs (``URL<TAB>path`` / ``URL path``)."""

    # Ctrl+L empties the list (a paste of thousands of lines is otherwise deleted line by line); Ctrl+Z undoes it
    # (said beside the count, not in the footer: the footer keeps its room for the wizard's own keys)
    BINDINGS = [Binding("ctrl+l", "clear_list", N_("Clear list"), id="clear_list", show=False)]
    DEFAULT_CSS = """
    LinesRow > Horizontal { height: auto; }
    LinesRow TextArea { height: 7; width: 1fr; }
    LinesRow .count { padding-left: 31; height: 1; }
    /* URL pairs take the whole width under their label: a line wraps between its URL and its path */
    LinesRow.-urls > Horizontal { layout: vertical; }
    LinesRow.-urls .label { width: 100%; }
    LinesRow.-urls .count { padding-left: 0; }
    """

    # a line's problem appearing, changing or going while typing repaints its lines, not the whole step
    problems_view = ListProblems

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        from ips_tui.tui.text import translate_bindings

        translate_bindings(self)  # its footer key, in the language in force

    def on_show(self) -> None:
        for view in self.query_children(ListProblems):
            view.reset_height()  # the room kept while typing is given back on a new visit

    def controls(self) -> ComposeResult:
        from textual.widgets import TextArea

        yield TextArea(str(self.value or ""), soft_wrap=True, show_line_numbers=True, compact=True,
                       placeholder=placeholder_for(self.help_field), classes="control")

    def compose(self) -> ComposeResult:
        self.set_class(self.help_field.kind == "urls", "-urls")
        yield from super().compose()
        yield Static(self.count_text(str(self.value or "")), classes="count")

    def count_text(self, text: str | None = None, n: int | None = None) -> str:
        from ips_tui.tui.form import parse_lines

        n = len(parse_lines(text or "")) if n is None else n
        limit = self.help_field.max_items
        words = ngettext("{n} item", "{n} items", n).format(n=n)
        if limit:
            words += " " + _("(at most {limit})").format(limit=limit)
        if n:
            words += " · " + _("Ctrl+L empties the list")
        return words

    def action_clear_list(self) -> None:
        from textual.widgets import TextArea

        area = self.query_one(TextArea)
        if area.text:
            area.clear()  # an edit like any other: Ctrl+Z brings the lines back
            area.focus()

    def on_text_area_changed(self, event) -> None:
        # the count follows the whole-request check (its line numbers), not every key: a pasted block of
        # thousands of lines is not split again per keystroke
        event.stop()
        text = event.text_area.text
        lines = event.text_area.document.line_count
        if lines != getattr(self, "_line_count", None):  # a line added or removed (Enter, a paste): count now
            self._line_count = lines
            self.show_count(self.count_text(text))
        self.store(text)

    def show_report(self, report) -> None:
        super().show_report(report)
        if self.is_mounted:
            self.show_count(self.count_text(n=len(report.lines.get(self.path, []))))

    def show_count(self, words: str) -> None:
        """The count line, when its words change: one line always (its CSS), so nothing below moves."""
        if words != getattr(self, "_count_words", None):
            self._count_words = words
            self.query_one(".count", Static).update(words, layout=False)

    def mine_with_lines(self, problems, lines) -> list[str]:
        out = []
        numbers = lines.get(self.path, [])
        for path, message in problems:
            base, index, rest = locate(path)
            if base != self.path:
                continue
            if index is None:
                out.append(message)
                continue
            line = numbers[index] if index < len(numbers) else index + 1
            where = _("line {n}").format(n=line)
            out.append(f"{where}: {rest + ': ' if rest else ''}{message}")
        return out


def row_for(path: str, f, value: Any) -> Widget:
    if f.reference or f.kind == "urls":  # a field that takes handles (or URLs into a folder) has a picker (F8)
        from ips_tui.tui.widgets.handles import handle_row

        return handle_row(path, f, value)
    if f.kind == "enum":
        return EnumRow(path, f, value)
    if f.kind == "boolean":
        return BoolRow(path, f, value if isinstance(value, bool) else None)
    if f.kind in ("handles", "urls"):
        return LinesRow(path, f, value)
    return FieldRow(path, f, value)


# -- groups -------------------------------------------------------------------------------------


class FoldHeader(Static, can_focus=True):
    """The title line of a folded group: Enter or Space opens it."""

    BINDINGS = [Binding("enter,space", "toggle", N_("Open/close"), show=False)]
    DEFAULT_CSS = "FoldHeader { height: 1; } FoldHeader:focus { text-style: bold reverse; }"

    def action_toggle(self) -> None:
        self.parent.toggle()

    def on_click(self) -> None:
        self.parent.toggle()


class GroupBox(Row):
    """A nested option group (``colorManagementOptions``): folded until opened."""

    DEFAULT_CSS = """
    GroupBox { height: auto; }
    GroupBox > .body { height: auto; padding-left: 2; display: none; }
    GroupBox.-open > .body { display: block; }
    GroupBox.-invalid > FoldHeader { color: $text-error; }
    """

    def __init__(self, path: str, f, *, title: str | None = None, open_: bool = False, **kwargs) -> None:
        super().__init__(path, f, **kwargs)
        self.title = title
        self.is_open = open_ or f.required
        self.built = False
        self.nested = 0

    def compose(self) -> ComposeResult:
        yield FoldHeader(self.header_text())
        yield ProblemsView()
        yield Vertical(classes="body")

    def on_mount(self) -> None:
        if self.is_open:
            self.open()

    def header_text(self) -> Text:
        f = self.help_field
        wizard = host_of(self) if self.is_mounted else None
        text = Text()
        text.append("▾ " if self.is_open else "▸ ")
        text.append(self.title or field_label(f), style="bold")
        text.append(" *" if f.required else "")
        bits = []
        if wizard is not None and has_values(wizard.form, self.path + "."):
            bits.append(_("set"))
        elif not f.required:
            bits.append(_("optional"))
        if self.nested:
            bits.append(ngettext("{n} problem", "{n} problems", self.nested).format(n=self.nested))
        if bits:
            text.append("  (" + ", ".join(bits) + ")", style="italic")
        if not self.is_open:
            text.append("  " + _("Enter to open"), style="dim")
        return text

    def refresh_header(self) -> None:
        self.query_one(FoldHeader).update(self.header_text())

    def toggle(self) -> None:
        if self.is_open:
            self.is_open = False
            self.remove_class("-open")
            self.refresh_header()
        else:
            self.open()

    def open(self) -> None:
        self.is_open = True
        self.add_class("-open")
        if not self.built:
            self.built = True
            wizard = host_of(self)
            body = self.query_one(".body", Vertical)
            body.mount_all(build_rows(self.help_field.fields, self.path, wizard.form.values if wizard else {},
                                      wizard.form.choices if wizard else {}))
        self.refresh_header()

    def set_problems(self, problems, lines) -> None:
        own = self.mine(problems)
        prefix = self.path + "."
        nested = sum(1 for p, _m in problems if p.startswith(prefix))
        wizard = host_of(self)
        state = (own, nested, has_values(wizard.form, prefix) if wizard else False, self.is_open)
        if state == getattr(self, "_shown_state", None):
            return
        self._shown_state = state
        self.nested = nested
        self.problem_count = len(own)
        self.set_class(bool(own) or bool(self.nested), "-invalid")
        self.query_one(ProblemsView).show_messages(own)
        self.refresh_header()


class ChoiceBox(Row):
    """One member of an exclusion group at most: ``Crop: none | Manual | Auto colour | Auto transparent``."""

    DEFAULT_CSS = """
    ChoiceBox { height: auto; }
    ChoiceBox > Horizontal { height: auto; }
    ChoiceBox .label { width: 30; padding-right: 1; }
    ChoiceBox.-focus > Horizontal > .label { text-style: bold reverse; }
    ChoiceBox .control { width: 1fr; }
    ChoiceBox > .body { height: auto; padding-left: 2; }
    """

    class Chosen(Message):
        """The member chosen in the exclusion group ``key`` ("" none)."""

        def __init__(self, key: str, member: str) -> None:
            super().__init__()
            self.key = key
            self.member = member

    GROUP_TITLES = {"crop": N_("Crop (one of)"), "follow-on publish": N_("Follow-on publish (one of)")}

    def __init__(self, prefix: str, group: str, members: list, chosen: str, **kwargs) -> None:
        super().__init__(f"{prefix}#{group}", members[0], **kwargs)
        self.prefix = prefix
        self.group = group
        self.members = members
        self.chosen = chosen if chosen in {m.name for m in members} else ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Static(_(self.GROUP_TITLES.get(self.group, self.group)), classes="label")
            options = [(field_label(m), m.name) for m in self.members]
            yield Select(options, value=self.chosen or Select.NULL, allow_blank=True, prompt=_("(none)"),
                         compact=True, classes="control")
        yield ProblemsView()
        yield Vertical(classes="body")

    def on_mount(self) -> None:
        self.show_member()

    def member(self):
        return next((m for m in self.members if m.name == self.chosen), None)

    def show_member(self) -> None:
        body = self.query_one(".body", Vertical)
        body.remove_children()
        m = self.member()
        self.help_field = m or self.members[0]
        if m is None:
            return
        wizard = host_of(self)
        values = wizard.form.values if wizard else {}
        body.mount_all(build_rows(m.fields, f"{self.prefix}.{m.name}", values, wizard.form.choices if wizard else {}))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.parent is not self.query_one(Horizontal):
            return
        event.stop()
        chosen = "" if event.value is Select.NULL else str(event.value)
        if chosen == self.chosen:
            return
        self.chosen = chosen
        self.post_message(self.Chosen(self.path, chosen))
        self.show_member()

    def mine(self, problems) -> list[str]:
        m = self.member()
        if m is None:
            return []
        member_path = f"{self.prefix}.{m.name}"
        return [msg for p, msg in problems if p == member_path]


def has_values(form, prefix: str) -> bool:
    return any(k.startswith(prefix) and v not in ("", None) for k, v in form.values.items())


def build_rows(fields, prefix: str, values: dict, choices: dict) -> list[Widget]:
    """Rows for ``fields`` in schema order; exclusion groups become one chooser where the first member was."""
    out: list[Widget] = []
    done_groups: set[str] = set()
    for f in fields:
        path = f"{prefix}.{f.name}"
        if f.exclusive:
            if f.exclusive in done_groups:
                continue
            done_groups.add(f.exclusive)
            members = [m for m in fields if m.exclusive == f.exclusive]
            out.append(ChoiceBox(prefix, f.exclusive, members, choices.get(f"{prefix}#{f.exclusive}", "")))
            continue
        if f.kind == "group":
            out.append(GroupBox(path, f, open_=any(k.startswith(path + ".") for k, v in values.items()
                                                   if v not in ("", None))))
            continue
        out.append(row_for(path, f, values.get(path)))
    return out
