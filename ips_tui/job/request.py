"""A submitJob request: the common fields and exactly one job, from a job file or the form.

The raw mapping uses the schema's element names (as a TOML job file does). ``validate`` reports
every problem at once with its field path; ``to_payload`` gives the typed dict the client sends.
"""

from __future__ import annotations

import difflib
import math
import tomllib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ips_tui.i18n import _
from ips_tui.ips.catalog import Field, catalog

TIMING_FIELDS = ("execTime", "execSchedule")
#: job file limits (the largest real job, 300 URL pairs, is about 40 KiB and 4 levels deep)
MAX_JOB_FILE = 4 * 1024 * 1024
MAX_NESTING = 32


def _depth(value, level: int = 0) -> int:
    """How deeply arrays and tables nest (iterative: no recursion limit to hit)."""
    deepest = level
    stack = [(value, level)]
    while stack:
        item, depth = stack.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return deepest


@dataclass(frozen=True)
class Problem:
    path: str  # e.g. "uploadUrlsJob.urlArray[2].destPath"
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class JobFileError(ValueError):
    """A job file that cannot be read or parsed as TOML."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path, self.message = path, message


class InvalidRequest(ValueError):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def _did_you_mean(name: str, options) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.6)
    return _(" Did you mean {name}?").format(name=close[0]) if close else ""


def _type_name(value: Any) -> str:
    return {bool: _("true/false"), int: _("a whole number"), float: _("a number"), str: _("text"),
            list: _("a list"), dict: _("a table")}.get(type(value), type(value).__name__)


@dataclass
class JobRequest:
    """The request as typed: ``data`` holds the common fields and the job table(s)."""

    data: dict[str, Any]

    # -- reading and writing ------------------------------------------------------------
    @classmethod
    def from_toml(cls, source: str | Path) -> "JobRequest":
        """Read a job file: a regular file of at most MAX_JOB_FILE bytes, UTF-8 (a BOM is allowed), TOML
        nested at most MAX_NESTING deep. Anything else is a JobFileError (exit 2), never a crash."""
        import os
        import stat

        path = str(source)
        try:
            with open(source, "rb") as fh:
                if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                    raise JobFileError(path, _("not a regular file (a job file is a TOML file)"))
                raw = fh.read(MAX_JOB_FILE + 1)
        except OSError as e:
            raise JobFileError(path, _("cannot read the file: {reason}").format(reason=e.strerror or e)) from None
        if len(raw) > MAX_JOB_FILE:
            raise JobFileError(path, _("the file is larger than {size} KiB; a job file is much smaller").format(
                size=MAX_JOB_FILE // 1024))
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise JobFileError(path, _("the file is not UTF-8 text")) from None
        text = text.removeprefix("\ufeff")  # a BOM some editors write
        error = None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            error = _("not valid TOML: {reason}").format(reason=e)
        except RecursionError:  # tomllib recurses per nesting level
            data = None
        if error is not None:
            raise JobFileError(path, error)
        if data is None or _depth(data) > MAX_NESTING:
            raise JobFileError(path, _("arrays or tables are nested more than {n} deep; a job file needs a few "
                                       "levels").format(n=MAX_NESTING))
        return cls(data)

    def to_toml(self) -> str:
        import tomli_w

        def clean(v):
            if isinstance(v, dict):
                return {k: clean(x) for k, x in v.items() if x is not None and x != "" and x != {}}
            if isinstance(v, list):
                return [clean(x) for x in v]
            return v

        data = clean(self.data)
        for element in self.job_types:  # a job type with nothing set is still the job's type: keep its table
            if isinstance(self.data[element], dict) and element not in data:
                data[element] = {}
        return tomli_w.dumps(data)

    # -- what it is ---------------------------------------------------------------------
    @property
    def job_types(self) -> list[str]:
        return [k for k in catalog().jobs if k in self.data]

    @property
    def job_type(self) -> str | None:
        types = self.job_types
        return types[0] if len(types) == 1 else None

    @property
    def job_name(self) -> str:
        return str(self.data.get("jobName", ""))

    # -- validation ---------------------------------------------------------------------
    def normalised(self) -> tuple[dict[str, Any], list[Problem]]:
        """(the data as it is checked and sent, the text problems): one normalisation per field, the
        rules said once in ``catalog_text.TEXT_SPACES`` and applied by :mod:`ips_tui.job.text_rules`."""
        cat = catalog()
        problems: list[Problem] = []
        data = dict(self.data)
        for f in cat.common:
            data[f.name] = _norm(f, self.data.get(f.name), f.name, problems)
            if f.name not in self.data:
                del data[f.name]
        for element in self.job_types:
            data[element] = _norm_fields(cat.job(element).fields, self.data[element], element, problems)
        return data, problems

    def validate(self, *, now: datetime | None = None) -> list[Problem]:
        cat = catalog()
        data, problems = self.normalised()
        known = {f.name for f in cat.common} | set(cat.jobs)
        for key in data:
            if key not in known:
                problems.append(Problem(key, _("unknown field.") + _did_you_mean(key, known)))
        for f in cat.common:
            problems += _check(f, data.get(f.name), f.name)
        problems += _check_common(data, now)
        types = self.job_types
        if not types:
            problems.append(Problem("", _("no job type: add exactly one table such as [imageServingPublishJob] (one of: {names}).")
                                    .format(names=", ".join(cat.jobs))))
        elif len(types) > 1:
            problems.append(Problem("", _("several job types ({names}): a request carries exactly one.").format(names=", ".join(types))))
        for element in types:
            job = cat.job(element)
            value = data[element]
            if not isinstance(value, dict):
                problems.append(Problem(element, _("must be a table of fields, not {got}.").format(got=_type_name(value))))
                continue
            problems += _check_fields(job.fields, value, element)
        return list(dict.fromkeys(problems))  # a text problem can be found by two checks of one field

    def to_payload(self, *, now: datetime | None = None) -> dict[str, Any]:
        """The typed submitJob payload in schema order; raises InvalidRequest if anything is wrong."""
        problems = self.validate(now=now)
        if problems:
            raise InvalidRequest(problems)
        from ips_tui.resolve.refs import unresolved

        unresolved(self.data)  # names, paths and searches become handles first (ips_tui/resolve)
        cat = catalog()
        data, _problems = self.normalised()  # the very values validate() checked
        payload: dict[str, Any] = {}
        for f in cat.common:
            value = data.get(f.name)
            if value not in (None, ""):
                payload[f.name] = _exec_time(value) if f.name == "execTime" else value
        element = self.job_type
        payload[element] = _typed(cat.job(element).fields, data[element])
        return payload


# -- normalisation (what is checked is what is sent) ----------------------------------------
def _norm(f: Field, value: Any, path: str, problems: list[Problem]) -> Any:
    """One field's value as it is checked and sent; text problems are added to ``problems``."""
    from ips_tui.job import text_rules

    if f.kind in ("string", "enum") and isinstance(value, str):
        value, found = text_rules.normalise(f.name, value)
        problems += [Problem(path, m) for m in found]
    elif f.kind == "group" and isinstance(value, dict):
        value = _norm_fields(f.fields, value, path, problems)
    elif f.kind in ("handles", "urls") and isinstance(value, list):
        if f.kind == "urls":
            from ips_tui.job.url_items import normalised_items

            return normalised_items(f, value, path, problems)
        out = []
        for i, item in enumerate(value):
            if isinstance(item, str):
                item, found = text_rules.normalise(f.name, item, rule="trim")
                problems += [Problem(f"{path}[{i}]", m) for m in found]
            out.append(item)
        value = out
    return value


def _norm_fields(fields: tuple[Field, ...], values: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(values, dict):
        return values
    out = dict(values)
    for f in fields:
        if f.name in values:
            out[f.name] = _norm(f, values[f.name], f"{path}.{f.name}", problems)
    return out


# -- field checks --------------------------------------------------------------------------
def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _check_fields(fields: tuple[Field, ...], values: dict, path: str) -> list[Problem]:
    problems = []
    names = {f.name for f in fields}
    for key in values:
        if key not in names:
            problems.append(Problem(f"{path}.{key}", _("unknown field.") + _did_you_mean(key, names)))
    for f in fields:
        problems += _check(f, values.get(f.name), f"{path}.{f.name}")
    # Exclusion groups: at most one member set.
    for group, members in _groups(fields).items():
        set_members = [m for m in members if not _empty(values.get(m))]
        if len(set_members) > 1:
            problems.append(Problem(f"{path}.{set_members[1]}", _("only one {group} option may be set, but {names} are.")
                                    .format(group=_(group), names=_(" and ").join(set_members))))
    return problems


def _groups(fields: tuple[Field, ...]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for f in fields:
        if f.exclusive:
            groups.setdefault(f.exclusive, []).append(f.name)
    return groups


def _check(f: Field, value: Any, path: str) -> list[Problem]:
    if _empty(value):
        if f.required:
            hint = _(" Allowed: {values}.").format(values=", ".join(f.choices)) if f.choices else ""
            return [Problem(path, _("required: {label} is missing.").format(label=f.label) + hint)]
        return []
    kind = f.kind
    if kind == "group":
        if not isinstance(value, dict):
            return [Problem(path, _("must be a table of fields, not {got}.").format(got=_type_name(value)))]
        return _check_fields(f.fields, value, path)
    if kind in ("handles", "urls"):
        if not isinstance(value, list):
            return [Problem(path, _("must be a list, not {got}.").format(got=_type_name(value)))]
        problems = []
        if f.max_items and len(value) > f.max_items:
            problems.append(Problem(path, _("at most {n} items, got {got}.").format(n=f.max_items, got=len(value))))
        if kind == "urls":
            from ips_tui.job.url_items import item_problems

            return problems + item_problems(f, value, path)
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if isinstance(item, dict) and f.reference:  # a name, path or search for the service to resolve
                problems += _reference_problems(f, item, item_path)
            elif not isinstance(item, str) or not item.strip():
                problems.append(Problem(item_path, _("must be a non-empty handle text.")))
        return problems
    if kind == "boolean":
        if not isinstance(value, bool):
            return [Problem(path, _("must be true or false, not {got}.").format(got=_type_name(value)))]
        return []
    if kind in ("int", "double"):
        ok = isinstance(value, int) if kind == "int" else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            want = _("a whole number") if kind == "int" else _("a number")
            return [Problem(path, _("must be {want}, not {got}.").format(want=want, got=_type_name(value)))]
        if isinstance(value, float) and not math.isfinite(value):
            return [Problem(path, _("must be a finite number."))]
        if kind == "int" and not -(2**31) <= value < 2**31 and f.xsd_type == "int":
            return [Problem(path, _("is too large for the service."))]
        lo, hi = f.bounds or (None, None)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            rng = f"{lo if lo is not None else '…'}–{hi if hi is not None else '…'}"
            return [Problem(path, _("{value} is out of range ({range}).").format(value=value, range=rng))]
        return []
    if kind == "datetime":
        return []  # execTime is checked with the timing rules below
    if isinstance(value, dict) and f.reference:
        return _reference_problems(f, value, path)
    if not isinstance(value, str):
        return [Problem(path, _("must be text, not {got}.").format(got=_type_name(value)))]
    if kind == "enum" and value not in f.choices:
        same_case = [c for c in f.choices if c.lower() == value.lower()]
        hint = _(" Did you mean {name}?").format(name=same_case[0]) if same_case else _did_you_mean(value, f.choices)
        return [Problem(path, _("'{value}' is not allowed; use one of {values}.").format(value=value, values=", ".join(f.choices)) + hint)]
    return []


def _reference_problems(f: Field, raw: dict, path: str) -> list[Problem]:
    from ips_tui.resolve.refs import check

    return check(f, raw, path)


def _check_common(data: dict, now: datetime | None) -> list[Problem]:
    from ips_tui.job import timing
    from ips_tui.job.locales import check_locale

    problems = []
    name = data.get("jobName")
    if isinstance(name, str) and name:
        bad = [c for c in "|/" if c in name]
        if bad:
            problems.append(Problem("jobName", _("may not contain {chars}: the service uses them in job handles.").format(chars=" ".join(bad))))
    if not _empty(data.get("execTime")) and not _empty(data.get("execSchedule")):
        problems.append(Problem("execSchedule", _("execTime and execSchedule cannot both be set: choose a one-shot time or a schedule.")))
    exec_time = data.get("execTime")
    if not _empty(exec_time):
        try:
            when = _exec_time(exec_time)
        except timing.ExecTimeError as e:
            problems.append(Problem("execTime", e.message))
        else:
            if timing.exec_time_is_past(when, now):
                problems.append(Problem("execTime", _("{when} is in the past; leave it empty to run now.").format(when=timing.format_exec_time(when))))
            elif (too_far := timing.exec_time_beyond_range(when)) is not None:
                problems.append(Problem("execTime", too_far))
    schedule = data.get("execSchedule")
    if not _empty(schedule):
        if not isinstance(schedule, str):
            problems.append(Problem("execSchedule", _("must be text, not {got}.").format(got=_type_name(schedule))))
        else:
            check = timing.check_schedule(schedule)
            if not check.ok:
                msg = check.error.message
                if check.suggestion:
                    msg = msg.rstrip(". ") + ". " + _("This looks like a Unix cron; in Quartz it is: {expr}").format(
                        expr=check.suggestion)
                problems.append(Problem("execSchedule", msg))
    locale = data.get("locale")
    if isinstance(locale, str) and locale:
        result = check_locale(locale)
        if not result.ok:
            msg = result.error or _("unknown locale.")
            if result.suggestion and result.suggestion not in msg:
                msg += " " + _("Did you mean {name}?").format(name=result.suggestion)
            problems.append(Problem("locale", msg))
    return problems


def _exec_time(value: Any) -> datetime:
    from ips_tui.job import timing

    if isinstance(value, datetime):
        if value.tzinfo is None:
            return timing.parse_exec_time(value.isoformat())  # raises the "add a zone" error
        return value
    if not isinstance(value, str):
        raise timing.ExecTimeError(_("must be a date-time such as 2026-12-24T02:00:00+01:00."))
    return timing.parse_exec_time(value)


def _typed(fields: tuple[Field, ...], values: dict) -> dict:
    """Values in schema order, arrays wrapped as the schema's {items: [...]}."""
    out = {}
    for f in fields:
        value = values.get(f.name)
        if _empty(value):
            continue
        if f.kind == "group":
            value = _typed(f.fields, value)
        elif f.kind == "handles":
            value = {"items": list(value)}  # already trimmed by normalised()
        elif f.kind == "urls":
            value = {"items": [_typed(f.fields, item) for item in value]}
        elif f.kind == "double":
            value = float(value)
        out[f.name] = value
    return out
