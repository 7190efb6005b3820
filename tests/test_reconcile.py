"""Reconciling unanswered submissions against the sandbox: found (scheduled or run), never sent, never
received, not yet decidable, and an earlier job of the same name not taken for ours."""

from __future__ import annotations

import socket
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.follow.reconcile import reconcile
from ips_tui.follow.submit import Submission
from ips_tui.ips.client import IpsClient
from ips_tui.job.request import JobRequest
from ips_tui.store.journal import open_journal

EXPORT = {"companyHandle": "c|101", "jobName": "lost-answer",
          "exportJob": {"assetHandleArray": ["a|101|1001"], "fmt": "orig", "emailSetting": "None"}}


def _dead_owner() -> str:
    pid = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                         text=True).stdout.strip()
    return f"{socket.gethostname()}:{pid}:1"


@pytest.fixture
def client(sandbox):
    with IpsClient(sandbox.url, sandbox.user, sandbox.password) as c:
        yield c


@pytest.fixture
def journal(tmp_path):
    with open_journal(tmp_path) as j:
        yield j


def _submission(data: dict) -> Submission:
    req = JobRequest(data)
    return Submission.from_request(req, req.to_payload(), source="test")


def _lost(journal, sandbox, sub: Submission, *, reach: IpsClient | None, state="sent", owner=None):
    """An entry whose answer was lost: sent (and, with ``reach``, really received by the service)."""
    entry = journal.record(sub.request_toml, url=sandbox.url, user=sandbox.user, company=sub.company,
                           job_name=sub.job_name, timed=sub.timed, timeout=30)
    if state != "pending":
        journal.mark_sent(entry.id)
    if reach is not None:
        reach.submit_job(sub.payload)
    journal._update(entry.id, owner=owner or _dead_owner())
    return journal.get(entry.id)


def test_an_immediate_job_the_service_has_is_found_as_its_run(sandbox, client, journal):
    entry = _lost(journal, sandbox, _submission(EXPORT), reach=client)
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user)
    assert v.outcome == "found" and v.entry.state == "reconciled"
    assert v.entry.handle.startswith("j|101||lost-answer_")
    assert len(sandbox.submitted_jobs()) == 1  # asked, never sent again
    assert not [r for r in sandbox.received if r.operation == "submitJob"][1:]
    assert journal.get(entry.id).note.startswith("Found on the service")


def test_a_timed_job_is_found_in_the_scheduled_jobs(sandbox, client, journal):
    later = (datetime.now(timezone.utc) + timedelta(days=2)).isoformat(timespec="seconds")
    sub = _submission(dict(EXPORT, jobName="lost-timed", execTime=later))
    assert sub.timed
    _lost(journal, sandbox, sub, reach=client)
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user)
    assert v.outcome == "found" and v.entry.handle == "j|101|lost-timed||"


def test_a_pending_entry_was_never_sent(sandbox, client, journal):
    _lost(journal, sandbox, _submission(EXPORT), reach=None, state="pending")
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user)
    assert v.outcome == "not_sent" and v.entry.state == "failed" and v.entry.error_kind == "not_sent"
    assert sandbox.received == []  # nothing needed asking


def test_not_on_the_service_long_after_is_not_received(sandbox, client, journal):
    _lost(journal, sandbox, _submission(EXPORT), reach=None)
    later = datetime.now(timezone.utc) + timedelta(minutes=10)
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user, now=later)
    assert v.outcome == "not_received" and v.entry.state == "failed"


def test_not_on_the_service_yet_stays_undecided(sandbox, client, journal):
    _lost(journal, sandbox, _submission(EXPORT), reach=None)
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user)
    assert v.outcome == "undecided" and v.entry.state == "unknown" and v.entry.unresolved


def test_an_earlier_job_of_the_same_name_is_not_taken_for_ours(sandbox, client, journal):
    sub = _submission(EXPORT)
    first = journal.record(sub.request_toml, url=sandbox.url, user=sandbox.user, company="c|101",
                           job_name=sub.job_name)
    journal.mark_sent(first.id)
    journal.mark_submitted(first.id, client.submit_job(sub.payload))  # answered: its run is explained
    _lost(journal, sandbox, sub, reach=None)
    later = datetime.now(timezone.utc) + timedelta(minutes=10)
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user, now=later)
    assert v.outcome == "not_received"


def test_an_unreachable_service_changes_nothing_and_is_asked_once(sandbox, journal):
    sub = _submission(EXPORT)
    a = _lost(journal, sandbox, sub, reach=None)
    b = _lost(journal, sandbox, _submission(dict(EXPORT, jobName="other")), reach=None)
    with IpsClient("http://127.0.0.1:9/scene7/services/IpsApiService", sandbox.user, "x", timeout=3) as down:
        verdicts = reconcile(journal, down, url=sandbox.url, user=sandbox.user)
    assert [v.outcome for v in verdicts] == ["undecided", "undecided"]
    assert journal.get(a.id).state == "sent" and journal.get(b.id).state == "sent"
    assert "127.0.0.1" in journal.get(a.id).note


def test_a_live_process_keeps_its_entries(sandbox, client, journal):
    """Another process still sending is not an orphan: its entry is left alone."""
    import os

    from ips_tui.store.journal import current_owner

    parent = current_owner().replace(f":{os.getpid()}:", f":{os.getppid()}:")
    parent = parent.rsplit(":", 1)[0] + ":"  # unknown start time: trusted as alive
    _lost(journal, sandbox, _submission(EXPORT), reach=None, owner=parent)
    assert reconcile(journal, client, url=sandbox.url, user=sandbox.user) == []


def test_this_process_own_unknown_entries_are_reconciled(sandbox, client, journal):
    sub = _submission(EXPORT)
    entry = journal.record(sub.request_toml, url=sandbox.url, user=sandbox.user, company="c|101",
                           job_name=sub.job_name)
    journal.mark_sent(entry.id)
    client.submit_job(sub.payload)
    journal.mark_unknown(entry.id, "timeout", None, "no answer in time")
    [v] = reconcile(journal, client, url=sandbox.url, user=sandbox.user)
    assert v.outcome == "found"
