"""References in a job request: a table where a handle is expected, read and checked without any IO.

Which fields take references, and what they name, is the catalogue's (``Field.reference``). The forms:

- assets (``assetHandleArray``) and PDFs (``pdfHandleArray``): ``{ path = "spring/1001.jpg" }``,
  ``{ name = "1001" }``, or a search ``{ search = "spring/", type = "Image", name_starts_with = "10" }``
  (one search can stand for many assets);
- ICC profiles (``sourceProfileHandle`` / ``outputProfileHandle``): ``{ path = "color-profiles/x.icc" }`` or
  ``{ name = "…" }``;
- projects and publish contexts: ``{ name = "…" }``; users (``userHandle``): ``{ email = "…" }``;
- folders (``destFolder``): ``{ path = "spring/shoes/" }``, checked against the company's folder tree.
Paths may leave out the company's root folder.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from ips_tui.i18n import _
from ips_tui.ips.catalog import Field, catalog
from ips_tui.ips.lookup import AssetQuery, Condition
from ips_tui.job.request import InvalidRequest, Problem

#: the asset type a kind needs (None: any type)
KIND_TYPES = {"asset": None, "pdf": "Pdf", "icc": "IccProfile"}
#: the keys that say how a reference names its thing, per kind
HOW = {
    "asset": ("path", "name", "search"), "pdf": ("path", "name", "search"), "icc": ("path", "name"),
    "project": ("name",), "context": ("name",), "user": ("email",), "folder": ("path",),
}
#: a search's conditions on names (searchAssets SystemFieldCondition, §4.5.2)
CONDITIONS = {
    "name": ("Name", "Equals"), "name_starts_with": ("Name", "StartsWith"), "name_ends_with": ("Name", "EndsWith"),
    "name_contains": ("Name", "Contains"), "name_not_contains": ("Name", "NotContains"),
    "file_name": ("FileName", "Equals"), "file_name_starts_with": ("FileName", "StartsWith"),
    "file_name_ends_with": ("FileName", "EndsWith"), "file_name_contains": ("FileName", "Contains"),
}
SEARCH_OPTIONS = ("search", "type", "exclude_type", "subfolders", "match", "published", "project", "limit")
CONTEXT_TYPES = {"ImageServingPublishJob": "ImageServing", "ImageRenderingPublishJob": "ImageRendering",
                  "VideoPublishJob": "Video"}


@dataclass(frozen=True)
class Reference:
    path: str  # where it stands, e.g. "exportJob.assetHandleArray[3]"
    location: tuple  # keys from the request's top: ("exportJob", "assetHandleArray", 3)
    kind: str  # asset | pdf | icc | project | context | user | folder
    how: str  # path | name | search | email
    value: str  # the path, name, e-mail or (search) folder
    query: AssetQuery | None = None
    limit: int | None = None
    many: bool = False  # stands in an array (may become several handles)
    project_name: str | None = None  # a search's project, by name
    context_type: str | None = None  # the publish-context type the job needs

    def describe(self) -> str:
        if self.how == "search":
            bits = [self.value or "/"]
            q = self.query
            if q and q.types:
                bits.append(", ".join(q.types))
            for c in (q.conditions if q else ()):
                bits.append(f"{c.field} {c.op} {c.value}")
            return _("search {what}").format(what=" · ".join(bits))
        return f"{self.how} {self.value}"


class UnresolvedReferences(InvalidRequest):
    """The request still names things the service must turn into handles (resolve it first)."""

    def __init__(self, references: list[Reference]):
        self.references = references
        super().__init__([Problem(r.path, _("{what} needs the service to become a handle: give a connection "
                                            "(--profile, or --url and --user).").format(what=r.describe()))
                          for r in references])


def _text(raw: dict, key: str, path: str, problems: list) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        problems.append((f"{path}.{key}", _("must be non-empty text.")))
        return None
    return value.strip()


def parse(f: Field, raw, path: str, location: tuple, *, many: bool) -> tuple[Reference | None, list[tuple[str, str]]]:
    """A reference table for field ``f`` as a Reference, or the problems with it as (path, message)."""
    kind = f.reference
    problems: list[tuple[str, str]] = []
    if kind is None or not isinstance(raw, dict):
        return None, [(path, _("must be a handle."))]
    allowed = HOW[kind]
    given = [h for h in allowed if h in raw]
    if "search" in given and "name" in given:  # in a search, name is a condition (Name Equals)
        given.remove("name")
    keys = set(allowed) | (set(SEARCH_OPTIONS) | set(CONDITIONS) if "search" in allowed else set())
    for key in raw:
        if key not in keys:
            problems.append((f"{path}.{key}", _("not a key of a reference here; use {keys}.").format(
                keys=", ".join(allowed))))
    if len(given) != 1:
        if "search" in allowed and "search" not in given and any(k in raw for k in CONDITIONS) and not given:
            problems.append((path, _("a search needs search = \"FOLDER/\" (\"\" for the whole company).")))
        else:
            problems.append((path, _("give exactly one of {keys}.").format(keys=", ".join(allowed))))
        return None, problems
    how = given[0]
    if how == "search":
        return _search(f, raw, path, location, many, problems)
    value = _text(raw, how, path, problems)
    if problems or value is None:
        return None, problems
    if how == "email" and "@" not in value:
        return None, [(f"{path}.email", _("'{value}' is not an e-mail address.").format(value=value))]
    context = CONTEXT_TYPES.get(f.owner) if kind == "context" else None
    return Reference(path, location, kind, how, value, many=many, context_type=context), []


def _search(f: Field, raw: dict, path: str, location: tuple, many: bool, problems: list):
    folder = raw.get("search")
    if not isinstance(folder, str):
        problems.append((f"{path}.search", _("must be a folder path (\"\" for the whole company).")))
        return None, problems
    types = raw.get("type", ())
    types = (types,) if isinstance(types, str) else types
    exclude = raw.get("exclude_type", ())
    exclude = (exclude,) if isinstance(exclude, str) else exclude
    for key, value in (("type", types), ("exclude_type", exclude)):
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v for v in value):
            problems.append((f"{path}.{key}", _("must be an asset type or a list of them (Image, Pdf, Video, …).")))
    need = KIND_TYPES[f.reference]
    if need and types and set(types) != {need}:
        problems.append((f"{path}.type", _("{field} takes {type} assets only.").format(field=f.name, type=need)))
    conditions = []
    for key, (field_name, op) in CONDITIONS.items():
        value = _text(raw, key, path, problems)
        if value is not None:
            conditions.append(Condition(field_name, op, value))
    flags = {}
    for key in ("subfolders", "published"):
        value = raw.get(key)
        if value is not None and not isinstance(value, bool):
            problems.append((f"{path}.{key}", _("must be true or false.")))
        flags[key] = value
    match = raw.get("match", "all")
    if match not in ("all", "any"):
        problems.append((f"{path}.match", _("must be \"all\" or \"any\" (how the name conditions combine).")))
    limit = raw.get("limit")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        problems.append((f"{path}.limit", _("must be a whole number of 1 or more.")))
    project = _text(raw, "project", path, problems)
    if problems:
        return None, problems
    query = AssetQuery(
        folder=folder.strip() or None, subfolders=flags["subfolders"] is not False,
        types=tuple(types) if types else ((need,) if need else ()), exclude_types=tuple(exclude),
        conditions=tuple(conditions), match_any=match == "any",
        publish_state=None if flags["published"] is None else
        ("MarkedForPublish" if flags["published"] else "NotMarkedForPublish"),
    )
    return Reference(path, location, f.reference, "search", folder.strip(), query=query, limit=limit, many=many,
                     project_name=project), []


def pasted(text: str) -> list:
    """A pasted block of names or paths (one a line, or separated by tabs or commas) as array items: a line
    with a "/" is ``{ path = … }``, one with a "|" is kept as a handle, anything else is ``{ name = … }``."""
    out: list = []
    for line in text.replace("\t", "\n").replace(",", "\n").splitlines():
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        out.append(item if "|" in item else {"path": item} if "/" in item else {"name": item})
    return out


# --- finding and replacing references in a request -------------------------------------------


def _walk(fields, values: dict, path: str, location: tuple, out: list, problems: list) -> None:
    for f in fields:
        value = values.get(f.name)
        where, loc = f"{path}.{f.name}" if path else f.name, location + (f.name,)
        if f.kind == "group" and isinstance(value, dict):
            _walk(f.fields, value, where, loc, out, problems)
        elif f.reference and f.kind == "handles" and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    ref, bad = parse(f, item, f"{where}[{i}]", loc + (i,), many=True)
                    problems += bad
                    if ref is not None:
                        out.append(ref)
        elif f.reference and isinstance(value, dict):
            ref, bad = parse(f, value, where, loc, many=False)
            problems += bad
            if ref is not None:
                out.append(ref)


def find(data: dict) -> tuple[list[Reference], list[tuple[str, str]]]:
    """Every reference in a request's data, in field order, and the problems with malformed ones."""
    cat = catalog()
    refs: list[Reference] = []
    problems: list[tuple[str, str]] = []
    _walk(cat.common, data, "", (), refs, problems)
    for element, job in cat.jobs.items():
        if isinstance(data.get(element), dict):
            _walk(job.fields, data[element], element, (element,), refs, problems)
    return refs, problems


def check(f: Field, raw, path: str) -> list[Problem]:
    """The problems with one reference table (the job-file validation hook)."""
    _ref, problems = parse(f, raw, path, (), many=f.kind == "handles")
    return [Problem(p, m) for p, m in problems]


def unresolved(data: dict) -> None:
    """Raise UnresolvedReferences if the request still holds references."""
    refs, _problems = find(data)
    if refs:
        raise UnresolvedReferences(refs)


def substitute(data: dict, handles: dict[tuple, list[str]]) -> dict:
    """A copy of ``data`` with each reference (by location) replaced by its handles. In an array a reference
    becomes as many items as it found, and a handle already in the array is not repeated."""
    out = copy.deepcopy(data)
    arrays: dict[tuple, dict[int, list[str]]] = {}
    for location, found in handles.items():
        if isinstance(location[-1], int):
            arrays.setdefault(location[:-1], {})[location[-1]] = found
        else:
            _container(out, location[:-1])[location[-1]] = found[0]
    for location, by_index in arrays.items():
        parent = _container(out, location[:-1])
        merged: list[str] = []
        for i, item in enumerate(parent[location[-1]]):
            for h in (by_index[i] if i in by_index else [item]):
                if h not in merged:
                    merged.append(h)
        parent[location[-1]] = merged
    return out


def _container(data: dict, location: tuple):
    for key in location:
        data = data[key]
    return data


# --- one reference as one line of text (the wizard's lists and inputs) -----------------------


def inline(item) -> str:
    """An array item or a scalar reference as one line: a handle as it is, a table as a TOML inline table
    (``{ path = "spring/1001.jpg" }``), which is what a job file holds and what :func:`from_line` reads."""
    if not isinstance(item, dict):
        return str(item)
    return "{ " + ", ".join(f"{key} = {_toml_value(value)}" for key, value in item.items()) + " }"


def _toml_value(value) -> str:
    import json

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def from_line(text: str):
    """A line of a handle field: ``{ … }`` (a TOML inline table) is a reference, anything else stays text."""
    import tomllib

    line = text.strip()
    if not (line.startswith("{") and line.endswith("}")):
        return text
    try:
        value = tomllib.loads("v = " + line)["v"]
    except tomllib.TOMLDecodeError:
        return text  # checked as a handle, and refused there naming the field
    return value if isinstance(value, dict) else text
