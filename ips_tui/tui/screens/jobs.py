"""The jobs screen: a company's active jobs (state, progress, message), scheduled jobs (next fire time in
the server's zone and here, trigger state) and recent job logs (with their detail rows and an export's
download link), and the actions on the selected job (stop, pause, resume, delete, run now).

The same information as ``ips-tui jobs`` / ``ips-tui logs`` (``ips_tui.follow.jobs`` and
``ips_tui.follow.status``), read the same lean way (each job's simple fields only); a job's echoed request is
fetched only when it is opened (Enter or ``o``). At scale (thousands of scheduled jobs) what a poll costs
follows what changed: only the visible tab is asked for, only changed rows are touched
(:mod:`~ips_tui.tui.screens.jobs_rows`), and the pace slows while nothing changes (back to every
:data:`POLL_SECONDS` on a change or a key). The poll re-arms only after the previous one has answered,
stops while the screen is hidden and starts again when it shows.
"""

from __future__ import annotations


from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.screens.job_details import JobDetails, server_zone
from ips_tui.tui.screens.jobs_commands import JobCommands
from ips_tui.tui.screens.jobs_actions import DONE_WORDS, YES_WORDS, company_label, confirm_job_action
from ips_tui.tui.screens.jobs_rows import TableRows, add_columns, job_width, table_zone
from ips_tui.tui.widgets.chrome import EnvBar, KeyFooter
from ips_tui.tui.widgets.row_table import RowTable
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe
from ips_tui.tui.compositor import NarrowRepaints

POLL_SECONDS = 3.0
POLL_SLOWEST = 30.0  # the longest wait between polls while nothing changes
LOG_ROWS = 20
TABS = ("active", "scheduled", "logs")

__all__ = ["JobsScreen", "company_label", "confirm_job_action", "DONE_WORDS", "YES_WORDS"]


class JobsScreen(JobCommands, JobDetails, NarrowRepaints, Screen):
    """Active, scheduled and logged jobs of one company; actions on the selected one."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="back"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="refresh"),
        Binding("1", "show_tab('active')", N_("Active"), show=False, id="tab_active"),
        Binding("2", "show_tab('scheduled')", N_("Scheduled"), show=False, id="tab_scheduled"),
        Binding("3", "show_tab('logs')", N_("Logs"), show=False, id="tab_logs"),
        Binding("o", "open_job", N_("Request"), id="open"),
        Binding("s", "act('stop')", N_("Stop"), id="stop"),
        Binding("p", "act('pause')", N_("Pause"), id="pause"),
        Binding("r", "act('resume')", N_("Resume"), id="resume"),
        Binding("d,delete", "act('delete')", N_("Delete"), id="delete"),
        Binding("n", "act('run')", N_("Run now"), id="run"),
        Binding("ctrl+y", "copy", N_("Copy"), id="copy"),
        Binding("ctrl+y", "copy_url", N_("Copy link"), id="copy_url"),
    ]
    DEFAULT_CSS = """
    JobsScreen #jobs-head { height: 1; padding: 0 1; background: $boost; text-wrap: nowrap;
                            text-overflow: ellipsis; }
    JobsScreen TabbedContent { height: 1fr; }
    JobsScreen TabPane { padding: 0; height: 1fr; }
    JobsScreen TabPane > Vertical { height: 1fr; }
    JobsScreen DataTable { height: 1fr; }
    JobsScreen .detail { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    JobsScreen #log-rows { height: 1fr; }
    JobsScreen Tab.-active { text-style: bold underline; }  /* reads without colour too */
    JobsScreen #jobs-status { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, connection, company: str, focus_name: str | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self.connection, self.company, self.focus_name = connection, company, focus_name
        self.snapshot = None
        self.details: dict[str, dict] = {}  # log handle -> getJobLogDetails log (with its detail rows)
        from ips_tui.tui.polling import Poller

        self.poller = Poller(self, self._poll_now, lambda: POLL_SECONDS, slowest=POLL_SLOWEST)
        self.rows: dict[str, TableRows] = {}
        self.polled: list[tuple[str, ...]] = []  # the tabs each poll asked for (tests read it)
        self._read_all = False  # every tab has been read once
        self._lister = None  # one lean lister (one keep-alive connection) for the screen's polls
        self._zones = None  # (server, local) the tables were drawn in
        self._last_error = ""
        self._shown_log: str | None = None
        self._log_fetching: str | None = None
        self._focused_once = False

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield EnvBar()
        yield Static(id="jobs-head")
        with TabbedContent(id="jobs-tabs", initial="tab-active"):
            with TabPane(_("1 Active"), id="tab-active"):
                with Vertical():
                    yield RowTable(id="active", cursor_type="row", zebra_stripes=True)
                    yield Static(id="active-detail", classes="detail")
            with TabPane(_("2 Scheduled"), id="tab-scheduled"):
                with Vertical():
                    yield RowTable(id="scheduled", cursor_type="row", zebra_stripes=True)
                    yield Static(id="scheduled-detail", classes="detail")
            with TabPane(_("3 Logs"), id="tab-logs"):
                with Vertical():
                    yield RowTable(id="logs", cursor_type="row", zebra_stripes=True)
                    yield Static(id="log-detail", classes="detail")
                    yield DataTable(id="log-rows", cursor_type="row")
        yield Static(id="jobs-status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        c = self.connection
        self.query_one(EnvBar).show(c.environment, user=c.user, url=c.shown_url(),
                                    company=company_label(c, self.company))
        for tab in TABS:
            table = self.query_one(f"#{tab}", DataTable)
            job = job_width(tab, self.app.size.width)  # every column in view at 80 columns, names longer when wider
            add_columns(table, tab, job)
            self.rows[tab] = TableRows(table, tab, job)
        self.query_one("#log-rows", DataTable).add_columns(_("Time"), _("Type"), _("Message"))
        self.show_head()
        self.set_status(_("Asking the service…"))
        self.query_one("#active", DataTable).focus()
        self.poll()

    # -- zones ----------------------------------------------------------------------------
    @property
    def server_tz(self):  # a ServerZone (known or not)
        return server_zone(self.connection)

    @property
    def local_tz(self):
        return self.app.local_zone()

    def show_head(self) -> None:
        from ips_tui.tui.text import zone_label

        server = self.server_tz
        text = Text()
        text.append(_("Jobs of {company}").format(company=company_label(self.connection, self.company)), "bold")
        text.append("  │ " + _("server time {zone}").format(zone=server.label(self.app.clock())))
        text.append("  │ " + _("here {zone}").format(zone=zone_label(self.local_tz)))
        self.query_one("#jobs-head", Static).update(text)

    def set_status(self, text: str) -> None:
        self.query_one("#jobs-status", Static).update(text)

    # -- polling: never two at once, only while shown, only the visible tab --------------------
    def on_screen_suspend(self) -> None:
        self.poller.hide()

    def on_screen_resume(self) -> None:
        self.poller.show()

    def on_key(self, event: events.Key) -> None:
        self.poller.nudge()  # someone is looking: back to the quick pace

    def poll(self) -> None:
        """Ask the service now, unless a poll is under way (then once more right after it)."""
        self.poller.request()

    def _poll_now(self) -> None:
        # The first poll reads the tab on screen, so it shows at once; the second, right after, every tab
        # once, the one on screen again (their counts, the server's zone); then only the tab on screen. A job to
        # focus needs them all at once.
        if self.snapshot is None and not self.focus_name:
            tabs = (self.current_tab,)
        elif not self._read_all:
            tabs = TABS
        else:
            tabs = (self.current_tab,)
        self._read_all = self._read_all or tabs == TABS
        self.polled.append(tabs)
        if len(self.polled) > 1_000:  # a screen left open all day: the newest only
            del self.polled[:500]
        self._fetch(self.connection, self.company, tabs)

    @work(thread=True, exit_on_error=False, group="jobs-poll")
    def _fetch(self, connection, company: str, tabs: tuple[str, ...]):
        from ips_tui.follow.jobs import JobsSnapshot, lister

        if self._lister is None:
            self._lister = lister(connection, timeout=self.app.options.timeout)
        client = self._lister
        snap = JobsSnapshot(company, lean=True)
        if "active" in tabs:
            snap.active = client.get_active_jobs(company)
        if "scheduled" in tabs:
            snap.scheduled = client.get_scheduled_jobs(company)
        if "logs" in tabs:
            snap.logs = client.get_job_logs(company, sort_by="StartDate", sort_direction="Descending",
                                            num_rows=LOG_ROWS)
        return tabs, snap

    def action_refresh(self) -> None:
        self.poll()

    def _close_lister(self) -> None:
        lister, self._lister = self._lister, None
        if lister is not None:
            lister.close()

    def on_unmount(self) -> None:
        self._close_lister()

    # -- workers --------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        group = worker.group
        if group == "jobs-poll":
            changed = True
            if event.state == WorkerState.SUCCESS:
                self._last_error = ""
                changed = self.show_snapshot(*worker.result)
            else:
                from ips_tui.tui.text import error_text

                self._close_lister()  # a broken connection is not used again
                text = error_text(worker.error)
                if text != self._last_error:  # said once, not every few seconds
                    self._last_error = text
                    self.app.report_error(worker.error, _("Reading the jobs"))
                self.set_status("✗ " + text)
            if event.state == WorkerState.SUCCESS and not self._read_all:
                self.poller.done(True)
                self.poller.request()  # the other tabs, now that this one is on screen
            else:
                self.poller.done(changed)
            self._say_updated()
        elif group == "jobs-act":
            if event.state == WorkerState.SUCCESS:
                action, name = worker.result
                self.notify(_(DONE_WORDS[action]).format(name=name), title=_("Done"))
            else:
                self.app.report_error(worker.error, _("The action was refused"))
            self.poller.nudge()
            self.poll()
        elif group == "jobs-open":
            if event.state == WorkerState.SUCCESS:
                self._show_request(*worker.result)
            else:
                self.app.report_error(worker.error, _("Reading the job's request"))
        elif group == "jobs-log":
            self._log_fetching = None
            if event.state == WorkerState.SUCCESS:
                handle, log = worker.result
                if log is not None:
                    self.details[handle] = log
                if handle == self.selected_handle("logs"):
                    self.show_log_detail(force=True, fetch=False)
            else:
                self.app.report_error(worker.error, _("Reading the job log"))

    # -- showing the snapshot ---------------------------------------------------------------
    def show_snapshot(self, tabs: tuple[str, ...], fresh) -> bool:
        """Show what a poll read (the lists of ``tabs``); True when anything on screen changed."""
        from ips_tui.follow.jobs import JobsSnapshot
        from ips_tui.ips.server_zone import reported_zone

        snap = self.snapshot or JobsSnapshot(self.company, lean=True)
        for tab in tabs:
            setattr(snap, tab, getattr(fresh, tab))
        snap.taken_at = fresh.taken_at
        self.snapshot = snap
        if "scheduled" in tabs:
            told = reported_zone(snap.scheduled)
            if told is not None and told != self.connection.reported_zone:  # the service said: every screen hears
                self.connection.reported_zone = told
                self.show_head()
        server, local = self.server_tz, self.local_tz
        zones = (table_zone(server, local), local)
        force, self._zones = zones != self._zones, zones
        changed = False
        for tab in (TABS if force else tabs):
            changed |= self.rows[tab].fill(getattr(snap, tab), *zones, force=force)
        if changed:
            tabs_widget = self.query_one(TabbedContent)
            for key, label in (("active", N_("1 Active")), ("scheduled", N_("2 Scheduled")), ("logs", N_("3 Logs"))):
                tabs_widget.get_tab(f"tab-{key}").label = f"{_(label)} ({len(getattr(snap, key))})"
        if self.focus_name and not self._focused_once:
            self._focused_once = True
            self._focus_job(self.focus_name)
        if changed:
            self.show_details()
            self.refresh_bindings()
        return changed

    def _say_updated(self) -> None:
        snap = self.snapshot
        if snap is None or self._last_error:
            return
        when = self.app.clock().astimezone(self.local_tz)
        self.set_status(_("Updated {time} · every {n} s · {active} active, {scheduled} scheduled").format(
            time=f"{when:%H:%M:%S}", n=int(self.poller.wait), active=len(snap.active),
            scheduled=len(snap.scheduled)))

    def _focus_job(self, name: str) -> None:
        snap = self.snapshot
        for key, items, field in (("active", snap.active, "originalName"), ("scheduled", snap.scheduled, "originalName"),
                                  ("logs", snap.logs, "originalJobName")):
            for j in items:
                run = str(j.get("name") or j.get("jobName") or "")
                if name in (j.get(field), run) or run.startswith(name + "_"):
                    self.action_show_tab(key)
                    table = self.query_one(f"#{key}", DataTable)
                    table.move_cursor(row=table.get_row_index(str(j.get("jobHandle"))), animate=False)
                    return

    # -- the selection and its detail ----------------------------------------------------------
    @property
    def current_tab(self) -> str:
        active = self.query_one(TabbedContent).active or "tab-active"
        return active.removeprefix("tab-")

    def selected_handle(self, tab: str | None = None) -> str | None:
        table = self.query_one(f"#{tab or self.current_tab}", DataTable)
        if not table.row_count or table.cursor_row is None:
            return None
        try:
            return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        except Exception:
            return None

    def selected_job(self, tab: str | None = None) -> dict | None:
        tab = tab or self.current_tab
        handle = self.selected_handle(tab)
        if handle is None or self.snapshot is None:
            return None
        return next((j for j in getattr(self.snapshot, tab) if str(j.get("jobHandle")) == handle), None)

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id in TABS:
            self.show_details()
            self.refresh_bindings()

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id in ("active", "scheduled"):  # Enter opens the job
            self.action_open_job()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.show_details()
        self.refresh_bindings()
        if self.snapshot is not None:
            self.poll()  # the tab now on screen is the one polled: read it now

    def action_show_tab(self, key: str) -> None:
        tabs = self.query_one(TabbedContent)
        if tabs.active == f"tab-{key}":
            return
        tabs.active = f"tab-{key}"
        self.query_one(f"#{key}", DataTable).focus()
        self.refresh_bindings()

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from textual.css.query import NoMatches

        try:
            tab = self.current_tab if self.is_mounted else "active"
        except NoMatches:  # the screen is being closed: its keys are asked for still
            tab = "active"
        if action == "act":
            allowed = {"active": ("stop", "pause", "resume", "delete"),
                       "scheduled": ("pause", "resume", "delete", "run"),
                       "logs": ()}[tab]
            return parameters[0] in allowed
        if action == "open_job":
            return tab != "logs"
        if action == "copy":
            return tab != "logs"
        if action == "copy_url":
            return tab == "logs"
        return True

    def action_act(self, action: str) -> None:
        tab = self.current_tab
        job = self.selected_job(tab)
        if job is None:
            self.notify(_("Choose a job in the list first."), severity="warning")
            return
        handle = str(job.get("jobHandle"))
        name = visible(job.get("name") or handle)
        confirm_job_action(self, action, name, handle,
                           lambda: self._act(self.connection, self.company, action, handle, name))

    @work(thread=True, exit_on_error=False, group="jobs-act")
    def _act(self, connection, company: str, action: str, handle: str, name: str):
        from ips_tui.follow.jobs import act

        client = connection.client(timeout=self.app.options.timeout, locale="")
        try:
            act(client, company, action, handle)
        finally:
            client.close()
        return action, name

    def action_close(self) -> None:
        self.poller.stop()
        self.app.pop_screen()
