"""The schedule's problem line puts an expression it suggests on a line of its own, and never a sentence
that happens to have six or seven words after its last colon."""

from __future__ import annotations

import pytest

from ips_tui.tui.wizard.steps.steady import split_expression


@pytest.mark.parametrize("message, expression", [
    ("this is a Unix cron; in Quartz it is: 0 30 6 ? * MON-FRI", "0 30 6 ? * MON-FRI"),
    ("in Quartz: 0 0 12 ? * 2#1 2027", "0 0 12 ? * 2#1 2027"),
    ("in Quartz: 0 0 12 L * ? *", "0 0 12 L * ? *"),
    ("in Quartz: 0 15 10 ? * 6L", "0 15 10 ? * 6L"),
    ("in Quartz: 0 0/5 14,18 LW JAN-MAR ?", "0 0/5 14,18 LW JAN-MAR ?"),
])
def test_a_suggested_expression_goes_on_its_own_line(message, expression):
    assert split_expression(message) == (message[: -len(expression) - 1], expression)


@pytest.mark.parametrize("message", [
    "minutes: 61 is out of range (0–59)",
    "minutos: 61 está fuera del intervalo (0–59)",
    "day-of-week: 'MON-' is not a day (use SUN–SAT)",
    "Quartz needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); found 1",
    "seconds: 0 0 0 0 0 0 0 0",  # eight fields: no expression
])
def test_a_sentence_stays_whole(message):
    assert split_expression(message) == (message, "")
