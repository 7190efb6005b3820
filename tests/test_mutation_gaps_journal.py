"""Tests that kill mutants the fast set let live in store/journal.py (see docs/testing.md, Mutation testing):
what the journal keeps out (passwords), what makes two submissions "the same request", and which entries
each query gives back — the reads the re-send guard and reconciliation decide on."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.store.journal import (
    Journal, JournalError, current_owner, fingerprint, now_iso, open_journal, parse_iso, request_fingerprint,
    safe_url, scrub,
)

TOML = 'companyHandle = "c|101"\njobName = "n"\n[optimizeImagesJob]\nemailSetting = "None"\n'
NOW = datetime(2026, 11, 28, 12, tzinfo=timezone.utc)
URL = "https://h.example/scene7/services/IpsApiService"


@pytest.fixture
def journal(tmp_path):
    with open_journal(tmp_path) as j:
        yield j


def _rec(j: Journal, name: str, *, url=URL, user="u@acme.com", company="c|101", now=NOW, **kw):
    return j.record(TOML.replace('"n"', f'"{name}"'), url=url, user=user, company=company, job_name=name,
                    now=now, **kw)


# -- passwords never kept ----------------------------------------------------------------------------------

def test_safe_url_drops_the_credentials_and_keeps_everything_else():
    assert safe_url("https://ops:pw@h.example:8443/x/y?q=1#f") == "https://h.example:8443/x/y?q=1#f"
    assert safe_url("https://ops@h.example/x") == "https://h.example/x"
    assert safe_url("http://u:pw@[::1]:9000/s") == "http://[::1]:9000/s"
    plain = "https://H.example/x"
    assert safe_url(plain) is plain  # untouched, not rebuilt (case and all)
    assert safe_url(None) is None and safe_url("") == ""


def test_scrub_drops_secret_looking_keys_at_any_depth_whatever_their_case():
    value = {"jobName": "n", "Password": "a", "x": [{"apiToken": "b", "keep": 1}, 2],
             "inner": {"clientSecret": "c", "passwdHint": "d", "ok": True}}
    assert scrub(value) == {"jobName": "n", "x": [{"keep": 1}, 2], "inner": {"ok": True}}


def test_a_secret_key_in_the_request_is_not_stored_and_the_rest_is_kept_as_written(journal):
    clean = _rec(journal, "n")
    assert clean.request == TOML  # no secrets: byte for byte as written, not re-serialised
    with_secret = journal.record(TOML + 'password = "s3cret"\n', url=URL, user="u", company="c|1",
                                 job_name="n", now=NOW)
    assert "s3cret" not in with_secret.request and "emailSetting" in with_secret.request
    broken = journal.record("not = [toml", url=URL, user="u", company="c|1", job_name="n", now=NOW)
    assert broken.request == "not = [toml"  # unreadable TOML is kept as written


# -- "the same request to the same account" -----------------------------------------------------------------

def test_the_fingerprint_names_account_and_request():
    base = fingerprint(URL, "u@acme.com", TOML)
    assert fingerprint(URL, "U@Acme.com", TOML) == base  # e-mail case does not make another account
    assert fingerprint(URL.replace("https://", "https://u:pw@"), "u@acme.com", TOML) == base
    assert fingerprint(URL + "2", "u@acme.com", TOML) != base
    assert fingerprint(URL, "v@acme.com", TOML) != base
    assert fingerprint(URL, "u@acme.com", TOML + "\n") != base
    assert fingerprint(None, None, TOML) == fingerprint("", "", TOML)
    # the parts are separated: moving text from one part to the next is another request
    assert fingerprint("ab", "c", "d") != fingerprint("a", "bc", "d")
    assert len(base) == 64 and int(base, 16) >= 0


def test_request_fingerprint_is_what_record_stores_even_with_a_secret_dropped(journal):
    text = TOML + 'token = "t"\n'
    e = journal.record(text, url=URL, user="u", company="c|1", job_name="n", now=NOW)
    assert e.fingerprint == request_fingerprint(URL, "u", text)
    assert e.fingerprint != fingerprint(URL, "u", text)


# -- what is written --------------------------------------------------------------------------------------

def test_record_many_writes_every_field_pending_with_this_process_as_owner(journal):
    from ips_tui.store.journal import NewSubmission

    items = [NewSubmission(TOML, "a", "c|1", "optimizeImagesJob", True, "a.toml"),
             NewSubmission(TOML, "b", None)]
    a, b = journal.record_many(items, url="https://u:pw@h.example/x", user="u", profile="prod", timeout=12.5,
                               now=NOW)
    assert (a.job_name, a.company, a.job_type, a.timed, a.source) == ("a", "c|1", "optimizeImagesJob", True, "a.toml")
    assert (b.job_name, b.company, b.job_type, b.timed, b.source) == ("b", None, None, False, None)
    for e in (a, b):
        assert e.state == "pending" and e.url == "https://h.example/x" and e.user == "u"
        assert e.profile == "prod" and e.timeout == 12.5 and e.owner == current_owner()
        assert e.created == e.updated == "2026-11-28T12:00:00.000000+00:00" and e.sent_at is None
    assert b.id == a.id + 1


def test_each_mark_sets_its_state_and_what_goes_with_it(journal):
    e = _rec(journal, "n")
    later = NOW + timedelta(seconds=3)
    sent = journal.mark_sent(e.id, now=later)
    assert sent.state == "sent" and sent.sent_time == later and sent.updated_at == later
    u = journal.mark_unknown(e.id, "timeout", 7, "no answer", note="asking later", now=later)
    assert (u.state, u.error_kind, u.error_code, u.error_message, u.note) == (
        "unknown", "timeout", 7, "no answer", "asking later")
    s = journal.mark_submitted(e.id, "j|1|n||")
    assert (s.state, s.handle, s.error_kind, s.error_code, s.error_message) == ("submitted", "j|1|n||", None,
                                                                                 None, None)
    f = journal.mark_failed(e.id, "fault", 10001, "Wrong password", note="n1")
    assert (f.state, f.error_kind, f.error_code, f.error_message, f.note) == (
        "failed", "fault", 10001, "Wrong password", "n1")
    r = journal.mark_reconciled(e.id, "j|1|found||", "found it")
    assert (r.state, r.handle, r.note) == ("reconciled", "j|1|found||", "found it")
    assert journal.set_note(e.id, "hello").note == "hello" and journal.get(e.id).state == "reconciled"
    with pytest.raises(KeyError):
        journal.set_note(e.id + 100, "nobody")


def test_to_dict_hides_the_owner_and_gives_timed_as_a_truth_value(journal):
    from ips_tui.store.journal import _COLUMNS

    d = _rec(journal, "n", timed=True).to_dict()
    assert set(d) == set(_COLUMNS) - {"owner"} and d["timed"] is True and d["job_name"] == "n"


def test_record_writes_what_it_is_given(journal):
    e = journal.record(TOML, url=URL, user="u", profile="prod", company="c|1", job_name="n",
                       job_type="optimizeImagesJob", timed=True, source="f.toml", timeout=5, now=NOW)
    assert (e.profile, e.company, e.job_type, e.timed, e.source, e.timeout) == (
        "prod", "c|1", "optimizeImagesJob", True, "f.toml", 5)


def test_every_mark_is_stamped_with_the_time_given_and_sent_names_its_owner(journal):
    e = _rec(journal, "n")
    journal._update(e.id, owner="elsewhere:1:1")
    t = [NOW + timedelta(minutes=i) for i in range(1, 8)]
    assert journal.mark_sent(e.id, now=t[0]).owner == current_owner()  # the sender, whoever recorded it
    assert journal.mark_unknown(e.id, "timeout", None, "x", now=t[1]).updated_at == t[1]
    assert journal.mark_submitted(e.id, "j|1|n||", now=t[2]).updated_at == t[2]
    assert journal.mark_failed(e.id, "fault", 1, "x", now=t[3]).updated_at == t[3]
    assert journal.mark_reconciled(e.id, "j|1|n||", "found", now=t[4]).updated_at == t[4]
    assert journal.set_note(e.id, "n", now=t[5]).updated_at == t[5]
    journal._update(e.id, owner="elsewhere:1:1", state="unknown")
    assert journal.claim(journal.get(e.id), now=t[6]) and journal.get(e.id).updated_at == t[6]
    with pytest.raises(KeyError) as missing:
        journal.mark_sent(e.id + 7)
    assert missing.value.args == (e.id + 7,)


def test_times_are_utc_to_the_microsecond():
    zoned = datetime(2026, 11, 28, 13, 0, 0, 5, tzinfo=timezone(timedelta(hours=1)))
    assert now_iso(zoned) == "2026-11-28T12:00:00.000005+00:00"
    assert parse_iso(now_iso(zoned)) == zoned
    assert parse_iso("") is None and parse_iso(None) is None
    assert abs(parse_iso(now_iso()) - datetime.now(timezone.utc)) < timedelta(hours=1)


def test_only_one_process_claims_an_orphan(journal):
    e = _rec(journal, "n")
    journal._update(e.id, owner="elsewhere:1:1")
    orphan = journal.get(e.id)
    assert journal.claim(orphan) is True and journal.get(e.id).owner == current_owner()
    assert journal.claim(orphan) is False  # the owner it saw is no longer there
    other = _rec(journal, "m")
    journal._update(other.id, owner="elsewhere:1:1")
    seen = journal.get(other.id)
    journal.mark_sent(other.id)
    journal._update(other.id, owner="elsewhere:1:1")
    assert journal.claim(seen) is False  # same owner, but its state moved on


# -- what is read ------------------------------------------------------------------------------------------

def test_entries_filters_each_way_newest_first(journal):
    a = _rec(journal, "alpha", source="nightly.toml")
    b = _rec(journal, "beta", company="c|2")
    c = _rec(journal, "gamma", user="v@acme.com")
    d = _rec(journal, "delta", url="https://other.example/x")
    journal.mark_submitted(b.id, "j|2|beta-handle||")
    journal.mark_failed(c.id, "fault", 1, "x")
    ids = lambda es: [e.id for e in es]  # noqa: E731
    assert ids(journal.entries()) == [d.id, c.id, b.id, a.id]
    assert ids(journal.entries(states=["pending"])) == [d.id, a.id]
    assert ids(journal.entries(states=iter(["failed", "submitted"]))) == [c.id, b.id]
    assert ids(journal.entries(company="c|2")) == [b.id]
    assert ids(journal.entries(job_name="gamma")) == [c.id]
    assert ids(journal.entries(user="v@acme.com")) == [c.id]
    assert ids(journal.entries(url="https://x:pw@other.example/x")) == [d.id]
    assert ids(journal.entries(search="nightly")) == [a.id]
    assert ids(journal.entries(search="beta-handle")) == [b.id]
    assert ids(journal.entries(search="c|2")) == [b.id]
    assert ids(journal.entries(search="amm")) == [c.id]
    assert ids(journal.entries(limit=2)) == [d.id, c.id]
    assert ids(journal.entries(limit=2, offset=1)) == [c.id, b.id]
    assert ids(journal.entries(limit=None, offset=1)) == [d.id, c.id, b.id, a.id]
    assert ids(journal.entries(states=["pending"], company="c|101", user="u@acme.com", url=URL)) == [a.id]
    assert journal.count() == 4 and journal.count(states=["pending", "failed"]) == 3
    assert journal.count(states=[]) == 4
    assert ids(journal.entries(states=["pending"], company="c|101", search="alp")) == [a.id]  # all together
    assert ids(journal.entries(company="c|101", search="gam", user="v@acme.com")) == [c.id]


def test_a_page_of_entries_is_a_hundred_and_orphans_are_all_of_them(journal):
    from ips_tui.store.journal import NewSubmission

    old = datetime.now(timezone.utc) - timedelta(days=1)
    many = journal.record_many([NewSubmission(TOML, f"m{i}", "c|1") for i in range(104)], url=URL, user="u",
                               now=old)
    with journal._tx() as db:
        db.execute("UPDATE submissions SET owner = 'elsewhere:1:1'")
    assert len(journal.entries()) == 100 and journal.entries()[0].id == many[-1].id
    assert len(journal.orphans()) == 104


def test_latest_for_is_the_newest_of_that_request_minus_those_excluded(journal):
    a = _rec(journal, "n")
    b = _rec(journal, "n")
    _rec(journal, "other")
    assert journal.latest_for(a.fingerprint).id == b.id
    assert journal.latest_for(a.fingerprint, exclude=[b.id]).id == a.id
    assert journal.latest_for(a.fingerprint, exclude=iter([a.id, b.id])) is None
    assert journal.latest_for("0" * 64) is None


def test_orphans_are_the_unresolved_of_ended_processes_oldest_first(journal):
    gone = "elsewhere:1:1"
    old = datetime.now(timezone.utc) - timedelta(days=1)
    a, b, c, d = (_rec(journal, n, now=old) for n in "abcd")
    e = _rec(journal, "e", now=old, user="v@acme.com")
    for x in (b, a, c, e):
        journal._update(x.id, now=old, owner=gone)
    journal.mark_submitted(c.id, "j|1|c||")  # answered: not an orphan
    journal._update(c.id, now=old, owner=gone)
    # d keeps this live process as its owner: not an orphan
    assert [x.id for x in journal.orphans()] == [a.id, b.id, e.id]
    assert [x.id for x in journal.orphans(user="u@acme.com", url=URL)] == [a.id, b.id]
    assert journal.orphans(url="https://other.example/x") == []
    assert d.id not in [x.id for x in journal.orphans()]


def test_same_name_is_the_same_account_company_and_name_since_a_time(journal):
    me = _rec(journal, "n")
    before = _rec(journal, "n", now=NOW - timedelta(minutes=10))
    sent_late = _rec(journal, "n", now=NOW - timedelta(minutes=10))
    journal.mark_sent(sent_late.id, now=NOW)  # created before, sent since: counted by when it was sent
    at = _rec(journal, "n", now=NOW - timedelta(minutes=1))
    _rec(journal, "n", company="c|2")
    _rec(journal, "n", user="v@acme.com")
    _rec(journal, "n", url="https://other.example/x")
    _rec(journal, "m")
    since = NOW - timedelta(minutes=1)
    assert [e.id for e in journal.same_name(me, since)] == [sent_late.id, at.id]  # oldest id first, not itself
    assert before.id in [e.id for e in journal.same_name(me, NOW - timedelta(minutes=10))]


def test_handles_are_those_of_one_service_and_company(journal):
    a, b, c, d = _rec(journal, "a"), _rec(journal, "b", company="c|2"), _rec(journal, "c"), _rec(journal, "d")
    journal.mark_submitted(a.id, "j|1|a||")
    journal.mark_submitted(b.id, "j|2|b||")
    journal.mark_reconciled(c.id, "j|1|c||", "found")
    _ = d  # no handle
    assert journal.handles(url=URL, company="c|101") == {"j|1|a||", "j|1|c||"}
    assert journal.handles(url=URL.replace("https://", "https://u:pw@"), company="c|2") == {"j|2|b||"}
    assert journal.handles(url="https://other.example/x", company="c|101") == set()


# -- the file itself -----------------------------------------------------------------------------------------

def test_an_empty_file_is_damage_only_once_it_has_stayed_empty(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"")
    with Journal(path) as j:  # just created by another process: used, not moved aside
        assert j.count() == 0
    path.unlink()
    path.write_bytes(b"")
    past = time.time() - 60
    os.utime(path, (past, past))
    with pytest.raises(JournalError):
        Journal(path)
    assert list(tmp_path.iterdir()) != [path]  # moved aside, not deleted


def test_a_sqlite_error_in_a_call_becomes_a_journal_error_naming_the_file(tmp_path):
    j = Journal(tmp_path / "journal.sqlite3")
    e = _rec(j, "n")
    j._db.execute("DROP TABLE submissions")
    with pytest.raises(JournalError) as caught:
        j.get(e.id)
    assert "journal.sqlite3" in str(caught.value)
    j.close()


def test_a_fingerprint_written_by_an_earlier_version_still_matches():
    """Fingerprints are stored: a journal written before an upgrade must still recognise a rerun of the same
    file (sha256 over URL without credentials, lower-case user and the TOML, NUL-separated)."""
    assert fingerprint("https://h.example/scene7/services/IpsApiService", "Ops@Acme.com", 'jobName = "n"\n') == (
        "e91a430330edcfd78c0b70f22b03896ec4f12eb9fe7455329c36df4fb1106435")
    assert fingerprint(None, None, 'jobName = "n"\n') == (
        "d2f8b5db9f8eadaec2da6ea0f62ff2d2eab2311da69c2a770da35c09d10b2ede")


def test_times_are_written_in_utc_whatever_the_machine_zone(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        zoned = datetime(2026, 11, 28, 13, 0, tzinfo=timezone(timedelta(hours=1)))
        assert now_iso(zoned) == "2026-11-28T12:00:00.000000+00:00"
        assert now_iso().endswith("+00:00")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_a_url_with_credentials_but_no_host_loses_the_credentials():
    assert safe_url("http://u:pw@/x") == "http:///x"


def test_a_journal_path_that_cannot_be_a_file_is_a_journal_error_naming_it(tmp_path):
    folder = tmp_path / "journal.sqlite3"
    folder.mkdir()
    with pytest.raises(JournalError) as caught:
        Journal(folder)
    assert str(folder) in str(caught.value)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(JournalError) as caught:
        Journal(blocker / "journal.sqlite3")
    assert str(blocker / "journal.sqlite3") in str(caught.value) and "unable to open: File exists" in str(caught.value)


def test_an_empty_journal_is_reported_in_the_interface_language(tmp_path):
    from ips_tui import i18n

    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"")
    past = time.time() - 60
    os.utime(path, (past, past))
    i18n.set_language("es")
    try:
        with pytest.raises(JournalError) as caught:
            Journal(path)
    finally:
        i18n.set_language("en")
    assert "the file is empty" not in str(caught.value) and str(path) in str(caught.value)


def test_closing_lets_go_of_the_file_and_may_be_done_twice(tmp_path):
    j = open_journal(tmp_path)
    _rec(j, "n")
    assert (tmp_path / "journal.sqlite3-wal").exists()
    j.close()
    assert not (tmp_path / "journal.sqlite3-wal").exists()  # the last connection closed folds the WAL back
    j.close()
    with open_journal(tmp_path) as again:
        assert [e.job_name for e in again.entries()] == ["n"]


def test_a_file_that_is_not_a_journal_is_moved_aside_saying_what_sqlite_found(tmp_path):
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not a database, " * 200)
    with pytest.raises(JournalError) as caught:
        Journal(path)
    assert "not a database" in str(caught.value) and not path.exists()  # the reason, and moved aside
