"""A submitted job's status, found by its name (the handle submitJob returns names the definition, not
the run: fact sheet section 7).

Sources, in order: getActiveJobs (state, progress, message) while the run is listed; getJobLogDetails
(counts, fatal error, the detail rows with an export's download link) once it has a log; for a timed
job not yet run, getScheduledJobs (next fire time). Runs that started before ``since`` (less the clock
skew) belong to an earlier job of the same name and are ignored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ips_tui.follow.reconcile import CLOCK_SKEW, started_since
from ips_tui.i18n import _

FINISHED = ("done", "failed", "stopped")


@dataclass
class JobStatus:
    phase: str  # waiting | scheduled | running | paused | done | failed | stopped
    progress: int = 0  # 0..100
    message: str = ""
    run_name: str | None = None
    run_handle: str | None = None
    log: dict | None = None
    export_urls: list[str] = field(default_factory=list)
    next_fire: datetime | None = None

    @property
    def finished(self) -> bool:
        return self.phase in FINISHED

    def to_dict(self) -> dict:
        return {
            "phase": self.phase, "progress": self.progress, "message": self.message, "runName": self.run_name,
            "runHandle": self.run_handle, "exportUrls": self.export_urls,
            "nextFireTime": self.next_fire.isoformat() if self.next_fire else None,
            "counts": log_counts(self.log) if self.log else None,
        }


def job_status(client, company: str, name: str, *, since: datetime | None = None, timed: bool = False) -> JobStatus:
    """Where the job called ``name`` is now. Raises IpsError."""
    since = (since or datetime.now(timezone.utc)) - CLOCK_SKEW
    runs = [j for j in client.get_active_jobs(company, original_name=name)
            if j.get("originalName") == name and started_since(j.get("startDate"), since)]
    live = [j for j in runs if j.get("state") != "Done"]
    if live:
        job = max(live, key=_start_key)
        state = str(job.get("state") or "")
        message = str(job.get("progressMessage") or state)
        phase = "running" if state in ("Running", "Stopping") else "waiting"
        if message == "Paused":
            phase = "paused"
        return JobStatus(phase, int(job.get("progress") or 0), message, job.get("name"), job.get("jobHandle"))
    logs = [lg for lg in client.get_job_log_details(company, original_name=name)
            if lg.get("originalJobName") == name and started_since(lg.get("startDate"), since)]
    if logs:
        log = max(logs, key=_start_key)
        if log.get("endDate") is not None:
            return finished_status(log)
        return JobStatus("running", 0, _("Running"), log.get("jobName"), log.get("jobHandle"), log)
    if timed:
        for job in client.get_scheduled_jobs(company, original_name=name):
            if job.get("originalName") == name:
                return JobStatus("scheduled", 0, _("Scheduled"), None, job.get("jobHandle"),
                                 next_fire=job.get("nextFireTime"))
    return JobStatus("waiting", 0, _("Waiting to start"))


def finished_status(log: dict) -> JobStatus:
    rows = detail_rows(log)
    counts = log_counts(log)
    if any(r.get("logType") == "JobStopped" for r in rows):
        phase, message = "stopped", _("Stopped")
    elif log.get("fatalError") or counts["errors"]:
        phase = "failed"
        message = _("Finished with {n} error(s), {ok} succeeded").format(n=counts["errors"], ok=counts["success"])
    else:
        phase, message = "done", _("Done: {ok} of {total} succeeded").format(ok=counts["success"],
                                                                            total=counts["total"])
    return JobStatus(phase, 100 if phase == "done" else 0, message, log.get("jobName"), log.get("jobHandle"), log,
                     export_urls(log))


def detail_rows(log: dict) -> list[dict]:
    details = log.get("detailArray")
    if isinstance(details, dict):
        details = details.get("items")
    return [r for r in (details or []) if isinstance(r, dict)]


def export_urls(log: dict) -> list[str]:
    """Download links in the log's detail rows (an export's ZIP is an ``assetName`` starting with http)."""
    found = []
    for row in detail_rows(log):
        value = str(row.get("assetName") or "")
        if value.startswith(("https://", "http://")) and value not in found:
            found.append(value)
    return found


def log_counts(log: dict) -> dict:
    return {
        "success": int(log.get("fileSuccessCount") or 0),
        "errors": int(log.get("fileErrorCount") or 0),
        "warnings": int(log.get("fileWarningCount") or 0),
        "total": int(log.get("totalFileCount") or 0),
        "fatal": bool(log.get("fatalError")),
    }


def _start_key(item: dict):
    value = item.get("startDate")
    if isinstance(value, datetime):
        return (1, value.astimezone(timezone.utc).isoformat(), str(item.get("name") or item.get("jobName")))
    return (0, "", str(item.get("name") or item.get("jobName")))
