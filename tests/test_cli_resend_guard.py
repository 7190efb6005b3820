"""The CLI never sends a submission twice: a `submit` killed while the service holds its answer, then rerun.

The first run is a real process, killed (SIGKILL: no clean-up) once the sandbox has taken the job and is
holding the reply. The rerun either finds the job on the service (reconciled, not sent) or, when the service
cannot be asked, refuses to send it again. Either way the sandbox holds exactly one job.

These tests fail on a build without the guard in ``cli_jobs.submit_prepared`` (the ``earlier_attempt``
check): the rerun then sends the file again and the sandbox holds two jobs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ips_tui import cli

JOB = ('companyHandle = "c|101"\njobName = "nightly-once"\n'
       '[imageServingPublishJob]\npublishType = "Full"\nemailSetting = "Error"\n')


def _env(sandbox) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env["IPS_PASSWORD"] = sandbox.password
    return env  # the test's private IPS_TUI_*_DIR folders (conftest) are inherited: one journal for both runs


def _killed_mid_submit(sandbox, job: Path) -> None:
    """Start `ips-tui submit`, wait until the sandbox has the job and holds the answer, then SIGKILL it."""
    sandbox.inject("slow_after_receive", operation="submitJob", seconds=60)
    proc = subprocess.Popen([sys.executable, "-m", "ips_tui", "submit", str(job), "--url", sandbox.url,
                             "--user", sandbox.user, "--json", "--timeout", "120"],
                            env=_env(sandbox), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60  # generous: start-up on a busy machine; the hold is 60 s
        while not sandbox.submitted_jobs():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the submission never reached the sandbox"
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["nightly-once"]


def _rerun(sandbox, job: Path, capsys) -> tuple[int, list[dict]]:
    os.environ["IPS_PASSWORD"] = sandbox.password
    code = cli.main(["submit", str(job), "--url", sandbox.url, "--user", sandbox.user, "--json"])
    return code, [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.fixture
def job(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("IPS_PASSWORD", "")
    path = tmp_path / "nightly.toml"
    path.write_text(JOB)
    return path


def test_rerun_after_a_kill_finds_the_job_and_does_not_send_it_again(sandbox_factory, job, capsys):
    sandbox = sandbox_factory()
    _killed_mid_submit(sandbox, job)
    code, [line] = _rerun(sandbox, job, capsys)
    assert code == 0, line
    assert line["alreadySubmitted"] is True and "nightly-once" in line["jobHandle"]
    assert len(sandbox.submitted_jobs()) == 1
    assert len(sandbox.received.of("submitJob")) == 1


def test_rerun_when_the_service_cannot_be_asked_refuses_to_send_again(sandbox_factory, job, capsys):
    sandbox = sandbox_factory()
    _killed_mid_submit(sandbox, job)
    for op in ("getScheduledJobs", "getActiveJobs", "getJobLogDetails"):
        sandbox.inject("http502_html", operation=op, times=5)
    code, [line] = _rerun(sandbox, job, capsys)
    assert code == 4, line
    assert line["error"]["kind"] == "unknown" and "--again" in line["error"]["message"]
    assert len(sandbox.submitted_jobs()) == 1
    assert len(sandbox.received.of("submitJob")) == 1
    # --again is the deliberate way to send it once more
    sandbox.injector.pending.clear()
    code, [line] = (lambda c: (c, [json.loads(x) for x in capsys.readouterr().out.splitlines()]))(
        cli.main(["submit", str(job), "--url", sandbox.url, "--user", sandbox.user, "--json", "--again"]))
    assert code == 0 and len(sandbox.submitted_jobs()) == 2
