"""A company's jobs at one moment (active, scheduled, recent logs) and the actions on a job.

Used by ``ips-tui jobs`` and the jobs screen. Times are shown in the server's zone and the local one.
Lists are read lean (:func:`lister`: each job's simple fields only, no zeep); a job's full record, with the
request it echoes, only when it is opened (:func:`job_detail`, through the full client).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo
from functools import lru_cache

from ips_tui.i18n import N_

#: action word → (client method, what it does, needs a confirmation)
ACTIONS: dict[str, tuple[str, str, bool]] = {
    "stop": ("stop_job", N_("Stop the running job"), True),
    "pause": ("pause_job", N_("Pause the job (a scheduled job stops firing)"), False),
    "resume": ("resume_job", N_("Resume the paused job"), False),
    "delete": ("delete_job", N_("Delete the job (a scheduled job is removed)"), True),
    "run": ("execute_job", N_("Run the scheduled job now"), True),
}


@dataclass
class JobsSnapshot:
    company: str
    active: list[dict] = field(default_factory=list)
    scheduled: list[dict] = field(default_factory=list)
    logs: list[dict] = field(default_factory=list)
    taken_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    lean: bool = False  # the items came from a lean listing (simple fields only)


def lister(conn, *, timeout: float = 60.0):
    """A lean :class:`~ips_tui.ips.listing.Lister` for a connection (``url``, ``user``, ``password``,
    ``cacert``, ``locale``): what :func:`fetch` should be given for lists and polls."""
    from ips_tui.ips.listing import Lister
    from ips_tui.store.profile_client import client_options

    # the profile's reply limits and authHeader namespace, as the full client takes them (Connection.client)
    options = client_options(getattr(conn, "profile", None), conn.url)
    if getattr(conn, "auth_header", None):
        options["auth_header"] = conn.auth_header
    return Lister(conn.url, conn.user, conn.password, cacert=conn.cacert, locale=conn.locale, timeout=timeout,
                  **options)


def fetch(client, company: str, *, log_rows: int = 20, logs: bool = True) -> JobsSnapshot:
    """Active and scheduled jobs and the newest job logs of ``company``, from a :func:`lister` (lean items)
    or an IpsClient (whole records). Raises IpsError."""
    snap = JobsSnapshot(company, lean=getattr(client, "lean", False))
    snap.active = client.get_active_jobs(company)
    snap.scheduled = client.get_scheduled_jobs(company)
    if logs:
        snap.logs = client.get_job_logs(company, sort_by="StartDate", sort_direction="Descending", num_rows=log_rows)
    return snap


def job_detail(client, company: str, job: dict) -> dict | None:
    """The full record of one listed job (``job``: an item of a snapshot), its echoed request included, from
    the full client (``IpsClient``); None when it is no longer there."""
    handle = job.get("jobHandle")
    if "triggerState" in job or "execSchedule" in job:
        found = client.get_scheduled_jobs(company, job_handle=handle)
    elif "state" in job:
        found = client.get_active_jobs(company, job_handle=handle)
    else:
        found = client.get_job_log_details(company, job_handle=handle)
    return next((j for j in found if j.get("jobHandle") == handle), None)


def act(client, company: str, action: str, handle: str) -> None:
    """Stop, pause, resume, delete or run (now) the job ``handle``. Raises IpsError, or KeyError."""
    method = ACTIONS[action][0]
    getattr(client, method)(company, handle)


def when(value, zone: tzinfo | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A service dateTime in ``zone`` as ``YYYY-MM-DD HH:MM:SS ZZZ`` (or ``fmt``; '' for none)."""
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    shown = value.astimezone(zone) if zone is not None else value
    return f"{shown.strftime(fmt)} {shown.tzname() or ''}".rstrip()


def zone_named(name: str | None) -> tzinfo | None:
    """The IANA zone ``name`` (a profile's server zone), or None when unset or unknown."""
    if not name:
        return None
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (KeyError, ValueError):
        return None


def both_zones(value, server: tzinfo | None, local: tzinfo | None) -> tuple[str, str]:
    """(in the server's zone, in the local zone). Without a known server zone, the offset the service
    gave is the server's."""
    return when(value, server), when(value, local)


def to_json(snap: JobsSnapshot) -> dict:
    """The snapshot as JSON-ready values (datetimes as ISO 8601)."""
    detail = _job_detail_elements()

    def clean(v):
        if isinstance(v, datetime):
            return v.isoformat()
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if k not in detail}
        if isinstance(v, list):
            return [clean(x) for x in v]
        return v

    def flat(items: list[dict]) -> list[dict]:
        # lean items (ips.listing) hold only simple values: one pass, no call per value
        return [{k: (x.isoformat() if x.__class__ is datetime else x) for k, x in item.items()} for item in items]

    if snap.lean:
        active, scheduled, logs = flat(snap.active), flat(snap.scheduled), flat(snap.logs)
    else:
        active, scheduled, logs = clean(snap.active), clean(snap.scheduled), clean(snap.logs)
    return {"company": snap.company, "takenAt": snap.taken_at.isoformat(), "active": active,
            "scheduled": scheduled, "logs": logs}


@lru_cache(maxsize=1)
def _job_detail_elements() -> frozenset[str]:
    """The job-detail elements an active or scheduled job echoes (its whole request): left out of listings."""
    from ips_tui.ips.catalog_text import JOB_TEXT

    return frozenset(JOB_TEXT) | {"uploadPostJob"}  # uploadPost jobs are listed too, never submitted by us
