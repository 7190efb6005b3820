"""The sandbox at scale: scheduled jobs indexed by next fire time (stale index entries never fire), finished
runs and their logs expire, immediate jobs go with their last run — through the protocol."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.sandbox import job_store as sandbox_jobs
from ips_tui.sandbox.raw import Caller

START = datetime(2026, 1, 15, 18, 0, 0, tzinfo=timezone.utc)  # Thursday 10:00 PST
PUBLISH = ("<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
           "</imageServingPublishJob>")
NS = "{http://www.scene7.com/IpsApi/xsd/2014-04-03}"


@pytest.fixture
def sb(sandbox_factory):
    return sandbox_factory(speed=0, clock=START)


@pytest.fixture
def api(sb):
    caller = Caller(sb)
    yield caller
    caller.close()


def submit(api, name, timing=""):
    reply = api("submitJob", f"<companyHandle>c|101</companyHandle><jobName>{name}</jobName>{timing}{PUBLISH}")
    assert reply.fault is None, reply.fault
    return reply.text("jobHandle")


def runs_of(api, name):
    reply = api("getJobLogs", "<companyHandle>c|101</companyHandle><numRows>1000</numRows>")
    return [el.findtext(NS + "jobName") for el in reply.find("jobLogArray/items")
            if el.findtext(NS + "originalJobName") == name]


def test_only_due_jobs_fire_and_each_once(api, sb):
    for i in range(300):
        submit(api, f"weekly-{i}", "<execSchedule>0 0 2 ? * SUN</execSchedule>")
    submit(api, "soon", "<execSchedule>0 5 10 * * ?</execSchedule>")  # 10:05 PST today
    sb.clock.advance(6 * 60)
    assert len(runs_of(api, "soon")) == 1
    assert runs_of(api, "weekly-7") == []
    sb.clock.advance(24 * 3600)
    assert len(runs_of(api, "soon")) == 2  # the next day's fire, once


def test_a_paused_then_resumed_job_does_not_fire_twice(api, sb):
    handle = submit(api, "paused", "<execSchedule>0 5 10 * * ?</execSchedule>")
    job = f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>"
    for _ in range(3):  # each pause/resume leaves a stale index entry behind
        assert api("pauseJob", job).fault is None
        assert api("resumeJob", job).fault is None
    sb.clock.advance(6 * 60)
    assert len(runs_of(api, "paused")) == 1


def test_a_paused_job_does_not_fire_and_a_deleted_one_never(api, sb):
    paused = submit(api, "held", "<execSchedule>0 5 10 * * ?</execSchedule>")
    deleted = submit(api, "gone", "<execSchedule>0 5 10 * * ?</execSchedule>")
    assert api("pauseJob", f"<companyHandle>c|101</companyHandle><jobHandle>{paused}</jobHandle>").fault is None
    assert api("deleteJob", f"<companyHandle>c|101</companyHandle><jobHandle>{deleted}</jobHandle>").fault is None
    sb.clock.advance(3 * 24 * 3600)
    assert runs_of(api, "held") == [] and runs_of(api, "gone") == []


def test_finished_runs_and_their_logs_expire(api, sb):
    submit(api, "old-export")
    sb.clock.advance(60)
    assert len(runs_of(api, "old-export")) == 1
    sb.clock.advance(sandbox_jobs.RUN_RETENTION.total_seconds() + 60)
    for _ in range(300):  # expiry runs every so often, not on every request
        api("getActiveJobs", "<companyHandle>c|101</companyHandle>")
    assert runs_of(api, "old-export") == []
    assert not any(d.original_name == "old-export" for d in sb.jobs.definitions.values())


def test_the_oldest_finished_runs_go_beyond_the_cap(api, sb, monkeypatch):
    monkeypatch.setattr(sandbox_jobs, "MAX_FINISHED_RUNS", 5)  # our own bound, made small for the test
    for i in range(12):
        submit(api, f"run-{i:02d}")
    sb.clock.advance(60)
    for _ in range(300):
        api("getActiveJobs", "<companyHandle>c|101</companyHandle>")
    kept = sorted(d.original_name for d in sb.jobs.definitions.values())
    assert kept == [f"run-{i:02d}" for i in range(7, 12)]
    assert len(sb.jobs.runs) == 5


def test_scheduled_jobs_stay_however_old(api, sb):
    submit(api, "forever", "<execSchedule>0 0 2 ? * SUN</execSchedule>")
    sb.clock.advance(30 * 24 * 3600)
    for _ in range(300):
        api("getActiveJobs", "<companyHandle>c|101</companyHandle>")
    reply = api("getScheduledJobs", "<companyHandle>c|101</companyHandle>")
    names = [el.findtext(NS + "name") for el in reply.find("jobArray/items")]
    assert names == ["forever"]
    assert 0 < len(runs_of(api, "forever")) <= 5  # the last week's runs only (finished ones expire)
