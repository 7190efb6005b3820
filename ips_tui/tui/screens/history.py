"""The submission journal on screen: past submissions, newest first, with what each one sent (its job
file) and what became of it. A past job can be re-opened in the wizard as a new draft, or saved as a job
file for ``ips-tui submit``. The same information as ``ips-tui history``.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static, TextArea
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.widgets.chrome import EnvBar, KeyFooter
from ips_tui.tui.widgets.row_table import RowTable
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe
from ips_tui.store.journal_entry import source_words
from ips_tui.tui.compositor import NarrowRepaints

LIMIT = 200

STATE_WORDS = {
    "pending": N_("pending"),
    "sent": N_("sent"),
    "submitted": N_("submitted"),
    "failed": N_("failed"),
    "unknown": N_("unknown"),
    "reconciled": N_("found"),
}
STATE_MARKS = {"submitted": "✓", "reconciled": "✓", "failed": "✗", "unknown": "?", "sent": "…", "pending": "…"}


class HistoryScreen(NarrowRepaints, Screen):
    """Dismissed with ("draft", entry) when the operator re-opens an entry, ("draft", entry, (name, handle))
    when it is re-opened for another company, else None."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="back"),
        Binding("o", "reopen", N_("Open as new draft"), id="reopen"),
        Binding("c", "reopen_for", N_("Open for a company"), id="reopen_company"),
        Binding("ctrl+s", "save", N_("Save job file"), id="save"),
        Binding("ctrl+y", "copy", N_("Copy handle"), id="copy"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="refresh"),
    ]
    DEFAULT_CSS = """
    HistoryScreen #history-head { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap;
                                  text-overflow: ellipsis; }
    HistoryScreen #entries { height: 1fr; }
    HistoryScreen #entry-meta { height: auto; max-height: 5; padding: 0 1; background: $boost; }
    HistoryScreen #entry-request { height: 1fr; }
    """

    def __init__(self, connection=None, state_dir: str | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.connection, self.state_dir = connection, state_dir
        self.entries: list = []

    def compose(self) -> ComposeResult:
        yield EnvBar()
        yield Static(id="history-head")
        yield RowTable(id="entries", cursor_type="row", zebra_stripes=True)  # End: the oldest entry
        yield Static(id="entry-meta")
        yield TextArea("", id="entry-request", read_only=True, soft_wrap=False, compact=True)
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        from ips_tui.tui.screens.jobs_actions import company_label

        c = self.connection
        bar = self.query_one(EnvBar)
        if c is not None:
            bar.show(c.environment, user=c.user, url=c.shown_url())
        else:
            bar.show("sandbox" if self.app.options.sandbox else "custom", status=_("submission history"))
        self._company_label = (lambda h: company_label(c, h)) if c is not None else (lambda h: h)
        table = self.query_one("#entries", DataTable)
        table.add_columns("#", _("When"), _("State"), _("Company"), _("Job"), _("Handle or error"))
        self.query_one("#history-head", Static).update(_("Reading the journal…"))
        table.focus()
        self.load()

    # -- reading ----------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="history")
    def load(self):
        from ips_tui.store.journal import open_journal

        journal = open_journal(self.state_dir)
        try:
            return journal.entries(limit=LIMIT)
        finally:
            journal.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "history":
            return
        if event.state == WorkerState.SUCCESS:
            self.show_entries(event.worker.result)
        elif event.state == WorkerState.ERROR:
            text = self.app.report_error(event.worker.error, _("Reading the submission journal"))
            self.query_one("#history-head", Static).update("✗ " + text)

    def action_refresh(self) -> None:
        self.load()

    def show_entries(self, entries: list) -> None:
        self.entries = entries
        table = self.query_one("#entries", DataTable)
        keep = self.selected()
        table.clear()
        local = self.app.local_zone()
        for e in entries:
            result = e.handle or (e.error_message or "")
            table.add_row(
                str(e.id), _when(e.created_at, local),
                Text(f"{STATE_MARKS.get(e.state, '')} {_(STATE_WORDS.get(e.state, e.state))}".strip()),
                Text(visible(e.company)), Text(visible(e.job_name)), Text(visible(result)), key=str(e.id))
        if keep is not None and any(e.id == keep.id for e in entries):
            table.move_cursor(row=table.get_row_index(str(keep.id)), animate=False)
        head = _("Submission history: {n} shown, newest first").format(n=len(entries)) if entries else \
            _("Nothing submitted yet: jobs you submit are listed here.")
        self.query_one("#history-head", Static).update(head)
        self.show_entry()
        self.refresh_bindings()

    def selected(self):
        found = self.query("#entries")
        if not found:  # the screen is being closed (Esc right after F4): its keys are asked for still
            return None
        table = found.first(DataTable)
        if not table.row_count or table.cursor_row is None:
            return None
        try:
            key = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        except Exception:
            return None
        return next((e for e in self.entries if str(e.id) == key), None)

    @on(DataTable.RowHighlighted, "#entries")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_entry()
        self.refresh_bindings()

    @on(DataTable.RowSelected, "#entries")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_reopen()

    def show_entry(self) -> None:
        e = self.selected()
        meta = self.query_one("#entry-meta", Static)
        area = self.query_one("#entry-request", TextArea)
        if e is None:
            meta.update("")
            area.load_text("")
            return
        text = Text()
        text.append(f"#{e.id} {visible(e.job_name)}", style="bold")
        text.append(f"  ·  {_(STATE_WORDS.get(e.state, e.state))}")
        if e.handle:
            text.append(f"  ·  {visible(e.handle)}")
        sent = _when(e.sent_time, self.app.local_zone()) if e.sent_time else None
        for label, value in ((_("error"), e.error_message), (_("note"), e.note), (_("sent"), sent),
                             (_("service"), e.url), (_("user"), e.user), source_words(e.source) or ("", "")):
            if value:
                text.append(f"\n{label}: ", style="bold")
                text.append(str(value))
        meta.update(text)
        if area.text != e.request:
            area.load_text(e.request)

    # -- actions ----------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("reopen", "save"):
            return self.is_mounted and self.selected() is not None
        if action == "reopen_for":
            return self.is_mounted and self.selected() is not None and len(self._companies()) > 1
        if action == "copy":
            e = self.selected() if self.is_mounted else None
            return bool(e and e.handle)
        return True

    def action_close(self) -> None:
        self.dismiss(None)

    def action_reopen(self) -> None:
        e = self.selected()
        if e is None:
            return
        try:
            e.job_request()
        except Exception as error:  # a request the journal kept that no longer parses
            self.app.report_error(error, _("Re-opening #{id}").format(id=e.id))
            return
        self.dismiss(("draft", e))

    def _companies(self) -> dict[str, str]:
        return dict(getattr(self.connection, "companies", None) or {})

    def action_reopen_for(self) -> None:
        """Re-open the entry for another of the profile's companies: every field kept, the company changed,
        the job name saying which company (as ``ips-tui submit --company`` names it)."""
        from ips_tui.tui.screens.company_choice import CompanyChoice

        e = self.selected()
        if e is None:
            return
        try:
            e.job_request()
        except Exception as error:
            self.app.report_error(error, _("Re-opening #{id}").format(id=e.id))
            return

        def chosen(company: tuple[str, str] | None) -> None:
            if company is not None:
                self.dismiss(("draft", e, company))

        self.app.push_screen(CompanyChoice(_("Re-open #{id} for which company?").format(id=e.id),
                                           self._companies(), current=e.company), chosen)

    def action_copy(self) -> None:
        e = self.selected()
        if e is not None and e.handle:
            self.app.copy_to_clipboard(e.handle)
            self.notify(_("Copied the job handle (OSC 52)."))

    def action_save(self, value: str | None = None, note: str | None = None) -> None:
        from ips_tui.tui.screens.modals import PathScreen

        e = self.selected()
        if e is None:
            return
        if value is None:
            name = (e.job_name or "job").strip() or "job"
            value = str(Path.cwd() / f"{name}.toml")
        note = note or _("A TOML job file: ips-tui submit FILE sends it.")

        def chosen(path: str | None) -> None:
            if path:
                self.write_job_file(e, path)

        self.app.push_screen(PathScreen(_("Save as job file"), value, note), chosen)

    def write_job_file(self, entry, typed: str) -> bool:
        """Write the entry's job file to ``typed`` (never over an existing file); on a problem, ask again
        with what was typed."""
        from ips_tui.store.atomic import atomic_write_text

        target = Path(typed).expanduser()
        try:
            atomic_write_text(target, entry.request, replace=False)
        except FileExistsError:
            text = _("{path} exists; choose another name (nothing was written).").format(path=target)
            self.app.report_error(FileExistsError(text))
            self.action_save(typed, text)
            return False
        except OSError as error:
            text = self.app.report_error(error, _("Saving the job file"))
            self.action_save(typed, text)
            return False
        self.notify(_("Saved {path}").format(path=target))
        return True


def for_another_company(data: dict, company: tuple[str, str], connection=None) -> dict:
    """The request ``data`` for ``company`` (name, handle): every field kept, the handle changed, the job name
    ending in the company's label as ``ips-tui submit --company`` names it (the old company's label, when
    the name ended in it, replaced rather than kept)."""
    from ips_tui.job.per_company import Company, for_company, label_for

    name, handle = company
    names = {h: n for n, h in (getattr(connection, "companies", None) or {}).items()}
    old = str(data.get("companyHandle") or "")
    job_name = str(data.get("jobName") or "").strip()
    if old:
        suffix = "-" + label_for(old, names.get(old))
        if job_name.endswith(suffix) and len(job_name) > len(suffix):
            data = {**data, "jobName": job_name[: -len(suffix)]}
    return for_company(data, Company(handle, label_for(handle, name)), rename=True)


def _when(value, zone) -> str:
    if value is None:
        return ""
    return f"{value.astimezone(zone):%Y-%m-%d %H:%M}"
