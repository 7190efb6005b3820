"""Quartz's parser (``buildExpression`` and the steps under it): the text to a :class:`CronSpec`, or the
reason Quartz refuses it, kept untranslated so a cached result follows the UI language."""

from __future__ import annotations

import re
from functools import lru_cache

from ips_tui.i18n import N_
from ips_tui.job.java_text import java_trim as _java_trim
from ips_tui.job.java_text import java_upper as _java_upper
from ips_tui.job.java_text import utf16_units as _utf16_units
from ips_tui.job.quartz.spec import (
    ALL_SPEC,
    DAY_OF_MONTH,
    DAY_OF_WEEK,
    HOUR,
    MAX_YEAR,
    MINUTE,
    MONTH,
    NO_SPEC,
    SECOND,
    YEAR,
    CronSpec,
    _allowed,
    _Problem,
    _Reject,
    _reject,
)

_YEAR_CAP = 3001  # Quartz gives up past 2999; set members beyond this can never be reached

_MONTHS = {m: i for i, m in enumerate(("JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))}
_DAYS = {d: i + 1 for i, d in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"))}
_L_OFFSET = re.compile(r"L-[0-9]*W?")
_JAVA_INT = re.compile(r"[+-]?\d+")
_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1


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
        raise _reject(kind, N_("{field}: unexpected character '{char}' ({allowed})"), char=shown,
                      allowed=_allowed(kind))

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
