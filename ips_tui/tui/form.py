"""What the operator has typed, as plain data: the wizard's single source of truth.

Widgets are views of a :class:`FormState`; it is what a draft saves and what becomes a
:class:`~ips_tui.job.request.JobRequest`. Nothing here imports Textual, so it is tested and
saved without a screen.

Values are kept by *path*: common fields by their element name (``jobName``), job fields as
``element.field[.child…]`` (``uploadUrlsJob.manualCropOptions.left``). Values of every job type
typed so far are kept, so switching type and back loses nothing; only the chosen type's values
are sent. Texts stay texts (a number that is not a number is an error at its field); booleans are
``True``/``False`` and an optional boolean that was never touched is absent (the service default
applies); arrays are blocks of text, one item per line.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from ips_tui.i18n import _

TIMING_MODES = ("now", "at", "recurring")
_INDEX = re.compile(r"^(?P<field>[^\[]+)\[(?P<index>\d+)\](?:\.(?P<rest>.+))?$")


@dataclass
class FormState:
    profile: str | None = None
    company: str = ""  # the company handle
    job_type: str | None = None
    values: dict[str, Any] = field(default_factory=dict)
    choices: dict[str, str] = field(default_factory=dict)  # "element.path#group" -> chosen member ("" none)
    timing: str = "now"
    exec_time: str = ""
    exec_schedule: str = ""
    saved_at: str = ""

    # -- drafts ---------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "FormState":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        state = cls(**known)
        if state.timing not in TIMING_MODES:
            state.timing = "now"
        if not isinstance(state.values, dict):
            state.values = {}
        if not isinstance(state.choices, dict):
            state.choices = {}
        return state

    @classmethod
    def from_request(cls, data: dict[str, Any], *, profile: str | None = None) -> "FormState":
        """The form that builds ``data`` (a JobRequest's data, e.g. a journal entry's job file): what
        "re-open as a new draft" fills the wizard with. Unknown keys are left out."""
        from ips_tui.ips.catalog import catalog

        cat = catalog()
        state = cls(profile=profile, company=str(data.get("companyHandle") or ""))
        for name in ("jobName", "userHandle", "description", "locale"):
            if data.get(name) not in (None, ""):
                state.values[name] = inline(data[name])
        if data.get("execSchedule"):
            state.timing, state.exec_schedule = "recurring", str(data["execSchedule"])
        elif data.get("execTime"):
            state.timing, state.exec_time = "at", _text(data["execTime"])
        element = next((k for k in cat.jobs if isinstance(data.get(k), dict)), None)
        if element is not None:
            state.job_type = element
            state._fill(cat.job(element).fields, element, data[element])
        return state

    def _fill(self, fields, prefix: str, values: dict[str, Any]) -> None:
        for f in fields:
            if f.name not in values or values[f.name] is None:
                continue
            value, path = values[f.name], f"{prefix}.{f.name}"
            if f.exclusive:
                self.choices[f"{prefix}#{f.exclusive}"] = f.name
            if f.kind == "group":
                if isinstance(value, dict):
                    self._fill(f.fields, path, value)
            elif f.kind == "boolean":
                self.values[path] = bool(value)
            elif f.kind == "handles":
                items = value if isinstance(value, list) else [value]
                self.values[path] = "\n".join(inline(v) for v in items)
            elif f.kind == "urls":
                items = value if isinstance(value, list) else [value]
                self.values[path] = "\n".join(
                    f"{i.get('sourceUrl', '')}\t{i.get('destPath', '')}".rstrip("\t") if isinstance(i, dict)
                    else str(i) for i in items)
            else:
                self.values[path] = inline(value) if isinstance(value, dict) else _text(value)

    @property
    def is_blank(self) -> bool:
        """Nothing worth offering back as a draft."""
        return not self.job_type and not any(v not in ("", None) for v in self.values.values())

    # -- the request ----------------------------------------------------------------------
    def build(self) -> "Built":
        """The request as the service would get it, plus the problems only the form can see."""
        from ips_tui.ips.catalog import catalog

        cat = catalog()
        built = Built(data={})
        data = built.data
        if self.company.strip():
            data["companyHandle"] = self.company.strip()
        for name in ("jobName", "userHandle", "description", "locale"):
            text = self.values.get(name)
            if isinstance(text, str) and text.strip():
                data[name] = text.strip() if name != "description" else text
                if name == "userHandle":  # a picked user stays a reference: { email = "…" }
                    data[name] = from_line(data[name])
        if self.timing == "at" and self.exec_time.strip():
            data["execTime"] = self.exec_time.strip()
        elif self.timing == "at":
            built.problems.append(("execTime", _("required: type the date and time to run at, with its zone.")))
        if self.timing == "recurring" and self.exec_schedule.strip():
            data["execSchedule"] = " ".join(self.exec_schedule.split())
        elif self.timing == "recurring":
            built.problems.append(("execSchedule", _("required: type a Quartz schedule, or pick a preset.")))
        if self.job_type in cat.jobs:
            job = cat.job(self.job_type)
            data[job.element] = self._group(job.fields, job.element, built, force=True)
        return built

    def _group(self, fields, prefix: str, built: "Built", force: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        chosen = {}
        for f in fields:
            if f.exclusive:
                chosen.setdefault(f.exclusive, self.choices.get(f"{prefix}#{f.exclusive}", ""))
        for f in fields:
            path = f"{prefix}.{f.name}"
            if f.exclusive and chosen.get(f.exclusive) != f.name:
                continue  # only the chosen member of an exclusion group is sent
            value = self._value(f, path, built)
            if f.kind == "group":
                forced = bool(f.exclusive) or f.required
                value = self._group(f.fields, path, built, force=forced)
                if not value and not forced:
                    continue
                if not value and f.exclusive:
                    # chosen but empty: name its required children so each shows its own error
                    value = {c.name: "" for c in f.fields if c.required} or {}
            if value is None:
                continue
            out[f.name] = value
        return out

    def _value(self, f, path: str, built: "Built") -> Any:
        raw = self.values.get(path)
        kind = f.kind
        if kind == "group":
            return None
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            return False if f.required else None
        if kind == "handles":
            lines = parse_lines(raw if isinstance(raw, str) else "")
            if not lines:
                return None
            built.lines[path] = [n for n, _text in lines]
            return [from_line(text) if f.reference and text[0] == "{" else text for _n, text in lines]
        if kind == "urls":
            lines = parse_lines(raw if isinstance(raw, str) else "")
            if not lines:
                return None
            built.lines[path] = [n for n, _text in lines]
            return split_url_lines([text for _n, text in lines])
        if not isinstance(raw, str) or not raw.strip():
            return None
        text = raw.strip()
        if kind == "int":
            try:
                return int(text)
            except ValueError:
                built.problems.append((path, _("'{text}' is not a whole number.").format(text=text)))
                return None
        if kind == "double":
            try:
                return float(text)
            except ValueError:
                built.problems.append((path, _("'{text}' is not a number.").format(text=text)))
                return None
        return from_line(text) if f.reference else text

    def request(self):
        from ips_tui.job.request import JobRequest

        return JobRequest(self.build().data)

    # -- one field ------------------------------------------------------------------------
    def field_problems(self, path: str, now: datetime | None = None) -> list[tuple[str, str]] | None:
        """The problems of the one field at ``path``, by the rules the whole request is checked with —
        what a keystroke there shows at once. None for a field that is only checked with the whole request
        (a list of many lines, an exclusion group, the company)."""
        from ips_tui.ips.catalog import catalog
        from ips_tui.job.request import JobRequest, _check

        cat = catalog()
        if path in ("jobName", "userHandle", "description", "locale", "execTime", "execSchedule"):
            single = FormState(values={path: self.values.get(path)}, timing=self.timing,
                               exec_time=self.exec_time if path == "execTime" else "",
                               exec_schedule=self.exec_schedule if path == "execSchedule" else "")
            built = single.build()
            data = {k: v for k, v in built.data.items() if k == path}
            found = [(p, m) for p, m in built.problems if p == path]
            found += [(p.path, p.message) for p in JobRequest(data).validate(now=now) if p.path == path]
            return found
        element, _dot, rest = path.partition(".")
        if element not in cat.jobs or not rest or "#" in rest:
            return None
        f = _field_at(cat.job(element).fields, rest.split("."))
        if f is None or f.kind in ("group", "handles", "urls"):
            return None
        built = Built(data={})
        value = self._value(f, path, built)
        if built.problems:
            return list(built.problems)
        return [(p.path, p.message) for p in _check(f, value, path)]


@dataclass
class Built:
    data: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)  # (path, message) the form found
    lines: dict[str, list[int]] = field(default_factory=dict)  # array path -> line number of each item

    def all_problems(self, now: datetime | None = None) -> list[tuple[str, str]]:
        """The form's own problems, then the request's (as the service rules see them)."""
        from ips_tui.job.request import JobRequest

        seen = {p for p, _m in self.problems}
        out = list(self.problems)
        for p in JobRequest(self.data).validate(now=now):
            if p.path in seen:
                continue  # the form already said what is wrong there
            out.append((p.path, p.message))
        return out


def _field_at(fields, names: list[str]):
    for f in fields:
        if f.name == names[0]:
            return f if len(names) == 1 else _field_at(f.fields, names[1:])
    return None


def parse_lines(text: str) -> list[tuple[int, str]]:
    """Non-blank lines of a pasted block with their 1-based line numbers."""
    return [(i, line.strip()) for i, line in enumerate(text.splitlines(), 1) if line.strip()]


def split_url_line(line: str) -> dict[str, str]:
    """``URL<TAB>path`` or ``URL path`` -> {"sourceUrl", "destPath"} (a missing part stays empty)."""
    if "\t" in line:
        src, _sep, dest = line.partition("\t")
    else:
        parts = line.split(None, 1)
        src, dest = (parts + [""])[:2]
    return {"sourceUrl": src.strip(), "destPath": dest.strip()}


#: URL lines already split, by their text (a key in a long list changes one line; the others are looked up)
_SPLIT: dict[str, tuple[str, str]] = {}
_SPLIT_MAX = 25_000


def split_url_lines(lines: list[str]) -> list[dict[str, str]]:
    """:func:`split_url_line` of each line; a line split before is not split again."""
    seen = _SPLIT
    out = []
    for line in lines:
        pair = seen.get(line)
        if pair is None:
            split = split_url_line(line)
            pair = (split["sourceUrl"], split["destPath"])
            if len(seen) >= _SPLIT_MAX:
                seen.clear()
            seen[line] = pair
        out.append({"sourceUrl": pair[0], "destPath": pair[1]})
    return out


def locate(path: str) -> tuple[str, int | None, str]:
    """``uploadUrlsJob.urlArray[2].destPath`` -> ("uploadUrlsJob.urlArray", 2, "destPath")."""
    m = _INDEX.match(path)
    if not m:
        return path, None, ""
    return m.group("field"), int(m.group("index")), m.group("rest") or ""


def default_job_name(job_type: str | None, now: datetime) -> str:
    base = (job_type or "job").removesuffix("Job")
    return f"{base}-{now:%Y%m%d-%H%M}"


def _text(value: Any) -> str:
    """A TOML value as the form types it (a datetime as ISO 8601 with its offset)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            from ips_tui.job.timing import format_exec_time

            return format_exec_time(value)
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def from_line(text: str):
    """A reference typed or picked as one line (``{ path = "…" }``) as its table; names stay names."""
    from ips_tui.resolve.refs import from_line as read

    return read(text)


def inline(item) -> str:
    from ips_tui.resolve.refs import inline as write

    return write(item)
