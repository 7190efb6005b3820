"""ips_tui.job.timing: Quartz schedules (validity, reasons, fire times, DST, words) and execTime."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ips_tui.job.quartz import spec as quartz_spec
from ips_tui.job.timing import (
    SCHEDULE_PRESETS,
    ExecTimeError,
    QuartzSchedule,
    ScheduleError,
    check_schedule,
    exec_time_is_past,
    format_exec_time,
    parse_exec_time,
    parse_schedule,
    unix_cron_to_quartz,
)

UTC = timezone.utc
NY = ZoneInfo("America/New_York")
MADRID = ZoneInfo("Europe/Madrid")
SAT_NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # a Saturday


def fires(expr: str, after: datetime = SAT_NOON, tz: ZoneInfo | str = "UTC", n: int = 5) -> list[datetime]:
    return parse_schedule(expr).next_fire_times(n, after, tz)


def local(times: list[datetime]) -> list[str]:
    return [t.strftime("%Y-%m-%d %H:%M:%S %Z") for t in times]


# -- valid expressions and their fire times ------------------------------------------------------------


def test_weekdays_at_0630():
    got = fires("0 30 6 ? * MON-FRI")
    assert [t.date().isoformat() for t in got] == ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    assert all((t.hour, t.minute, t.second) == (6, 30, 0) for t in got)
    assert all(t.tzinfo == ZoneInfo("UTC") for t in got)


def test_strictly_after_and_expression_is_stripped():
    sched = parse_schedule("  0 0 12 * * ?\t ")
    assert sched.expression == "0 0 12 * * ?"
    assert sched.next_fire_times(1, SAT_NOON, "UTC")[0] == datetime(2026, 11, 29, 12, tzinfo=UTC)
    assert sched.next_fire_times(1, SAT_NOON - timedelta(seconds=1), "UTC")[0] == SAT_NOON


def test_day_numbers_start_at_sunday_and_names_ignore_case():
    assert fires("0 0 12 ? * 1", n=1)[0].strftime("%A") == "Sunday"
    assert fires("0 0 12 ? * 7", n=1)[0].strftime("%A") == "Saturday"
    assert fires("0 0 12 ? * 2-6") == fires("0 0 12 ? * mon-fri") == fires("0 0 12 ? * Mon-Fri")
    assert fires("0 0 0 1 jan,Jul ?", n=2) == [datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 7, 1, tzinfo=UTC)]


@pytest.mark.parametrize(
    ("expr", "after", "expected"),
    [
        ("0 0/20 * * * ?", SAT_NOON, ["2026-11-28 12:20:00", "2026-11-28 12:40:00", "2026-11-28 13:00:00"]),
        ("5/15 * * * * ?", SAT_NOON, ["2026-11-28 12:00:05", "2026-11-28 12:00:20", "2026-11-28 12:00:35"]),
        ("0 0 8-10,14 * * ?", SAT_NOON, ["2026-11-28 14:00:00", "2026-11-29 08:00:00", "2026-11-29 09:00:00"]),
        ("0 0 22-1 * * ?", SAT_NOON, ["2026-11-28 22:00:00", "2026-11-28 23:00:00", "2026-11-29 00:00:00"]),
        ("0 0 0 ? * FRI-MON", SAT_NOON, ["2026-11-29 00:00:00", "2026-11-30 00:00:00", "2026-12-04 00:00:00"]),
        ("0 15 10 L * ?", SAT_NOON, ["2026-11-30 10:15:00", "2026-12-31 10:15:00", "2027-01-31 10:15:00"]),
        ("0 0 2 L-3 * ?", SAT_NOON, ["2026-12-28 02:00:00", "2027-01-28 02:00:00", "2027-02-25 02:00:00"]),
        ("0 0 2 LW * ?", datetime(2027, 1, 1, tzinfo=UTC), ["2027-01-29 02:00:00", "2027-02-26 02:00:00", "2027-03-31 02:00:00"]),
        ("0 0 2 15W * ?", datetime(2026, 8, 1, tzinfo=UTC), ["2026-08-14 02:00:00", "2026-09-15 02:00:00", "2026-10-15 02:00:00"]),
        ("0 0 2 1W * ?", datetime(2026, 7, 15, tzinfo=UTC), ["2026-08-03 02:00:00", "2026-09-01 02:00:00", "2026-10-01 02:00:00"]),
        ("0 15 10 ? * 6L", SAT_NOON, ["2026-12-25 10:15:00", "2027-01-29 10:15:00", "2027-02-26 10:15:00"]),
        ("0 15 10 ? * 6#3", SAT_NOON, ["2026-12-18 10:15:00", "2027-01-15 10:15:00", "2027-02-19 10:15:00"]),
        ("0 0 2 ? * L", SAT_NOON, ["2026-12-05 02:00:00", "2026-12-12 02:00:00", "2026-12-19 02:00:00"]),
        ("0 0 12 1/10 * ?", SAT_NOON, ["2026-12-01 12:00:00", "2026-12-11 12:00:00", "2026-12-21 12:00:00"]),
        ("0 0 0 29 2 ?", SAT_NOON, ["2028-02-29 00:00:00", "2032-02-29 00:00:00", "2036-02-29 00:00:00"]),
    ],
)
def test_special_characters(expr, after, expected):
    got = [t.strftime("%Y-%m-%d %H:%M:%S") for t in fires(expr, after, n=3)]
    assert got == expected


def test_lenient_tokens_read_like_quartz():
    # Quartz reads an item from the left and ignores what follows it; 'C' (calendar) is such a tail.
    assert fires("0 0 2 5C * ?") == fires("0 0 2 5 * ?")
    assert fires("0 5X 0 * * ?") == fires("0 5 0 * * ?")
    assert fires("0 0 0 ? JANUARY MONDAY") == fires("0 0 0 ? JAN MON")
    assert fires("0 0 0 * * ? 2027 and more") == fires("0 0 0 * * ? 2027")
    assert fires("*/0 0 12 * * ?") == fires("* 0 12 * * ?")
    # with '#' Quartz uses only the first day of a list
    assert fires("0 0 0 ? * 2#1,6") == fires("0 0 0 ? * 2#1")


def test_years():
    assert fires("0 0 0 1 1 ? 2030") == [datetime(2030, 1, 1, tzinfo=UTC)]
    assert fires("0 0 0 1 6 ? 2026,2028,2031") == [datetime(y, 6, 1, tzinfo=UTC) for y in (2028, 2031)]
    assert fires("0 0 0 * * ? 1900") == []  # Quartz accepts any year; this one never comes
    assert fires("0 0 0 30 2 ?") == []  # nor does 30 February
    assert len(fires("0 0 0 * * ? *", n=3)) == 3


# -- DST -------------------------------------------------------------------------------------------------


def test_new_york_spring_forward_skips_the_missing_time():
    # 2026-03-08 02:00 EST -> 03:00 EDT.  Quartz moves 02:30 to 03:00 and then looks for minute 30 in
    # hour 3, which it does not want: the day is skipped.
    got = fires("0 30 2 * * ?", datetime(2026, 3, 7, 12, tzinfo=UTC), NY, 3)
    assert local(got) == ["2026-03-09 02:30:00 EDT", "2026-03-10 02:30:00 EDT", "2026-03-11 02:30:00 EDT"]
    hourly = fires("0 0 * * * ?", datetime(2026, 3, 8, 4, tzinfo=UTC), NY, 4)  # from 23:00 EST
    assert local(hourly) == ["2026-03-08 00:00:00 EST", "2026-03-08 01:00:00 EST",
                             "2026-03-08 03:00:00 EDT", "2026-03-08 04:00:00 EDT"]


def test_new_york_fall_back_fires_once_in_the_repeated_hour():
    # 2026-11-01 02:00 EDT -> 01:00 EST: 01:30 happens twice; Quartz fires once, at the second (EST) one.
    got = fires("0 30 1 * * ?", datetime(2026, 10, 31, 12, tzinfo=UTC), NY, 2)
    assert local(got) == ["2026-11-01 01:30:00 EST", "2026-11-02 01:30:00 EST"]
    assert got[0].astimezone(UTC) == datetime(2026, 11, 1, 6, 30, tzinfo=UTC)
    half_hourly = fires("0 */30 * * * ?", datetime(2026, 11, 1, 4, tzinfo=UTC), NY, 5)  # from 00:00 EDT
    utc = [t.astimezone(UTC).strftime("%H:%M") for t in half_hourly]
    assert utc == ["04:30", "06:00", "06:30", "07:00", "07:30"]  # the EDT pass of 01:xx is skipped
    assert len(set(utc)) == len(utc)


def test_madrid_spring_forward_and_fall_back():
    spring = fires("0 30 2 * * ?", datetime(2026, 3, 28, 12, tzinfo=UTC), MADRID, 2)
    assert local(spring) == ["2026-03-30 02:30:00 CEST", "2026-03-31 02:30:00 CEST"]
    fall = fires("0 30 2 * * ?", datetime(2026, 10, 24, 12, tzinfo=UTC), MADRID, 2)
    assert local(fall) == ["2026-10-25 02:30:00 CET", "2026-10-26 02:30:00 CET"]  # once, not twice
    every_quarter = fires("0 */15 2 * * ?", datetime(2026, 10, 24, 23, tzinfo=UTC), MADRID, 5)
    assert [t.astimezone(UTC).strftime("%H:%M") for t in every_quarter] == ["01:00", "01:15", "01:30", "01:45", "01:00"]
    assert every_quarter[-1].date().isoformat() == "2026-10-26"


def test_zone_by_name_or_zoneinfo_and_aware_after_required():
    sched = parse_schedule("0 0 9 * * ?")
    assert sched.next_fire_times(2, SAT_NOON, "Europe/Madrid") == sched.next_fire_times(2, SAT_NOON, MADRID)
    with pytest.raises(ValueError):
        sched.next_fire_times(1, datetime(2026, 1, 1), "UTC")


# -- invalid expressions: which field, and why ------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "field", "words"),
    [
        ("0 0 0 ? * 8", "day-of-week", ["day-of-week", "8 is out of range", "1–7", "1 = Sunday", "SUN–SAT"]),
        ("0 0 0 ? * 0", "day-of-week", ["0 is out of range"]),
        ("0 0 0 * * *", "expression", ["Specify '?' in either day-of-month or day-of-week"]),
        ("0 0 0 ? * ?", "day-of-week", ["'?'", "day-of-month"]),
        ("60 0 0 * * ?", "seconds", ["seconds", "60 is out of range", "0–59"]),
        ("0 60 0 * * ?", "minutes", ["minutes", "60", "0–59"]),
        ("0 0 24 * * ?", "hours", ["hours", "24", "0–23"]),
        ("0 0 0 32 * ?", "day-of-month", ["32", "1–31"]),
        ("0 0 0 1-40 * ?", "day-of-month", ["40", "1–31"]),
        ("0 0 0 * 13 ?", "month", ["month", "13", "JAN–DEC"]),
        ("0 0 0 ? FOO *", "month", ["'FOO' is not a month", "JAN–DEC"]),
        ("0 0 0 ? * FOO", "day-of-week", ["'FOO' is not a day", "SUN–SAT"]),
        ("0 0 0 ? * MON-FR", "day-of-week", ["'FR' is not a day"]),
        ("0 0/61 0 * * ?", "minutes", ["increment 61", "at most 59"]),
        ("0 0 0 ? * 6#6", "day-of-week", ["'#'", "1 to 5"]),
        ("0 0 0 ? * 2#1,3#2", "day-of-week", ["only one '#'"]),
        ("0 0 0 1,L * ?", "day-of-month", ["'L'", "list"]),
        ("0 0 0 L-31 * ?", "day-of-month", ["30 or less"]),
        ("0 0 0 0W * ?", "day-of-month", ["0 is out of range"]),
        ("0 0 0 5L * ?", "day-of-month", ["'L'", "day-of-week"]),
        ("0 0 0 ? * 5W", "day-of-week", ["'W'", "day-of-month"]),
        ("0 0 0 * * ? 2030-2028", "year", ["2030-2028", "backwards"]),
        ("0 0 L * * ?", "hours", ["'L'"]),
        ("0 0 0 ?XY * MON", "day-of-month", ["'?' must stand alone"]),
        ("0 0 0 5- * ?", "day-of-month", ["needs a number after '-'"]),
        ("0 0 0 */x * ?", "day-of-month", ["increment", "whole number"]),
        ("0 ABC 0 * * ?", "minutes", ["names are not allowed", "0–59"]),
        ("0 0 0 * *", "expression", ["6 or 7 fields", "found 5"]),
        ("", "expression", ["empty"]),
    ],
)
def test_invalid_expressions_name_the_field_and_the_fix(expr, field, words):
    with pytest.raises(ScheduleError) as info:
        parse_schedule(expr)
    err = info.value
    assert err.field == field
    assert str(err) == err.message
    for word in words:
        assert word in err.message, err.message
    assert isinstance(err, ValueError)


def test_error_text_is_built_at_call_time(monkeypatch):
    with pytest.raises(ScheduleError):
        parse_schedule("0 0 0 ? * 8")  # now cached
    monkeypatch.setattr(quartz_spec, "_", lambda s: "<<" + s + ">>")
    with pytest.raises(ScheduleError) as info:
        parse_schedule("0 0 0 ? * 8")
    assert info.value.message.startswith("<<")
    assert "<<day-of-week>>" in info.value.message


def test_check_schedule_never_raises_and_suggests_quartz_for_unix_cron():
    good = check_schedule("0 30 6 ? * MON-FRI")
    assert good.ok and good.schedule == QuartzSchedule("0 30 6 ? * MON-FRI") and good.error is None
    unix = check_schedule("30 6 * * 1-5")
    assert not unix.ok and unix.schedule is None
    assert unix.error.field == "expression" and "found 5" in unix.error.message
    assert unix.suggestion == "0 30 6 ? * MON-FRI"
    assert check_schedule("0 0 0 ? * 8").suggestion is None
    for junk in ["", "   ", "@@@", "? ? ? ? ? ? ? ?", "0 0 0 ? * 9999999999999"]:
        assert not check_schedule(junk).ok


def test_quartz_schedule_validates_on_construction():
    with pytest.raises(ScheduleError):
        QuartzSchedule("0 0 0 * * *")


# -- Unix cron -> Quartz ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("unix", "expected"),
    [
        ("30 6 * * 1-5", "0 30 6 ? * MON-FRI"),
        ("0 2 * * *", "0 0 2 * * ?"),
        ("*/15 * * * *", "0 */15 * * * ?"),
        ("0 0 1 * *", "0 0 0 1 * ?"),
        ("0 0 * * 0", "0 0 0 ? * SUN"),
        ("0 0 * * 7", "0 0 0 ? * SUN"),
        ("0 0 * * 5-7", "0 0 0 ? * FRI-SUN"),
        ("0 0 * * 1,3,5", "0 0 0 ? * MON,WED,FRI"),
        ("0 0 * * sat,sun", "0 0 0 ? * SUN,SAT"),
        ("0 0 * * 0-6", "0 0 0 ? * *"),
        ("0 9 * JAN-MAR MON", "0 0 9 ? JAN-MAR MON"),
        ("@daily", "0 0 0 * * ?"),
        ("@weekly", "0 0 0 ? * SUN"),
        ("0 0 1,15 * 1", None),  # Unix fires on either day field; Quartz cannot say that
        ("0 0 * * 8", None),
        ("60 0 * * *", None),
        ("0 0 0 * * ?", None),  # already 6 fields
        ("hello", None),
        ("", None),
    ],
)
def test_unix_cron_to_quartz(unix, expected):
    assert unix_cron_to_quartz(unix) == expected
    if expected:
        parse_schedule(expected)


# -- words --------------------------------------------------------------------------------------------------


def test_describe_in_english_and_spanish():
    sched = parse_schedule("0 30 6 ? * MON-FRI")
    assert sched.describe() == "At 06:30 AM, Monday through Friday"
    es = sched.describe("es")
    assert "lunes" in es and "viernes" in es and "Monday" not in es and "06:30" in es
    assert "enero" in parse_schedule("0 0 0 1 JAN ?").describe("es")
    assert "third Friday" in parse_schedule("0 15 10 ? * 6#3").describe()
    assert "viernes" in parse_schedule("0 15 10 ? * 6L").describe("es")
    assert "Saturday" in parse_schedule("0 0 0 ? * L").describe()  # 'L' alone is day 7


def test_describe_follows_quartz_reading_and_never_fails():
    assert parse_schedule("0 0 0 ? JANUARY MONDAY").describe() == parse_schedule("0 0 0 ? JAN MON").describe()
    # a phrase missing from cron-descriptor's Spanish catalogue falls back to English instead of vanishing
    assert "3" in parse_schedule("0 0 2 L-3 * ?").describe("es")
    for expr in ["0 5X 0 * * ?", "*/-5 0 12 * * ?", "0 0 0 ?X * 2#1,6", "0 0 2 L-3W * ?", "0 0 0 * * ? 2026-2030"]:
        for lang in ("en", "es"):
            assert parse_schedule(expr).describe(lang)


def test_presets_are_valid_and_described():
    assert len(SCHEDULE_PRESETS) >= 3
    expressions = dict((expr, label) for label, expr in SCHEDULE_PRESETS)
    assert {"0 0 2 * * ?", "0 30 6 ? * MON-FRI", "0 0 2 1 * ?"} <= set(expressions)
    for label, expr in SCHEDULE_PRESETS:
        assert isinstance(label, str) and label
        assert parse_schedule(expr).describe("es")


# -- execTime -----------------------------------------------------------------------------------------------


def test_exec_time_with_z_or_offset():
    assert parse_exec_time("2026-12-24T02:00:00Z") == datetime(2026, 12, 24, 2, tzinfo=UTC)
    got = parse_exec_time(" 2026-12-24T02:00:00+01:00 ")
    assert got.utcoffset() == timedelta(hours=1) and got.astimezone(UTC).hour == 1
    assert parse_exec_time("2026-12-24T02:00:00.250-05:00").microsecond == 250000


def test_exec_time_without_zone_says_how_to_fix_it():
    with pytest.raises(ExecTimeError) as info:
        parse_exec_time("2026-12-24T02:00:00")
    msg = info.value.message
    assert '"Z"' in msg and '"+01:00"' in msg
    assert "2026-12-24T02:00:00Z" in msg and "2026-12-24T02:00:00+01:00" in msg
    assert str(info.value) == msg


@pytest.mark.parametrize("text", ["garbage", "", "24/12/2026 02:00", "2026-13-01T00:00:00Z", "2026-12-24"])
def test_exec_time_garbage_shows_the_expected_shape(text):
    with pytest.raises(ExecTimeError) as info:
        parse_exec_time(text)
    assert "2026-12-24T02:00:00+01:00" in info.value.message


def test_exec_time_past_and_format():
    now = datetime(2026, 11, 28, 12, tzinfo=UTC)
    assert exec_time_is_past(parse_exec_time("2026-11-28T12:59:00+01:00"), now)
    assert not exec_time_is_past(parse_exec_time("2026-11-28T13:01:00+01:00"), now)
    assert exec_time_is_past(now, now)
    assert exec_time_is_past(datetime(2000, 1, 1, tzinfo=UTC))
    assert format_exec_time(parse_exec_time("2026-12-24T02:00:00+01:00")) == "2026-12-24T02:00:00+01:00"
    assert format_exec_time(datetime(2026, 12, 24, 1, tzinfo=UTC)) == "2026-12-24T01:00:00Z"
    assert format_exec_time(datetime(2026, 12, 24, 1, 0, 0, 500000, tzinfo=NY)) == "2026-12-24T01:00:00.500-05:00"
    with pytest.raises(ExecTimeError):
        format_exec_time(datetime(2026, 12, 24))


def test_module_does_not_import_textual_or_rich():
    code = ("import sys, ips_tui.job.timing as t; t.parse_schedule('0 0 2 * * ?').describe('es'); "
            "print([m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_describer_reads_each_catalogue_once(monkeypatch):
    """cron-descriptor loads its translations for every expression it is given; we keep one per locale
    (it was a fifth of the work of the key that makes a schedule valid)."""
    from cron_descriptor.GetText import GetText

    from ips_tui.job import schedule_words

    schedule_words._translations.cache_clear()
    schedule_words._describe.cache_clear()
    loads = []
    real = GetText.load_locale

    def counted(self, code, location=None):
        loads.append(code)
        return real(self, code, location)

    monkeypatch.setattr(GetText, "load_locale", counted)
    words = {lang: [parse_schedule(f"0 {m} 6 ? * MON-FRI").describe(lang) for m in (1, 2, 3)]
             for lang in ("en", "es")}
    assert loads == ["en_US", "es_ES"]
    assert words["en"][0] == "At 06:01 AM, Monday through Friday"
    assert "lunes" in words["es"][2]  # each still in its language, with its names
