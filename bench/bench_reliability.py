"""Time and peak memory of the CLI against hostile servers and inputs (docs/reliability.md, docs/benchmarks.md).

Each case runs ``ips-tui`` in a subprocess (tests/cli_run.py: ``os.wait4`` gives that child's own peak RSS)
against tests/hostile.py, with ``--timeout 5`` as in the issue's measurements. Run:
``.venv/bin/python bench/bench_reliability.py`` (about a minute; writes the "Reliability" section).
"""

from __future__ import annotations

import os
import platform
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "bench")]

from benchdoc import write_section  # noqa: E402
from cli_run import run_cli  # noqa: E402
from hostile import HostileServer  # noqa: E402

TIMEOUT = 5
JOB = ('companyHandle = "c|101"\njobName = "bench"\n\n[imageServingPublishJob]\npublishType = "Full"\n'
       'emailSetting = "Error"\n')


def main() -> None:
    from ips_tui.ips.client import IpsClient
    from ips_tui.sandbox import Sandbox

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for kind in ("CONFIG", "STATE", "DATA", "CACHE"):
            os.environ[f"IPS_TUI_{kind}_DIR"] = str(tmp / kind.lower())
        os.environ["LANGUAGE"] = "en"
        job = tmp / "job.toml"
        job.write_text(JOB)
        env = {"IPS_PASSWORD": "pw"}

        def submit(url):
            return run_cli("submit", str(job), "--url", url, "--user", "ops@example.com", "--timeout", str(TIMEOUT),
                           env=env)

        for mode, label, bound in (
            ("drip_body", "reply body dripped 1 byte/s", f"--timeout ({TIMEOUT} s)"),
            ("drip_headers", "reply headers dripped 1 line/s", f"--timeout ({TIMEOUT} s)"),
            ("gzip_bomb", "gzip bomb: 1.0 MiB on the wire, 1 GiB unpacked", "32 MiB unpacked"),
            ("oversize", "200 MB reply with a Content-Length", "16 MiB on the wire"),
            ("oversize_stream", "200 MB reply without a length", "16 MiB on the wire"),
        ):
            with HostileServer(mode, interval=1.0) as server:
                rows.append((label, bound, submit(server.url)))

        with Sandbox() as box:
            with IpsClient(box.url, box.user, box.password) as client:
                client.submit_job({"companyHandle": "c|101", "jobName": "dated",
                                   "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}})

            def bad(body: bytes) -> bytes:
                return re.sub(rb"<startDate>[^<]*</startDate>", b"<startDate>not-a-date</startDate>", body)

            with HostileServer("mangle", upstream=box.url, rewrite=bad) as server:
                rows.append(("a bad xsd:dateTime in a reply", "—", run_cli(
                    "jobs", "--company", "c|101", "--url", server.url, "--user", box.user, "--timeout",
                    str(TIMEOUT), env={"IPS_PASSWORD": box.password})))

        rows.append(("`submit /dev/zero --dry-run`", "regular files only", run_cli("submit", "/dev/zero",
                                                                                   "--dry-run")))
        deep = tmp / "deep.toml"
        deep.write_text('jobName = "deep"\nx = ' + "[" * 500 + "]" * 500 + "\n")
        rows.append(("a job file with an array nested 500 deep", "32 levels", run_cli("submit", str(deep),
                                                                                      "--dry-run")))
        big = tmp / "big.toml"
        big.write_text('jobName = "big"\ndescription = "' + "x" * (50 * 1024 * 1024) + '"\n')
        rows.append(("a 50 MiB job file", "4 MiB", run_cli("submit", str(big), "--dry-run")))

    lines = [
        "## Reliability",
        "",
        f"`bench/bench_reliability.py`, {date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}); each case is one `ips-tui` subprocess (`--timeout {TIMEOUT}` "
        "where a server is asked), wall time from start to exit, peak RSS of that process (`os.wait4`).",
        "",
        "| case | bound | exit | time | peak memory | message (start) |",
        "|---|---|---:|---:|---:|---|",
    ]
    for label, bound, run in rows:
        message = (run.stderr.strip().splitlines() or [""])[-1]
        message = re.sub(r"^\S*job\.toml: |^ips-tui: |^\S+\.toml: |^/dev/zero: ", "", message)[:90]
        message = re.sub(r"127\.0\.0\.1:\d+", "HOST", message)
        lines.append(f"| {label} | {bound} | {run.code} | {run.seconds:.1f} s | {run.peak_mib:.0f} MiB | "
                     f"{message.replace('|', '/')} |")
        print(f"{label:50} exit {run.code}  {run.seconds:6.1f} s  {run.peak_mib:6.0f} MiB  {message}")
    lines += ["", "Before (issue 14, same machine): the dripped body took 155 s, dripped headers 100 s, the gzip "
              "bomb 2 GB, `/dev/zero` 4.7 GB in 6 s, the 500-deep file a RecursionError."]
    write_section("## Reliability", "\n".join(lines))


if __name__ == "__main__":
    main()
