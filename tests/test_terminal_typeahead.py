"""Type-ahead on a real pseudo-terminal: keys written in one burst (a fast typist, a paste, an SSH link that
batches keys) land, in order, in the widget that has the focus when each one's turn comes."""

from __future__ import annotations

import re

import pytest

from test_terminal_review import CTRL, DOWN, ENTER, Terminal

from terminal_screen import replay


@pytest.mark.timeout(90)
def test_a_burst_across_tab_fills_both_fields():
    term = Terminal({})
    try:
        term.wait_for(b"c|101")
        mark = term.keys(CTRL["n"])
        term.wait_for(b"What should the job do?", mark)
        mark = term.keys("\x1b[H", *[DOWN] * 4, ENTER)  # metadataPublishJob: nothing required
        term.wait_for(b"Tab: next field", mark)  # the Fields step
        mark = term.keys(CTRL["n"])
        term.wait_for(b"Name and language", mark)
        # Ctrl+U empties the suggested name, then the burst, all in one write
        mark = term.keys("\x15job-two\tnight run")
        for _i in range(50):  # until the burst has been drawn
            term.read(0.1)
            screen = replay(term.out)
            if any("night run" in line for line in screen):
                break
        term.read(0.5)
        screen = replay(term.out)
        shown = "\n".join(screen)
        [name] = [line for line in screen if "Job name" in line]
        [description] = [line for line in screen if "Description" in line]
        assert re.search(r"Job name \*\s+job-two\s", name), shown
        assert re.search(r"Description\s+night run\s", description), shown
        term.keys(CTRL["q"])
    finally:
        term.close()


def _screen_after(term, text: str) -> list[str]:
    for _i in range(50):  # until the burst has been drawn
        term.read(0.1)
        if any(text in line for line in replay(term.out)):
            break
    term.read(0.5)
    return replay(term.out)


@pytest.mark.timeout(90)
def test_keys_typed_with_the_enter_that_picks_a_job_type_land_in_the_next_step():
    """Enter on the job-type list and the first field's text in one write: the text lands in the Fields step's
    first field, on the step's first visit (it is built then) and on a later one (it is kept, and reloaded
    for the new type)."""
    term = Terminal({})
    try:
        term.wait_for(b"c|101")
        mark = term.keys(CTRL["n"])
        term.wait_for(b"What should the job do?", mark)
        term.keys("\x1b[H", *[DOWN] * 5)  # uploadDirectoryJob: its first field is a text (destFolder)
        term.keys(ENTER + "acme/spring")
        screen = _screen_after(term, "acme/spring")
        shown = "\n".join(screen)
        [row] = [line for line in screen if "Destination folder" in line or "destFolder" in line]
        assert re.search(r"\sacme/spring\s", row), shown
        assert "Tab: next field" in shown, shown  # on the Fields step

        # back to the list (the Fields step stays mounted), the type again with more text after Enter
        mark = term.keys("\x1b")
        term.wait_for(b"What should the job do?", mark)
        term.keys("\x1b[H", *[DOWN] * 12)  # automatedSetGenerationJob: its first field is a list of handles
        term.keys(ENTER + "a|101|one")
        screen = _screen_after(term, "a|101|one")
        shown = "\n".join(screen)
        assert any("a|101|one" in line for line in screen), shown
        assert "What should the job do?" not in shown, shown
        term.keys(CTRL["q"])
    finally:
        term.close()


@pytest.mark.timeout(90)
def test_keys_typed_with_the_enter_that_picks_a_company_or_a_timing_land_where_the_choice_leads():
    """Enter on the company list and the job type's keys in one write: they pick the type, not another
    company. Enter on "Recurring" and the schedule in one write: the schedule lands whole in its field (its
    first character was lost to the list before)."""
    term = Terminal({})
    try:
        term.wait_for(b"c|101")
        # the company (Enter), then on the type list: home, four down, Enter (metadataPublishJob)
        term.keys(ENTER + "\x1b[H" + DOWN * 4 + ENTER)
        screen = _screen_after(term, "Tab: next field")
        shown = "\n".join(screen)
        assert "Tab: next field" in shown and "metadataPublish" in shown, shown
        assert "company Acme Retail (c|101)" in shown, shown
        mark = term.keys(CTRL["n"], CTRL["n"])
        term.wait_for(b"When should it run?", mark)
        term.keys(DOWN + DOWN + ENTER + "0 30 6 ? * MON-FRI")
        screen = _screen_after(term, "Monday through Friday")
        shown = "\n".join(screen)
        [row] = [line for line in screen if "Quartz schedule" in line]
        assert re.search(r"Quartz schedule \*\s+0 30 6 \? \* MON-FRI\s", row), shown
        term.keys(CTRL["q"])
    finally:
        term.close()
