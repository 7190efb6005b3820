"""The timing step's view of a schedule — its problem lines and, under them, its explanation — one view that
keeps its height while typing (:mod:`ips_tui.tui.widgets.steady`); what it shows, and the warm-up that loads
it off the loop."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from ips_tui import i18n
from ips_tui.tui.text import format_date_time
from ips_tui.tui.widgets.rows import problem_text
from ips_tui.tui.widgets.steady import Section, SteadyLines, problem_band


#: one field of a Quartz expression: values, names (MON, JAN) and its marks; never a word of a sentence
_QUARTZ_FIELD = re.compile(r"(?:[0-9*?/,#LW-]|[A-Z]{3})+")


def split_expression(message: str) -> tuple[str, str]:
    """``"…; in Quartz it is: 0 30 6 ? * MON-FRI"`` -> (the words up to the colon, the expression); a message
    that does not end in a Quartz expression (6 or 7 fields) -> (message, "")."""
    head, sep, tail = message.rpartition(": ")
    fields = tail.split()
    if sep and "\n" not in tail and 6 <= len(fields) <= 7 and all(map(_QUARTZ_FIELD.fullmatch, fields)):
        return head + ":", tail
    return message, ""


def schedule_lines(message: str) -> Text:
    """One problem of a schedule: a Quartz expression it suggests goes on a line of its own, whole."""
    head, expression = split_expression(message)
    text = Text("✗ " + head)
    if expression:
        text.append("\n    ")
        text.append(expression, style="bold")
    return text


class ScheduleView(SteadyLines):
    """A schedule's problem lines (room for two: the first key's message, "Quartz needs 6 or 7 fields …",
    takes two at 80 columns) and, under them, what it means and its next five runs (seven lines). One view:
    the key that turns an expression valid clears the one and fills the other in one repaint."""

    SECTIONS = (problem_band(2), Section(7))

    def show_messages(self, messages: list[str]) -> None:
        self.show(problem_text(messages, schedule_lines))

    def explain(self, renderable, key: object = None) -> None:
        self.show(renderable, key, section=1)


def warm_schedule_words(zones: tuple = (), now: datetime | None = None) -> None:
    """Load, off the event loop, what the first valid expression needs: the describer and babel's names of
    days and months in the interface language, and the next runs placed and written in ``zones`` (the
    server's and the operator's). Otherwise the key that first makes an expression valid pays for it (about
    13 ms for the words, 9 for the dates' names, 0.5–1.2 for each zone's rules)."""
    from ips_tui.job import timing

    timing.check_schedule("30 6 * * 1-5")  # a Unix cron: its Quartz form is suggested
    check = timing.check_schedule("0 30 6 ? * MON-FRI")
    if check.ok:
        check.schedule.describe(i18n.language())
        for tz in zones:
            for when in check.schedule.next_fire_times(5, now or datetime.now(timezone.utc), tz):
                format_date_time(when, tz)


def runs_table(heading: tuple[str, ...], rows: list[tuple[str, ...]], out: Static):
    """The next runs in columns. Plain text padded to the widest cell when the columns fit the width (the
    usual case: a Rich table measures and renders each cell twice per key, a few ms); otherwise a grid whose
    headings wrap at their spaces, never cut."""
    from rich.cells import cell_len

    table = [heading, *rows]
    widths = [max(cell_len(row[c]) for row in table) for c in range(len(heading))]
    room = out.content_size.width or max(1, out.app.size.width - 2)
    if sum(widths) + 2 * (len(widths) - 1) <= room:
        text = Text()
        for n, row in enumerate(table):
            line = "  ".join(cell + " " * (w - cell_len(cell)) for cell, w in zip(row, widths)).rstrip()
            text.append(("\n" if n else "") + line, style="bold" if n == 0 else "")
        return text
    grid = Table.grid(padding=(0, 2))
    for _i in heading:
        grid.add_column(overflow="fold")
    grid.add_row(*(Text(h, style="bold") for h in heading))
    for row in rows:
        grid.add_row(*row)
    return grid


def lines(*parts):
    """``parts`` one under the other: one Text when they all are (its lines are counted, not rendered, to
    size the view, and Textual draws a Text without Rich's console), else a Group."""
    if all(isinstance(p, Text) for p in parts):
        return Text("\n").join(parts)
    return Group(*parts)
