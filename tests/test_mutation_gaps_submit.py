"""Tests that kill mutants the fast set let live in follow/submit.py (see docs/testing.md, Mutation testing):
when sending again is a retry (never sent) or a new job (sent), what the journal says before and after a
request leaves, and a batch's results, in order, one per file, with every client closed. In process, against
the sandbox over a real socket (the kill-and-rerun proof is tests/test_cli_resend_guard.py)."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.connection import Connection
from ips_tui.follow.submit import MAX_CONCURRENCY, RETRY_WINDOW, Submission, earlier_attempt, submit_all, submit_one
from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import IpsError
from ips_tui.job.request import JobRequest
from ips_tui.store.journal import open_journal

NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)


def _sub(name: str = "n", **extra) -> Submission:
    req = JobRequest({"companyHandle": "c|101", "jobName": name,
                      "exportJob": {"assetHandleArray": ["a|101|1001"], "fmt": "orig", "emailSetting": "None"},
                      **extra})
    return Submission.from_request(req, req.to_payload(), source="t.toml")


@pytest.fixture
def journal(tmp_path):
    with open_journal(tmp_path) as j:
        yield j


class Watching:
    """A real IpsClient that notes, at the moment each request leaves, what the journal says about it."""

    def __init__(self, sandbox, journal=None, *, fail_for: str | None = None, password: str | None = None):
        self.client = IpsClient(sandbox.url, sandbox.user, password or sandbox.password, timeout=10)
        self.journal, self.fail_for = journal, fail_for
        self.seen: list[str] = []
        self.closed = False
        self.threads: set[str] = set()

    def submit_job(self, payload):
        self.threads.add(threading.current_thread().name)
        if self.journal is not None:
            self.seen.append(self.journal.entries(limit=1, job_name=payload["jobName"])[0].state)
        if payload["jobName"] == self.fail_for:
            raise RuntimeError("not an IPS error")
        return self.client.submit_job(payload)

    def close(self):
        self.closed = True
        self.client.close()


def test_a_submission_carries_what_the_journal_records():
    sub = _sub("s", execSchedule="0 0 12 ? * MON")
    assert (sub.job_name, sub.company, sub.job_type, sub.timed, sub.source) == ("s", "c|101", "exportJob", True,
                                                                                "t.toml")
    assert _sub("t", execTime="2030-01-01T00:00:00+00:00").timed and not _sub("u").timed
    assert sub.payload["execSchedule"] == "0 0 12 ? * MON" and 'jobName = "s"' in sub.request_toml


# -- a retry, or a new job ---------------------------------------------------------------------------------

def _earlier(journal, sub, *, user="u@acme.com", state=None, sent=NOW):
    e = journal.record(sub.request_toml, url="https://h/x", user=user, company=sub.company, job_name=sub.job_name,
                       now=sent - timedelta(days=30))
    e = journal.mark_sent(e.id, now=sent)
    if state == "submitted":
        e = journal.mark_submitted(e.id, "j|1|n||")
    elif state == "failed":
        e = journal.mark_failed(e.id, "fault", 1, "refused")
    elif state == "unknown":
        e = journal.mark_unknown(e.id, "timeout", None, "no answer")
    elif state == "reconciled":
        e = journal.mark_reconciled(e.id, "j|1|n||", "found")
    return e


@pytest.mark.parametrize("state", [None, "unknown"])
def test_an_unanswered_earlier_submission_stops_a_new_send(journal, state):
    sub = _sub()
    e = _earlier(journal, sub, state=state)
    assert earlier_attempt(journal, sub, url="https://h/x", user="u@acme.com").id == e.id
    # the same account however the e-mail is cased; not another account or service
    assert earlier_attempt(journal, sub, url="https://h/x", user="U@ACME.com").id == e.id
    assert earlier_attempt(journal, sub, url="https://h/x", user="v@acme.com") is None
    assert earlier_attempt(journal, sub, url="https://other/x", user="u@acme.com") is None
    assert earlier_attempt(journal, _sub("other"), url="https://h/x", user="u@acme.com") is None


def test_a_pending_earlier_entry_counts_too(journal):
    sub = _sub()
    e = journal.record(sub.request_toml, url="https://h/x", user="u", company="c|101", job_name="n")
    assert earlier_attempt(journal, sub, url="https://h/x", user="u").id == e.id


@pytest.mark.parametrize("state", ["submitted", "failed"])
def test_an_answered_earlier_submission_makes_this_a_new_job(journal, state):
    sub = _sub()
    _earlier(journal, sub, state=state, sent=NOW)
    assert earlier_attempt(journal, sub, url="https://h/x", user="u@acme.com", now=NOW) is None


def test_only_the_newest_earlier_submission_decides(journal):
    sub = _sub()
    _earlier(journal, sub, state="unknown")
    _earlier(journal, sub, state="submitted")
    assert earlier_attempt(journal, sub, url="https://h/x", user="u@acme.com") is None


def test_found_after_a_lost_answer_is_a_retry_for_twelve_hours_from_when_it_was_sent(journal):
    sub = _sub()
    e = _earlier(journal, sub, state="reconciled", sent=NOW)  # created 30 days before it was sent
    ask = lambda now: earlier_attempt(journal, sub, url="https://h/x", user="u@acme.com", now=now)  # noqa: E731
    assert ask(NOW + timedelta(hours=1)).id == e.id
    assert ask(NOW + RETRY_WINDOW - timedelta(seconds=1)).id == e.id
    assert ask(NOW + RETRY_WINDOW) is None
    assert ask(NOW + timedelta(days=2)) is None


def test_never_sent_but_reconciled_is_timed_from_when_it_was_written(journal):
    sub = _sub()
    e = journal.record(sub.request_toml, url="https://h/x", user="u", company="c|101", job_name="n", now=NOW)
    journal.mark_reconciled(e.id, "j|1|n||", "found")
    assert earlier_attempt(journal, sub, url="https://h/x", user="u", now=NOW + timedelta(hours=1)).id == e.id
    assert earlier_attempt(journal, sub, url="https://h/x", user="u", now=NOW + timedelta(hours=13)) is None


def test_without_now_the_window_is_measured_from_the_clock(journal):
    sub = _sub()
    recent = datetime.now(timezone.utc) - timedelta(hours=1)
    _earlier(journal, sub, state="reconciled", sent=recent)
    assert earlier_attempt(journal, sub, url="https://h/x", user="u@acme.com") is not None


# -- one request ------------------------------------------------------------------------------------------

def test_submit_one_is_sent_on_disk_before_it_leaves_and_submitted_after(sandbox, journal):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password)
    watch = Watching(sandbox, journal)
    sent = submit_one(journal, conn, _sub(), client=watch)
    assert watch.seen == ["sent"]
    assert sent.handle and sent.entry is not None and sent.earlier is None
    entry = journal.get(sent.entry.id)
    assert entry.state == "submitted" and entry.handle == sent.handle
    assert (entry.url, entry.user, entry.job_name, entry.source) == (sandbox.url, sandbox.user, "n", "t.toml")
    assert not watch.closed  # the caller's client is kept open
    watch.close()
    again = submit_one(journal, conn, _sub())  # answered before: a new job, sent (on a client of its own)
    assert again.handle and again.entry.id == sent.entry.id + 1 and len(sandbox.submitted_jobs()) == 2


def test_submit_one_sends_nothing_while_an_earlier_attempt_is_unanswered(sandbox, journal):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password)
    sub = _sub()
    first = journal.record(sub.request_toml, url=sandbox.url, user=sandbox.user, company="c|101", job_name="n")
    journal.mark_sent(first.id)
    out = submit_one(journal, conn, sub)
    assert out.handle is None and out.entry is None and out.earlier.id == first.id
    assert sandbox.submitted_jobs() == [] and journal.count() == 1
    forced = submit_one(journal, conn, sub, check_earlier=False)  # the person chose to send it anyway
    assert forced.handle and len(sandbox.submitted_jobs()) == 1 and journal.count() == 2


def test_submit_one_with_its_own_journal_folder_records_and_closes_it(sandbox, tmp_path):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password)
    out = submit_one(None, conn, _sub(), state_dir=tmp_path / "state", timeout=7)
    with open_journal(tmp_path / "state") as j:
        [e] = j.entries()
        assert e.id == out.entry.id and e.state == "submitted" and e.timeout == 7
    again = submit_one(None, conn, _sub("second"), state_dir=tmp_path / "state")
    assert again.handle and again.entry.id == e.id + 1
    with open_journal(tmp_path / "state") as j:
        assert j.get(again.entry.id).timeout == 60  # the default time limit, which reconciliation reads


def test_a_client_made_for_one_request_sends_no_locale_in_the_header(sandbox, tmp_path):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password, locale="de_DE")  # the profile's job locale
    submit_one(None, conn, _sub(), state_dir=tmp_path)
    [body] = [r.body for r in sandbox.received if r.operation == "submitJob"]
    assert b"de_DE" not in body and b"locale>" not in body


def test_a_journal_that_cannot_be_written_sends_nothing(sandbox, tmp_path):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password)
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(Exception):
        submit_one(None, conn, _sub(), state_dir=blocked)
    assert sandbox.submitted_jobs() == []
    out = submit_one(None, conn, _sub(), state_dir=tmp_path / "state")  # once it can be written: one job
    assert out.handle and out.entry is not None and len(sandbox.submitted_jobs()) == 1


def test_a_fault_is_journalled_failed_and_a_lost_answer_unknown(sandbox, journal):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password)
    wrong = Watching(sandbox, password="wrong")  # a fault: the service answered, no job
    with pytest.raises(IpsError) as refused:
        submit_one(journal, conn, _sub("refused"), client=wrong)
    assert not refused.value.maybe_processed
    [e] = journal.entries(job_name="refused")
    assert e.state == "failed" and e.error_kind == refused.value.kind and e.error_message == refused.value.message
    assert e.error_code == refused.value.code is not None
    sandbox.inject("truncated", operation="submitJob")  # handled, but the answer was cut
    with pytest.raises(IpsError) as lost:
        submit_one(journal, conn, _sub("lost"))
    assert lost.value.maybe_processed
    [e] = journal.entries(job_name="lost")
    assert e.state == "unknown" and e.error_kind == lost.value.kind and e.unresolved


# -- a batch -----------------------------------------------------------------------------------------------

def test_submit_all_answers_every_file_in_the_order_given_and_closes_its_clients(sandbox, journal):
    made: list[Watching] = []

    def make():
        made.append(Watching(sandbox, journal, fail_for="f3"))
        return made[-1]

    items = [_sub(f"f{i}") for i in range(8)]
    told = []
    results = submit_all(journal, make, items, url=sandbox.url, user=sandbox.user, profile="p", timeout=9,
                         concurrency=3, on_result=told.append)
    assert [r.submission.job_name for r in results] == [f"f{i}" for i in range(8)]
    assert sorted(r.submission.job_name for r in told) == sorted(f"f{i}" for i in range(8))
    assert [r.ok for r in results] == [i != 3 for i in range(8)]
    assert isinstance(results[3].error, RuntimeError)
    bad = journal.get(results[3].entry.id)
    assert bad.state == "failed" and bad.error_kind == "internal" and "not an IPS error" in bad.error_message
    for r in results:
        e = journal.get(r.entry.id)
        assert e.profile == "p" and e.timeout == 9 and e.job_name == r.submission.job_name
        assert (e.job_type, e.source, e.company, e.timed) == ("exportJob", "t.toml", "c|101", False)
        if r.ok:
            assert e.state == "submitted" and e.handle == r.handle
    assert all(seen == "sent" for w in made for seen in w.seen)
    assert 1 <= len(made) <= 3 and all(w.closed for w in made)  # one client per thread, each closed
    assert len({t for w in made for t in w.threads}) == len(made)
    assert len(sandbox.submitted_jobs()) == 7


def test_an_ips_error_in_a_batch_is_that_files_result_and_journalled_by_send(sandbox, journal):
    made = []

    def make():
        made.append(Watching(sandbox, password="wrong"))
        return made[-1]

    [r] = submit_all(journal, make, [_sub("one")], url=sandbox.url, user=sandbox.user, concurrency=50)
    assert isinstance(r.error, IpsError) and not r.ok and r.handle is None
    e = journal.get(r.entry.id)
    assert e.state == "failed" and e.error_kind == r.error.kind != "internal"


def test_the_batch_never_runs_more_threads_than_asked_or_allowed(sandbox, journal):
    made = []
    gate = threading.Barrier(2, timeout=10)

    class Slow(Watching):
        def submit_job(self, payload):
            try:
                gate.wait()  # two in flight at once is possible with concurrency 2
            except threading.BrokenBarrierError:
                pass
            return super().submit_job(payload)

    def make():
        made.append(Slow(sandbox))
        return made[-1]

    results = submit_all(journal, make, [_sub(f"s{i}") for i in range(4)], url=sandbox.url, user=sandbox.user,
                         concurrency=2)
    assert all(r.ok for r in results) and len(made) == 2
    made.clear()

    def plain():
        made.append(Watching(sandbox))
        return made[-1]

    assert all(r.ok for r in submit_all(journal, plain, [_sub(f"o{i}") for i in range(3)], url=sandbox.url,
                                        user=sandbox.user, concurrency=1))
    assert len(made) == 1
    assert submit_all(journal, make, [], url=sandbox.url, user=sandbox.user) == []


def _clients_for(sandbox, journal, n: int, expected: int, **kw) -> int:
    """Send ``n`` files; the first ``expected`` requests are held until all of them are in flight at once,
    so a batch allowed more threads makes more clients. Returns the number of clients made."""
    made = []
    lock, arrived, all_in = threading.Lock(), [0], threading.Event()

    class Held(Watching):
        def submit_job(self, payload):
            with lock:
                arrived[0] += 1
                first = arrived[0] <= expected
                if arrived[0] == expected:
                    all_in.set()
            if first:
                all_in.wait(20)
            # answered here, not by the sandbox: what is counted is threads, and the sandbox bounds how many
            # connections it serves at once
            return f"j|101|{payload['jobName']}||"

    def make():
        with lock:
            made.append(Held(sandbox))
            return made[-1]

    results = submit_all(journal, make, [_sub(f"c{i}") for i in range(n)], url=sandbox.url, user=sandbox.user, **kw)
    assert [str(r.error) for r in results if not r.ok] == [] and len(results) == n
    return len(made)


def test_the_batch_is_capped_at_the_politeness_limit_however_many_are_asked(sandbox, journal):
    assert _clients_for(sandbox, journal, MAX_CONCURRENCY + 8, MAX_CONCURRENCY, concurrency=1000) == 32


def test_a_batch_sends_four_at_a_time_unless_told(sandbox, journal):
    assert _clients_for(sandbox, journal, 12, 4) == 4


def test_a_request_waits_no_longer_than_its_time_limit(sandbox, journal):
    conn = Connection(sandbox.url, sandbox.user, sandbox.password)
    sandbox.inject("delay", operation="submitJob", seconds=30)
    with pytest.raises(IpsError) as late:
        submit_one(journal, conn, _sub("late"), timeout=0.5)
    assert late.value.maybe_processed and journal.entries(job_name="late")[0].state == "unknown"


def test_the_profile_used_is_journalled(sandbox, journal):
    from types import SimpleNamespace

    conn = Connection(sandbox.url, sandbox.user, sandbox.password, profile=SimpleNamespace(name="prod"))
    out = submit_one(journal, conn, _sub())
    assert journal.get(out.entry.id).profile == "prod"
