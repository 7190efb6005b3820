"""Reconciling submissions that were never answered (a crash, a kill, a dropped SSH session, a timeout).

The service is asked, never sent the request again. An entry is looked for by its job name
(``originalName``; the handle submitJob would have returned names the definition, not the run):
getScheduledJobs for a timed job, then getActiveJobs and getJobLogDetails for runs that started after
it was sent. A match makes it ``reconciled`` with the handle found; an entry still ``pending`` was never
sent (``failed``, kind ``not_sent``); one the service does not have long after it was sent is
``failed`` with kind ``not_received``. When the service cannot be asked, nothing changes.

Runs of an earlier job with the same name are told apart by time (a run that started before the
request was sent, less :data:`CLOCK_SKEW`, is not it) and by the journal (runs already explained by
other entries of the same name are not counted twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from ips_tui.i18n import _
from ips_tui.store.journal import Entry, Journal, current_owner, parse_iso

#: how far the service's clock may be behind ours
CLOCK_SKEW = timedelta(minutes=5)
#: after the request's own time limit, how long a job may take to appear before "not received"
GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class Verdict:
    entry: Entry  # as it is now in the journal
    outcome: str  # found | not_sent | not_received | undecided
    message: str  # in words, for the person

    @property
    def resolved(self) -> bool:
        return self.outcome != "undecided"


def to_reconcile(journal: Journal, *, url: str | None, user: str | None, now: datetime | None = None) -> list[Entry]:
    """This account's orphans, and this process's own submissions left ``unknown``."""
    found = {e.id: e for e in journal.orphans(url=url, user=user, now=now)}
    for e in journal.entries(limit=None, states=["unknown"], url=url, user=user):
        if e.owner == current_owner():
            found.setdefault(e.id, e)
    return [found[i] for i in sorted(found)]


def reconcile(journal: Journal, client, *, url: str | None, user: str | None,
              now: datetime | None = None) -> list[Verdict]:
    """Settle every entry :func:`to_reconcile` lists, asking the service through ``client`` (an
    IpsClient for that account). Stops asking at the first error (the service is out of reach)."""
    from ips_tui.ips.faults import IpsError

    verdicts = []
    unreachable: IpsError | None = None
    for entry in to_reconcile(journal, url=url, user=user, now=now):
        if entry.owner != current_owner() and not journal.claim(entry, now=now):
            continue  # another process took it
        if entry.state == "pending":
            e = journal.mark_failed(entry.id, "not_sent", None, _("Never sent: the program ended before sending it."),
                                    now=now)
            verdicts.append(Verdict(e, "not_sent", e.error_message or ""))
            continue
        if unreachable is not None:
            verdicts.append(Verdict(entry, "undecided", unreachable.message))
            continue
        try:
            handle, where = find_on_service(journal, client, entry)
        except IpsError as error:
            unreachable = error
            journal.set_note(entry.id, _("Could not ask the service: {error}").format(error=error.message), now=now)
            verdicts.append(Verdict(journal.get(entry.id) or entry, "undecided", error.message))
            continue
        if handle is not None:
            note = _("Found on the service ({where}) after the answer was lost.").format(where=where)
            e = journal.mark_reconciled(entry.id, handle, note, now=now)
            verdicts.append(Verdict(e, "found", note))
            continue
        sent = entry.sent_time or entry.created_at
        limit = timedelta(seconds=entry.timeout or 60) + GRACE
        if (now or datetime.now(timezone.utc)) - sent > limit:
            message = _("The service has no job of this name since it was sent: it never arrived.")
            e = journal.mark_failed(entry.id, "not_received", None, message, now=now)
            verdicts.append(Verdict(e, "not_received", message))
        else:
            message = _("Not on the service yet; asking again later.")
            e = journal.mark_unknown(entry.id, entry.error_kind or "unanswered", entry.error_code,
                                     entry.error_message or message, note=message, now=now)
            verdicts.append(Verdict(e, "undecided", message))
    return verdicts


def find_on_service(journal: Journal, client, entry: Entry) -> tuple[str | None, str | None]:
    """(handle, where) of the job this entry sent, or (None, None). Raises IpsError."""
    name, company = entry.job_name, entry.company
    since = (entry.sent_time or entry.created_at) - CLOCK_SKEW
    known = journal.handles(url=entry.url, company=company)
    if entry.timed:
        for job in client.get_scheduled_jobs(company, original_name=name):
            if job.get("originalName") == name and job.get("jobHandle") not in known:
                return job["jobHandle"], _("scheduled jobs")
    runs: dict[str, tuple[str, str]] = {}  # run name → (handle, where)
    for job in client.get_active_jobs(company, original_name=name):
        if job.get("originalName") == name and started_since(job.get("startDate"), since):
            runs[str(job.get("name"))] = (job["jobHandle"], _("active jobs"))
    for log in client.get_job_log_details(company, original_name=name):
        if log.get("originalJobName") == name and started_since(log.get("startDate"), since):
            runs.setdefault(str(log.get("jobName")), (log["jobHandle"], _("job logs")))
    candidates = sorted((n, hw) for n, hw in runs.items() if hw[0] not in known)
    # Runs explained by other submissions of the same name in the same window are not ours.
    others = [e for e in journal.same_name(entry, since) if e.state in ("submitted", "reconciled") and not e.timed]
    if len(candidates) > len(others):
        return candidates[-1][1]
    return None, None


def started_since(value, since: datetime) -> bool:
    if value is None:
        return True  # not started yet: it is new
    when = value if isinstance(value, datetime) else parse_iso(str(value))
    if when is None:
        return True
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return when >= since
