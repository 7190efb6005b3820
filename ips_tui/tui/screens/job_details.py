"""The jobs screen's detail panels: the selected active or scheduled job, and a job log with its rows and an
export's download link (read once per log, again while it is still running)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.widgets import DataTable, Static

from ips_tui.i18n import _
from ips_tui.tui.text import in_both_zones, label_grid
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe


def progress_bar(percent: int, width: int = 10) -> str:
    """``██████░░░░  60%``: reads without colour."""
    percent = max(0, min(100, int(percent or 0)))
    filled = round(width * percent / 100)
    return "█" * filled + "░" * (width - filled) + f" {percent:3d}%"


def server_zone(connection):
    """The server's zone of a connection, as ``ips-tui jobs`` names it (a ServerZone, known or not: never
    UTC by default), with the ``timeZone`` the service reported once scheduled jobs were listed."""
    from ips_tui.ips.server_zone import zone_of_connection

    return zone_of_connection(connection)


def short_when(value, zone, seconds: bool = False) -> str:
    """``11-28 09:00 PST`` for a table cell ('' for none)."""
    from ips_tui.follow.jobs import when

    return when(value, zone, "%m-%d %H:%M:%S" if seconds else "%m-%d %H:%M")


class JobDetails:
    """Mixin of :class:`~ips_tui.tui.screens.jobs.JobsScreen` (needs its snapshot, details and selection)."""

    def show_details(self) -> None:
        from ips_tui.follow.jobs import when

        server, local = self.server_tz, self.local_tz

        def active(job) -> list[tuple[str, str]]:
            rows = [(_("Progress"), Text(f"{progress_bar(int(job.get('progress') or 0), 20)}  "
                                         f"{visible(job.get('progressMessage'))}"))]
            if job.get("startDate") is not None:
                rows.append((_("Started"), in_both_zones(job["startDate"], server, local)))
            return rows

        def scheduled(job) -> list[tuple[str, str]]:
            what = job.get("execSchedule") or when(job.get("execTime"), server.tz if server.known else local)
            paused = job.get("triggerState") == "Paused"  # it does not fire until resumed: no next run
            return [(_("Next run"), _("none while paused") if paused
                     else in_both_zones(job.get("nextFireTime"), server, local)),
                    (_("Trigger"), Text(f"{visible(job.get('triggerState'))}  ·  {visible(what)}"))]

        self._show_job("active", _("No active jobs in this company right now."), active)
        self._show_job("scheduled", _("Nothing scheduled in this company."), scheduled)
        self.show_log_detail()

    def _show_job(self, key: str, empty: str, rows) -> None:
        """The selected job of tab ``key`` in its detail panel: name, handle, then ``rows(job)``."""
        job = self.selected_job(key)
        body = self.query_one(f"#{key}-detail", Static)
        if job is None:
            body.update(empty if self.snapshot else "")
            return
        grid = label_grid()
        grid.add_row(_("Job"), Text(f"{visible(job.get('name'))}  ·  {visible(job.get('type'))}"))
        grid.add_row(_("Handle"), Text(visible(job.get("jobHandle"))))
        for label, value in rows(job):
            grid.add_row(label, value)
        body.update(grid)

    def show_log_detail(self, force: bool = False, fetch: bool = True) -> None:
        from ips_tui.follow.jobs import when
        from ips_tui.follow.status import detail_rows, export_urls, log_counts

        handle = self.selected_handle("logs")
        body = self.query_one("#log-detail", Static)
        rows_table = self.query_one("#log-rows", DataTable)
        log = self.selected_job("logs")
        if log is None:
            body.update(_("No job logs yet.") if self.snapshot else "")
            rows_table.clear()
            self._shown_log = None
            return
        full = self.details.get(handle)
        stale = full is None or full.get("endDate") is None  # never read, or still running
        if fetch and stale and self.current_tab == "logs" and self._log_fetching != handle:
            self._log_fetching = handle
            self._log_details(self.connection, self.company, handle)
        source = full or log
        c = log_counts(source)
        from ips_tui.tui.screens.jobs_rows import table_zone

        local = table_zone(self.server_tz, self.local_tz)  # one rule for the tables and this panel
        grid = label_grid()
        grid.add_row(_("Handle"), str(log.get("jobHandle") or ""))
        grid.add_row(_("Ran"), _("{start} → {end} · {ok} succeeded, {err} failed, {total} in all").format(
            start=when(source.get("startDate"), local), end=when(source.get("endDate"), local) or _("running"),
            ok=c["success"], err=c["errors"], total=c["total"]))
        urls = export_urls(full) if full else []
        for url in urls:
            grid.add_row(_("Download"), Text(url, style="bold underline"))
        if full and not urls:
            grid.add_row("", Text(_("Ctrl+Y copies the handle"), style="dim"))
        elif urls:
            grid.add_row("", Text(_("Ctrl+Y copies the download link"), style="dim"))
        body.update(grid)
        if full is None:
            if self._shown_log != handle:
                rows_table.clear()
            return
        if self._shown_log == handle and not force:
            return
        self._shown_log = handle
        rows_table.clear()
        for row in detail_rows(full):
            asset = f"  [{visible(row.get('assetName'))}]" if row.get("assetName") else ""
            rows_table.add_row(short_when(row.get("dateCreated"), local, seconds=True),
                               Text(visible(row.get("logType"))), Text(f"{visible(row.get('logMessage'))}{asset}"))

    @work(thread=True, exclusive=True, exit_on_error=False, group="jobs-log")
    def _log_details(self, connection, company: str, handle: str):
        client = connection.client(timeout=self.app.options.timeout, locale="")
        try:
            logs = client.get_job_log_details(company, job_handle=handle)
        finally:
            client.close()
        return handle, (logs[0] if logs else None)


def request_text(record: dict) -> str:
    """The request a job's full record echoes (its job-type element), one ``path = value`` a line, made safe;
    '' when it echoes none. Read only when a job is opened (the listings leave it out)."""
    from ips_tui.follow.jobs import _job_detail_elements

    lines: list[str] = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            if set(value) == {"items"} and isinstance(value["items"], list):
                walk(prefix, value["items"])
                return
            for key, inner in value.items():
                if inner is not None:
                    walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list):
            for i, inner in enumerate(value):
                walk(f"{prefix}[{i}]", inner)
        else:
            shown = str(value).lower() if isinstance(value, bool) else value
            lines.append(f"{visible(prefix)} = {visible(shown)}")

    for element in sorted(_job_detail_elements()):
        if record.get(element) is not None:
            walk(element, record[element])
    return "\n".join(lines)
