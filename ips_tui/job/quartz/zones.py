"""A zone's offsets the way ``java.util.TimeZone`` (``sun.util.calendar.ZoneInfo``) gives them, with
per-day caches, and one calculator per zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

_DAY_MS = 86_400_000
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_NAIVE = datetime(1970, 1, 1)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MS = timedelta(milliseconds=1)
_UTC_2038 = (date(2038, 1, 1).toordinal() - _EPOCH_ORDINAL) * _DAY_MS


class ZoneCalc:
    """Offsets of one zone, answered as Java's ZoneInfo answers them, with per-day caches."""

    def __init__(self, tz: ZoneInfo) -> None:
        self.tz = tz
        self._utc_days: dict[int, int | None] = {}
        self._wall_days: dict[int, int | None] = {}
        # Java's ZoneInfo keeps explicit transitions only up to 2037, then follows the zone's recurring
        # DST rule if it has one.  A zone with no rule but later one-off transitions (Morocco's Ramadan
        # switches, listed to 2087) therefore stays, in Java, on its last 2037 offset.
        winter = datetime(2100, 1, 15, tzinfo=timezone.utc).astimezone(tz).utcoffset()
        summer = datetime(2100, 7, 15, tzinfo=timezone.utc).astimezone(tz).utcoffset()
        self._frozen: int | None = None
        if winter == summer:
            self._frozen = self._offset_now(_UTC_2038 - 1000)

    def _offset_now(self, utc_ms: int) -> int:
        if utc_ms >= _UTC_2038 and self._frozen is not None:
            return self._frozen
        return datetime.fromtimestamp(utc_ms // 1000, self.tz).utcoffset() // _MS

    def offset_at(self, utc_ms: int) -> int:
        """Total offset (ms) at an instant."""
        day = utc_ms // _DAY_MS
        cached = self._utc_days.get(day, 0)
        if cached == 0 and day not in self._utc_days:
            start = self._offset_now(day * _DAY_MS)
            stop = self._offset_now(day * _DAY_MS + _DAY_MS - 1000)
            cached = start if start == stop else None
            self._utc_days[day] = cached
        if cached is None:
            return self._offset_now(utc_ms)
        return cached

    def _wall_offset(self, wall_ms: int) -> int:
        """The offset Java applies to a wall-clock time (``ZoneInfo.getOffsetsByWall``)."""
        if self._frozen is not None and wall_ms - self._frozen >= _UTC_2038:
            return self._frozen
        naive = _EPOCH_NAIVE + timedelta(milliseconds=wall_ms)
        later = naive.replace(tzinfo=self.tz, fold=1).utcoffset() // _MS
        if self.offset_at(wall_ms - later) == later:
            return later  # exists; in an overlap this is the later (standard-time) instant
        return naive.replace(tzinfo=self.tz, fold=0).utcoffset() // _MS  # in a gap: the offset before it

    def wall_to_utc(self, wall_ms: int) -> int:
        day = wall_ms // _DAY_MS
        cached = self._wall_days.get(day, 0)
        if cached == 0 and day not in self._wall_days:
            start = self._wall_offset(day * _DAY_MS)
            stop = self._wall_offset(day * _DAY_MS + _DAY_MS - 1000)
            cached = start if start == stop else None
            self._wall_days[day] = cached
        if cached is None:
            return wall_ms - self._wall_offset(wall_ms)
        return wall_ms - cached


_zones: dict[str, ZoneCalc] = {}


def zone_calc(tz: ZoneInfo | str) -> ZoneCalc:
    key = tz if isinstance(tz, str) else (tz.key or repr(tz))
    calc = _zones.get(key)
    if calc is None:
        calc = ZoneCalc(ZoneInfo(tz) if isinstance(tz, str) else tz)
        _zones[key] = calc
    return calc
