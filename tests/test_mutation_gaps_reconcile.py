"""Tests that kill mutants the fast set let live in follow/reconcile.py (see docs/testing.md, Mutation testing):
which run of a job name is ours (time, the journal's own handles, other submissions of that name), when "not
there yet" becomes "never arrived", and that one unreachable service is asked once.

The flows run against the sandbox (tests/test_reconcile.py). Which listing row is ours is decided by
:func:`find_on_service` from three listings; here those listings are given as plain rows (what
``IpsClient.get_*`` returns), so that start times on either side of the limit can be set exactly."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.follow.reconcile import CLOCK_SKEW, GRACE, find_on_service, reconcile, started_since, to_reconcile
from ips_tui.ips.client import IpsClient
from ips_tui.ips.faults import IpsError
from ips_tui.store.journal import current_owner, open_journal

URL = "https://h.example/scene7/services/IpsApiService"
SENT = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
GONE = "elsewhere:1:1"  # another host, not updated for a day: gone
TOML = 'companyHandle = "c|101"\njobName = "{name}"\n[optimizeImagesJob]\nemailSetting = "None"\n'


@pytest.fixture
def journal(tmp_path):
    with open_journal(tmp_path) as j:
        yield j


def _entry(j, name="n", *, timed=False, sent=SENT, state="sent", owner=GONE, url=URL, user="u", timeout=30.0):
    e = j.record(TOML.format(name=name), url=url, user=user, company="c|101", job_name=name, timed=timed,
                 timeout=timeout, now=sent - timedelta(days=3))
    if state != "pending":
        j.mark_sent(e.id, now=sent)
    if state == "submitted":
        j.mark_submitted(e.id, f"j|101|{name}-answered||")
    j._update(e.id, now=sent - timedelta(days=1) if owner == GONE else sent, owner=owner)
    return j.get(e.id)


class Listings:
    """What the three IpsClient listings return, as rows; counts the questions."""

    def __init__(self, scheduled=(), active=(), logs=()):
        self.scheduled, self.active, self.logs = list(scheduled), list(active), list(logs)
        self.asked: list[tuple[str, str | None, str | None]] = []

    def get_scheduled_jobs(self, company, *, original_name=None):
        self.asked.append(("scheduled", company, original_name))
        return self.scheduled

    def get_active_jobs(self, company, *, original_name=None):
        self.asked.append(("active", company, original_name))
        return self.active

    def get_job_log_details(self, company, *, original_name=None):
        self.asked.append(("logs", company, original_name))
        return self.logs


def _run(handle, name="n", run="n_1", start=SENT):
    return {"jobHandle": handle, "originalName": name, "name": run, "startDate": start}


def _log(handle, name="n", run="n_1", start=SENT):
    return {"jobHandle": handle, "originalJobName": name, "jobName": run, "startDate": start}


# -- which row is ours -------------------------------------------------------------------------------------

def test_a_timed_entry_is_found_among_the_scheduled_jobs_by_its_exact_name(journal):
    e = _entry(journal, timed=True)
    other = _entry(journal, "x", timed=True, state="submitted")
    listing = Listings(scheduled=[{"jobHandle": "j|101|nn||", "originalName": "nn"},
                                  {"jobHandle": other.handle, "originalName": "n"},  # the journal's own
                                  {"jobHandle": "j|101|n||", "originalName": "n"}])
    journal._update(other.id, handle=other.handle, company="c|101")
    assert find_on_service(journal, listing, e) == ("j|101|n||", "scheduled jobs")
    assert listing.asked == [("scheduled", "c|101", "n")]


def test_a_timed_entry_not_scheduled_is_looked_for_among_its_runs(journal):
    e = _entry(journal, timed=True)
    listing = Listings(scheduled=[], active=[_run("j|101|n|run||")])
    assert find_on_service(journal, listing, e) == ("j|101|n|run||", "active jobs")
    assert [a[0] for a in listing.asked] == ["scheduled", "active", "logs"]


def test_an_immediate_entry_never_asks_for_scheduled_jobs(journal):
    e = _entry(journal)
    listing = Listings(scheduled=[{"jobHandle": "j|101|n||", "originalName": "n"}])
    assert find_on_service(journal, listing, e) == (None, None)
    assert listing.asked == [("active", "c|101", "n"), ("logs", "c|101", "n")]


def test_a_run_that_started_before_it_was_sent_less_the_clock_skew_is_not_ours(journal):
    e = _entry(journal)
    edge = SENT - CLOCK_SKEW
    assert find_on_service(journal, Listings(active=[_run("j|a", start=edge - timedelta(seconds=1))]), e) == (
        None, None)
    assert find_on_service(journal, Listings(active=[_run("j|a", start=edge)]), e) == ("j|a", "active jobs")
    assert find_on_service(journal, Listings(logs=[_log("j|l", start=edge - timedelta(seconds=1))]), e) == (
        None, None)
    assert find_on_service(journal, Listings(logs=[_log("j|l", start=edge)]), e) == ("j|l", "job logs")


def test_a_run_of_another_name_or_one_the_journal_explains_is_not_ours(journal):
    e = _entry(journal)
    answered = _entry(journal, state="submitted", sent=SENT - timedelta(days=9))
    assert find_on_service(journal, Listings(active=[_run("j|a", name="nn")], logs=[_log("j|l", name="N")]),
                           e) == (None, None)
    assert find_on_service(journal, Listings(active=[_run(answered.handle)], logs=[_log(answered.handle)]),
                           e) == (None, None)


def test_the_active_row_of_a_run_wins_over_its_log_and_the_newest_run_is_taken(journal):
    e = _entry(journal)
    listing = Listings(active=[_run("j|active", run="n_2")],
                       logs=[_log("j|log", run="n_2"), _log("j|older", run="n_1"), _log("j|newest", run="n_3")])
    assert find_on_service(journal, listing, e) == ("j|newest", "job logs")
    listing = Listings(active=[_run("j|active", run="n_2")], logs=[_log("j|log", run="n_2")])
    assert find_on_service(journal, listing, e) == ("j|active", "active jobs")


def test_runs_explained_by_other_answered_submissions_of_the_name_are_not_counted_twice(journal):
    e = _entry(journal)
    _entry(journal, state="submitted", sent=SENT + timedelta(seconds=1))  # answered, its handle not listed
    two = Listings(active=[_run("j|r1", run="n_1"), _run("j|r2", run="n_2")])
    assert find_on_service(journal, two, e) == ("j|r2", "active jobs")
    one = Listings(active=[_run("j|r1", run="n_1")])
    assert find_on_service(journal, one, e) == (None, None)  # that one run is the other submission's


def test_a_run_found_by_an_earlier_reconciliation_explains_one_run_too(journal):
    e = _entry(journal)
    other = _entry(journal, sent=SENT + timedelta(seconds=1))
    journal.mark_reconciled(other.id, "j|101|unlisted||", "found")
    assert find_on_service(journal, Listings(active=[_run("j|r1")]), e) == (None, None)


def test_timed_unanswered_or_long_past_submissions_of_the_name_explain_no_run(journal):
    e = _entry(journal)
    t = _entry(journal, timed=True, state="submitted")  # a schedule, not a run
    _entry(journal, state="sent", sent=SENT + timedelta(seconds=2))  # itself unanswered
    _entry(journal, state="submitted", sent=SENT - CLOCK_SKEW - timedelta(seconds=1))  # before the window
    assert t.timed
    assert find_on_service(journal, Listings(active=[_run("j|r1")]), e) == ("j|r1", "active jobs")


def test_started_since_reads_every_form_of_start_time():
    since = SENT
    assert started_since(None, since) and started_since("", since)
    assert started_since(SENT, since) and not started_since(SENT - timedelta(microseconds=1), since)
    assert started_since(SENT.replace(tzinfo=None), since)  # a zone-less time is UTC
    assert not started_since((SENT - timedelta(hours=1)).replace(tzinfo=None), since)
    assert started_since("2026-11-28T12:00:00+00:00", since)
    assert not started_since("2026-11-28T12:00:00+01:00", since)  # an hour earlier
    assert not started_since("2026-11-28T11:59:59", since)


# -- what becomes of each entry ------------------------------------------------------------------------------

def test_to_reconcile_takes_orphans_and_this_process_own_unknown_of_this_account(journal):
    a = _entry(journal, "a")
    mine_unknown = _entry(journal, "b", owner=current_owner())
    journal.mark_unknown(mine_unknown.id, "timeout", None, "no answer")
    _entry(journal, "c", owner=current_owner())  # this process is still sending it
    _entry(journal, "d", user="v")  # another account
    _entry(journal, "e", url="https://other.example/x")  # an orphan of another service
    alive_unknown = _entry(journal, "f", owner=current_owner().rsplit(":", 2)[0] + ":1:")  # pid 1 lives
    journal.mark_unknown(alive_unknown.id, "timeout", None, "no answer")
    for kw in ({"user": "v"}, {"url": "https://other.example/x"}):  # this process's, another account's
        mine_elsewhere = _entry(journal, "g", owner=current_owner(), **kw)
        journal.mark_unknown(mine_elsewhere.id, "timeout", None, "no answer")
    assert [e.job_name for e in to_reconcile(journal, url=URL, user="u")] == ["a", "b"]
    assert a.orphaned()


def test_to_reconcile_has_no_page_limit(journal):
    from ips_tui.store.journal import NewSubmission

    many = journal.record_many([NewSubmission(TOML.format(name=f"m{i}"), f"m{i}", "c|101") for i in range(105)],
                               url=URL, user="u")
    for e in many:
        journal.mark_unknown(e.id, "timeout", None, "no answer")
    assert len(to_reconcile(journal, url=URL, user="u")) == 105


def test_not_there_yet_turns_into_never_arrived_after_its_own_time_limit_and_the_grace(journal):
    e = _entry(journal, timeout=30)
    edge = SENT + timedelta(seconds=30) + GRACE
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=edge)
    assert v.outcome == "undecided" and journal.get(e.id).state == "unknown"
    journal._update(e.id, now=SENT - timedelta(days=1), owner=GONE)
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=edge + timedelta(seconds=1))
    assert v.outcome == "not_received" and v.resolved
    got = journal.get(e.id)
    assert got.state == "failed" and got.error_kind == "not_received" and got.error_message == v.message


def test_without_a_recorded_time_limit_sixty_seconds_are_allowed(journal):
    e = _entry(journal, timeout=None)
    edge = SENT + timedelta(seconds=60) + GRACE
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=edge)
    assert v.outcome == "undecided" and not v.resolved
    journal._update(e.id, now=SENT - timedelta(days=1), owner=GONE)
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=edge + timedelta(seconds=1))
    assert v.outcome == "not_received"


def test_a_pending_entry_is_measured_from_when_it_was_written(journal):
    e = _entry(journal, state="pending")
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=SENT)
    assert v.outcome == "not_sent" and v.message == journal.get(e.id).error_message and "Never sent" in v.message


def test_undecided_keeps_what_was_known_of_the_failure_and_notes_the_question(journal):
    e = _entry(journal, owner=current_owner())
    journal.mark_unknown(e.id, "timeout", 7, "no answer in 30 s")
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=SENT)
    got = journal.get(e.id)
    assert (got.state, got.error_kind, got.error_code, got.error_message) == ("unknown", "timeout", 7,
                                                                             "no answer in 30 s")
    assert got.note == v.message and "asking again" in v.message
    fresh = _entry(journal, "fresh")
    [v] = [v for v in reconcile(journal, Listings(), url=URL, user="u", now=SENT) if v.entry.id == fresh.id]
    got = journal.get(fresh.id)
    assert (got.error_kind, got.error_code, got.error_message) == ("unanswered", None, v.message)


def test_a_found_entry_notes_where_it_was_found(journal):
    e = _entry(journal)
    [v] = reconcile(journal, Listings(logs=[_log("j|101|n-run||")]), url=URL, user="u", now=SENT)
    got = journal.get(e.id)
    assert v.outcome == "found" and got.state == "reconciled" and got.handle == "j|101|n-run||"
    assert "job logs" in got.note and v.message == got.note


def test_an_unreachable_service_is_asked_once_for_all_the_entries(sandbox, journal):
    for name in ("a", "b", "c"):
        _entry(journal, name, url=sandbox.url, user=sandbox.user)

    class Counting(IpsClient):
        calls = 0

        def get_active_jobs(self, *a, **kw):
            Counting.calls += 1
            return super().get_active_jobs(*a, **kw)

    with Counting("http://127.0.0.1:9/scene7/services/IpsApiService", sandbox.user, "x", timeout=3) as down:
        verdicts = reconcile(journal, down, url=sandbox.url, user=sandbox.user)
    assert Counting.calls == 1
    assert [v.outcome for v in verdicts] == ["undecided"] * 3 and not any(v.resolved for v in verdicts)
    assert len({v.message for v in verdicts}) == 1
    notes = [journal.get(v.entry.id).note for v in verdicts]
    assert notes[0].startswith("Could not ask the service") and notes[1:] == [None, None]
    assert verdicts[0].entry.note == notes[0]  # the verdict carries the entry as the journal now has it


def test_an_entry_another_process_takes_meanwhile_is_left_to_it(journal):
    first = _entry(journal, "a")
    second = _entry(journal, "b")

    class TakesTheSecond(Listings):
        def get_active_jobs(self, company, *, original_name=None):
            if original_name == "a":  # while the first is asked about, another process claims the second
                journal._update(second.id, owner="other-host:2:2")
            return super().get_active_jobs(company, original_name=original_name)

    third = _entry(journal, "c")
    verdicts = reconcile(journal, TakesTheSecond(), url=URL, user="u", now=SENT)
    assert [v.entry.id for v in verdicts] == [first.id, third.id]  # the rest are still settled
    assert journal.get(second.id).owner == "other-host:2:2" and journal.get(second.id).state == "sent"


def test_a_listing_error_is_an_ips_error_not_swallowed_elsewhere(journal):
    e = _entry(journal)

    class Broken(Listings):
        def get_active_jobs(self, company, *, original_name=None):
            raise IpsError("the service is down")

    [v] = reconcile(journal, Broken(), url=URL, user="u", now=SENT)
    assert v.outcome == "undecided" and v.message == "the service is down"
    assert journal.get(e.id).state == "sent" and "the service is down" in journal.get(e.id).note


def test_entries_after_a_never_sent_one_are_still_settled(journal):
    _entry(journal, "a", state="pending")
    _entry(journal, "b")
    assert [v.outcome for v in reconcile(journal, Listings(logs=[_log("j|b", name="b", run="b_1")]), url=URL,
                                         user="u", now=SENT)] == ["not_sent", "found"]


def test_the_time_given_is_the_time_written(journal):
    """Reconciling "as of" a time writes that time (an owner's last sign of life is read from it)."""
    pending = _entry(journal, "a", state="pending")
    asked = _entry(journal, "b")
    at = SENT + timedelta(hours=5)
    reconcile(journal, Listings(), url=URL, user="u", now=at)
    assert journal.get(pending.id).updated_at == at and journal.get(asked.id).updated_at == at

    class Down(Listings):
        def get_active_jobs(self, company, *, original_name=None):
            raise IpsError("down")

    again = _entry(journal, "c")
    after_it = _entry(journal, "c2")  # not asked (the service is down): only claimed, at the time given
    reconcile(journal, Down(), url=URL, user="u", now=at + timedelta(hours=1))
    assert journal.get(again.id).updated_at == at + timedelta(hours=1)
    assert journal.get(after_it.id).updated_at == at + timedelta(hours=1)
    found = _entry(journal, "d", sent=at)
    waiting = _entry(journal, "e", sent=at)
    verdicts = reconcile(journal, Listings(logs=[_log("j|d", name="d", run="d_1", start=at)]), url=URL, user="u",
                         now=at + timedelta(seconds=5))
    assert {v.entry.job_name: v.outcome for v in verdicts} == {"d": "found", "e": "undecided"}  # c: claimed
    assert journal.get(found.id).updated_at == at + timedelta(seconds=5)
    assert journal.get(waiting.id).updated_at == at + timedelta(seconds=5)


def test_an_owner_on_another_host_is_gone_only_an_hour_after_its_last_update_as_of_the_time_given(journal):
    e = _entry(journal)
    recent = datetime.now(timezone.utc) - timedelta(minutes=30)
    journal._update(e.id, now=recent, owner="other-host:5:5")
    assert reconcile(journal, Listings(), url=URL, user="u") == []  # still working on it, as of now
    [v] = reconcile(journal, Listings(), url=URL, user="u", now=recent + timedelta(hours=2))
    assert v.outcome == "not_received"


def test_what_reconciliation_says_is_in_the_interface_language(journal):
    from ips_tui import i18n

    _entry(journal, "a", state="pending")
    _entry(journal, "b")
    _entry(journal, "c", sent=SENT + timedelta(hours=1))
    _entry(journal, "d", sent=SENT - timedelta(hours=1))
    found = Listings(logs=[_log("j|b", name="b", run="b_1")])
    i18n.set_language("es")
    try:
        verdicts = reconcile(journal, found, url=URL, user="u", now=SENT + timedelta(hours=1))
    finally:
        i18n.set_language("en")
    assert [v.outcome for v in verdicts] == ["not_sent", "found", "undecided", "not_received"]
    english = ("Never sent", "Found on the service", "job logs", "Not on the service yet", "no job of this name")
    for v in verdicts:
        assert v.message and not any(word.lower() in v.message.lower() for word in english), v.message


def test_reconciling_one_account_leaves_the_others_alone(journal):
    mine = _entry(journal, "a")
    other_service = _entry(journal, "b", url="https://other.example/x")
    other_user = _entry(journal, "c", user="v")
    verdicts = reconcile(journal, Listings(), url=URL, user="u", now=SENT + timedelta(days=1))
    assert [v.entry.id for v in verdicts] == [mine.id]
    assert journal.get(other_service.id).state == journal.get(other_user.id).state == "sent"
