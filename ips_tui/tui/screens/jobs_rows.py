"""The jobs screen's tables: which columns each tab shows, a row's cells from a lean listing item, and
filling a table at a cost in proportion to what changed.

One rule for times on these screens (:func:`table_zone`): a table shows the server's zone when it is known
(as ``ips-tui jobs`` does), else the local one; the detail panels give both. Cells are kept short enough
that every column of a tab fits 80 columns: a job name or schedule longer than its column ends in ``…``
(the detail panel below shows it whole).
"""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text

from ips_tui.i18n import N_, _
from ips_tui.safe_text import visible  # what came from the service or a file, shown safe

#: tab -> its columns (label, fixed width or None for the rest); the widths hold the English and the Spanish
#: headings (the Spanish ones are kept short for these columns: "Próx. serv.")
COLUMNS: dict[str, tuple[tuple[str, int | None], ...]] = {
    "active": ((N_("State"), 9), (N_("Progress"), 15), (N_("Job"), 24), (N_("Message"), None)),
    "scheduled": ((N_("Trigger"), 8), (N_("Job"), 18), (N_("Next (server)"), 13), (N_("Next (here)"), 11),
                  (N_("Schedule"), None)),
    "logs": ((N_("Job"), 24), (N_("Started"), 11), (N_("Ended"), 11), (N_("Result"), None)),
}
JOB_CELL = {"active": 24, "scheduled": 18, "logs": 24}  # characters of a job name in the table at 80 columns
SCHEDULE_CELL = 18
FIRST_ROWS = 100  # rows a fill adds at once: more than any terminal shows
CHUNK_ROWS = 1_000  # then this many after each refresh


def job_width(tab: str, columns: int) -> int:
    """The job name's column on a screen ``columns`` wide: what it has at 80, plus a share of the rest (the
    active tab shares it with the message)."""
    extra = max(0, columns - 80)
    return JOB_CELL[tab] + (extra // 2 if tab == "active" else extra)


def table_zone(server, local):
    """The zone a table shows times in: the server's when known, else here."""
    return server.tz if server.known else local


def cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def short_time(value, zone) -> str:
    """``11-28 09:00`` for a table cell ('' for none): the zone is in the column's heading."""
    if value is None:
        return ""
    try:
        return _short_time(value, zone)
    except TypeError:  # not hashable: not a datetime either
        return visible(value)


@lru_cache(maxsize=4096)  # thousands of jobs share a few next-fire times
def _short_time(value, zone) -> str:
    from ips_tui.follow.jobs import when

    return when(value, zone, "%m-%d %H:%M").rsplit(" ", 1)[0]


def raw_row(tab: str, item: dict) -> tuple:
    """What a row shows of ``item``, before any formatting: equal tuples mean an unchanged row."""
    get = item.get
    if tab == "active":
        return get("state"), get("progress"), get("name"), get("progressMessage")
    if tab == "scheduled":
        return get("triggerState"), get("name"), get("nextFireTime"), get("execSchedule")
    return (get("jobName"), get("startDate"), get("endDate"), get("fatalError"), get("fileSuccessCount"),
            get("fileErrorCount"))


def cells(tab: str, raw: tuple, zone, local, job: int | None = None) -> tuple:
    """The cells of a row of ``tab`` from :func:`raw_row`; times in ``zone`` (see :func:`table_zone`), the
    job name cut to ``job`` characters (default: its room at 80 columns)."""
    job = job or JOB_CELL[tab]
    from ips_tui.tui.screens.job_details import progress_bar

    if tab == "active":
        state, progress, name, message = raw
        return (Text(visible(state)), Text(progress_bar(int(progress or 0))),
                Text(cut(visible(name), job)), Text(visible(message)))
    if tab == "scheduled":
        trigger, name, next_fire, schedule = raw
        paused = trigger == "Paused"  # a paused trigger does not fire: no next run to show
        return (Text(visible(trigger)), Text(cut(visible(name), job)),
                Text("—" if paused else (short_time(next_fire, zone) if zone is not None else "?") or "—"),
                Text("—" if paused else short_time(next_fire, local) or "—"),
                Text(cut(visible(schedule), SCHEDULE_CELL) or _("once")))
    name, start, end, fatal, ok, err = raw
    return (Text(cut(visible(name), job)), Text(short_time(start, zone)),
            Text(short_time(end, zone) or _("running")),
            Text(_("fatal") if fatal else _("ok {ok} · errors {err}").format(ok=ok or 0, err=err or 0)))


def add_columns(table, tab: str, job: int | None = None) -> None:
    for label, width in COLUMNS[tab]:
        table.add_column(_(label), width=job if job and label == "Job" else width)


def _outgrows(table, column_key, value: Text) -> bool:
    """A new cell wider than its auto-sized column widens it, as a new row's would. Never asked to shrink:
    Textual would measure every cell of the column for that, on each changed row of each poll."""
    column = table.columns[column_key]
    return column.auto_width and value.cell_len > column.content_width


class TableRows:
    """What one table shows (row key -> raw row), so a poll touches only the rows that changed.

    ``fill`` is given every row of a new listing: an unchanged row costs one tuple comparison; a changed
    one has its cells rebuilt and only those that differ updated; rows that went are removed and new ones
    appended while the others keep their order (the common case: a job finished, another was submitted).
    Only another order rebuilds the table. The cursor stays on its job throughout."""

    def __init__(self, table, tab: str, job: int | None = None) -> None:
        self.table, self.tab, self.job = table, tab, job
        self.shown: dict[str, tuple] = {}  # what the table shows, or will once the pending rows are in
        self.updated = 0
        self._pending: list[str] = []  # keys of rows still to add (a big fill goes in over a few frames)
        self._zones = (None, None)  # rows built or updated by the last fill (tests and the benchmark read it)

    def fill(self, items: list[dict], zone, local, *, force: bool = False) -> bool:
        """Show ``items`` (listing items with a ``jobHandle``); True when anything on screen changed.
        ``force``: the zones changed, so every row is redrawn."""
        self.finish()  # rows still being added from the last fill go in first
        new: dict[str, tuple] = {}
        for item in items:
            new.setdefault(str(item.get("jobHandle") or ""), raw_row(self.tab, item))  # a handle twice: once
        old, table, tab = self.shown, self.table, self.tab
        self.updated = 0
        if new == old and not force:
            return False
        kept = [k for k in old if k in new]
        if list(new)[: len(kept)] != kept:
            self._rebuild(new, zone, local)
            return True
        for key in old.keys() - new.keys():
            table.remove_row(key)
        columns = list(table.columns)
        for key in kept:
            raw = new[key]
            if raw == old[key] and not force:
                continue
            self.updated += 1
            for column, value, before in zip(columns, cells(tab, raw, zone, local, self.job),
                                             cells(tab, old[key], zone, local, self.job)):
                if value != before or force:
                    table.update_cell(key, column, value, update_width=_outgrows(table, column, value))
        self.shown = new
        self._add(list(new)[len(kept):], zone, local)
        return True

    def _rebuild(self, new: dict[str, tuple], zone, local) -> None:
        table, tab = self.table, self.tab
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
            except Exception:
                keep = None
        table.clear()
        self.shown = new
        self._add(list(new), zone, local)
        if keep in new:
            self.finish()  # the cursor's row must be there to move to it
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    # -- adding many rows: a screenful now, the rest a chunk per frame -------------------------------
    def _add(self, keys: list[str], zone, local) -> None:
        """Add the rows of ``keys`` (in :attr:`shown`): the first FIRST_ROWS now, so F3 shows a full screen at
        once, then CHUNK_ROWS after each refresh (thousands of rows never hold the screen still)."""
        self.updated += len(keys)
        self._pending, self._zones = keys, (zone, local)
        self._add_some(FIRST_ROWS)

    def _add_some(self, n: int) -> None:
        keys, self._pending = self._pending[:n], self._pending[n:]
        zone, local = self._zones
        table, tab, shown = self.table, self.tab, self.shown
        for key in keys:
            table.add_row(*cells(tab, shown[key], zone, local, self.job), key=key)
        if self._pending:
            table.call_after_refresh(self._more)

    def _more(self) -> None:
        if self._pending:
            self._add_some(CHUNK_ROWS)

    @property
    def complete(self) -> bool:
        """Every row of the last fill is in the table."""
        return not self._pending

    def finish(self) -> None:
        """Add whatever rows are still waiting, now."""
        if self._pending:
            self._add_some(len(self._pending))
