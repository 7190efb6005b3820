"""Pickers over a short list the service gives whole: publish contexts (of the job's kind) and projects —
and the destination folder, picked from the tree."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Tree
from textual.widgets.option_list import Option

from ips_tui.i18n import N_, _, ngettext
from ips_tui.tui.pickers.base import ChoiceList, Picker, label
from ips_tui.tui.pickers.tree import FolderTree


class ListPicker(Picker):
    """``what``: "context" (``contexts(type)``) or "project" (``projects()``); names stay names."""

    DEFAULT_CSS = "ListPicker ChoiceList, ListPicker ChoiceList:focus { height: 1fr; border: none; }"
    BINDINGS = [Binding("ctrl+s", "use", N_("Use chosen"), id="picker-use")]

    def __init__(self, row, session_of, *, title: str, what: str, context_type: str | None = None) -> None:
        super().__init__(row, session_of, title=title)
        self.what = what
        self.context_type = context_type
        self.entries: list = []
        self.chosen: dict[str, str] = {}

    def body(self) -> ComposeResult:
        yield ChoiceList(id="choices")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).focus()
        self.status(_("loading…"))
        if self.what == "context":
            call = lambda s: s.contexts(self.context_type)  # noqa: E731
        else:
            call = lambda s: s.projects()  # noqa: E731
        self.lookup(call, self.show, group="list")

    def show(self, entries) -> None:
        self.entries = list(entries)
        choices = self.query_one(ChoiceList)
        choices.set_options([Option(self.prompt(e)) for e in self.entries])
        if self.entries:
            choices.highlighted = 0
        self.status(ngettext("{n} to choose from", "{n} to choose from", len(self.entries)).format(
            n=len(self.entries)) + (" · " + _("Space chooses several, Enter uses them") if self.many else ""))

    def line_of(self, entry) -> str:
        from ips_tui.resolve.refs import inline

        return inline({"name": entry.name})

    def prompt(self, entry) -> str:
        mark = ("[x] " if self.line_of(entry) in self.chosen else "[ ] ") if self.many else ""
        kind = f"  {entry.type}" if getattr(entry, "type", None) else ""
        return f"{mark}{entry.name}{kind}  ({entry.handle})"

    def toggle(self, index: int | None) -> None:
        if index is None or index >= len(self.entries) or not self.many:
            return
        entry = self.entries[index]
        line = self.line_of(entry)
        if line in self.chosen:
            del self.chosen[line]
        else:
            self.chosen[line] = label(entry.name, "", entry.handle)
        self.query_one(ChoiceList).replace_option_prompt_at_index(index, self.prompt(entry))

    @on(OptionList.OptionSelected, "#choices")
    def selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if not self.chosen:
            entry = self.entries[event.option_index]
            self.chosen[self.line_of(entry)] = label(entry.name, "", entry.handle)
        self.action_use()

    def action_use(self) -> None:
        self.choose(list(self.chosen), dict(self.chosen))


class FolderPicker(Picker):
    """destFolder: Space or → opens a folder (its subfolders load then), Enter takes the highlighted one."""

    DEFAULT_CSS = "FolderPicker FolderTree { width: 1fr; border: none; }"

    def __init__(self, row, session_of, *, title: str, plain: bool = False) -> None:
        super().__init__(row, session_of, title=title)
        self.plain = plain  # the path as text (urlArray's destinations), not a { path = … } reference

    def body(self) -> ComposeResult:
        yield FolderTree(self, id="tree")

    def on_mount(self) -> None:
        tree = self.query_one(FolderTree)
        tree.auto_expand = False
        tree.focus()
        self.status(_("Space opens a folder, Enter takes it, Esc leaves the field as it was."))

    @on(Tree.NodeSelected)
    def selected(self, event) -> None:
        from ips_tui.resolve.refs import inline

        event.stop()
        tree = self.query_one(FolderTree)
        path = event.node.data or tree.root_path
        if not path:
            return  # the root is still loading
        line = path if self.plain else inline({"path": path})
        self.choose([line], {line: label(path, "")})
