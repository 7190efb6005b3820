"""A URL list's items (uploadUrlsJob.urlArray), normalised and checked one by one, by the rules of
:mod:`ips_tui.job.request`, with an item seen before answered from memory (:mod:`ips_tui.job.item_memo`):
a key in a 10,000-line list re-checks the line it changed, and the answers are a fresh check's."""

from __future__ import annotations

from typing import Any

from ips_tui.i18n import _
from ips_tui.ips.catalog import Field
from ips_tui.job import item_memo


def normalised_items(f: Field, items: list, path: str, problems: list) -> list:
    """The items as checked and sent (each a table of its own); their text problems are added to
    ``problems``."""
    from ips_tui.job.request import Problem

    out = []
    for i, (item, (normal, found)) in enumerate(zip(items, item_memo.each("norm", f, items, _norm(f)))):
        out.append(dict(normal) if normal is not None else item)
        if found:
            problems += [Problem(f"{path}[{i}]{sub}", m) for sub, m in found]
    return out


def item_problems(f: Field, items: list, path: str) -> list:
    """The problems of each (normalised) item, in order."""
    from ips_tui.job.request import Problem

    problems = []
    for i, found in enumerate(item_memo.each("check", f, items, _check(f))):
        if found:
            problems += [Problem(f"{path}[{i}]{sub}", m) for sub, m in found]
    return problems


def _norm(f: Field):
    def norm(item: Any) -> tuple[tuple | None, tuple[tuple[str, str], ...]]:
        """(the normalised item's (name, value) pairs or None when it is not a table, its text problems by
        sub-path): tuples only, so a remembered answer is not tracked by the garbage collector."""
        from ips_tui.job.request import _norm_fields

        if not isinstance(item, dict):
            return None, ()
        found: list = []
        normal = _norm_fields(f.fields, item, "", found)
        return tuple(normal.items()), tuple((p.path, p.message) for p in found)

    return norm


def _check(f: Field):
    def check(item: Any) -> tuple[tuple[str, str], ...]:
        """One item's problems by sub-path ("" the item, ".sourceUrl" …), in the order they are said."""
        from ips_tui.job.request import _check_fields

        if not isinstance(item, dict):
            return (("", _("must be a table with sourceUrl and destPath.")),)
        found = [(p.path, p.message) for p in _check_fields(f.fields, item, "")]
        src = item.get("sourceUrl")
        if isinstance(src, str) and src and not src.lower().startswith(("http://", "https://", "ftp://")):
            found.append((".sourceUrl", _("must be an http, https or ftp URL.")))
        return tuple(found)

    return check
