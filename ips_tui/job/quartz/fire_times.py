"""Quartz's ``getTimeAfter``, on the parts of a lenient ``java.util.GregorianCalendar`` it leans on: fields
may overflow, and reading a field normalises through an instant."""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime

from ips_tui.job.quartz.spec import MAX_YEAR, CronSpec
from ips_tui.job.quartz.zones import _DAY_MS, _EPOCH, _EPOCH_ORDINAL, _MS, ZoneCalc

class _Calendar:
    __slots__ = ("zone", "y", "mo", "d", "h", "mi", "s", "ms", "dow", "time", "dirty")

    def __init__(self, zone: ZoneCalc, utc_ms: int) -> None:
        self.zone = zone
        self.set_time(utc_ms)

    def set_time(self, utc_ms: int) -> None:
        self.time = utc_ms
        local = utc_ms + self.zone.offset_at(utc_ms)
        days, tod = divmod(local, _DAY_MS)
        dt = date.fromordinal(days + _EPOCH_ORDINAL)
        self.y, self.mo, self.d = dt.year, dt.month - 1, dt.day
        self.h, tod = divmod(tod, 3_600_000)
        self.mi, tod = divmod(tod, 60_000)
        self.s, self.ms = divmod(tod, 1000)
        self.dow = (days + 4) % 7 + 1  # 1970-01-01 was a Thursday; Sunday = 1
        self.dirty = False

    def complete(self) -> None:
        if not self.dirty:
            return
        y, mo = self.y, self.mo
        if mo > 11 or mo < 0:
            y += mo // 12
            mo %= 12
        days = date(y, mo + 1, 1).toordinal() - _EPOCH_ORDINAL + self.d - 1
        wall = days * _DAY_MS + ((self.h * 60 + self.mi) * 60 + self.s) * 1000 + self.ms
        self.set_time(self.zone.wall_to_utc(wall))

    def add_year(self, amount: int) -> None:
        self.complete()
        self.y += amount
        length = _month_length(self.mo + 1, self.y)
        if self.d > length:
            self.d = length
        self.dirty = True


def _leap(year: int) -> bool:
    return (year % 4 == 0 and year % 100 != 0) or year % 400 == 0


def _month_length(month: int, year: int) -> int:
    if month == 2:
        return 29 if _leap(year) else 28
    return (31, 0, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]


def _tail_first(values: list[int], at: int) -> int | None:
    k = bisect_left(values, at)
    return values[k] if k < len(values) else None


def _set_hour(cl: _Calendar, hour: int) -> None:
    """Quartz ``setCalendarHour``: if the hour does not exist (DST gap), take the next one."""
    cl.h = hour
    cl.dirty = True
    cl.complete()
    if cl.h != hour and hour != 24:
        cl.h = hour + 1
        cl.dirty = True


def _reset_day(cl: _Calendar, day: int, month0: int) -> None:
    cl.s = cl.mi = cl.h = 0
    cl.d = day
    cl.mo = month0
    cl.dirty = True


def _nearest_weekday_time(zone: ZoneCalc, cl_year: int, day: int, mon: int,
                          sec: int, minute: int, hour: int) -> tuple[int, int]:
    """The ``tcal`` dance of Quartz's W handling; returns (adjusted day, instant of that day's fire)."""
    tcal = _Calendar(zone, 0)
    tcal.s = tcal.mi = tcal.h = 0
    tcal.d, tcal.mo, tcal.y = day, mon - 1, cl_year
    tcal.ms = 0  # Quartz leaves the current millisecond here; 0 makes equal-second cases deterministic
    tcal.dirty = True
    tcal.complete()
    ldom = _month_length(mon, cl_year)
    dow = tcal.dow
    if dow == 7 and day == 1:
        day += 2
    elif dow == 7:
        day -= 1
    elif dow == 1 and day == ldom:
        day -= 2
    elif dow == 1:
        day += 1
    tcal.s, tcal.mi, tcal.h, tcal.d, tcal.mo = sec, minute, hour, day, mon - 1
    tcal.dirty = True
    tcal.complete()
    return day, tcal.time


def time_after(spec: CronSpec, zone: ZoneCalc, after_ms: int, max_year: int = MAX_YEAR) -> int | None:  # noqa: C901
    """``CronExpression.getTimeAfter``: the first instant (epoch ms) strictly after ``after_ms``."""
    seconds, minutes, hours, days_of_month, months, days_of_week, years = spec.sets
    after_ms += 1000
    cl = _Calendar(zone, after_ms)
    cl.ms = 0
    cl.dirty = True

    for _step in range(_MAX_STEPS):
        cl.complete()
        if cl.y > 2999:
            return None

        sec, minute = cl.s, cl.mi
        nxt = _tail_first(seconds, sec)
        if nxt is not None:
            sec = nxt
        else:
            sec = seconds[0]
            minute += 1
            cl.mi = minute
        cl.s = sec
        cl.dirty = True

        cl.complete()
        minute, hour = cl.mi, cl.h
        t = -1
        nxt = _tail_first(minutes, minute)
        if nxt is not None:
            t = minute
            minute = nxt
        else:
            minute = minutes[0]
            hour += 1
        if minute != t:
            cl.s = 0
            cl.mi = minute
            _set_hour(cl, hour)
            continue
        cl.mi = minute
        cl.dirty = True

        cl.complete()
        hour, day = cl.h, cl.d
        t = -1
        nxt = _tail_first(hours, hour)
        if nxt is not None:
            t = hour
            hour = nxt
        else:
            hour = hours[0]
            day += 1
        if hour != t:
            cl.s = cl.mi = 0
            cl.d = day
            _set_hour(cl, hour)
            continue
        cl.h = hour
        cl.dirty = True

        cl.complete()
        day, mon = cl.d, cl.mo + 1
        t = -1
        tmon = mon

        if spec.dom_rule:
            if spec.lastday_of_month:
                if not spec.nearest_weekday:
                    t = day
                    day = _month_length(mon, cl.y) - spec.lastday_offset
                    if t > day:
                        mon += 1
                        if mon > 12:
                            mon = 1
                            tmon = 3333
                            cl.add_year(1)
                        day = 1
                else:
                    t = day
                    day = _month_length(mon, cl.y) - spec.lastday_offset
                    day, n_time = _nearest_weekday_time(zone, cl.y, day, mon, sec, minute, hour)
                    if n_time < after_ms:
                        day = 1
                        mon += 1
            elif spec.nearest_weekday:
                t = day
                day = days_of_month[0]
                day, n_time = _nearest_weekday_time(zone, cl.y, day, mon, sec, minute, hour)
                if n_time < after_ms:
                    day = days_of_month[0]
                    mon += 1
            else:
                nxt = _tail_first(days_of_month, day)
                if nxt is not None:
                    t = day
                    day = nxt
                    if day > _month_length(mon, cl.y):
                        day = days_of_month[0]
                        mon += 1
                else:
                    day = days_of_month[0]
                    mon += 1
            if day != t or mon != tmon:
                _reset_day(cl, day, mon - 1)
                continue
        else:
            if spec.lastday_of_week:
                dow = days_of_week[0]
                cdow = cl.dow
                add = 0
                if cdow < dow:
                    add = dow - cdow
                if cdow > dow:
                    add = dow + (7 - cdow)
                lday = _month_length(mon, cl.y)
                if day + add > lday:
                    _reset_day(cl, 1, mon)
                    continue
                while day + add + 7 <= lday:
                    add += 7
                day += add
                if add > 0:
                    _reset_day(cl, day, mon - 1)
                    continue
            elif spec.nthday_of_week != 0:
                dow = days_of_week[0]
                cdow = cl.dow
                add = 0
                if cdow < dow:
                    add = dow - cdow
                elif cdow > dow:
                    add = dow + (7 - cdow)
                shifted = add > 0
                day += add
                week = day // 7
                if day % 7 > 0:
                    week += 1
                add = (spec.nthday_of_week - week) * 7
                day += add
                if add < 0 or day > _month_length(mon, cl.y):
                    _reset_day(cl, 1, mon)
                    continue
                if add > 0 or shifted:
                    _reset_day(cl, day, mon - 1)
                    continue
            else:
                cdow = cl.dow
                dow = days_of_week[0]
                nxt = _tail_first(days_of_week, cdow)
                if nxt is not None:
                    dow = nxt
                add = 0
                if cdow < dow:
                    add = dow - cdow
                if cdow > dow:
                    add = dow + (7 - cdow)
                lday = _month_length(mon, cl.y)
                if day + add > lday:
                    _reset_day(cl, 1, mon)
                    continue
                if add > 0:
                    _reset_day(cl, day + add, mon - 1)
                    continue
        cl.d = day
        cl.dirty = True

        cl.complete()
        mon, year = cl.mo + 1, cl.y
        t = -1
        if year > max_year:
            return None
        nxt = _tail_first(months, mon)
        if nxt is not None:
            t = mon
            mon = nxt
        else:
            mon = months[0]
            year += 1
        if mon != t:
            _reset_day(cl, 1, mon - 1)
            cl.y = year
            continue
        cl.mo = mon - 1
        cl.dirty = True

        cl.complete()
        year = cl.y
        t = -1
        nxt = _tail_first(years, year)
        if nxt is None:
            return None
        t = year
        year = nxt
        if year != t:
            _reset_day(cl, 1, 0)
            cl.y = year
            continue
        cl.y = year
        cl.dirty = True
        cl.complete()
        return cl.time
    raise EndlessSearch(spec.expression)


class EndlessSearch(RuntimeError):
    """The search went round more than ``_MAX_STEPS`` times: Quartz itself would never return here."""


_MAX_STEPS = 50_000  # the slowest legitimate search (nothing for ~100 years) takes a few thousand


def next_times(spec: CronSpec, zone: ZoneCalc, after_ms: int, count: int, max_year: int = MAX_YEAR) -> list[int]:
    """Up to ``count`` successive fire instants (epoch ms) after ``after_ms``, as a CronTrigger chains them."""
    out: list[int] = []
    if count <= 0 or spec.never_fires(max_year):
        return out
    current = after_ms
    for _i in range(count):
        try:
            nxt = time_after(spec, zone, current, max_year)
        except EndlessSearch:
            break
        if nxt is None:
            break
        out.append(nxt)
        current = nxt
    return out


def to_epoch_ms(dt: datetime) -> int:
    return (dt - _EPOCH) // _MS
