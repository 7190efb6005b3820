"""When a job runs: ``execTime`` (one shot) and ``execSchedule`` (a Quartz cron expression).

The IPS scheduler is Quartz, so a schedule is valid, and fires, exactly when Quartz 2.x
``CronExpression`` says so (see :mod:`ips_tui.job.quartz`, which reproduces it, quirks, DST handling
and all).  This module is the API the form, the CLI and the sandbox use:

* :func:`parse_schedule` / :func:`check_schedule` validate, with a reason a person can act on;
* :meth:`QuartzSchedule.next_fire_times` and :meth:`QuartzSchedule.describe` show what it means;
* :func:`unix_cron_to_quartz` rescues the 5-field Unix cron people type out of habit;
* :func:`parse_exec_time` / :func:`format_exec_time` handle the one-shot ``xsd:dateTime``.

Nothing here imports textual or rich.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from ips_tui.i18n import N_, _
from ips_tui.job import quartz as _q
from ips_tui.job import schedule_words as _words
from ips_tui.job.quartz import ScheduleError

__all__ = [
    "SCHEDULE_PRESETS",
    "ExecTimeError",
    "QuartzSchedule",
    "ScheduleCheck",
    "ScheduleError",
    "check_schedule",
    "exec_time_is_past",
    "exec_time_beyond_range",
    "format_exec_time",
    "normalise_schedule",
    "parse_exec_time",
    "parse_schedule",
    "unix_cron_to_quartz",
]

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


# --------------------------------------------------------------------------------------------------
# execSchedule
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuartzSchedule:
    """A valid Quartz cron expression (constructing one validates it)."""

    expression: str  # as given, stripped: this is what is sent

    def __post_init__(self) -> None:
        _q.compile_expression(self.expression)  # raises ScheduleError

    def next_fire_times(self, count: int, after: datetime, tz: ZoneInfo | str) -> list[datetime]:
        """The next ``count`` fire times strictly after ``after`` (aware), as aware datetimes in ``tz``.

        Fewer (possibly none) when the schedule stops firing (a past year, 30 February, ...).
        ``tz`` is the zone the server evaluates the schedule in.
        """
        if after.tzinfo is None or after.utcoffset() is None:
            raise ValueError("after must be an aware datetime")
        zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
        spec = _q.compile_expression(self.expression)
        times = _q.next_times(spec, _q.zone_calc(zone), _q.to_epoch_ms(after), count)
        return [(_EPOCH + timedelta(milliseconds=ms)).astimezone(zone) for ms in times]

    def describe(self, lang: str = "en") -> str:
        """The schedule in words, e.g. "At 06:30 AM, Monday through Friday" (``lang``: ``en``, ``es``, ...)."""
        return _words.describe(self.expression, lang)


@dataclass(frozen=True)
class ScheduleCheck:
    ok: bool
    schedule: QuartzSchedule | None
    error: ScheduleError | None
    suggestion: str | None  # the Quartz equivalent when a Unix cron was typed
    unix: object | None = None  # the Unix cron read (ips_tui.job.unixcron.UnixCron): .hint() says it in words


@lru_cache(maxsize=512)
def _schedule(text: str) -> QuartzSchedule:
    return QuartzSchedule(text)


def normalise_schedule(text: str) -> str:
    """The expression as it is checked and sent: single spaces, nothing around it; :class:`ScheduleError`
    (naming the character) for what no schedule may hold (control characters, text-direction controls,
    a space other than U+0020 at either end).

    Only the ASCII space is collapsed: Quartz splits fields on space and tab only and reads any other
    character as part of a field (a trailing newline becomes an empty year that never fires).
    """
    from ips_tui.job import text_rules

    value, problems = text_rules.normalise("execSchedule", text)
    if problems:
        raise ScheduleError("expression", problems[0])
    return value


def parse_schedule(text: str) -> QuartzSchedule:
    """A :class:`QuartzSchedule` of the normalised text (:func:`normalise_schedule`), or
    :class:`ScheduleError` saying which field is wrong and why."""
    return _schedule(normalise_schedule(text))  # errors are built per call, so they follow the UI language


def check_schedule(text: str) -> ScheduleCheck:
    """Never raises: ok and the schedule, or the error plus, for a Unix cron, its Quartz equivalent.
    Remembered per text and language: on a key in the schedule field the field's own check, its
    explanation and the whole request ask about the same text (a refused one is read as a Unix cron too)."""
    from ips_tui.i18n import language

    return _check_schedule(text, language())


@lru_cache(maxsize=256)
def _check_schedule(text: str, _language: str) -> ScheduleCheck:
    try:
        return ScheduleCheck(True, parse_schedule(text), None, None)
    except ScheduleError as exc:
        unix = read_unix_cron(text)
        return ScheduleCheck(False, None, exc, unix.quartz if unix is not None else None, unix)


SCHEDULE_PRESETS: list[tuple[str, str]] = [
    (N_("Every 15 minutes"), "0 0/15 * * * ?"),
    (N_("Every hour, on the hour"), "0 0 * * * ?"),
    (N_("Daily at 02:00"), "0 0 2 * * ?"),
    (N_("Weekdays at 06:30"), "0 30 6 ? * MON-FRI"),
    (N_("Weekly, Sunday at 03:00"), "0 0 3 ? * SUN"),
    (N_("Monthly on day 1 at 02:00"), "0 0 2 1 * ?"),
    (N_("Monthly on the last day at 23:00"), "0 0 23 L * ?"),
    (N_("Monthly on the first Monday at 04:00"), "0 0 4 ? * MON#1"),
]


# Unix cron -> Quartz: croniter reads it (ips_tui.job.unixcron)
from ips_tui.job.unixcron import read_unix_cron, unix_cron_to_quartz  # noqa: E402  (re-exported)


# --------------------------------------------------------------------------------------------------
# execTime
# --------------------------------------------------------------------------------------------------

_EXAMPLE = "2026-12-24T02:00:00+01:00"


class ExecTimeError(ValueError):
    """An ``execTime`` the service would misread; ``message`` is translated, human text."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def parse_exec_time(text: str) -> datetime:
    """ISO-8601 / xsd:dateTime with ``Z`` or an offset -> an aware datetime."""
    value = text.strip() if isinstance(text, str) else ""
    candidate = value[:-1] + "Z" if value.endswith("z") else value
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise ExecTimeError(
            _("'{text}' is not a date-time; write it like {example}").format(text=value, example=_EXAMPLE)
        ) from None
    if "T" not in candidate.upper() and " " not in candidate:
        raise ExecTimeError(
            _("'{text}' has no time of day; write it like {example}").format(text=value, example=_EXAMPLE)
        )
    if parsed.tzinfo is None:
        fixed = parsed.isoformat(timespec="seconds" if not parsed.microsecond else "milliseconds")
        raise ExecTimeError(
            _("'{text}' has no time zone, so the server would read it in its own zone: add \"Z\" for UTC "
              "or an offset like \"+01:00\", e.g. {utc} or {offset}").format(
                text=value, utc=fixed + "Z", offset=fixed + "+01:00")
        )
    return parsed


#: The latest execTime accepted, in UTC: xsd:dateTime as the service writes it back has four-digit years,
#: and a later instant cannot be held here either (Python's datetime ends at 9999-12-31).
EXEC_TIME_MAX = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)


def exec_time_beyond_range(dt: datetime) -> str | None:
    """Why ``dt`` (aware) is later than the service and this program can hold, or None."""
    try:
        too_far = dt.astimezone(timezone.utc) > EXEC_TIME_MAX
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is already in the year 10000 in UTC
        too_far = True
    if not too_far:
        return None
    return _("{when} is too far ahead: in UTC it must be no later than {limit}.").format(
        when=dt.isoformat(), limit=format_exec_time(EXEC_TIME_MAX))


def exec_time_is_past(dt: datetime, now: datetime | None = None) -> bool:
    """True when ``dt`` (aware) is not in the future: the job would run at once, or be refused."""
    return dt <= (now or datetime.now(timezone.utc))


def format_exec_time(dt: datetime) -> str:
    """The ``xsd:dateTime`` text sent for ``dt``: always with its offset (``Z`` for UTC)."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ExecTimeError(
            _("'{text}' has no time zone: add \"Z\" for UTC or an offset like \"+01:00\"").format(
                text=dt.isoformat())
        )
    text = dt.isoformat(timespec="seconds" if not dt.microsecond else "milliseconds")
    if text.endswith("+00:00"):
        text = text[:-6] + "Z"
    return text
