"""The jobs screen: a company's active jobs (state, progress, message), scheduled jobs (next fire time in
the server's zone and here, trigger state) and recent job logs (with their detail rows and an export's
download link), and the actions on the selected job (stop, pause, resume, delete, run now).

The same information as ``ips-tui jobs`` / ``ips-tui logs`` (``ips_tui.follow.jobs`` and
``ips_tui.follow.status``). Every call runs in a thread worker with its own client; the poll re-arms only
after the previous one has answered, stops while the screen is hidden and starts again when it shows.
"""

from __future__ import annotations


from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.screens.job_details import JobDetails, progress_bar, server_zone, short_when
from ips_tui.tui.widgets.chrome import EnvBar, KeyFooter
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe

POLL_SECONDS = 3.0
LOG_ROWS = 20
TABS = ("active", "scheduled", "logs")

#: what is said once an action has been carried out
DONE_WORDS = {
    "stop": N_("Stop requested: {name}"),
    "pause": N_("Paused: {name}"),
    "resume": N_("Resumed: {name}"),
    "delete": N_("Deleted: {name}"),
    "run": N_("Started now: {name}"),
}
#: the button of the confirmation
YES_WORDS = {
    "stop": N_("Stop the job"),
    "pause": N_("Pause"),
    "resume": N_("Resume"),
    "delete": N_("Delete the job"),
    "run": N_("Run now"),
}


def confirm_job_action(screen, action: str, name: str, handle: str, run) -> None:
    """``run()`` the job action now, or once confirmed where ACTIONS asks for it (every action on production).
    ``screen`` has ``connection`` and ``company``."""
    from ips_tui.follow.jobs import ACTIONS

    _method, what, confirm = ACTIONS[action]
    if not (confirm or screen.connection.environment == "production"):
        run()
        return
    from ips_tui.tui.screens.modals import ConfirmScreen

    def answer(yes: bool | None) -> None:
        if yes:
            run()

    body = _("{what}?\n\n{name}\n{handle}\ncompany {company}").format(
        what=_(what), name=name, handle=handle, company=company_label(screen.connection, screen.company))
    screen.app.push_screen(ConfirmScreen(_(what), body, _(YES_WORDS[action]), _("Cancel"),
                                         danger=action in ("stop", "delete")), answer)


def company_label(connection, company: str) -> str:
    name = next((n for n, h in (getattr(connection, "companies", None) or {}).items() if h == company), "")
    return f"{name} ({company})" if name else company


class JobsScreen(JobDetails, Screen):
    """Active, scheduled and logged jobs of one company; actions on the selected one."""

    BINDINGS = [
        Binding("escape", "close", N_("Back"), id="back"),
        Binding("ctrl+r", "refresh", N_("Refresh"), id="refresh"),
        Binding("1", "show_tab('active')", N_("Active"), show=False),
        Binding("2", "show_tab('scheduled')", N_("Scheduled"), show=False),
        Binding("3", "show_tab('logs')", N_("Logs"), show=False),
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

        self.poller = Poller(self, lambda: self._fetch(self.connection, self.company), lambda: POLL_SECONDS)
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
                    yield DataTable(id="active", cursor_type="row", zebra_stripes=True)
                    yield Static(id="active-detail", classes="detail")
            with TabPane(_("2 Scheduled"), id="tab-scheduled"):
                with Vertical():
                    yield DataTable(id="scheduled", cursor_type="row", zebra_stripes=True)
                    yield Static(id="scheduled-detail", classes="detail")
            with TabPane(_("3 Logs"), id="tab-logs"):
                with Vertical():
                    yield DataTable(id="logs", cursor_type="row", zebra_stripes=True)
                    yield Static(id="log-detail", classes="detail")
                    yield DataTable(id="log-rows", cursor_type="row")
        yield Static(id="jobs-status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        c = self.connection
        self.query_one(EnvBar).show(c.environment, user=c.user, url=c.shown_url(),
                                    company=company_label(c, self.company))
        self.query_one("#active", DataTable).add_columns(_("State"), _("Progress"), _("Job"), _("Message"))
        self.query_one("#scheduled", DataTable).add_columns(
            _("Trigger"), _("Job"), _("Next (server)"), _("Next (here)"), _("Schedule"))
        self.query_one("#logs", DataTable).add_columns(_("Job"), _("Started"), _("Ended"), _("Result"))
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

    # -- polling: never two at once, only while shown ---------------------------------------
    def on_screen_suspend(self) -> None:
        self.poller.hide()

    def on_screen_resume(self) -> None:
        self.poller.show()

    def poll(self) -> None:
        """Ask the service now, unless a poll is under way (then once more right after it)."""
        self.poller.request()

    @work(thread=True, exit_on_error=False, group="jobs-poll")
    def _fetch(self, connection, company: str):
        from ips_tui.follow.jobs import fetch

        client = connection.client(timeout=self.app.options.timeout, locale="")
        try:
            return fetch(client, company, log_rows=LOG_ROWS)
        finally:
            client.close()

    def action_refresh(self) -> None:
        self.poll()

    # -- workers --------------------------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        group = worker.group
        if group == "jobs-poll":
            if event.state == WorkerState.SUCCESS:
                self._last_error = ""
                self.show_snapshot(worker.result)
            else:
                from ips_tui.tui.text import error_text

                text = error_text(worker.error)
                if text != self._last_error:  # said once, not every few seconds
                    self._last_error = text
                    self.app.report_error(worker.error, _("Reading the jobs"))
                self.set_status("✗ " + text)
            self.poller.done()
        elif group == "jobs-act":
            if event.state == WorkerState.SUCCESS:
                action, name = worker.result
                self.notify(_(DONE_WORDS[action]).format(name=name), title=_("Done"))
            else:
                self.app.report_error(worker.error, _("The action was refused"))
            self.poll()
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
    def show_snapshot(self, snap) -> None:
        from ips_tui.ips.server_zone import reported_zone

        self.snapshot = snap
        told = reported_zone(snap.scheduled)
        if told is not None and told != self.connection.reported_zone:  # the service said: every screen hears
            self.connection.reported_zone = told
            self.show_head()
        server, local = self.server_tz, self.local_tz
        active = self.query_one("#active", DataTable)
        self._fill(active, [
            (str(j.get("jobHandle") or ""), (
                Text(visible(j.get("state"))),
                Text(progress_bar(int(j.get("progress") or 0))),
                Text(visible(j.get("name"))),
                Text(visible(j.get("progressMessage"))),
            )) for j in snap.active])
        scheduled = self.query_one("#scheduled", DataTable)
        self._fill(scheduled, [
            (str(j.get("jobHandle") or ""), (
                Text(visible(j.get("triggerState"))),
                Text(visible(j.get("name"))),
                Text((short_when(j.get("nextFireTime"), server.tz) if server.known else "?") or "—"),
                Text(short_when(j.get("nextFireTime"), local) or "—"),
                Text(visible(j.get("execSchedule")) or _("once")),
            )) for j in snap.scheduled])
        logs = self.query_one("#logs", DataTable)
        self._fill(logs, [
            (str(lg.get("jobHandle") or ""), (
                Text(visible(lg.get("jobName"))),
                Text(short_when(lg.get("startDate"), local)),
                Text(short_when(lg.get("endDate"), local) or _("running")),
                Text(_("fatal") if lg.get("fatalError") else _("ok {ok} · errors {err}").format(
                    ok=lg.get("fileSuccessCount", 0) or 0, err=lg.get("fileErrorCount", 0) or 0)),
            )) for lg in snap.logs])
        tabs = self.query_one(TabbedContent)
        for key, label, n in (("active", N_("1 Active"), len(snap.active)),
                              ("scheduled", N_("2 Scheduled"), len(snap.scheduled)),
                              ("logs", N_("3 Logs"), len(snap.logs))):
            tabs.get_tab(f"tab-{key}").label = f"{_(label)} ({n})"
        if self.focus_name and not self._focused_once:
            self._focused_once = True
            self._focus_job(self.focus_name)
        self.show_details()
        when = self.app.clock().astimezone(local)
        self.set_status(_("Updated {time} · every {n} s · {active} active, {scheduled} scheduled").format(
            time=f"{when:%H:%M:%S}", n=int(POLL_SECONDS), active=len(snap.active), scheduled=len(snap.scheduled)))
        self.refresh_bindings()

    @staticmethod
    def _fill(table: DataTable, rows: list[tuple[str, tuple]]) -> None:
        """Show ``rows``, keeping the cursor on the same job. The same jobs as on screen: only the cells that
        changed are updated (no flicker at each poll; the columns keep their widths). Else it is rebuilt."""
        unique: dict[str, tuple] = {}
        for key, cells in rows:
            unique.setdefault(key, cells)  # a handle listed twice would break the table's keys
        if [k.value for k in table.rows] == list(unique):
            columns = list(table.columns)
            for key, cells in unique.items():
                for column, value in zip(columns, cells):
                    if table.get_cell(key, column) != value:
                        table.update_cell(key, column, value, update_width=True)
            return
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                keep = None
        table.clear()
        for key, cells in unique.items():
            table.add_row(*cells, key=key)
        if keep in unique:
            table.move_cursor(row=table.get_row_index(keep), animate=False)

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

    @on(TabbedContent.TabActivated)
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        self.show_details()
        self.refresh_bindings()

    def action_show_tab(self, key: str) -> None:
        self.query_one(TabbedContent).active = f"tab-{key}"
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

    def action_copy(self) -> None:
        handle = self.selected_handle()
        if handle is None:
            self.notify(_("Choose a job in the list first."), severity="warning")
            return
        self.app.copy_to_clipboard(handle)
        self.notify(_("Copied the job handle (OSC 52)."))

    def action_copy_url(self) -> None:
        from ips_tui.follow.status import export_urls

        handle = self.selected_handle("logs")
        full = self.details.get(handle or "")
        urls = export_urls(full) if full else []
        if urls:
            self.app.copy_to_clipboard(urls[0])
            self.notify(_("Copied the download link (OSC 52): {url}").format(url=urls[0]))
        elif handle:
            self.app.copy_to_clipboard(handle)
            self.notify(_("Copied the job handle (OSC 52)."))
        else:
            self.notify(_("Choose a job in the list first."), severity="warning")

    def action_close(self) -> None:
        self.poller.stop()
        self.app.pop_screen()

    # -- command palette ------------------------------------------------------------------
    def palette_commands(self):
        from textual.app import SystemCommand

        from ips_tui.follow.jobs import ACTIONS

        yield SystemCommand(_("Refresh the jobs"), "Ctrl+R", self.action_refresh)
        for key, title in (("active", N_("Active jobs")), ("scheduled", N_("Scheduled jobs")),
                           ("logs", N_("Job logs"))):
            yield SystemCommand(_(title), _("Show the tab"), lambda key=key: self.action_show_tab(key))
        for action, (_m, what, _c) in ACTIONS.items():
            if self.check_action("act", (action,)):
                yield SystemCommand(_(YES_WORDS[action]), _(what), lambda a=action: self.action_act(a))

