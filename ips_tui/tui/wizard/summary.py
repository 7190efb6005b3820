"""Review's summary: each value sent, under the short label the form gives its field (the catalogue's),
in two columns whose values wrap — at 80 columns nothing is cut."""

from __future__ import annotations

from ips_tui.i18n import _, ngettext


def _labels(path: str) -> list[str] | None:
    """The form's label of each part of ``path`` (None when the catalogue does not know it)."""
    from ips_tui.ips.catalog import catalog
    from ips_tui.tui.widgets.rows import field_label

    cat = catalog()
    parts = path.split(".")
    if len(parts) == 1:
        f = cat.common_field(path)
        return [field_label(f)] if f is not None else None
    node = cat.jobs.get(parts[0])
    labels = []
    for name in parts[1:]:
        f = node.child(name) if node is not None else None
        if f is None:
            return None
        labels.append(field_label(f))
        node = f
    return labels


def label_for(path: str) -> str:
    """``uploadUrlsJob.emailSetting`` -> ``E-mail``; a nested field -> ``Group › Field``; a path the catalogue
    does not know stays as it is."""
    labels = _labels(path)
    return " › ".join(labels[-2:]) if labels else path


def leaf_label(path: str) -> str:
    """The field's own label (under its group's heading in the summary)."""
    labels = _labels(path)
    return labels[-1] if labels else path.rsplit(".", 1)[-1]


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


def summary_rows(data: dict, job_type: str | None) -> list[tuple[str, str]]:
    """(label, value) rows for a built request: the common fields, then the job type and its fields; a
    nested group is a heading row with its fields indented under it (labels stay short)."""
    from ips_tui.ips.catalog import catalog

    cat = catalog()
    rows: list[tuple[str, str]] = []
    for key, value in data.items():
        if isinstance(value, dict):
            rows.append((_("Job type"), cat.job(key).label if key in cat.jobs else key))
            rows += _group_rows(value, key, 0)
        else:
            rows.append((label_for(key), value_text(value)))
    return rows


def _group_rows(data: dict, path: str, depth: int) -> list[tuple[str, str]]:
    rows = []
    for key, value in data.items():
        here = f"{path}.{key}"
        label = "  " * depth + leaf_label(here)
        if isinstance(value, dict):
            rows.append((label, ""))
            rows += _group_rows(value, here, depth + 1)
        else:
            rows.append((label, value_text(value)))
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
