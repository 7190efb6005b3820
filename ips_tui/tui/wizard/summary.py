"""Review's summary: each value sent, under the short label the form gives its field (the catalogue's),
in two columns whose values wrap — at 80 columns nothing is cut."""

from __future__ import annotations

from typing import Iterable

from ips_tui.i18n import _, ngettext


def label_for(path: str) -> str:
    """``uploadUrlsJob.emailSetting`` -> ``E-mail``; a nested field -> ``Group › Field``; a path the catalogue
    does not know stays as it is."""
    from ips_tui.ips.catalog import catalog
    from ips_tui.tui.widgets.rows import field_label

    cat = catalog()
    parts = path.split(".")
    if len(parts) == 1:
        f = cat.common_field(path)
        return field_label(f) if f is not None else path
    node = cat.jobs.get(parts[0])
    labels = []
    for name in parts[1:]:
        f = node.child(name) if node is not None else None
        if f is None:
            return path
        labels.append(field_label(f))
        node = f
    return " › ".join(labels[-2:])


def value_text(value) -> str:
    """A value as the summary shows it: a list as its count, the first item and how many more."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        n = len(value)
        first = value[0] if value else ""
        if isinstance(first, dict):
            first = " → ".join(str(v) for v in first.values())
        more = " " + ngettext("(+{n} more)", "(+{n} more)", n - 1).format(n=n - 1) if n > 1 else ""
        return ngettext("{n} item", "{n} items", n).format(n=n) + f": {first}{more}"
    return str(value)


def flatten(data: dict, prefix: str = "") -> Iterable[tuple[str, object]]:
    """(path, value) for every value in a request, nested groups as dotted paths."""
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from flatten(value, path + ".")
        else:
            yield path, value


def summary_rows(data: dict, job_type: str | None) -> list[tuple[str, str]]:
    """(label, value) rows for a built request: the common fields, the job type, then its fields."""
    from ips_tui.ips.catalog import catalog

    rows = []
    cat = catalog()
    for path, value in flatten(data):
        if job_type and path.startswith(job_type + ".") and not any(r[0] == _("Job type") for r in rows):
            rows.append((_("Job type"), cat.job(job_type).label if job_type in cat.jobs else job_type))
        rows.append((label_for(path), value_text(value)))
    return rows


def summary_grid(rows: list[tuple[str, str]]):
    """The two columns: bold labels that never wrap, values that wrap (a word longer than the line, such
    as a URL, folds rather than being cut)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, value)
    return grid
