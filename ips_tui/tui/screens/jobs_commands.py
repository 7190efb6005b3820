"""The jobs screen's commands beside its lists: opening a job (its echoed request, read only now, through the
full client), copying a handle or an export's link, and the command palette's entries."""

from __future__ import annotations

from textual import work

from ips_tui.i18n import N_, _
from ips_tui.tui.screens.jobs_actions import YES_WORDS
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe


class JobCommands:
    """Mixin of :class:`~ips_tui.tui.screens.jobs.JobsScreen` (needs its connection, company and selection)."""

    # -- opening a job: its echoed request, read now ---------------------------------------------
    def action_open_job(self) -> None:
        tab = self.current_tab
        job = self.selected_job(tab)
        if job is None or tab == "logs":
            self.notify(_("Choose a job in the list first."), severity="warning")
            return
        self._open(self.connection, self.company, dict(job))

    @work(thread=True, exclusive=True, exit_on_error=False, group="jobs-open")
    def _open(self, connection, company: str, job: dict):
        from ips_tui.follow.jobs import job_detail

        client = connection.client(timeout=self.app.options.timeout, locale="")
        try:
            return job, job_detail(client, company, job)
        finally:
            client.close()

    def _show_request(self, job: dict, record: dict | None) -> None:
        from ips_tui.tui.screens.job_details import request_text
        from ips_tui.tui.screens.modals import HelpScreen

        name = visible(job.get("name") or job.get("jobHandle"))
        if record is None:
            self.notify(_("{name} is no longer on the service.").format(name=name), severity="warning")
            self.poll()
            return
        body = request_text(record) or _("The service did not echo this job's request.")
        self.app.push_screen(HelpScreen(_("Request of {name}").format(name=name), body))

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
