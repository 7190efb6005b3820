"""The sandbox's store of job definitions and runs, with the rules of time passing (schedules firing, runs
expiring) and the job actions. One lock guards it all.

Timed definitions are indexed by their next fire time (a heap), so a sync looks only at what is due, not at
every scheduled job. What it keeps is bounded: a finished run (and its log) expires :data:`RUN_RETENTION`
after its end, or sooner once more than :data:`MAX_FINISHED_RUNS` have finished; an immediate job goes with
its last run, a deleted or completed one too. Scheduled jobs stay as long as they may fire.
"""

from __future__ import annotations

import heapq
import itertools
import threading
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from ips_tui.sandbox.clock import SandboxClock
from ips_tui.sandbox.jobs import MAX_CATCH_UP, JobDef, NotActive, Run, UnknownJob

RUN_RETENTION = timedelta(days=7)  # a finished run and its log are kept this long after its end (clock time)
MAX_FINISHED_RUNS = 2_000  # beyond this many finished runs, the oldest expire first


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
