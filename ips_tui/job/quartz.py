"""Quartz 2.3.2 ``CronExpression``, reproduced in Python: what the IPS scheduler accepts and when it fires.

The server's scheduler is Quartz, so "valid" and "next fire time" mean what Quartz says, quirks
included.  This module follows Quartz's parser and its ``getTimeAfter`` field by field, and
emulates the parts of ``java.util.GregorianCalendar`` that algorithm leans on (lenient field
arithmetic, and how a wall-clock time in a DST gap or overlap becomes an instant).  The real Quartz
is the judge: ``tests/test_quartz_differential.py`` runs both on the same inputs.

Behaviour worth knowing (all checked against Quartz 2.3.2 on Java 17):

* The text is upper-cased first, so names and ``L``/``W`` are case-insensitive.  Fields are split on
  spaces and tabs only (not on other whitespace: a trailing newline is an eighth, empty field, a
  no-break space is an unexpected character); each field is then trimmed of control characters.
  Fields after the seventh are ignored.  Positions count UTF-16 units, as Java's ``String`` does.
* Each comma-separated item is read from the left and whatever follows a complete item is ignored:
  ``5X`` is 5, ``JANUARY`` is JAN, ``MONDAY`` is MON, ``5C`` is 5 (so the undocumented ``C``
  "calendar" suffix does nothing), ``?X`` is ``?``.
* Ranges may wrap (``FRI-MON``, ``22-2``); ``*/0`` and ``*/-5`` mean ``*``; ``a-b/0`` means ``a``.
* ``L`` alone in day-of-week is Saturday (7); ``L-n``, ``LW`` and ``nW`` are day-of-month only.
* Exactly one of day-of-month / day-of-week must contain ``?``.
* Quartz accepts ``L`` in seconds, minutes, hours or month at parse time but then fails with
  ``NoSuchElementException`` on first use; we reject such expressions at parse time.
* ``0W`` and ``L-nW`` with n past 27 (the day falls before February's 1st) Quartz accepts and then
  loops for ever on, once a search reaches such a month; we reject them at parse time too.
* Year has no range check: ``1900`` or ``2500`` parse and simply never fire.  Quartz gives up after
  ``MAX_YEAR`` (the JVM's current year + 100) or the year 2999.
* DST: a wall time that falls in a spring-forward gap is moved forward by the gap (02:30 -> 03:30),
  but Quartz resets minutes to 0 when it moves to a new hour, so a daily ``0 30 2 * * ?`` in
  New York skips the spring-forward day entirely.  A wall time in a fall-back overlap resolves to
  the *later* (standard-time) instant, so that repeated hour fires once, in its second pass.
* Java's ``TimeZone`` knows one-off transitions only up to 2037 (recurring DST rules go on for ever):
  Morocco's Ramadan switches after 2037, present in the system tzdata, do not exist for Quartz.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from ips_tui.i18n import N_, _
from ips_tui.job.java_text import from_utf16_units as _from_utf16_units
from ips_tui.job.java_text import java_trim as _java_trim
from ips_tui.job.java_text import java_upper as _java_upper
from ips_tui.job.java_text import utf16_units as _utf16_units

__all__ = [
    "FIELD_KEYS",
    "MAX_YEAR",
    "CronSpec",
    "ScheduleError",
    "ZoneCalc",
    "compile_expression",
    "next_times",
    "time_after",
    "zone_calc",
]

SECOND, MINUTE, HOUR, DAY_OF_MONTH, MONTH, DAY_OF_WEEK, YEAR = range(7)
FIELD_KEYS = ("seconds", "minutes", "hours", "day-of-month", "month", "day-of-week", "year")
_FIELD_LABELS = (
    N_("seconds"), N_("minutes"), N_("hours"), N_("day-of-month"), N_("month"), N_("day-of-week"), N_("year"),
)
_ALLOWED = (
    N_("0–59"),
    N_("0–59"),
    N_("0–23"),
    N_("1–31"),
    N_("1–12, or JAN–DEC"),
    N_("1–7, 1 = Sunday, or SUN–SAT"),
    N_("1970–2099"),
)

ALL_SPEC = 99  # Quartz's marker for '*'
NO_SPEC = 98  # Quartz's marker for '?'

#: Quartz stops looking past this year (``CronExpression.MAX_YEAR``: the JVM's current year + 100).
MAX_YEAR = datetime.now().year + 100
_YEAR_CAP = 3001  # Quartz gives up past 2999; set members beyond this can never be reached

_MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))}
_DAYS = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
_L_OFFSET = re.compile(r"L-[0-9]*W?")
_JAVA_INT = re.compile(r"[+-]?\d+")
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


class ScheduleError(ValueError):
    """An ``execSchedule`` that Quartz would refuse.

    ``field`` names the part at fault (``seconds`` … ``year``, or ``expression`` for the whole);
    ``message`` is translated, human text that says what is wrong and what is allowed.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


# --------------------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------------------


class _Tr(str):
    """A message parameter that is itself translatable text (translated when the message is built)."""


@dataclass(frozen=True)
class _Problem:
    """Why Quartz refuses an expression, kept untranslated so a cached result follows the UI language."""

    field: str
    template: str
    params: tuple[tuple[str, object], ...] = ()

    def error(self) -> ScheduleError:
        params = {k: (_(v) if isinstance(v, _Tr) else _from_utf16_units(v) if isinstance(v, str) else v)
                  for k, v in self.params}
        if self.field in FIELD_KEYS:
            params["field"] = _(_FIELD_LABELS[FIELD_KEYS.index(self.field)])
        return ScheduleError(self.field, _(self.template).format(**params))


class _Reject(Exception):
    def __init__(self, problem: _Problem) -> None:
        super().__init__(problem.template)
        self.problem = problem


def _reject(kind: int, template: str, **params: object) -> _Reject:
    key = FIELD_KEYS[kind] if kind >= 0 else "expression"
    return _Reject(_Problem(key, template, tuple(params.items())))


def _allowed(kind: int) -> _Tr:
    return _Tr(_ALLOWED[kind])


@dataclass
class CronSpec:
    """The parsed form, as Quartz holds it: one sorted set per field plus the day flags."""

    expression: str
    sets: list[list[int]] = field(default_factory=list)
    lastday_of_week: bool = False
    nthday_of_week: int = 0
    lastday_of_month: bool = False
    nearest_weekday: bool = False
    lastday_offset: int = 0
    dom_rule: bool = True  # True: day-of-month decides the day ('?' in day-of-week); False: day-of-week

    def never_fires(self, max_year: int = MAX_YEAR) -> bool:
        """True when no date can ever match (e.g. 30 February), so the search can stop at once."""
        if not self.sets[YEAR] or min(self.sets[YEAR]) > max_year:
            return True
        if not self.dom_rule or self.lastday_of_month or self.nearest_weekday:
            return False
        days = [d for d in self.sets[DAY_OF_MONTH] if d not in (ALL_SPEC, NO_SPEC)]
        if not days:
            return False
        first = min(days)
        longest = max((31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[m - 1]
                      for m in self.sets[MONTH] if 1 <= m <= 12)
        return first > longest


class _Parser:
    """Quartz's ``buildExpression``/``storeExpressionVals``/``checkNext``/``addToSet``, step by step."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sets: list[set[int]] = [set() for _ in range(7)]
        self.lastday_of_week = False
        self.nthday_of_week = 0
        self.lastday_of_month = False
        self.nearest_weekday = False
        self.lastday_offset = 0

    # Java's runtime failures (index out of range, bad number) make Quartz refuse the expression too;
    # each call site says in words what was wrong.
    @staticmethod
    def _at(s: str, i: int, kind: int, template: str, **params: object) -> str:
        if i < 0 or i >= len(s):
            raise _reject(kind, template, **params)
        return s[i]

    @staticmethod
    def _int(text: str, kind: int, template: str, **params: object) -> int:
        if not _JAVA_INT.fullmatch(text):
            raise _reject(kind, template, **params)
        value = int(text)
        if not _INT_MIN <= value <= _INT_MAX:
            raise _reject(kind, template, **params)
        return value

    def _value(self, v: int, s: str, i: int, kind: int) -> tuple[int, int]:
        """Quartz ``getValue``: the digits from ``i`` appended to ``v``; returns (value, next position)."""
        c = self._at(s, i, kind, N_("{field}: a number is missing in '{item}'"), item=s)
        digits = str(v)
        while "0" <= c <= "9":
            digits += c
            i += 1
            if i >= len(s):
                break
            c = s[i]
        pos = i if i < len(s) else i + 1
        value = self._int(digits, kind, N_("{field}: the number in '{item}' is too large"), item=s)
        return value, pos

    def parse(self) -> CronSpec:
        text = self.text
        expr_on = SECOND
        for token in (t for t in re.split(r"[ \t]", text) if t):
            if expr_on > YEAR:
                break  # Quartz ignores anything after the year
            expr = _java_trim(token)
            if expr_on == DAY_OF_MONTH and "L" in expr and len(expr) > 1 and "," in expr:
                raise _reject(expr_on, N_("{field}: 'L' and 'LW' cannot be combined with other days in a list"))
            if expr_on == DAY_OF_WEEK and "L" in expr and len(expr) > 1 and "," in expr:
                raise _reject(expr_on, N_("{field}: 'L' cannot be combined with other days in a list"))
            if expr_on == DAY_OF_WEEK and expr.count("#") > 1:
                raise _reject(expr_on, N_("{field}: only one '#' (nth weekday of the month) is allowed"))
            for item in expr.split(","):
                if item:
                    self._store(item, expr_on)
            expr_on += 1

        if expr_on <= DAY_OF_WEEK:
            raise _reject(
                -1,
                N_("Quartz needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); "
                   "found {count}"),
                count=expr_on,
            )
        if expr_on <= YEAR:
            self._store("*", YEAR)

        dom_spec = NO_SPEC not in self.sets[DAY_OF_MONTH]
        dow_spec = NO_SPEC not in self.sets[DAY_OF_WEEK]
        if dom_spec == dow_spec:
            if dom_spec:
                raise _reject(
                    -1,
                    N_("Specify '?' in either day-of-month or day-of-week: Quartz cannot use both "
                       "(e.g. '0 0 12 ? * MON' or '0 0 12 1 * ?')"),
                )
            raise _reject(DAY_OF_WEEK, N_("Specify '?' in only one of day-of-month and day-of-week"))

        # Quartz parses these but fails with NoSuchElementException on first use: refuse them now.
        for kind in (SECOND, MINUTE, HOUR, MONTH):
            if not self.sets[kind]:
                raise _reject(kind, N_("{field}: no value given; 'L' is only allowed in day-of-month or day-of-week"))
        if dow_spec and not self.sets[DAY_OF_WEEK]:
            raise _reject(DAY_OF_WEEK, N_("{field}: no day given ({allowed})"), allowed=_allowed(DAY_OF_WEEK))
        if dom_spec and not self.sets[DAY_OF_MONTH] and not self.lastday_of_month:
            raise _reject(DAY_OF_MONTH, N_("{field}: no day given ({allowed})"), allowed=_allowed(DAY_OF_MONTH))

        return CronSpec(
            expression=text,
            sets=[sorted(s) for s in self.sets],
            lastday_of_week=self.lastday_of_week,
            nthday_of_week=self.nthday_of_week,
            lastday_of_month=self.lastday_of_month,
            nearest_weekday=self.nearest_weekday,
            lastday_offset=self.lastday_offset,
            dom_rule=dom_spec,
        )

    def _store(self, s: str, kind: int) -> None:  # noqa: C901 - mirrors Quartz's control flow on purpose
        i = 0
        c = s[0]
        if "A" <= c <= "Z" and s != "L" and s != "LW" and not _L_OFFSET.fullmatch(s):
            self._store_name(s, kind)
            return

        if c == "?":
            i += 1
            if i + 1 < len(s):
                raise _reject(kind, N_("{field}: '?' must stand alone, found '{item}'"), item=s)
            if kind not in (DAY_OF_WEEK, DAY_OF_MONTH):
                raise _reject(kind, N_("{field}: '?' is only allowed in day-of-month or day-of-week"))
            if kind == DAY_OF_WEEK and not self.lastday_of_month:
                dom = self.sets[DAY_OF_MONTH]
                if not dom:
                    raise _reject(DAY_OF_MONTH, N_("{field}: no day given ({allowed})"), allowed=_allowed(DAY_OF_MONTH))
                if max(dom) == NO_SPEC:
                    raise _reject(
                        kind,
                        N_("{field}: '?' is already in day-of-month; give days of the week here "
                           "(e.g. MON-FRI or *), or a day of the month there"),
                    )
            self._add(NO_SPEC, -1, 0, kind)
            return

        if c in "*/":
            incr = 0
            if c == "*" and i + 1 >= len(s):
                self._add(ALL_SPEC, -1, incr, kind)
                return
            if c == "/" and (i + 1 >= len(s) or s[i + 1] in " \t"):
                raise _reject(kind, N_("{field}: '/' must be followed by a number (an increment, e.g. 0/15)"))
            if c == "*":
                i += 1
            c = s[i]
            if c == "/":
                i += 1
                if i >= len(s):
                    raise _reject(kind, N_("{field}: '/' must be followed by a number (an increment, e.g. 0/15)"))
                incr = self._int(s[i:], kind, N_("{field}: the increment in '{item}' must be a whole number"), item=s)
                self._check_increment(incr, kind)
            else:
                incr = 1
            self._add(ALL_SPEC, -1, incr, kind)
            return

        if c == "L":
            i += 1
            if kind == DAY_OF_MONTH:
                self.lastday_of_month = True
            if kind == DAY_OF_WEEK:
                self._add(7, 7, 0, kind)
            if kind == DAY_OF_MONTH and len(s) > i:
                c = s[i]
                if c == "-":
                    value, pos = self._value(0, s, i + 1, kind)
                    self.lastday_offset = value
                    if value > 30:
                        raise _reject(kind, N_("{field}: the offset in 'L-{offset}' must be 30 or less"), offset=value)
                    i = pos
                if len(s) > i and s[i] == "W":
                    # Past 27 the day falls before February's 1st (and, for 30, a 30-day month's): Quartz
                    # accepts it, then loops for ever once a search reaches such a month (as with "0W").
                    if self.lastday_offset > 27:
                        raise _reject(kind, N_("{field}: 'L-{offset}W' would fall before the 1st of a short "
                                               "month (February has 28 days), where Quartz never finishes; "
                                               "use an offset of 27 or less"), offset=self.lastday_offset)
                    self.nearest_weekday = True
            return

        if "0" <= c <= "9":
            val = int(c)
            i += 1
            if i >= len(s):
                self._add(val, -1, -1, kind)
                return
            if "0" <= s[i] <= "9":
                val, i = self._value(val, s, i, kind)
            self._check_next(i, s, val, kind)
            return

        shown = c if c.isprintable() and not c.isspace() else f"U+{ord(c):04X}"  # name what cannot be seen
        raise _reject(kind, N_("{field}: unexpected character '{char}' ({allowed})"), char=shown, allowed=_allowed(kind))

    def _store_name(self, s: str, kind: int) -> None:
        if kind == MONTH:
            bad = N_("{field}: '{name}' is not a month (use JAN–DEC or 1–12)")
            sub = s[0:3]
            if len(sub) < 3 or sub not in _MONTHS:
                raise _reject(kind, bad, name=s)
            sval = _MONTHS[sub] + 1
            eval_ = -1
            if len(s) > 3 and s[3] == "-":
                sub = s[4:7]
                if len(sub) < 3 or sub not in _MONTHS:
                    raise _reject(kind, bad, name=s[4:] or s)
                eval_ = _MONTHS[sub] + 1
        elif kind == DAY_OF_WEEK:
            bad = N_("{field}: '{name}' is not a day (use SUN–SAT, or 1–7 with 1 = Sunday)")
            sub = s[0:3]
            if len(sub) < 3 or sub not in _DAYS:
                raise _reject(kind, bad, name=s)
            sval = _DAYS[sub]
            eval_ = -1
            if len(s) > 3:
                c = s[3]
                if c == "-":
                    sub = s[4:7]
                    if len(sub) < 3 or sub not in _DAYS:
                        raise _reject(kind, bad, name=s[4:] or s)
                    eval_ = _DAYS[sub]
                elif c == "#":
                    self.nthday_of_week = self._nth(s[4:], kind)
                elif c == "L":
                    self.lastday_of_week = True
        else:
            if len(s) < 3:
                raise _reject(kind, N_("{field}: unexpected '{item}' ({allowed})"), item=s, allowed=_allowed(kind))
            raise _reject(kind, N_("{field}: names are not allowed here ('{item}'); use numbers {allowed}"),
                          item=s, allowed=_allowed(kind))
        self._add(sval, eval_, 1 if eval_ != -1 else 0, kind)

    def _nth(self, text: str, kind: int) -> int:
        template = N_("{field}: '#' must be followed by a number from 1 to 5 (e.g. 6#3 = the third Friday)")
        nth = self._int(text, kind, template)
        if not 1 <= nth <= 5:
            raise _reject(kind, template)
        return nth

    def _check_increment(self, incr: int, kind: int) -> None:
        limit = {SECOND: 59, MINUTE: 59, HOUR: 23, DAY_OF_MONTH: 31, DAY_OF_WEEK: 7, MONTH: 12}.get(kind)
        if limit is not None and incr > limit:
            raise _reject(kind, N_("{field}: the increment {incr} is too large (at most {limit})"),
                          incr=incr, limit=limit)

    def _check_next(self, i: int, s: str, val: int, kind: int) -> None:  # noqa: C901 - mirrors Quartz
        end = -1
        if i >= len(s):
            self._add(val, end, -1, kind)
            return
        c = s[i]
        if c == "L":
            if kind != DAY_OF_WEEK:
                raise _reject(kind, N_("{field}: 'L' after a number is only allowed in day-of-week "
                                       "(e.g. 6L = the last Friday of the month)"))
            if val < 1 or val > 7:
                raise _reject(kind, N_("{field}: {value} is out of range ({allowed})"),
                              value=val, allowed=_allowed(kind))
            self.lastday_of_week = True
            self.sets[kind].add(val)
            return
        if c == "W":
            if kind != DAY_OF_MONTH:
                raise _reject(kind, N_("{field}: 'W' is only allowed in day-of-month (e.g. 15W = the weekday "
                                       "nearest the 15th)"))
            if val > 31 or val < 1:
                # Quartz rejects > 31 itself; "0W" it accepts and then loops forever on first use.
                raise _reject(kind, N_("{field}: {value} is out of range ({allowed})"),
                              value=val, allowed=_allowed(kind))
            self.nearest_weekday = True
            self.sets[kind].add(val)
            return
        if c == "#":
            if kind != DAY_OF_WEEK:
                raise _reject(kind, N_("{field}: '#' is only allowed in day-of-week (e.g. 6#3 = the third Friday)"))
            self.nthday_of_week = self._nth(s[i + 1:], kind)
            self.sets[kind].add(val)
            return
        if c == "-":
            missing = N_("{field}: the range '{item}' needs a number after '-'")
            i += 1
            c = self._at(s, i, kind, missing, item=s)
            v = self._int(c, kind, missing, item=s)
            end = v
            i += 1
            if i >= len(s):
                self._add(val, end, 1, kind)
                return
            c = s[i]
            if "0" <= c <= "9":
                end, i = self._value(v, s, i, kind)
            if i < len(s) and s[i] == "/":
                step_missing = N_("{field}: '/' must be followed by a number (an increment, e.g. 0/15)")
                i += 1
                c = self._at(s, i, kind, step_missing)
                v2 = self._int(c, kind, step_missing)
                i += 1
                if i >= len(s):
                    self._add(val, end, v2, kind)
                    return
                if "0" <= s[i] <= "9":
                    v3, i = self._value(v2, s, i, kind)
                    self._add(val, end, v3, kind)
                    return
                self._add(val, end, v2, kind)
                return
            self._add(val, end, 1, kind)
            return
        if c == "/":
            step_missing = N_("{field}: '/' must be followed by a number (an increment, e.g. 0/15)")
            if i + 1 >= len(s) or s[i + 1] in " \t":
                raise _reject(kind, step_missing)
            i += 1
            v2 = self._int(s[i], kind, step_missing)
            i += 1
            if i >= len(s):
                self._check_increment(v2, kind)
                self._add(val, end, v2, kind)
                return
            if "0" <= s[i] <= "9":
                v3, i = self._value(v2, s, i, kind)
                self._check_increment(v3, kind)
                self._add(val, end, v3, kind)
                return
            raise _reject(kind, N_("{field}: unexpected character '{char}' after '/'"), char=s[i])
        self._add(val, end, 0, kind)

    def _add(self, val: int, end: int, incr: int, kind: int) -> None:  # noqa: C901 - mirrors Quartz
        target = self.sets[kind]
        bounds = {SECOND: (0, 59), MINUTE: (0, 59), HOUR: (0, 23), DAY_OF_MONTH: (1, 31), MONTH: (1, 12)}
        if kind in bounds:
            lo, hi = bounds[kind]
            special = val == ALL_SPEC or (kind == DAY_OF_MONTH and val == NO_SPEC)
            if not special and (val < lo or val > hi or end > hi):
                bad = val if (val < lo or val > hi) else end
                raise _reject(kind, N_("{field}: {value} is out of range ({allowed})"),
                              value=bad, allowed=_allowed(kind))
        elif kind == DAY_OF_WEEK:
            if (val == 0 or val > 7 or end > 7) and val not in (ALL_SPEC, NO_SPEC):
                bad = val if (val == 0 or val > 7) else end
                raise _reject(kind, N_("{field}: {value} is out of range ({allowed})"),
                              value=bad, allowed=_allowed(kind))

        if incr in (0, -1) and val != ALL_SPEC:
            target.add(val if val != -1 else NO_SPEC)
            return

        start, stop = val, end
        if val == ALL_SPEC and incr <= 0:
            incr = 1
            target.add(ALL_SPEC)
        lo, hi = {SECOND: (0, 59), MINUTE: (0, 59), HOUR: (0, 23), DAY_OF_MONTH: (1, 31), MONTH: (1, 12),
                  DAY_OF_WEEK: (1, 7), YEAR: (1970, MAX_YEAR)}[kind]
        if stop == -1:
            stop = hi
        if start in (-1, ALL_SPEC):
            start = lo

        wrap = -1
        if stop < start:
            if kind == YEAR:
                raise _reject(kind, N_("{field}: the range {start}-{stop} runs backwards; put the earlier year first"),
                              start=start, stop=stop)
            wrap = {SECOND: 60, MINUTE: 60, HOUR: 24, MONTH: 12, DAY_OF_WEEK: 7, DAY_OF_MONTH: 31}[kind]
            stop += wrap
        if kind == YEAR:
            stop = min(stop, max(start, _YEAR_CAP))  # years past 2999 are never reached
        for n in range(start, stop + 1, incr):
            if wrap == -1:
                target.add(n)
            else:
                n2 = n % wrap
                if n2 == 0 and kind in (MONTH, DAY_OF_WEEK, DAY_OF_MONTH):
                    n2 = wrap
                target.add(n2)


@lru_cache(maxsize=512)
def _compile(text: str) -> CronSpec | _Problem:
    try:
        return _Parser(_utf16_units(_java_upper(text))).parse()
    except _Reject as exc:
        return exc.problem


def compile_expression(text: str) -> CronSpec:
    """Parse like ``new CronExpression(text)``; raises :class:`ScheduleError` (translated now)."""
    if not text.strip():
        raise _Problem(
            "expression",
            N_("The schedule is empty: Quartz needs 6 or 7 fields "
               "(seconds minutes hours day-of-month month day-of-week [year])"),
        ).error()
    result = _compile(text)
    if isinstance(result, _Problem):
        fields = [t for t in re.split(r"[ \t]", text) if t]
        if len(fields) < 6 and result.field != "expression":
            # Quartz stops at the first bad field; with too few fields, the count is the useful reason.
            result = _Problem(
                "expression",
                N_("Quartz needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); "
                   "found {count}"),
                (("count", len(fields)),),
            )
        raise result.error()
    return result


# --------------------------------------------------------------------------------------------------
# Time zones the way java.util.TimeZone (sun.util.calendar.ZoneInfo) resolves them
# --------------------------------------------------------------------------------------------------

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


# --------------------------------------------------------------------------------------------------
# A lenient GregorianCalendar: fields may overflow; reading a field normalises through an instant
# --------------------------------------------------------------------------------------------------


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
