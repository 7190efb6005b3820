"""A Quartz schedule in words, in the UI language: cron-descriptor's sentences, babel's names.

cron-descriptor knows Quartz syntax and ships translations, but takes weekday and month names from the
process's C locale ("de Monday a Friday"), and its catalogues silently drop a phrase they lack (Spanish
has no "3 days before the last day of the month": the sentence just loses it).  Here the names are
replaced by babel's for the language, and a missing phrase falls back to its English text.

The description is of what Quartz will do: fields Quartz reads in its own way ("5X", "JANUARY",
"?X") are rewritten from the parsed values before cron-descriptor sees them.
"""

from __future__ import annotations

import calendar
import gettext
import re
import sys
from functools import lru_cache

from babel import Locale
from cron_descriptor import ExpressionDescriptor, Options
from cron_descriptor.GetText import GetText

from ips_tui.job import quartz as q
from ips_tui.job.java_text import java_trim

__all__ = ["describe", "locale_code"]

_CRON_DESCRIPTOR_LOCALES = {"en": "en_US", "es": "es_ES"}

# Phrases cron-descriptor tries first and replaces with a plainer one when the catalogue lacks them.
_OPTIONAL = frozenset({
    "at {0} seconds past the minute [grThen20]",
    "at {0} minutes past the hour [grThen20]",
    ", second {0} through second {1}",
    ", minute {0} through minute {1}",
    ", hour {0} through hour {1}",
    ", month {0} through month {1}",
    ", year {0} through year {1}",
    ", or on {0}",
    ", every {0} weeks",
})


class _EnglishFallback(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return "" if message in _OPTIONAL else message


@lru_cache(maxsize=32)
def _translations(locale_code: str, locale_location: str | None = None) -> GetText:
    """cron-descriptor's catalogue for a locale, read once. The describer reads and parses its ``.mo``
    file again for every expression (about a fifth of the work, on the key that makes a schedule valid);
    it looks the loader up by name in its module, where this one takes its place."""
    get_text = GetText(locale_code, locale_location)
    get_text.trans._fallback = _EnglishFallback()  # English, not silence, for missing phrases
    return get_text


_describer_module = sys.modules[ExpressionDescriptor.__module__]
if getattr(_describer_module, "GetText", None) is GetText:  # (a later version may load otherwise: then as it does)
    _describer_module.GetText = _translations


def locale_code(lang: str) -> str:
    """cron-descriptor's catalogue name for a UI language: ``en`` -> ``en_US``, ``es`` -> ``es_ES``."""
    norm = lang.replace("-", "_")
    if norm in _CRON_DESCRIPTOR_LOCALES:
        return _CRON_DESCRIPTOR_LOCALES[norm]
    if "_" in norm:
        base, region = norm.split("_", 1)
        return f"{base.lower()}_{region.upper()}"
    return f"{norm.lower()}_{norm.upper()}"


@lru_cache(maxsize=16)
def _name_swaps(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """C-locale day and month names -> the language's, from babel (format context, wide)."""
    try:
        loc = Locale.parse(lang.replace("-", "_"))
    except (ValueError, LookupError):
        return None, {}
    days = loc.days["format"]["wide"]
    months = loc.months["format"]["wide"]
    swaps: dict[str, str] = {}
    for i in range(7):  # calendar and babel both count from Monday = 0
        swaps[calendar.day_name[i]] = days[i]
    for m in range(1, 13):
        swaps[calendar.month_name[m]] = months[m]
    swaps = {k: v for k, v in swaps.items() if k and k != v}
    if not swaps:
        return None, {}
    pattern = re.compile(r"\b(" + "|".join(sorted(map(re.escape, swaps), key=len, reverse=True)) + r")\b")
    return pattern, swaps


# -- cleaning the fields ---------------------------------------------------------------------------

_NUM = r"\d+"
_STEP = rf"(?:\*|{_NUM})/{_NUM}|{_NUM}-{_NUM}/{_NUM}"
_PLAIN = rf"\*|{_NUM}|{_NUM}-{_NUM}|{_STEP}"
_MON = r"JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC"
_DAY = r"SUN|MON|TUE|WED|THU|FRI|SAT"
_CLEAN_ITEM = (
    re.compile(rf"(?:{_PLAIN})"),
    re.compile(rf"(?:{_PLAIN})"),
    re.compile(rf"(?:{_PLAIN})"),
    re.compile(rf"(?:{_PLAIN}|\?|L|LW|L-{_NUM}|{_NUM}W)"),
    re.compile(rf"(?:{_PLAIN}|{_MON}|(?:{_MON})-(?:{_MON}))"),
    re.compile(rf"(?:\*|\?|[1-7]|[1-7]-[1-7]|{_DAY}|(?:{_DAY})-(?:{_DAY})|(?:[1-7]|{_DAY})(?:L|#[1-5])|\*/[1-7]|[1-7]/[1-7])"),
    re.compile(rf"(?:{_PLAIN})"),
)


def _compress(values: list[int]) -> str:
    parts: list[str] = []
    run: list[int] = []
    for v in values + [None]:  # type: ignore[list-item]
        if run and v is not None and v == run[-1] + 1:
            run.append(v)
            continue
        if run:
            parts.append(f"{run[0]}-{run[-1]}" if len(run) > 2 else ",".join(map(str, run)))
        run = [v] if v is not None else []
    return ",".join(parts)


def _canonical(kind: int, spec: q.CronSpec) -> str:
    values = [v for v in spec.sets[kind] if v not in (q.ALL_SPEC, q.NO_SPEC)]
    if kind == q.DAY_OF_MONTH:
        if not spec.dom_rule:
            return "?"
        if spec.lastday_of_month:
            text = "L" if not spec.lastday_offset else f"L-{spec.lastday_offset}"
            return text + ("W" if spec.nearest_weekday else "")
        if spec.nearest_weekday and values:
            return f"{values[0]}W"
    if kind == q.DAY_OF_WEEK:
        if spec.dom_rule:
            return "?"
        if spec.lastday_of_week and values:
            return f"{values[0]}L"
        if spec.nthday_of_week and values:
            return f"{values[0]}#{spec.nthday_of_week}"
    full = {q.SECOND: 60, q.MINUTE: 60, q.HOUR: 24, q.DAY_OF_MONTH: 31, q.MONTH: 12, q.DAY_OF_WEEK: 7}
    if kind in full and len(values) == full[kind]:
        return "*"
    if kind == q.YEAR and values and values[0] <= 1970 and values[-1] >= q.MAX_YEAR:
        return "*"
    return _compress(values) or "*"


def _clean_fields(expression: str, spec: q.CronSpec) -> str:
    tokens = [java_trim(t) for t in re.split(r"[ \t]", expression.upper()) if t][:7]
    if len(tokens) == 6:
        tokens.append("*")
    out = []
    for kind, token in enumerate(tokens):
        items = [i for i in token.split(",") if i]
        clean = bool(items) and all(_CLEAN_ITEM[kind].fullmatch(i) for i in items)
        if kind == q.DAY_OF_WEEK and token == "L":
            clean = False  # 'L' alone is Saturday; cron-descriptor would read "last"
        flagged = (spec.nthday_of_week or spec.lastday_of_week) if kind == q.DAY_OF_WEEK else (
            spec.nearest_weekday if kind == q.DAY_OF_MONTH else False)
        if flagged and len(items) > 1:
            clean = False  # with '#', 'L' or 'W' Quartz uses only the first day of a list
        out.append(token if clean else _canonical(kind, spec))
    return " ".join(out)


@lru_cache(maxsize=1024)
def _describe(expression: str, lang: str, names: tuple[str, ...]) -> str:
    spec = q.compile_expression(expression)
    text = _clean_fields(expression, spec)
    code = locale_code(lang)
    options = Options(locale_code=code, day_of_week_start_index_zero=False)
    try:
        descriptor = ExpressionDescriptor(text, options)
        if not isinstance(descriptor.get_text.trans._fallback, _EnglishFallback):
            descriptor.get_text.trans._fallback = _EnglishFallback()  # English, not silence, for missing phrases
        words = descriptor.get_description()
    except Exception:  # noqa: BLE001 - a description must never break the form
        return expression
    pattern, swaps = _name_swaps(lang)
    if pattern is not None:
        words = pattern.sub(lambda m: swaps[m.group(0)], words)
    return words


def describe(expression: str, lang: str = "en") -> str:
    """Words for a valid Quartz expression (raises :class:`ScheduleError` for an invalid one)."""
    # The C-locale names are part of the key: they are what cron-descriptor will print.
    names = (calendar.day_name[0], calendar.month_name[1])
    return _describe(expression, lang, names)
