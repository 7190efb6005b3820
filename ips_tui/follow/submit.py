"""Submitting through the journal: each request is written ``pending`` before anything is sent, marked
``sent`` on disk just before it leaves, and updated with the handle or the error. Never retried.

Many requests go out on a bounded pool of threads, one :class:`IpsClient` per thread (a client is not
for concurrent use). Results come back in completion order through ``on_result``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from ips_tui.store.journal import Entry, Journal, NewSubmission

#: most requests in flight at once (a politeness limit towards the service)
MAX_CONCURRENCY = 32


@dataclass
class Submission:
    """One request ready to send: what the journal records and what goes on the wire."""

    request_toml: str
    payload: dict = field(repr=False)
    job_name: str
    company: str | None
    job_type: str | None = None
    timed: bool = False
    source: str | None = None  # a job file's path, "tui", ...

    @classmethod
    def from_request(cls, request, payload: dict, *, source: str | None = None) -> "Submission":
        data = request.data
        return cls(request.to_toml(), payload, request.job_name, data.get("companyHandle"), request.job_type,
                   bool(data.get("execTime") or data.get("execSchedule")), source)


@dataclass
class Result:
    submission: Submission
    entry: Entry | None  # None when the journal could not be written
    handle: str | None = None
    error: Exception | None = None  # an IpsError normally

    @property
    def ok(self) -> bool:
        return self.handle is not None


def record(journal: Journal, items: list[Submission], *, url: str | None, user: str | None,
           profile: str | None = None, timeout: float | None = None) -> list[Entry]:
    """Write every request as ``pending``, in one transaction, before any is sent."""
    return journal.record_many(
        [NewSubmission(s.request_toml, s.job_name, s.company, s.job_type, s.timed, s.source) for s in items],
        url=url, user=user, profile=profile, timeout=timeout,
    )


def send(journal: Journal | None, entry: Entry | None, client, submission: Submission) -> str:
    """Send one recorded request: mark it sent, submit once, journal the answer. Raises the IpsError."""
    from ips_tui.ips.faults import IpsError

    if journal is not None and entry is not None:
        journal.mark_sent(entry.id)  # must be on disk before the request leaves: no send without it
    try:
        handle = client.submit_job(submission.payload)
    except IpsError as error:
        # "maybe processed": the request may have reached the service; only asking it can tell.
        _after(journal, entry, "mark_unknown" if error.maybe_processed else "mark_failed",
               error.kind, error.code, error.message)
        raise
    _after(journal, entry, "mark_submitted", handle)
    return handle


def _after(journal: Journal | None, entry: Entry | None, method: str, *values) -> None:
    """Journal the answer. A journal that fails now never hides the service's answer: the entry stays
    ``sent`` and the next start reconciles it."""
    if journal is None or entry is None:
        return
    try:
        getattr(journal, method)(entry.id, *values)
    except Exception:
        pass


@dataclass
class Sent:
    """What :func:`submit_one` did: sent (``handle``), or not sent because of ``earlier``."""

    handle: str | None = None
    entry: Entry | None = None  # this submission's journal entry (None: not recorded)
    earlier: Entry | None = None  # not sent: this earlier submission of the same request may be on the service


#: ``submit_one(state_dir=...)`` not given: the caller passes its own journal
_OWN_JOURNAL = object()


def submit_one(journal: Journal | None, connection, submission: Submission, *, client=None,
               check_earlier: bool = True, entry: Entry | None = None, timeout: float = 60.0,
               state_dir: Any = _OWN_JOURNAL) -> Sent:
    """One request, the one way: journal → earlier attempt → record → send → close. Never retried.

    ``check_earlier``: when the journal shows this same request was sent before and may be on the service
    (:func:`earlier_attempt`), nothing is sent and that entry comes back (the caller asks, or says so).
    ``entry``: already recorded (:func:`submit_all` records every file first). ``client``: the caller's
    (kept open); else one is made from ``connection`` and closed. ``state_dir`` (None: the default folder):
    the journal there is opened here and closed at the end.

    The journal is the gate, for the wizard as for the CLI: a journal that cannot be opened, read or
    written raises its :class:`~ips_tui.store.journal.JournalError` (naming the file and why) and nothing
    is sent, since a request sent without its record could be sent twice. Raises the service's IpsError."""
    opened = None
    try:
        if state_dir is not _OWN_JOURNAL:
            from ips_tui.store.journal import open_journal

            journal = opened = open_journal(state_dir)
        if journal is not None and check_earlier:
            earlier = earlier_attempt(journal, submission, url=connection.url, user=connection.user)
            if earlier is not None:
                return Sent(earlier=earlier)
        if journal is not None and entry is None:
            [entry] = record(journal, [submission], url=connection.url, user=connection.user,
                             profile=connection.profile_name, timeout=timeout)
        own = client is None
        if own:
            client = connection.client(timeout=timeout, locale="")
        try:
            return Sent(handle=send(journal, entry, client, submission), entry=entry)
        finally:
            if own:
                client.close()
    finally:
        if opened is not None:
            opened.close()


def submit_all(journal: Journal, make_client: Callable[[], Any], items: list[Submission], *,
               url: str | None, user: str | None, profile: str | None = None, timeout: float | None = None,
               concurrency: int = 4, on_result: Callable[[Result], None] | None = None) -> list[Result]:
    """Record all, then send each once on at most ``concurrency`` threads. Results in input order."""
    concurrency = max(1, min(concurrency, MAX_CONCURRENCY, len(items) or 1))
    entries = record(journal, items, url=url, user=user, profile=profile, timeout=timeout)
    local = threading.local()
    clients: list = []
    clients_lock = threading.Lock()

    def client():
        c = getattr(local, "client", None)
        if c is None:
            c = local.client = make_client()
            with clients_lock:
                clients.append(c)
        return c

    def one(i: int) -> Result:
        result = Result(items[i], entries[i])
        try:
            result.handle = submit_one(journal, None, items[i], client=client(), check_earlier=False,
                                       entry=entries[i]).handle
        except Exception as error:  # an IpsError normally; anything else is still this file's failure
            result.error = error
            if not _is_ips_error(error):
                journal.mark_failed(entries[i].id, "internal", None, str(error))
        return result

    results: list[Result | None] = [None] * len(items)
    try:
        with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="submit") as pool:
            futures = {pool.submit(one, i): i for i in range(len(items))}
            for future in as_completed(futures):
                result = future.result()
                results[futures[future]] = result
                if on_result is not None:
                    on_result(result)
    finally:
        for c in clients:
            c.close()
    return [r for r in results if r is not None]


def _is_ips_error(error: BaseException) -> bool:
    from ips_tui.ips.faults import IpsError

    return isinstance(error, IpsError)


#: a request found on the service (after its answer was lost) this recently makes sending it again a retry
RETRY_WINDOW = timedelta(hours=12)


def earlier_attempt(journal: Journal, submission: Submission, *, url: str | None, user: str | None,
                    now: datetime | None = None) -> Entry | None:
    """The earlier submission of this same request to this account that makes sending it now a *retry*:
    the newest one, when it is still unresolved (it may be on the service) or was found on the service
    after its answer was lost, within :data:`RETRY_WINDOW`. None when sending is simply a new job (a
    request answered before, as a nightly cron sends the same file every night)."""
    from ips_tui.store.journal import UNRESOLVED, request_fingerprint

    entry = journal.latest_for(request_fingerprint(url, user, submission.request_toml))
    if entry is None:
        return None
    if entry.state in UNRESOLVED:
        return entry
    age = (now or datetime.now(timezone.utc)) - (entry.sent_time or entry.created_at)
    if entry.state == "reconciled" and age < RETRY_WINDOW:
        return entry
    return None
