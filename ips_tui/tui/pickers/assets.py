"""Assets, PDFs and ICC profiles: search as you type (debounced, paged), the folder tree beside it, a type
filter, Space to choose several, Ctrl+A for every result of this search (kept as a search reference, as a
job file writes one) and Ctrl+L for a pasted block of names or paths (``refs.pasted``).

The search is what its reference says: the picker's words, folder and type become the same table
``{ search = …, type = …, name_contains = … }`` a job file holds, read by ``refs.parse``, so the list shown is
what Submit resolves. Each answer carries the generation it was asked for; a stale one is dropped."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Input, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from ips_tui.i18n import N_, _, ngettext
from ips_tui.tui.pickers.base import ChoiceList, Picker, label, short_folder
from ips_tui.tui.pickers.tree import FolderTree
from ips_tui.tui.turn_timer import TurnTimer

#: wait after the last key before searching (a burst of keys makes one search)
DEBOUNCE = 0.1
PER_PAGE = 50
#: the types offered by the filter (API fact sheet §4.5.3; "" any type)
TYPES = ("", "Image", "Pdf", "Video", "IccProfile", "Svg", "Word", "Excel", "PowerPoint", "Zip", "Font", "Audio")


class ResultList(ChoiceList):
    """The results: Space chooses (or un-chooses) the highlighted one; the next page loads at the end."""

    def action_page_down(self) -> None:
        super().action_page_down()
        self.screen.maybe_more(self.highlighted)

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self.screen.maybe_more(self.highlighted)

    def action_last(self) -> None:
        super().action_last()
        self.screen.maybe_more(self.highlighted)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if new_value > old_value and new_value >= self.max_scroll_y - 1:  # scrolled (the wheel) to the end
            self.screen.maybe_more(self.option_count - 1)


class AssetPicker(Picker):
    DEFAULT_CSS = """
    AssetPicker #search-bar { height: 1; }
    AssetPicker #search-bar Input { width: 1fr; }
    AssetPicker #search-bar Select { width: 18; }
    AssetPicker #panes { height: 1fr; }
    AssetPicker ResultList, AssetPicker ResultList:focus { height: 1fr; border: none; }
    AssetPicker #paste { height: 1fr; display: none; }
    AssetPicker.-pasting #paste { display: block; }
    AssetPicker.-pasting #panes { display: none; }
    """
    BINDINGS = [
        Binding("ctrl+s", "use", N_("Use chosen"), id="picker-use"),
        Binding("ctrl+a", "all_results", N_("All results"), id="picker-all"),
        Binding("ctrl+l", "paste", N_("Paste names"), id="picker-paste"),
        Binding("ctrl+f", "focus_search", N_("Search"), id="picker-search", show=False),
        Binding("down", "focus_results", N_("Results"), id="picker-results", show=False),  # from the search box
    ]

    words = reactive("")  # what is typed in the search box
    type_filter = reactive("")
    folder = reactive("")  # as the service writes it; "" the whole company
    generation = reactive(0)  # of the search the list shows, or waits for

    def __init__(self, row, session_of, *, title: str, fixed_type: str | None = None) -> None:
        super().__init__(row, session_of, title=title)
        self.fixed_type = fixed_type
        self.set_reactive(AssetPicker.type_filter, fixed_type or "")
        self.items: list = []  # the Assets listed, in order
        self.total = 0
        self.pages = 0
        self.loading_more = False
        self.chosen: dict[str, str] = {}  # line -> label, in the order chosen
        self._search_timer = TurnTimer(self, DEBOUNCE, self.search_now)  # moved back by each key
        self.shown_generation = -1  # the generation whose answer the list shows (tests and bench read it)

    def body(self) -> ComposeResult:
        with Horizontal(id="search-bar"):
            yield Input(placeholder=_("name contains…"), compact=True, id="search")
            types = [(t, t) for t in TYPES if t] if self.fixed_type is None else [(self.fixed_type, self.fixed_type)]
            yield Select(types, value=self.type_filter or Select.NULL, allow_blank=self.fixed_type is None,
                         prompt=_("any type"), compact=True, id="type", disabled=self.fixed_type is not None)
        with Horizontal(id="panes"):
            yield FolderTree(self, id="tree")
            yield ResultList(id="results")
        with Vertical(id="paste"):
            yield TextArea("", compact=True, id="paste-text", placeholder=_(
                "paste names or paths, one a line (a line with / is a path); Ctrl+S uses them"))

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self.call_after_refresh(self.search_now)  # (once mounted: what the company holds, before any words)

    def on_unmount(self) -> None:
        self._search_timer.cancel()  # (the loop's timer does not end with the screen)

    # -- state -----------------------------------------------------------------------------------
    @on(Input.Changed, "#search")
    def typed(self, event: Input.Changed) -> None:
        event.stop()
        self.words = event.value

    @on(Input.Submitted, "#search")
    def search_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.search_now()  # at once, without the debounce
        self.action_focus_results()

    @on(Select.Changed, "#type")
    def typed_type(self, event: Select.Changed) -> None:
        event.stop()
        self.type_filter = "" if event.value is Select.NULL else str(event.value)

    @on(FolderTree.NodeSelected)
    def folder_selected(self, event) -> None:
        event.stop()
        self.folder = event.node.data or ""

    def watch_words(self) -> None:
        self.search_soon()

    def watch_type_filter(self) -> None:
        self.search_now()

    def watch_folder(self) -> None:
        self.search_now()

    def search_soon(self) -> None:
        self._search_timer.start()

    @property
    def search_pending(self) -> bool:
        """A search waits for the typing to stop (tests and the benchmark wait for it)."""
        return self._search_timer.pending

    # -- the search ------------------------------------------------------------------------------
    def reference(self) -> dict:
        """This search as a job file writes it."""
        out: dict = {"search": self.folder}
        if self.type_filter:
            out["type"] = self.type_filter
        if self.words.strip():
            out["name_contains"] = self.words.strip()
        return out

    def search_query(self):
        from ips_tui.resolve.refs import parse

        f = self.row.help_field
        ref, _problems = parse(f, self.reference(), self.row.path, (), many=True)
        if ref is not None:
            return ref.query
        from ips_tui.ips.lookup import AssetQuery, Condition  # an ICC profile: a field that takes no search

        words = self.words.strip()
        return AssetQuery(folder=self.folder or None, types=(self.type_filter,) if self.type_filter else (),
                          conditions=(Condition("Name", "Contains", words),) if words else ())

    def search_now(self) -> None:
        self._search_timer.cancel()
        if not self.is_mounted:
            return
        self.generation += 1
        generation, query = self.generation, self.search_query()
        self.loading_more = False
        self.status(_("searching…"))
        self.lookup(lambda s: s.search(query, 1, PER_PAGE), lambda page: self.show_page(generation, page),
                    group="search")

    def show_page(self, generation: int, page) -> None:
        if generation != self.generation:
            return  # the answer to an older search: a newer one is on its way
        results = self.query_one(ResultList)
        if page.page == 1:
            self.items = []
            results.clear_options()
        self.items += page.items
        self.total, self.pages = page.total, page.page
        self.loading_more = False
        results.add_options([Option(self.prompt(a), id=str(len(self.items) - len(page.items) + i))
                             for i, a in enumerate(page.items)])
        if page.page == 1 and self.items:
            results.highlighted = 0
        self.shown_generation = generation
        self.show_counts()

    def maybe_more(self, index: int | None) -> None:
        """At (or near) the end of the list: ask for the next page, once."""
        if index is None or self.loading_more or len(self.items) >= self.total or index < len(self.items) - 5:
            return
        self.loading_more = True
        generation, query, page = self.generation, self.search_query(), self.pages + 1
        self.lookup(lambda s: s.search(query, page, PER_PAGE), lambda p: self.show_page(generation, p),
                    group="search")

    # -- choosing --------------------------------------------------------------------------------
    def line_of(self, asset) -> str:
        from ips_tui.resolve.refs import inline

        return inline({"path": asset.path})

    def prompt(self, asset) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("[x] " if self.line_of(asset) in self.chosen else "[ ] ")
        text.append(asset.name, style="bold")
        text.append(f"  {short_folder(asset.folder)}" + ("" if self.type_filter else f"  {asset.type}"))
        text.append(f"  {asset.handle}", style="dim")
        if asset.in_trash:
            text.append("  " + _("(in the trash)"), style="italic")
        return text

    def toggle(self, index: int | None) -> None:
        if index is None or index >= len(self.items):
            return
        asset = self.items[index]
        line = self.line_of(asset)
        if line in self.chosen:
            del self.chosen[line]
        elif self.many or not self.chosen:
            self.chosen[line] = label(asset.name, short_folder(asset.folder), asset.handle)
        else:  # one value only: the new choice replaces the old
            self.chosen = {line: label(asset.name, short_folder(asset.folder), asset.handle)}
            self.refresh_prompts()
        self.query_one(ResultList).replace_option_prompt_at_index(index, self.prompt(asset))
        self.show_counts()
        if self.many:
            self.query_one(ResultList).action_cursor_down()

    def refresh_prompts(self) -> None:
        results = self.query_one(ResultList)
        for i, asset in enumerate(self.items):
            results.replace_option_prompt_at_index(i, self.prompt(asset))

    def show_counts(self) -> None:
        shown = ngettext("{n} match", "{n} matches", self.total).format(n=f"{self.total:,}")
        if self.items and len(self.items) < self.total:
            shown = _("{first}–{last} of {matches}").format(first=1, last=len(self.items), matches=shown)
        chosen = ngettext("{n} chosen", "{n} chosen", len(self.chosen)).format(n=len(self.chosen))
        self.status(f"{shown} · {chosen}")

    @on(OptionList.OptionSelected, "#results")
    def selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on a result: use what is chosen, or this one when nothing is."""
        event.stop()
        if not self.chosen:
            self.toggle(event.option_index)
        self.action_use()

    def action_use(self) -> None:
        if self.has_class("-pasting"):
            self.use_pasted()
            return
        self.choose(list(self.chosen), dict(self.chosen))

    def action_all_results(self) -> None:
        """Every result of this search, as one search reference (Submit finds them all again)."""
        from ips_tui.resolve.refs import inline

        if not self.many:
            self.status(_("This field takes one item: choose it with Space or Enter."), error=True)
            return
        ref = self.reference()
        words = ngettext("all {n} result of this search", "all {n} results of this search", self.total).format(
            n=f"{self.total:,}")
        where = ref["search"] or _("the whole company")
        self.choose([inline(ref)], {inline(ref): label(words, where)})

    def action_paste(self) -> None:
        pasting = not self.has_class("-pasting")
        self.set_class(pasting, "-pasting")
        (self.query_one("#paste-text", TextArea) if pasting else self.query_one(ResultList)).focus()

    def use_pasted(self) -> None:
        from ips_tui.resolve.refs import inline, pasted

        items = pasted(self.query_one("#paste-text", TextArea).text)
        lines = [inline(item) for item in items]
        if not self.many:
            lines = lines[:1]
        self.choose(lines, {})

    def action_focus_results(self) -> None:
        self.query_one(ResultList).focus()

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()
