"""Unix cron, judged by croniter: the 5-field expression an operator brings from a crontab, read the way cron
reads it, and the Quartz expression that fires at the same instants (IPS schedules are Quartz).

croniter parses and expands what was typed (names, ranges, steps, lists, ``7`` = Sunday, ``L``, ``#``, the
``@daily`` macros); the Quartz form is written from croniter's expansion, so the two cannot disagree on what a
field means. tests/test_unixcron_differential.py proves the forms fire at the same times as croniter over
thousands of generated expressions (against our Quartz engine, and the real Quartz when Java is there).

A Unix cron that restricts both day-of-month and day-of-week fires when *either* matches; a Quartz expression
restricts one of them only (the other is ``?``), so such a cron has no single Quartz form: :class:`UnixCron`
says why and offers the two expressions (one per day field) whose jobs together fire at the same times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ips_tui.i18n import _

_DAYS = ("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")
_HASHED = re.compile(r"(?:^|[\s,])H(?![A-Za-z])", re.I)  # croniter's Jenkins-style "H": no cron has it
_MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


@dataclass(frozen=True)
class UnixCron:
    """A Unix cron croniter accepts. ``quartz``: its single Quartz form, or None when both day fields are
    restricted; then ``split`` holds (the day-of-month form, the day-of-week form)."""

    text: str
    quartz: str | None
    split: tuple[str, str] | None = None

    def hint(self) -> str:
        """What to tell the operator: sentences that end with a full stop, each expression on a line of its own
        (so it never wraps inside), in the UI language."""
        if self.quartz is not None:
            return (_("This looks like a Unix cron (5 fields); in Quartz, firing at the same times, it is the "
                      "line below.") + "\n" + self.quartz)
        if self.split is not None:
            return (_("This looks like a Unix cron that restricts both the day of the month and the day of the "
                      "week, so it fires when either matches. A Quartz expression can restrict only one of the "
                      "two (the other is ?), so it has no single Quartz form: submit two jobs, one with each of "
                      "the lines below.") + "\n" + self.split[0] + "\n" + self.split[1])
        return _("This looks like a Unix cron, but it has no Quartz form that fires at the same times.")


def _runs(values: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for v in sorted(set(values)):
        if out and v == out[-1][1] + 1:
            out[-1] = (out[-1][0], v)
        else:
            out.append((v, v))
    return out


def _numbers(values, lo: int, hi: int, names: tuple[str, ...] = (), base: int = 0) -> str:
    """Expanded values as a Quartz field: ``*``, ``a/step`` (to the end), ranges and lists."""
    if values == ["*"]:
        return "*"
    vals = sorted(set(values))
    if len(vals) > 2:
        step = vals[1] - vals[0]
        if step > 1 and vals == list(range(vals[0], hi + 1, step)) and vals[-1] + step > hi:
            return f"{vals[0]}/{step}"

    def word(v: int) -> str:
        return names[v - base] if names else str(v)

    parts = []
    for a, b in _runs(vals):
        if b - a >= 2:
            parts.append(f"{word(a)}-{word(b)}")
        else:
            parts.extend(word(v) for v in range(a, b + 1))
    return ",".join(parts)


def _weekdays(values, nth: dict) -> str | None:
    """croniter's days of the week (0 = Sunday) as Quartz names; runs of 3+ become ranges, which may wrap
    (FRI-SUN); ``5#2`` as ``FRI#2`` (Quartz takes one such day)."""
    if nth:
        if len(nth) != 1 or len(next(iter(nth.values()))) != 1 or len(set(values)) != 1:
            return None
        (day, ns), = nth.items()
        return f"{_DAYS[day % 7]}#{next(iter(ns))}"
    if values == ["*"]:
        return "*"
    days = {v % 7 for v in values}
    if len(days) == 7:
        return "*"
    start = min(days)
    if 0 in days and 6 in days:  # a run through Saturday -> Sunday is written as one wrapping range
        back = next(k for k in range(7) if (6 - k) not in days)
        ahead = next(k for k in range(7) if k not in days)
        if back + ahead > 2:
            start = 7 - back
    parts: list[str] = []
    run: list[int] = []
    for d in [(start + k) % 7 for k in range(7)] + [None]:
        if d is not None and d in days:
            run.append(d)
            continue
        if len(run) > 2:
            parts.append(f"{_DAYS[run[0]]}-{_DAYS[run[-1]]}")
        else:
            parts.extend(_DAYS[x] for x in run)
        run = []
    return ",".join(parts)


def _as_typed(token: str, values, field: int, lo: int, hi: int) -> str | None:
    """The operator's own token when Quartz reads it exactly as croniter does (``*/15``, ``JAN-MAR``), so the
    suggestion looks like what was typed; None otherwise."""
    from ips_tui.job import quartz as q

    probe = ["0", "0", "0", "*", "*", "?"]
    probe[field] = token.upper()
    try:
        got = q.compile_expression(" ".join(probe)).sets[field]
    except q.ScheduleError:
        return None
    want = list(range(lo, hi + 1)) if values == ["*"] else sorted({int(v) for v in values})
    return token.upper() if got == want else None


def _days_of_month(values) -> str | None:
    if values == ["*"]:
        return "*"
    if "l" in values:
        return "L" if len(values) == 1 else None  # "L,15" has no Quartz form
    return _numbers([int(v) for v in values], 1, 31)


@lru_cache(maxsize=256)
def read_unix_cron(text: str) -> UnixCron | None:
    """``text`` as a Unix cron (5 fields or a macro such as ``@daily``) if croniter accepts it, with its
    Quartz form; None for anything else (a Quartz expression, nonsense, croniter's hashed ``H``)."""
    stripped = " ".join(text.split())
    if not stripped or (len(stripped.split()) != 5 and not stripped.startswith("@")) or _HASHED.search(stripped):
        return None
    from croniter import croniter

    try:
        # the fields as croniter times them (its classmethod expand() tidies "0-6" into "*"; the instance
        # does not, and a day field counts as restricted for the OR rule unless it is "*")
        reader = croniter(stripped)
        (minutes, hours, doms, months, dows), nth = reader.expanded, reader.nth_weekday_of_month
    except Exception:  # croniter's CroniterError family and the ValueErrors under it
        return None
    typed = stripped.split() if not stripped.startswith("@") else ["*"] * 5
    minute = _as_typed(typed[0], minutes, 1, 0, 59) or _numbers(minutes, 0, 59)
    hour = _as_typed(typed[1], hours, 2, 0, 23) or _numbers(hours, 0, 23)
    head = f"0 {minute} {hour}"
    month = _as_typed(typed[3], months, 4, 1, 12) or _numbers(months, 1, 12)
    dom, dow = _days_of_month(doms), _weekdays(dows, nth)
    dom_set, dow_set = doms[0] != "*", dows[0] != "*"
    if dom is None or dow is None or (nth and dom_set):  # croniter cannot time "1,15 * 5#2" either
        return UnixCron(stripped, None)
    if dom_set and dow_set:  # cron fires when either day field matches
        if dow == "*" or dom == "1-31":  # one side is every day: so is the union
            return UnixCron(stripped, f"{head} * {month} ?")
        return UnixCron(stripped, None, (f"{head} {dom} {month} ?", f"{head} ? {month} {dow}"))
    if dow_set or (not dom_set and typed[4] != "*"):  # "0-6" typed: every day, said by the day of the week
        return UnixCron(stripped, f"{head} ? {month} {dow}")
    return UnixCron(stripped, f"{head} {dom} {month} ?")


def unix_cron_to_quartz(text: str) -> str | None:
    """The single Quartz form of a Unix cron (``30 6 * * 1-5`` -> ``0 30 6 ? * MON-FRI``), or None."""
    found = read_unix_cron(text)
    return found.quartz if found is not None else None
