"""Jobs in the sandbox: definitions (what submitJob created), runs (what getActiveJobs and the job logs show),
and the time rules (the sandbox clock itself is in ``clock.py``).

There are no per-job threads: a run's state, progress and log rows are computed from the sandbox clock when
asked, and scheduled definitions fire lazily (``JobStore.sync``) before every read or change. Timed
definitions are indexed by their next fire time (a heap), so a sync looks only at what is due, not at every
scheduled job. What it keeps is bounded: a finished run (and its log) expires :data:`RUN_RETENTION` after its
end, or sooner once more than :data:`MAX_FINISHED_RUNS` have finished; an immediate job goes with its last run. A run goes
New (``NEW_SECONDS``) → Running (``run_seconds``) → Done, all in sandbox-clock seconds, so the clock's speed
factor makes demos finish in seconds and ``clock.advance()`` drives tests.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from urllib.parse import quote
from zoneinfo import ZoneInfo

from lxml import etree

from ips_tui.job.timing import QuartzSchedule, ScheduleError, parse_schedule
from ips_tui.sandbox.clock import SandboxClock  # noqa: F401  (it lived here; the server needs it without lxml)

NEW_SECONDS = 0.5  # queued before it starts running
DONE_LINGER = 30.0  # a finished run stays in getActiveJobs this long (clock seconds), then only in the logs
MAX_CATCH_UP = 50  # fire times replayed per scheduled job after a long clock jump; older ones are misfires
RUN_RETENTION = timedelta(days=7)  # a finished run and its log are kept this long after its end (clock time)
MAX_FINISHED_RUNS = 2_000  # beyond this many finished runs, the oldest expire first

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


class JobStore:
    """All definitions and runs, guarded by one lock."""

    def __init__(self, clock: SandboxClock, zone: ZoneInfo):
        self.clock = clock
        self.zone = zone
        self.lock = threading.RLock()
        self.definitions: dict[str, JobDef] = {}
        self.runs: dict[str, Run] = {}
        self._timed: dict[str, JobDef] = {}  # definitions that may still fire (execTime / execSchedule)
        # (next fire, sequence, handle) of timed definitions; an entry whose definition has since changed
        # (paused, deleted, another next fire) is stale and dropped when it comes up
        self._due: list[tuple[datetime, int, str]] = []
        self._seq = itertools.count()
        self._name_counts: dict[tuple[str, str], int] = {}
        self._run_ids = itertools.count(5_129_821)
        self._finished = 0  # runs that may have finished since the last expiry pass, roughly

    # -- creating -------------------------------------------------------------------------------------
    def unique_name(self, company_id: str, name: str) -> str:
        """The definition name for ``name``: the name itself the first time, then ``name~2``, ``name~3``…
        (never reused, so an old handle never points at a newer job)."""
        key = (company_id, name)
        n = self._name_counts.get(key, 0) + 1
        self._name_counts[key] = n
        candidate = name if n == 1 else f"{name}~{n}"
        while f"j|{company_id}|{candidate}||" in self.definitions:
            n += 1
            self._name_counts[key] = n
            candidate = f"{name}~{n}"
        return candidate

    def add(self, d: JobDef, now: datetime) -> JobDef:
        with self.lock:
            self.definitions[d.handle] = d
            if d.kind != "immediate":
                self._timed[d.handle] = d
            if d.kind == "immediate":
                self._start_run(d, now)
            elif d.kind == "once":
                d.next_fire = d.exec_time
                self._index(d)
            else:
                d.next_fire = self._next_fire(d, now)
                self._index(d)
            self._sync(now)
            return d

    def _index(self, d: JobDef) -> None:
        if d.next_fire is not None and d.trigger_state == "Normal" and not d.deleted:
            heapq.heappush(self._due, (d.next_fire, next(self._seq), d.handle))

    def _next_fire(self, d: JobDef, after: datetime) -> datetime | None:
        times = d.schedule.next_fire_times(1, after, self.zone)  # type: ignore[union-attr]
        return times[0].astimezone(timezone.utc) if times else None

    def _start_run(self, d: JobDef, at: datetime) -> Run:
        run_id = next(self._run_ids)
        name = f"{d.original_name}_{at.astimezone(self.zone):%Y-%m-%d-%H:%M:%S}"
        handle = f"j|{d.company_id}||{name}|{run_id}"
        run = Run(run_id=run_id, name=name, handle=handle, definition=d, triggered_at=at,
                  run_seconds=min(8.0, 3.0 + 0.25 * len(d.items)))
        self.runs[handle] = run
        d.runs.append(run)
        return run

    # -- time passing ---------------------------------------------------------------------------------
    def sync(self) -> datetime:
        """Fire what is due at the clock's now; returns that now."""
        with self.lock:
            now = self.clock.now()
            self._sync(now)
            return now

    def _sync(self, now: datetime) -> None:
        due = self._due
        while due and due[0][0] <= now:
            when, _seq, handle = heapq.heappop(due)
            d = self._timed.get(handle)
            if d is None or d.deleted or d.trigger_state != "Normal" or d.next_fire != when:
                continue  # stale: the definition changed after this entry was made
            self._fire(d, now)
        self._expire(now)

    def _fire(self, d: JobDef, now: datetime) -> None:
        """Start the runs of ``d`` that are due by ``now`` and index its next fire time."""
        if d.kind == "once":
            self._start_run(d, d.next_fire)
            d.trigger_state, d.next_fire = "Complete", None
            del self._timed[d.handle]
            return
        fires: list[datetime] = []
        after = d.next_fire
        fires.append(after)
        while len(fires) < MAX_CATCH_UP:
            nxt = self._next_fire(d, after)
            if nxt is None or nxt > now:
                break
            fires.append(nxt)
            after = nxt
        else:
            after = now  # misfires beyond the catch-up window are skipped
        for when in fires:
            self._start_run(d, when)
        d.next_fire = self._next_fire(d, max(after, fires[-1]))
        if d.next_fire is None:
            d.trigger_state = "Complete"
            del self._timed[d.handle]
        else:
            self._index(d)

    def _expire(self, now: datetime) -> None:
        """Drop finished runs older than RUN_RETENTION, and the oldest beyond MAX_FINISHED_RUNS. Runs are kept
        in the order they started; the pass walks from the oldest and is only made every so often."""
        self._finished += 1
        if self._finished < 256:
            return
        self._finished = 0
        cutoff = now - RUN_RETENTION
        finished = []
        for handle, run in self.runs.items():
            view = run.view(now)
            if view.state == "Done":
                finished.append((handle, run, view.end or run.triggered_at))
        excess = len(finished) - MAX_FINISHED_RUNS
        for i, (handle, run, end) in enumerate(finished):
            if end < cutoff or i < excess:
                self._drop_run(handle, run)

    def _drop_run(self, handle: str, run: Run) -> None:
        del self.runs[handle]
        d = run.definition
        try:
            d.runs.remove(run)
        except ValueError:
            pass
        if not d.runs and (d.kind == "immediate" or d.deleted or d.trigger_state == "Complete"):
            self.definitions.pop(d.handle, None)  # nothing of it is listed any more

    # -- finding --------------------------------------------------------------------------------------
    def find(self, company_handle: str, handle: str) -> tuple[JobDef | None, Run | None]:
        d = self.definitions.get(handle)
        if d is not None and not d.deleted and d.company_handle == company_handle:
            return d, None
        run = self.runs.get(handle)
        if run is not None and run.definition.company_handle == company_handle:
            return None, run
        raise UnknownJob(handle)

    def scheduled(self) -> list[JobDef]:
        """Definitions getScheduledJobs lists (call under the lock, after a sync)."""
        return [d for d in self._timed.values() if d.listed_as_scheduled]

    @staticmethod
    def runs_of(d: JobDef) -> list[Run]:
        return list(d.runs)

    # -- acting ---------------------------------------------------------------------------------------
    def _active_runs(self, d: JobDef | None, run: Run | None, now: datetime) -> list[Run]:
        runs = [run] if run else self.runs_of(d)  # type: ignore[arg-type]
        return [r for r in runs if r.view(now).state != "Done"]

    def stop(self, company_handle: str, handle: str) -> None:
        with self.lock:
            now = self.clock.now()
            self._sync(now)
            d, run = self.find(company_handle, handle)
            active = self._active_runs(d, run, now)
            if not active:
                raise NotActive(handle)
            for r in active:
                self._close_pause(r, now)
                r.stopped_at = now

    def pause(self, company_handle: str, handle: str) -> None:
        with self.lock:
            now = self.clock.now()
            self._sync(now)
            d, run = self.find(company_handle, handle)
            if d is not None and d.listed_as_scheduled:
                d.trigger_state = "Paused"
                return
            active = self._active_runs(d, run, now)
            if not active:
                raise NotActive(handle)
            for r in active:
                if not r.paused:
                    r.pauses.append([now, None])

    def resume(self, company_handle: str, handle: str) -> None:
        with self.lock:
            now = self.clock.now()
            self._sync(now)
            d, run = self.find(company_handle, handle)
            if d is not None and d.listed_as_scheduled:
                if d.trigger_state == "Paused":
                    d.trigger_state = "Normal"
                    if d.kind == "schedule":  # fire times missed while paused are skipped, as Quartz does
                        d.next_fire = self._next_fire(d, now)
                    self._index(d)
                    self._sync(now)
                return
            runs = [run] if run else self.runs_of(d)  # type: ignore[arg-type]
            for r in runs:
                self._close_pause(r, now)

    def delete(self, company_handle: str, handle: str) -> None:
        with self.lock:
            now = self.clock.now()
            self._sync(now)
            d, run = self.find(company_handle, handle)
            runs = [run] if run else self.runs_of(d)  # type: ignore[arg-type]
            for r in runs:
                if r.view(now).state != "Done":
                    self._close_pause(r, now)
                    r.stopped_at = now
                r.removed = True
            if d is not None:
                d.deleted = True
                self._timed.pop(d.handle, None)
                if not d.runs:
                    self.definitions.pop(d.handle, None)

    def execute(self, company_handle: str, handle: str) -> Run:
        with self.lock:
            now = self.clock.now()
            self._sync(now)
            d, run = self.find(company_handle, handle)
            return self._start_run(d or run.definition, now)  # type: ignore[union-attr]

    @staticmethod
    def _close_pause(r: Run, now: datetime) -> None:
        if r.paused:
            r.pauses[-1][1] = now
