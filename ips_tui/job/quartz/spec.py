"""The parsed form of a Quartz expression, its seven fields, and why Quartz refuses one (:class:`ScheduleError`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ips_tui.i18n import N_, _
from ips_tui.job.java_text import from_utf16_units as _from_utf16_units

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
