"""The timing step's explanation and its schedule's problem lines: views that keep their height while
typing (:mod:`ips_tui.tui.widgets.steady`)."""

from __future__ import annotations

import re

from rich.text import Text

from ips_tui.tui.widgets.rows import problem_text
from ips_tui.tui.widgets.steady import SteadyOut, SteadyProblems


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


class ScheduleOut(SteadyOut):
    MIN_LINES = 7  # "Means: …", the heading and the next five runs


def schedule_lines(message: str) -> Text:
    """One problem of a schedule: a Quartz expression it suggests goes on a line of its own, whole."""
    head, expression = split_expression(message)
    text = Text("✗ " + head)
    if expression:
        text.append("\n    ")
        text.append(expression, style="bold")
    return text


class ScheduleProblems(SteadyProblems):
    """The schedule's problem lines (see :class:`SteadyProblems`)."""

    DEFAULT_CSS = """
    ScheduleProblems { display: block; height: 2; }
    """
    MIN_LINES = 2  # the first key's message ("Quartz needs 6 or 7 fields …") takes two lines at 80 columns

    def show_messages(self, messages: list[str]) -> None:
        self.show(problem_text(messages, schedule_lines))
