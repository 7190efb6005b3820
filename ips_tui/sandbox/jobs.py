"""Jobs in the sandbox: definitions (what submitJob created), runs (what getActiveJobs and the job logs show),
and the time rules (the sandbox clock itself is in ``clock.py``).

There are no per-job threads: a run's state, progress and log rows are computed from the sandbox clock when
asked, and scheduled definitions fire lazily (``JobStore.sync``) before every read or change. Timed
definitions are indexed by their next fire time (a heap), so a sync looks only at what is due, not at every
scheduled job; what it keeps is bounded (finished runs and their logs expire). The store of definitions and
runs, with that index and those bounds, is :class:`ips_tui.sandbox.job_store.JobStore`. A run goes
New (``NEW_SECONDS``) → Running (``run_seconds``) → Done, all in sandbox-clock seconds, so the clock's speed
factor makes demos finish in seconds and ``clock.advance()`` drives tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import quote

from lxml import etree

from ips_tui.job.timing import QuartzSchedule, ScheduleError, parse_schedule
from ips_tui.sandbox.clock import SandboxClock  # noqa: F401  (it lived here; the server needs it without lxml)

NEW_SECONDS = 0.5  # queued before it starts running
DONE_LINGER = 30.0  # a finished run stays in getActiveJobs this long (clock seconds), then only in the logs
MAX_CATCH_UP = 50  # fire times replayed per scheduled job after a long clock jump; older ones are misfires

# submitJob element -> ActiveJob/ScheduledJob ``type`` (the first eight are documented Job Types; the other
# values are the sandbox's own: the real ones are unknown, see ips-api.md §3.4).
JOB_TYPES = {
    "imageServingPublishJob": "ImageServingPublish",
    "imageRenderingPublishJob": "ImageRenderingPublish",
    "videoPublishJob": "VideoPublish",
    "serverDirectoryPublishJob": "ServerDirectoryPublish",
    "metadataPublishJob": "MetadataPublish",
    "uploadDirectoryJob": "UploadFromServerDirectory",
    "uploadUrlsJob": "UrlUpload",
    "optimizeImagesJob": "ImageOptimization",
    "ripPdfsJob": "RipPdfs",
    "reprocessAssetsJob": "ReprocessAssets",
    "createVideoSitemapJob": "CreateVideoSitemap",
    "exportJob": "Export",
    "automatedSetGenerationJob": "AutomatedSetGeneration",
}

# Job Log Types per job type: begin, success, error, end.
_LOG_TYPES = {
    "ImageServingPublish": ("BeginImageServingPublish", "ImageServingPublishSuccess",
                            "ImageServingPublishError", "EndImageServingPublish"),
    "ImageRenderingPublish": ("BeginImageRenderingPublish", "ImageRenderingPublishSuccess",
                              "ImageRenderingPublishError", "EndImageRenderingPublish"),
    "VideoPublish": ("BeginVideoPublish", "VideoPublishSuccess", "VideoPublishError", "EndVideoPublish"),
    "UploadFromServerDirectory": ("BeginUpload", "UploadSuccess", "UploadError", "EndUpload"),
    "UrlUpload": ("BeginUpload", "UploadSuccess", "UploadError", "EndUpload"),
}

_TASK_TYPES = {
    "UrlUpload": "com.scene7.upload.UploadAsyncTaskMonitor",
    "UploadFromServerDirectory": "com.scene7.upload.UploadAsyncTaskMonitor",
    "AutomatedSetGeneration": "com.scene7.autoset.AutoSetAsyncTaskMonitor",
}

SERVER_NAME = "sandbox_ips_1"
EXPORT_URL = "https://sandbox.invalid/export/{name}.zip"


def log_types(type_const: str) -> tuple[str, str, str, str]:
    return _LOG_TYPES.get(type_const) or (
        f"Begin{type_const}", f"{type_const}Success", f"{type_const}Error", f"End{type_const}"
    )


# ---------------------------------------------------------------------------------------------------------
# Clock


# ---------------------------------------------------------------------------------------------------------
# Schedules: the same Quartz rules as the client (ips_tui.job.timing)


class InvalidSchedule(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def compile_schedule(text: str) -> QuartzSchedule:
    """A schedule with ``next_fire_times(count, after, tz)``; InvalidSchedule with Quartz's reason."""
    try:
        return parse_schedule(text)
    except ScheduleError as exc:
        raise InvalidSchedule(exc.message) from None


# ---------------------------------------------------------------------------------------------------------
# Definitions and runs


@dataclass
class Item:
    """One file a run processes."""

    name: str
    handle: str | None = None
    type: str | None = None
    error: str | None = None  # None = success


@dataclass
class JobDef:
    company_handle: str
    company_id: str
    handle: str
    name: str  # unique within the company (original name, plus "~N" for a repeated name)
    original_name: str
    job_element: str  # e.g. "imageServingPublishJob"
    job_xml: etree._Element  # the job type element, in the 2014-04-03 namespace
    fields: dict
    submit_user: str  # e-mail
    user_handle: str | None
    app_name: str
    locale: str | None
    description: str | None
    kind: str  # "immediate" | "once" | "schedule"
    submitted_at: datetime
    items: list[Item]
    exec_time: datetime | None = None
    schedule_text: str | None = None
    schedule: object | None = None
    trigger_state: str = "Normal"  # Normal | Paused | Complete
    next_fire: datetime | None = None
    deleted: bool = False
    runs: list = field(default_factory=list, repr=False)

    @property
    def type(self) -> str:
        return JOB_TYPES[self.job_element]

    @property
    def listed_as_scheduled(self) -> bool:
        return not self.deleted and self.kind in ("once", "schedule") and self.trigger_state != "Complete"


@dataclass
class Run:
    run_id: int
    name: str
    handle: str
    definition: JobDef
    triggered_at: datetime
    run_seconds: float
    pauses: list[list] = field(default_factory=list)  # [start, end | None]
    stopped_at: datetime | None = None
    removed: bool = False  # deleted from the active list (the log stays)

    # -- time arithmetic ------------------------------------------------------------------------------
    def active_elapsed(self, now: datetime) -> float:
        end = min(now, self.stopped_at) if self.stopped_at else now
        total = (end - self.triggered_at).total_seconds()
        for start, stop in self.pauses:
            stop = min(stop or end, end)
            if stop > start:
                total -= (stop - start).total_seconds()
        return max(0.0, total)

    def at_offset(self, offset: float) -> datetime | None:
        """When the run's active time reaches ``offset`` seconds (None: not while it stays paused)."""
        t = self.triggered_at + timedelta(seconds=offset)
        for start, stop in self.pauses:
            if start <= t:
                if stop is None:
                    return None
                t += stop - start
        return t

    @property
    def total_seconds(self) -> float:
        return NEW_SECONDS + self.run_seconds

    @property
    def paused(self) -> bool:
        return bool(self.pauses) and self.pauses[-1][1] is None

    def item_done_offset(self, index: int) -> float:
        n = len(self.definition.items)
        return NEW_SECONDS + self.run_seconds * (index + 1) / n

    def view(self, now: datetime) -> RunView:
        d = self.definition
        elapsed = self.active_elapsed(now)
        items = d.items
        done_items = [i for i in range(len(items)) if self.item_done_offset(i) <= elapsed]
        stopped = self.stopped_at is not None
        if stopped or elapsed >= self.total_seconds:
            state = "Done"
        elif elapsed < NEW_SECONDS:
            state = "New"
        else:
            state = "Running"
        fraction = min(1.0, max(0.0, (elapsed - NEW_SECONDS) / self.run_seconds))
        if state == "Done" and not stopped:
            fraction = 1.0
        start = self.at_offset(NEW_SECONDS) if elapsed >= NEW_SECONDS else None
        if stopped:
            end = self.stopped_at
        elif state == "Done":
            end = self.at_offset(self.total_seconds)
        else:
            end = None
        errors = sum(1 for i in done_items if items[i].error)
        success = len(done_items) - errors
        if state == "New":
            message = "Paused" if self.paused else "Waiting to start"
        elif state == "Running":
            current = min(len(done_items), len(items) - 1)
            if self.paused:
                message = "Paused"
            elif items:
                message = f"Processing {items[current].name} ({current + 1} of {len(items)})"
            else:
                message = "Processing"
        elif stopped:
            message = "Job stopped"
        elif errors:
            message = f"Job completed with {errors} error{'s' if errors != 1 else ''}"
        else:
            message = "Job completed"
        last_update = min(now, end) if end else now
        return RunView(
            run=self, state=state, progress=int(fraction * 100), fraction=fraction, message=message,
            start=start, end=end, success=success, errors=errors, processed=len(done_items),
            last_update=last_update, elapsed=elapsed,
        )

    def detail_rows(self, now: datetime, view: RunView | None = None) -> list[DetailRow]:
        """The job log detail rows that exist at ``now``, in date order."""
        d = self.definition
        view = view or self.view(now)
        begin, ok_type, err_type, end_type = log_types(d.type)
        t0 = self.triggered_at
        rows = [
            DetailRow(t0, "OriginalJobName", d.original_name),
            DetailRow(t0, "JobClient", d.app_name),
            DetailRow(t0, "JobType", d.type),
            DetailRow(t0, "TotalFileCount", str(len(d.items))),
        ]
        if view.start is not None:
            rows.append(DetailRow(view.start, begin, f"Begin {d.type} job {self.name}"))
        for i, item in enumerate(d.items):
            if self.item_done_offset(i) <= view.elapsed:
                when = self.at_offset(self.item_done_offset(i)) or now
                if item.error:
                    rows.append(DetailRow(when, err_type, item.error, item.name, item.type, item.handle))
                else:
                    rows.append(DetailRow(when, ok_type, f"{item.name} processed", item.name, item.type,
                                          item.handle))
        if self.stopped_at is not None:
            rows.append(DetailRow(self.stopped_at, "JobStopped", "Job stopped by user"))
        elif view.state == "Done" and view.end is not None:
            if d.job_element == "exportJob" and view.success:
                url = EXPORT_URL.format(name=quote(d.original_name, safe=""))
                rows.append(DetailRow(view.end, "ExportComplete", f"Export file ready: {url}", url, "Zip"))
            rows.append(DetailRow(
                view.end, end_type,
                f"End {d.type} job {self.name}: {view.success} succeeded, {view.errors} failed",
            ))
        rows.sort(key=lambda r: r.date)
        return rows


@dataclass
class RunView:
    run: Run
    state: str
    progress: int
    fraction: float
    message: str
    start: datetime | None
    end: datetime | None
    success: int
    errors: int
    processed: int
    last_update: datetime
    elapsed: float

    @property
    def fatal(self) -> bool:
        return self.state == "Done" and self.errors > 0 and self.success == 0


@dataclass
class DetailRow:
    date: datetime
    log_type: str
    message: str
    asset_name: str | None = None
    asset_type: str | None = None
    asset_handle: str | None = None


class UnknownJob(LookupError):
    pass


class NotActive(ValueError):
    pass


def __getattr__(name: str):
    # JobStore lived here; it is in job_store.py now (imported on first use, so this module stays first)
    if name == "JobStore":
        from ips_tui.sandbox.job_store import JobStore

        return JobStore
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
