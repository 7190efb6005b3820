"""Follow a submitted job to its end: phase, a progress bar, the service's message, the export's download
link (copyable), and stop / pause / resume. Built on :func:`ips_tui.follow.status.job_status`, the same
answer ``ips-tui submit --wait`` gives.

The poll re-arms only after the previous one has answered, stops while the screen is hidden and when the
job has finished.
"""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import ProgressBar, Static
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.tui.text import in_both_zones, label_grid, translate_bindings
from ips_tui.tui.widgets.chrome import EnvBar, KeyFooter
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe
from ips_tui.tui.compositor import NarrowRepaints

POLL_SECONDS = 2.0

PHASE_WORDS = {
    "waiting": N_("Waiting to start"),
    "scheduled": N_("Scheduled"),
    "running": N_("Running"),
    "paused": N_("Paused"),
    "done": N_("Done"),
    "failed": N_("Failed"),
    "stopped": N_("Stopped"),
}
PHASE_MARKS = {"done": "✓", "failed": "✗", "stopped": "■", "paused": "‖", "running": "▶", "scheduled": "◷",
               "waiting": "…"}


class FollowScreen(NarrowRepaints, Screen):
    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back"), id="back"),
        Binding("ctrl+r", "poll", N_("Refresh"), id="refresh"),
        Binding("s", "act('stop')", N_("Stop"), id="stop"),
        Binding("p", "act('pause')", N_("Pause"), id="pause"),
        Binding("r", "act('resume')", N_("Resume"), id="resume"),
        Binding("ctrl+y", "copy", N_("Copy handle"), id="copy"),
        Binding("u", "copy_url", N_("Copy link"), id="copy_url"),
        Binding("f3", "jobs", N_("Jobs"), id="jobs"),
    ]
    DEFAULT_CSS = """
    FollowScreen #follow-body { padding: 1 2; height: 1fr; }
    FollowScreen #follow-summary { height: auto; }
    FollowScreen #follow-bar { height: 1; margin: 1 0; }
    FollowScreen #follow-links { height: auto; }
    FollowScreen #follow-note { height: auto; color: $text-muted; margin-top: 1; }
    """

    def __init__(self, connection, company: str, handle: str, job_name: str, *, since: datetime | None = None,
                 timed: bool = False) -> None:
        super().__init__()
        translate_bindings(self)
        self.connection, self.company, self.handle, self.job_name = connection, company, handle, job_name
        self.since, self.timed = since, timed
        self.status = None  # the last JobStatus
        self.seen_progress: list[int] = []  # every progress value shown (tests read it)
        from ips_tui.tui.polling import Poller

        self.poller = Poller(self, self.poll, lambda: POLL_SECONDS,
                             keep_going=lambda: not (self.status is not None and self.status.finished))
        self._last_error = ""

    def compose(self) -> ComposeResult:
        yield EnvBar()
        with Vertical(id="follow-body"):
            yield Static(id="follow-summary")
            yield ProgressBar(total=100, show_eta=False, id="follow-bar")
            yield Static(id="follow-links")
            yield Static(id="follow-note")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        from ips_tui.tui.screens.jobs_actions import company_label

        c = self.connection
        self.query_one(EnvBar).show(c.environment, user=c.user, url=c.shown_url(),
                                    company=company_label(c, self.company))
        self.show_summary(Text(_("Asking the service about {name}…").format(name=self.job_name)))
        self.action_poll()

    # -- polling --------------------------------------------------------------------------
    def on_screen_suspend(self) -> None:
        self.poller.hide()

    def on_screen_resume(self) -> None:
        self.poller.show()

    def action_poll(self) -> None:
        self.poller.request()

    @work(thread=True, exit_on_error=False, group="follow")
    def poll(self):
        from ips_tui.follow.status import job_status

        client = self.connection.client(timeout=self.app.options.timeout, locale="")
        try:
            return job_status(client, self.company, self.job_name, since=self.since, timed=self.timed)
        finally:
            client.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        if worker.group == "follow-act":
            if event.state == WorkerState.SUCCESS:
                from ips_tui.tui.screens.jobs_actions import DONE_WORDS

                self.notify(_(DONE_WORDS[worker.result]).format(name=self.job_name), title=_("Done"))
            else:
                self.app.report_error(worker.error, _("The action was refused"))
            self.action_poll()
            return
        if worker.group != "follow":
            return
        if event.state == WorkerState.SUCCESS:
            self._last_error = ""
            self.render_status(worker.result)
        else:
            from ips_tui.tui.text import error_text

            text = error_text(worker.error)
            if text != self._last_error:
                self._last_error = text
                self.app.report_error(worker.error, _("Following the job"))
            self.query_one("#follow-note", Static).update(Text("✗ " + text))
        self.poller.done()

    # -- showing --------------------------------------------------------------------------
    def show_summary(self, body) -> None:
        self.query_one("#follow-summary", Static).update(body)

    def render_status(self, st) -> None:
        from ips_tui.follow.status import log_counts
        from ips_tui.tui.screens.job_details import server_zone

        self.status = st
        progress = 100 if st.phase == "done" else st.progress
        self.seen_progress.append(progress)
        table = label_grid()
        table.add_row(_("Job"), Text(visible(self.job_name)))
        table.add_row(_("Handle"), Text(visible(self.handle)))
        if st.run_name:
            table.add_row(_("Run"), Text(f"{visible(st.run_name)}  ·  {visible(st.run_handle)}"))
        phase = f"{PHASE_MARKS.get(st.phase, '')} {_(PHASE_WORDS.get(st.phase, st.phase))}".strip()
        table.add_row(_("Phase"), Text(phase, style="bold"))
        table.add_row(_("Message"), Text(visible(st.message)))
        if st.next_fire is not None:
            table.add_row(_("Next run"), in_both_zones(st.next_fire, server_zone(self.connection),
                                                       self.app.local_zone()))
        if st.log:
            c = log_counts(st.log)
            table.add_row(_("Files"), _("{ok} succeeded, {err} failed, {total} in all").format(
                ok=c["success"], err=c["errors"], total=c["total"]))
        self.show_summary(table)
        bar = self.query_one("#follow-bar", ProgressBar)
        bar.update(progress=progress)
        links = Text()
        for url in st.export_urls:
            links.append(_("Download") + ": ", style="bold")
            links.append(url + "\n", style="underline")
        if st.export_urls:
            links.append(_("u copies the download link (OSC 52)"), style="dim")
        self.query_one("#follow-links", Static).update(links)
        if st.finished:
            note = _("Finished. F3 opens the jobs screen · Esc returns to the wizard")
        else:
            note = _("Refreshes every {n} s · F3 opens the jobs screen · Esc returns to the wizard").format(
                n=int(POLL_SECONDS))
        self.query_one("#follow-note", Static).update(note)
        self.refresh_bindings()

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        st = self.status
        if action == "copy_url":
            return bool(st and st.export_urls)
        if action == "act":
            if st is None or st.finished:
                return False
            name = parameters[0]
            if name == "stop":
                return st.phase in ("running", "waiting", "paused")
            if name == "pause":
                return st.phase in ("running", "waiting", "scheduled")
            if name == "resume":
                return st.phase in ("paused", "scheduled")
        return True

    def target(self) -> str:
        """The run while it runs; else the definition (a scheduled job pauses and resumes as a whole)."""
        st = self.status
        if st is not None and st.run_handle and st.phase != "scheduled":
            return st.run_handle
        return self.handle

    def action_act(self, action: str) -> None:
        from ips_tui.tui.screens.jobs_actions import confirm_job_action

        handle = self.target()
        confirm_job_action(self, action, self.job_name, handle, lambda: self._act(action, handle))

    @work(thread=True, exit_on_error=False, group="follow-act")
    def _act(self, action: str, handle: str):
        from ips_tui.follow.jobs import act

        client = self.connection.client(timeout=self.app.options.timeout, locale="")
        try:
            act(client, self.company, action, handle)
        finally:
            client.close()
        return action

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.handle)
        self.notify(_("Copied the job handle (OSC 52)."))

    def action_copy_url(self) -> None:
        st = self.status
        if st and st.export_urls:
            self.app.copy_to_clipboard(st.export_urls[0])
            self.notify(_("Copied the download link (OSC 52): {url}").format(url=st.export_urls[0]))

    def action_jobs(self) -> None:
        from ips_tui.tui.screens.jobs import JobsScreen

        self.app.push_screen(JobsScreen(self.connection, self.company, focus_name=self.job_name))
