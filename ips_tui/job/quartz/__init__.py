"""Quartz 2.3.2 ``CronExpression``, reproduced in Python: what the IPS scheduler accepts and when it fires.

The server's scheduler is Quartz, so "valid" and "next fire time" mean what Quartz says, quirks
included.  This package follows Quartz's parser and its ``getTimeAfter`` field by field, and
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

The package, by the steps of Quartz's own class: :mod:`.spec` (the parsed form, the fields, the error),
:mod:`.parse` (the text to a :class:`CronSpec`, or the reason Quartz refuses it), :mod:`.zones` (a zone's
offsets as Java gives them) and :mod:`.fire_times` (``getTimeAfter`` on a lenient calendar).
"""

from __future__ import annotations

from ips_tui.job.quartz.fire_times import EndlessSearch, next_times, time_after, to_epoch_ms
from ips_tui.job.quartz.parse import _compile, compile_expression
from ips_tui.job.quartz.spec import (
    ALL_SPEC,
    DAY_OF_MONTH,
    DAY_OF_WEEK,
    FIELD_KEYS,
    HOUR,
    MAX_YEAR,
    MINUTE,
    MONTH,
    NO_SPEC,
    SECOND,
    YEAR,
    CronSpec,
    ScheduleError,
)
from ips_tui.job.quartz.zones import ZoneCalc, _zones, zone_calc

__all__ = [
    "ALL_SPEC",
    "DAY_OF_MONTH",
    "DAY_OF_WEEK",
    "FIELD_KEYS",
    "HOUR",
    "MAX_YEAR",
    "MINUTE",
    "MONTH",
    "NO_SPEC",
    "SECOND",
    "YEAR",
    "CronSpec",
    "EndlessSearch",
    "ScheduleError",
    "ZoneCalc",
    "clear_caches",
    "compile_expression",
    "next_times",
    "time_after",
    "to_epoch_ms",
    "zone_calc",
]


def clear_caches() -> None:
    """Forget every parse and zone calculator kept so far (benchmarks and mutation runs start from none)."""
    _compile.cache_clear()
    _zones.clear()
