"""The fire-time engine's zone caches (job/quartz.py), tested where mutants of them lived against the Quartz
tables (see docs/testing.md, Mutation testing): a cache that is bypassed gives the same offsets, so the
tables cannot tell; these tests say what the caches promise — one calculator per zone, kept between
searches, and one day's wall-clock offset worked out once — and that a wrong entry never answers for
another zone."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from ips_tui.job import quartz as q

HOUR = 3_600_000


class CountingZone(ZoneInfo):
    """A real zone that counts how often it is asked for an offset (the engine asks through ``utcoffset``)."""

    asked = 0

    def utcoffset(self, dt):
        type(self).asked += 1
        return super().utcoffset(dt)


@pytest.fixture(autouse=True)
def no_zones_yet():
    """The memo is process-wide: start each test without what earlier tests put there."""
    saved = dict(q._zones)
    q._zones.clear()
    yield
    q._zones.clear()
    q._zones.update(saved)


def _wall_ms(*args: int) -> int:
    """A wall-clock time as the engine's calendar holds it: milliseconds from 1970-01-01 00:00, no zone."""
    return int(datetime(*args, tzinfo=timezone.utc).timestamp() * 1000)


def test_one_calculator_per_zone_whether_named_or_given():
    by_name = q.zone_calc("Europe/Madrid")
    assert q.zone_calc("Europe/Madrid") is by_name
    assert q.zone_calc(ZoneInfo("Europe/Madrid")) is by_name
    assert by_name.tz is ZoneInfo("Europe/Madrid")


def test_zones_without_a_name_keep_their_own_offsets():
    """A zone read from a file has no key; two of them must not share one calculator."""
    with open("/usr/share/zoneinfo/Asia/Tokyo", "rb") as tokyo, open("/usr/share/zoneinfo/UTC", "rb") as utc:
        tokyo_zone, utc_zone = ZoneInfo.from_file(tokyo), ZoneInfo.from_file(utc)
    noon = _wall_ms(2026, 6, 1, 12)
    assert q.zone_calc(tokyo_zone).offset_at(noon) == 9 * HOUR
    assert q.zone_calc(utc_zone).offset_at(noon) == 0
    assert q.zone_calc(tokyo_zone) is not q.zone_calc(utc_zone)


@pytest.mark.parametrize(("name", "offset"), [("America/New_York", -4 * HOUR), ("UTC", 0)])
def test_a_days_wall_clock_offset_is_worked_out_once(name, offset):
    """After one time of a day, any other time of that day is answered from the day's entry, without
    asking the zone again (a zone at offset 0 too: 0 is a real entry, not "not known yet")."""
    zone = q.ZoneCalc(CountingZone(name))
    morning, evening = _wall_ms(2026, 6, 10, 8, 15), _wall_ms(2026, 6, 10, 20, 45, 30)
    assert zone.wall_to_utc(morning) == morning - offset
    asked = CountingZone.asked
    assert zone.wall_to_utc(evening) == evening - offset
    assert zone.wall_to_utc(morning) == morning - offset
    assert CountingZone.asked == asked


def test_a_day_with_a_change_of_offset_is_answered_time_by_time():
    """Spring forward in New York (8 March 2026, 02:00 EST -> 03:00 EDT): before the change, in the gap
    (Java takes the offset before it) and after it, each time gets its own offset, however the day was
    first asked."""
    zone = q.ZoneCalc(ZoneInfo("America/New_York"))
    after, gap, before = _wall_ms(2026, 3, 8, 12), _wall_ms(2026, 3, 8, 2, 30), _wall_ms(2026, 3, 8, 1, 30)
    assert zone.wall_to_utc(after) == after + 4 * HOUR
    assert zone.wall_to_utc(gap) == gap + 5 * HOUR
    assert zone.wall_to_utc(before) == before + 5 * HOUR


@pytest.mark.parametrize(("name", "offset"), [("America/New_York", -4 * HOUR), ("UTC", 0)])
def test_a_days_offset_at_an_instant_is_worked_out_once(name, offset):
    """The same for instants: after one instant of a UTC day, the others of that day ask the zone nothing."""
    zone = q.ZoneCalc(CountingZone(name))
    morning, evening = _wall_ms(2026, 6, 10, 8, 15), _wall_ms(2026, 6, 10, 20, 45, 30)
    assert zone.offset_at(morning) == offset
    asked = CountingZone.asked
    assert zone.offset_at(evening) == offset
    assert zone.offset_at(morning) == offset
    assert CountingZone.asked == asked
