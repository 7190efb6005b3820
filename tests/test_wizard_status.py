"""The wizard's status line: the next thing to know, in one line; a problem on the step shown is named by
its field (its message is under it), one on another step by its message."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ips_tui import i18n
from ips_tui.tui.wizard.state import Report, SubmitState
from ips_tui.tui.wizard.status import status_text

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
SCHEDULE = ("execSchedule", "minutes: 61 is out of range (0–59)")
URL = ("uploadUrlsJob.urlArray[3].sourceUrl", "must be an http, https or ftp URL.")


def text(problems=(), state=SubmitState(), current="timing", connected=True, connecting=True):
    return status_text(Report(tuple(problems)), state, current, connected=connected, connecting=connecting)


def test_what_the_line_says_before_and_after_a_submission():
    assert text(connected=False) == "Connecting…"
    assert text(connected=False, connecting=False) == "No profile chosen yet."
    assert text() == "Ready to submit: Ctrl+R to review, F5 to submit."
    assert text([SCHEDULE], state=SubmitState().sent(NOW, True)).startswith("Submitting…")
    done = SubmitState().sent(NOW, True).answered("j|42", "night")
    assert text([SCHEDULE], state=done) == "Submitted as j|42."


def test_a_problem_on_this_step_is_named_by_its_field():
    assert text([SCHEDULE, URL]) == "2 problems — Timing › Schedule"
    assert text([URL], current="fields") == "1 problem — Fields › URLs"  # an item of a list: the list


def test_a_problem_on_another_step_is_said_in_its_words():
    assert text([SCHEDULE], current="details") == "1 problem — Timing: minutes: 61 is out of range (0–59)"
    assert text([("noSuchField", "odd")], current="fields") == "1 problem — Fields: odd"  # no label known


@pytest.fixture
def spanish():
    i18n.set_language("es")
    yield
    i18n.set_language("en")


def test_the_line_in_spanish(spanish):
    # the field has the step's own name in Spanish: its message says more
    assert text([SCHEDULE]) == "1 problema — Programación: " + SCHEDULE[1]
    assert text([URL], current="fields") == "1 problema — Campos › URL"
