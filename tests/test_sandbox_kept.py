"""The sandbox keeps only the newest requests and submissions: after more than its cap, what it holds is
bounded (counted in entries), what it let go is counted, and what tests read from the logs still works."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ips_tui.sandbox.kept import MAX_RECEIVED, MAX_SUBMITTED, BoundedLog
from ips_tui.sandbox.raw import Caller

START = datetime(2026, 1, 15, 18, 0, 0, tzinfo=timezone.utc)
PUBLISH = ("<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
           "</imageServingPublishJob>")
CAP = 40


@pytest.fixture
def sb(sandbox_factory):
    return sandbox_factory(speed=0, clock=START, keep=CAP)


@pytest.fixture
def api(sb):
    caller = Caller(sb)
    yield caller
    caller.close()


def submit(api, name: str) -> str:
    reply = api("submitJob", f"<companyHandle>c|101</companyHandle><jobName>{name}</jobName>"
                             f"<execSchedule>0 0 2 ? * SUN</execSchedule>{PUBLISH}")
    assert reply.fault is None, reply.fault
    return reply.text("jobHandle")


def test_more_submissions_than_the_cap_keep_a_bounded_log(sb, api):
    n = CAP * 4 + 7
    for i in range(n):
        submit(api, f"weekly-{i}")
    kept, submitted = sb.received, sb.service.submitted
    assert len(kept) <= CAP + CAP // 4 and len(submitted) <= CAP + CAP // 4
    assert kept.total == n and submitted.total == n  # nothing is lost from the count
    assert kept.dropped == n - len(kept)
    # the newest are the ones kept, in order, and read as before
    names = [j["jobName"] for j in sb.submitted_jobs()]
    assert names == [f"weekly-{i}" for i in range(n - len(names), n)]
    assert [r.operation for r in kept.of("submitJob")] == ["submitJob"] * len(kept)
    assert b"weekly-%d<" % (n - 1) in kept[-1].body
    # every job is still on the service: the cap is on the logs only
    reply = api("getScheduledJobs", "<companyHandle>c|101</companyHandle>")
    assert len(reply.find("jobArray/items")) == n


def test_a_log_under_its_cap_is_a_plain_list_of_everything():
    log = BoundedLog(10)
    for i in range(12):  # within the quarter's slack: nothing trimmed yet
        log.append(i)
    assert list(log) == list(range(12)) and log[-1] == 11 and log[2:4] == [2, 3] and log.dropped == 0
    log.append(12)  # now over cap + cap // 4: back to the newest ten
    assert list(log) == list(range(3, 13)) and log.dropped == 3 and log.total == 13
    log.clear()
    assert log == [] and len(log) == 0


def test_the_default_caps_hold_what_the_suite_reads():
    """Every test reads far fewer requests than this; a cap near zero would lose what they assert on."""
    assert MAX_RECEIVED >= 1_000 and MAX_SUBMITTED >= 1_000
    with pytest.raises(ValueError):
        BoundedLog(0)
