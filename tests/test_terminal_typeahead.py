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
