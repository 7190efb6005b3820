"""A hostile server and hostile inputs cannot hang, bloat or crash the CLI.

Each case runs ``ips-tui`` in a subprocess against tests/hostile.py (or with a hostile file) and checks the
exit code, the message, that it ended within its bound (relative to ``--timeout``, with generous room for
the interpreter's start), that the peak memory stayed under 400 MiB, and that no traceback was printed.
"""

from __future__ import annotations

import re

import pytest

from cli_run import run_cli
from hostile import HostileServer

TIMEOUT = 3
#: start-up of the interpreter, zeep and the journal, on a busy shared machine
ROOM = 10
PEAK_MIB = 400

JOB = """companyHandle = "c|101"
jobName = "hostile"

[imageServingPublishJob]
publishType = "Full"
emailSetting = "Error"
"""


@pytest.fixture
def job_file(tmp_path):
    path = tmp_path / "job.toml"
    path.write_text(JOB)
    return path


def submit(server_url, job_file, *extra):
    return run_cli("submit", str(job_file), "--url", server_url, "--user", "ops@example.com",
                   "--timeout", str(TIMEOUT), *extra, env={"IPS_PASSWORD": "pw"})


def clean(run) -> None:
    """No traceback and no raw zeep log on any path."""
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout
    assert "Error during xml" not in run.stderr
    assert run.peak_mib < PEAK_MIB, f"peak memory {run.peak_mib:.0f} MiB"


def within(run, bound: float) -> None:
    assert run.seconds < bound, f"took {run.seconds:.1f} s, bound {bound} s"


def test_dripped_body_ends_at_the_deadline(job_file):
    with HostileServer("drip_body", interval=0.5) as server:
        run = submit(server.url, job_file)
    clean(run)
    within(run, TIMEOUT + ROOM)
    assert run.code == 4, run.stderr
    assert f"No reply from 127.0.0.1:{server.port} within {TIMEOUT} s" in run.stderr


def test_dripped_body_over_tls_ends_at_the_deadline(job_file, tmp_path):
    with HostileServer("drip_body", interval=0.5, tls=True, tmp_dir=tmp_path) as server:
        run = submit(server.url, job_file, "--cacert", server.ca_path)
    clean(run)
    within(run, TIMEOUT + ROOM)
    assert run.code == 4, run.stderr
    assert f"within {TIMEOUT} s" in run.stderr


def test_dripped_headers_end_at_the_deadline(job_file):
    with HostileServer("drip_headers", interval=0.5) as server:
        run = submit(server.url, job_file)
    clean(run)
    within(run, TIMEOUT + ROOM)
    assert run.code == 4, run.stderr
    assert f"within {TIMEOUT} s" in run.stderr


def test_gzip_bomb_stops_at_the_inflated_limit(job_file):
    with HostileServer("gzip_bomb") as server:
        run = submit(server.url, job_file)
    clean(run)
    within(run, TIMEOUT + ROOM)
    assert run.code == 4, run.stderr
    assert "unpacks to more than the limit of 32 MiB (max_inflated_mib in the profile)" in run.stderr


def test_oversize_reply_refused_by_its_length(job_file):
    with HostileServer("oversize") as server:
        run = submit(server.url, job_file)
    clean(run)
    within(run, TIMEOUT + ROOM)
    assert run.code == 4, run.stderr
    assert "larger than the limit of 16 MiB (max_reply_mib in the profile)" in run.stderr


def test_oversize_reply_without_a_length_stops_at_the_limit(job_file):
    with HostileServer("oversize_stream") as server:
        run = submit(server.url, job_file, "--timeout", "30")
    clean(run)
    assert run.code == 4, run.stderr
    assert "larger than the limit of 16 MiB" in run.stderr


def test_bad_datetime_in_a_reply_is_a_message_not_a_traceback(sandbox):
    from ips_tui.ips.client import IpsClient

    with IpsClient(sandbox.url, sandbox.user, sandbox.password) as client:
        client.submit_job({"companyHandle": "c|101", "jobName": "dated",
                           "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}})

    def rewrite(body: bytes) -> bytes:
        return re.sub(rb"<startDate>[^<]*</startDate>", b"<startDate>31/12/2026 25:99</startDate>", body)

    with HostileServer("mangle", upstream=sandbox.url, rewrite=rewrite) as server:
        run = run_cli("jobs", "--company", "c|101", "--url", server.url, "--user", sandbox.user,
                      "--timeout", str(TIMEOUT), env={"IPS_PASSWORD": sandbox.password})
    clean(run)
    assert run.code == 4, run.stderr
    assert "carries a value that does not fit the API schema" in run.stderr
    assert "31/12/2026 25:99" in run.stderr


def test_dev_zero_as_a_job_file():
    run = run_cli("submit", "/dev/zero", "--dry-run", kill_after=30)
    clean(run)
    assert run.code == 2
    assert run.stderr.strip() == "/dev/zero: not a regular file (a job file is a TOML file)"
    assert run.peak_mib < 150


def test_job_file_nested_500_deep(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text('jobName = "deep"\nx = ' + "[" * 500 + "]" * 500 + "\n")
    run = run_cli("submit", str(path), "--dry-run", kill_after=30)
    clean(run)
    assert run.code == 2
    assert "nested more than 32 deep" in run.stderr and len(run.stderr) < 500


def test_job_file_too_large(tmp_path):
    path = tmp_path / "big.toml"
    path.write_text('jobName = "big"\ndescription = "' + "x" * (5 * 1024 * 1024) + '"\n')
    run = run_cli("submit", str(path), "--dry-run", kill_after=30)
    clean(run)
    assert run.code == 2 and "larger than 4096 KiB" in run.stderr


def test_job_file_with_a_bom(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + JOB.encode())
    run = run_cli("submit", str(path), "--dry-run", kill_after=30)
    assert run.code == 0, run.stderr
    assert "<ns0:jobName>hostile</ns0:jobName>" in run.stdout or "hostile" in run.stdout
