"""submit --wait's progress: Rich only when drawn, and what came from outside made safe to print."""

from __future__ import annotations

import subprocess
import sys
from types import SimpleNamespace

from ips_tui.safe_text import visible as safe
from ips_tui.cli_wait import progress_rows
from ips_tui.follow.status import JobStatus


def test_outside_text_loses_its_terminal_control_and_bidi_overrides():
    assert safe("nightly\x1b[2J\x1b]52;c;AAAA\x07") == "nightly\\x1b[2J\\x1b]52;c;AAAA\\x07"
    assert safe("abc\u202edef\nnext") == "abc\\u202edef\\nnext"
    assert safe("\x9b31m") == "\\x9b31m"
    assert safe(None) == "" and safe("plain name · ok") == "plain name · ok"


def test_progress_rows_are_safe_and_a_finished_job_is_full():
    job = SimpleNamespace(job_name="evil\x1b[31m", source="a.toml")
    follow = [{"r": SimpleNamespace(submission=job), "status": JobStatus("running", 42, "Processing \x1b[1mx\x1b[0m")},
              {"r": SimpleNamespace(submission=job), "status": JobStatus("done", 80, "Done")}]
    assert progress_rows(follow) == [("evil\\x1b[31m", 42, "Processing \\x1b[1mx\\x1b[0m"),
                                     ("evil\\x1b[31m", 100, "Done")]


def test_rich_is_imported_only_when_a_bar_is_drawn():
    code = "import sys, ips_tui.cli, ips_tui.cli_jobs, ips_tui.cli_wait; print('rich' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
