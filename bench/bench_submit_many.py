"""Many job files in one command: `ips-tui submit *.toml` at concurrency 1 and 8, against the sandbox.

The sandbox runs in its own process (`ips-tui sandbox --port 0`), so it never shares a GIL with what is
measured. Targets, interleaved round by round so they see the same machine conditions:

* `ips-tui submit FILES --concurrency N --json` as a whole command (a fresh process: start-up, parsing
  and validating every file, reconciling, the journal written before and after every send, zeep);
* a raw HTTP POST of the same envelopes (built once, beforehand) from `http.client` threads with one
  keep-alive connection each, at the same concurrency — the floor the network and the sandbox allow.

    .venv/bin/python bench/bench_submit_many.py [--files 200] [--rounds 3] [--no-write]

Writes the ``## Many-file submission`` section of docs/benchmarks.md (only that section).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchdoc import write_section  # noqa: E402

SECTION = "## Many-file submission"
JOB = """companyHandle = "c|101"
jobName = "{name}"
locale = "en-US"

[imageServingPublishJob]
publishType = "Full"
emailSetting = "Error"
contextHandle = "pc|10101"
"""


SANDBOX = """
import json, signal, sys, threading
from ips_tui.sandbox import Sandbox
sb = Sandbox()
sb.start()
if {latency} > 0:  # every submitJob waits first, like a service in another region
    sb.inject("delay", operation="submitJob", times=10**9, seconds={latency})
print(json.dumps({{"url": sb.url, "user": sb.user, "password": sb.password}}), flush=True)
stop = threading.Event()
signal.signal(signal.SIGINT, lambda *a: stop.set())
stop.wait()
sb.stop()
"""


def start_sandbox(env, latency: float) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-c", SANDBOX.format(latency=latency)], stdout=subprocess.PIPE,
                            text=True, env=env)
    return proc, json.loads(proc.stdout.readline())


def write_files(folder: Path, prefix: str, n: int) -> list[str]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        p = folder / f"{prefix}-{i:04d}.toml"
        p.write_text(JOB.format(name=f"{prefix}-{i:04d}"))
        paths.append(str(p))
    return paths


def run_cli(files: list[str], info: dict, concurrency: int, env: dict) -> float:
    cmd = [sys.executable, "-m", "ips_tui", "submit", *files, "--concurrency", str(concurrency), "--json",
           "--url", info["url"], "--user", info["user"]]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - t
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.strip()]
    handles = {x.get("jobHandle") for x in lines}
    if done.returncode != 0 or len(lines) != len(files) or None in handles or len(handles) != len(files):
        raise SystemExit(f"ips-tui submit failed ({done.returncode}): {done.stderr[-800:]}")
    return elapsed


def envelopes(files: list[str], info: dict) -> list[bytes]:
    from ips_tui.ips.client import IpsClient
    from ips_tui.job.request import JobRequest

    with IpsClient(info["url"], info["user"], info["password"]) as client:
        return [client.build_envelope("submitJob", JobRequest.from_toml(f).to_payload(), mask_password=False)
                for f in files]


def run_raw(bodies: list[bytes], info: dict, concurrency: int) -> float:
    url = urlsplit(info["url"])
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"submitJob"'}
    local = threading.local()

    def post(body: bytes) -> None:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
        conn.request("POST", url.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200 or b"jobHandle" not in data:
            raise SystemExit(f"unexpected reply: {resp.status} {data[:300]!r}")

    t = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(post, bodies))
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=200, help="job files per command")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--latency", type=float, default=0.05, help="seconds added to each submitJob (second setting)")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="ips-bench-many-"))
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env.update(IPS_TUI_STATE_DIR=str(work / "state"), IPS_TUI_CONFIG_DIR=str(work / "config"))
    rows, runs = [], []
    for latency in (0.0, args.latency):
        med, times = measure(work / f"l{latency}", env, latency, args.files, args.rounds)
        where = "loopback" if latency == 0 else f"{latency * 1000:.0f} ms added to each submitJob"
        rows += [
            f"| {where}: `ips-tui submit` {args.files} files | {med[('cli', 1)]:.2f} s · "
            f"{args.files / med[('cli', 1)]:.0f}/s | {med[('cli', 8)]:.2f} s · {args.files / med[('cli', 8)]:.0f}/s "
            f"| {med[('cli', 1)] / med[('cli', 8)]:.1f}× |",
            f"| {where}: raw HTTP POST, same envelopes | {med[('raw', 1)]:.2f} s · {args.files / med[('raw', 1)]:.0f}/s "
            f"| {med[('raw', 8)]:.2f} s · {args.files / med[('raw', 8)]:.0f}/s | {med[('raw', 1)] / med[('raw', 8)]:.1f}× |",
            f"| {where}: command / raw | {med[('cli', 1)] / med[('raw', 1)]:.1f}× | "
            f"{med[('cli', 8)] / med[('raw', 8)]:.1f}× | |",
        ]
        runs.append(f"{where}: " + "; ".join(
            f"{kind} c{conc} " + ", ".join(f"{x:.2f}" for x in times[(kind, conc)]) for kind, conc in TARGETS))
    lines = [
        SECTION,
        "",
        f"`bench/bench_submit_many.py`, {date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}), {os.cpu_count()} CPUs; {args.files} job files per command "
        f"(imageServingPublishJob), sandbox in its own process, {args.rounds} interleaved rounds, medians; jobs/s in "
        "the cells. The command's time is the whole process: start-up, reading and validating every file, "
        "reconciling, the journal (each row on disk before its request leaves, `synchronous=FULL`) and zeep. The "
        "raw POST sends the same envelopes, built beforehand, from threads with one keep-alive connection each. "
        f"The second setting makes the sandbox wait {args.latency * 1000:.0f} ms before each submitJob, as a "
        "service in another region does; that is where concurrency pays.",
        "",
        "| setting and target | concurrency 1 | concurrency 8 | 8 against 1 |",
        "|---|---|---|---|",
        *rows,
        "",
        "Every run (s): " + " · ".join(runs) + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0


TARGETS = [("cli", 1), ("raw", 1), ("cli", 8), ("raw", 8)]


def measure(work: Path, env: dict, latency: float, n: int, rounds: int):
    proc, info = start_sandbox(env, latency)
    env = dict(env, IPS_PASSWORD=info["password"])
    times: dict[tuple[str, int], list[float]] = {t: [] for t in TARGETS}
    try:
        for r in range(rounds):
            for kind, conc in TARGETS:
                files = write_files(work / f"r{r}-{kind}-{conc}", f"r{r}-{kind}-{conc}", n)
                if kind == "cli":
                    times[(kind, conc)].append(run_cli(files, info, conc, env))
                else:
                    times[(kind, conc)].append(run_raw(envelopes(files, info), info, conc))
    finally:
        proc.send_signal(2)
        proc.wait(timeout=10)
    return {t: statistics.median(v) for t, v in times.items()}, times


if __name__ == "__main__":
    sys.exit(main())
