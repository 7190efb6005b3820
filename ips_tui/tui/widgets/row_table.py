"""A table of rows (jobs, submissions) where Home and End go to the first and the last row, as a list does;
Textual's DataTable moves them sideways to the first and last column."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False),
        Binding("end", "scroll_bottom", "Last row", show=False),
    ]
