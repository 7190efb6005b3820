"""Follow a submitted job: its active run (state, progress) or its schedule, refreshed every few seconds.

The poll re-arms only after the previous one has answered, and stops while the screen is hidden.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.widgets.chrome import EnvBar

POLL_SECONDS = 3.0


class FollowScreen(Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back to the wizard")),
        Binding("ctrl+r", "poll", N_("Refresh")),
        Binding("ctrl+y", "copy", N_("Copy handle")),
    ]
    DEFAULT_CSS = "FollowScreen #body { padding: 1 2; height: 1fr; }"

    def __init__(self, connection, company: str, handle: str, job_name: str) -> None:
        super().__init__()
        translate_bindings(self)
        self.connection, self.company, self.handle, self.job_name = connection, company, handle, job_name
        self._timer = None

    def compose(self) -> ComposeResult:
        yield EnvBar()
        yield Static(id="body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        c = self.connection
        self.query_one(EnvBar).show(c.environment, user=c.user, url=c.shown_url(), company=self.company)
        self.show(Text(_("Asking the service about {name}…").format(name=self.job_name)))
        self.action_poll()

    def on_screen_suspend(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_screen_resume(self) -> None:
        if self._timer is None and self.is_mounted:
            self.action_poll()

    def show(self, body) -> None:
        self.query_one("#body", Static).update(body)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.handle)
        self.notify(_("Copied the job handle (OSC 52)."))

    def action_poll(self) -> None:
        self._timer = None
        self.poll()

    @work(thread=True, exclusive=True, exit_on_error=False, group="follow")
    def poll(self):
        client = self.connection.client(timeout=30)
        try:
            active = client.get_active_jobs(self.company, original_name=self.job_name)
            scheduled = client.get_scheduled_jobs(self.company, original_name=self.job_name)
        finally:
            client.close()
        return active, scheduled

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.SUCCESS:
            active, scheduled = event.worker.result
            self.render_jobs(active, scheduled)
        elif event.state == WorkerState.ERROR:
            text = self.app.report_error(event.worker.error, _("Following the job"))
            self.show(Text("✗ " + text))
        else:
            return
        if self.is_current:
            self._timer = self.set_timer(POLL_SECONDS, self.action_poll)

    def render_jobs(self, active: list, scheduled: list) -> None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        table.add_row(_("Job"), self.job_name)
        table.add_row(_("Handle"), self.handle)
        for job in active:
            table.add_row(_("Run"), str(job.get("name", "")))
            table.add_row(_("State"), str(job.get("state", "")))
            table.add_row(_("Progress"), f"{job.get('progress', 0)}%  {job.get('progressMessage') or ''}")
        for job in scheduled:
            table.add_row(_("Schedule"), str(job.get("execSchedule") or ""))
            table.add_row(_("Next run"), f"{job.get('nextFireTime') or ''} {job.get('timeZone') or ''}")
            table.add_row(_("Trigger"), str(job.get("triggerState") or ""))
        if not active and not scheduled:
            table.add_row(_("State"), _("not running now (finished, or waiting to start); see the job log."))
        table.add_row("", Text(_("Refreshes every {n} s · Esc returns to the wizard").format(n=int(POLL_SECONDS)),
                               style="dim"))
        self.show(table)
