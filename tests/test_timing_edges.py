"""Edges of execTime and execSchedule that mutation testing showed no test held (docs/testing.md).

Each one is behaviour a person meets: a lower-case ``z``, a date-time written with a space, the text they
typed quoted back in the message, the suggestion that fixes a zone-less time, the exact last instant
allowed, the field an invalid-character error belongs to.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.job import timing
from ips_tui.job.timing import ExecTimeError, ScheduleError


def test_a_lower_case_z_is_utc():
    assert timing.parse_exec_time("2030-01-01T02:00:00z") == datetime(2030, 1, 1, 2, tzinfo=timezone.utc)
    assert timing.parse_exec_time(" 2030-01-01 02:00:00Z ") == datetime(2030, 1, 1, 2, tzinfo=timezone.utc)


@pytest.mark.parametrize("typed,words", [
    ("tomorrow at two", "is not a date-time"),
    ("2030-01-01", "has no time of day"),
    ("2030-01-01T02:00:00", "has no time zone"),
])
def test_the_message_quotes_what_was_typed(typed, words):
    with pytest.raises(ExecTimeError) as info:
        timing.parse_exec_time(typed)
    assert f"'{typed}'" in info.value.message and words in info.value.message
    assert str(info.value) == info.value.message


def test_a_zone_less_time_gets_both_fixes_spelled_out():
    with pytest.raises(ExecTimeError) as info:
        timing.parse_exec_time("2030-01-01T02:00:00")
    assert "2030-01-01T02:00:00Z" in info.value.message and "2030-01-01T02:00:00+01:00" in info.value.message
    with pytest.raises(ExecTimeError) as info:
        timing.parse_exec_time("2030-01-01T02:00:00.5")
    assert "2030-01-01T02:00:00.500Z" in info.value.message  # milliseconds kept, as they would be sent


def test_not_text_is_not_a_date_time():
    with pytest.raises(ExecTimeError) as info:
        timing.parse_exec_time(None)  # type: ignore[arg-type]
    assert "''" in info.value.message


def test_format_refuses_a_naive_time_naming_it():
    with pytest.raises(ExecTimeError) as info:
        timing.format_exec_time(datetime(2030, 1, 1, 2))
    assert "2030-01-01T02:00:00" in info.value.message
    assert timing.format_exec_time(datetime(2030, 1, 1, 2, 0, 0, 250000, tzinfo=timezone.utc)) == "2030-01-01T02:00:00.250Z"
    assert timing.format_exec_time(datetime(2030, 1, 1, 2, tzinfo=timezone(timedelta(hours=-8)))) == "2030-01-01T02:00:00-08:00"


def test_the_last_instant_allowed_is_allowed():
    last = timing.EXEC_TIME_MAX
    assert timing.exec_time_beyond_range(last) is None
    assert timing.exec_time_beyond_range(last.astimezone(timezone(timedelta(hours=-8)))) is None
    message = timing.exec_time_beyond_range(last + timedelta(microseconds=1))
    assert message is not None and "9999-12-31T23:59:59Z" in message
    far = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12)))
    assert far.isoformat() in timing.exec_time_beyond_range(far)


def test_a_bad_character_in_a_schedule_is_an_expression_error_naming_it():
    with pytest.raises(ScheduleError) as info:
        timing.parse_schedule("0 0 12 * * ?\x1b")
    assert info.value.field == "expression" and "U+001B" in info.value.message
    check = timing.check_schedule("0 0 12\u202e * * ?")
    assert not check.ok and check.error.field == "expression" and "U+202E" in check.error.message


@pytest.mark.parametrize("unix,quartz", [
    ("0 0 * * */2", "0 0 0 ? * SUN,TUE,THU,SAT"),  # a step in day-of-week picks every other day
    ("0 0 * * 5-7", "0 0 0 ? * FRI-SUN"),  # 7 is Sunday: a run through the week's end is one wrapping range
    ("0 0 * * 5,6,0,1", "0 0 0 ? * FRI-MON"),
    ("0 0 * * 0,6", "0 0 0 ? * SUN,SAT"),  # two days stay two days
    ("0 0 * * 1,2", "0 0 0 ? * MON,TUE"),
    ("0 0 * * 0,1,2,3,5", "0 0 0 ? * SUN-WED,FRI"),
    ("0 0 * jan-mar *", "0 0 0 * JAN-MAR ?"),
])
def test_unix_day_lists_become_quartz_days(unix, quartz):
    assert timing.unix_cron_to_quartz(unix) == quartz


def test_a_failed_check_says_false_not_just_falsy():
    check = timing.check_schedule("30 6 * * 1-5")
    assert check.ok is False and check.schedule is None and check.suggestion == "0 30 6 ? * MON-FRI"
