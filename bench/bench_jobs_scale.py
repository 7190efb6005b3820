"""Jobs at scale: `ips-tui jobs --json` against a sandbox holding 100 → 5,000 scheduled jobs.

A standalone sandbox (its own process, clock frozen so nothing fires) is filled over the protocol: submitJob
envelopes (built beforehand) POSTed on one keep-alive `http.client` connection, each a recurring
imageServingPublishJob with its own name. At each size, interleaved round by round:

* `ips-tui jobs --json --url … --user …` as a whole process (start-up, connection, journal check, the three
  listing calls, parsing, JSON out);
* the baseline: a fresh `python` that makes the same three calls (getActiveJobs, getScheduledJobs, getJobLogs
  with numRows 10; same envelopes) with `http.client` and parses each reply whole with `lxml.etree`.

Also recorded: the sandbox's cost per submit while it fills (does a submit cost more as jobs pile up?) and its
resident memory.

    .venv/bin/python bench/bench_jobs_scale.py [--sizes 100,1000,5000] [--rounds 5] [--no-write]

Writes the ``## Jobs at scale`` section of docs/benchmarks.md (only that section).
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
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchdoc import write_section  # noqa: E402

SECTION = "## Jobs at scale"
COMPANY = "c|101"

SANDBOX = """
import json, signal, threading
from ips_tui.sandbox import Sandbox
sb = Sandbox(speed=0)
sb.start()
print(json.dumps({"url": sb.url, "user": sb.user, "password": sb.password}), flush=True)
stop = threading.Event()
signal.signal(signal.SIGINT, lambda *a: stop.set())
stop.wait()
sb.stop()
"""

BASELINE = """
import http.client, sys, json
from lxml import etree
spec = json.load(open(sys.argv[1]))
conn = http.client.HTTPConnection(spec["host"], spec["port"], timeout=60)
counts = []
for op, body in spec["calls"]:
    conn.request("POST", spec["path"], body=body.encode(), headers={"Content-Type": "text/xml; charset=utf-8",
                                                                  "SOAPAction": '"' + op + '"'})
    resp = conn.getresponse()
    root = etree.fromstring(resp.read())
    counts.append(len(root[0][0][0]))
print(json.dumps(counts))
"""


def start_sandbox(env) -> tuple[subprocess.Popen, dict]:
    proc = subprocess.Popen([sys.executable, "-c", SANDBOX], stdout=subprocess.PIPE, text=True, env=env)
    return proc, json.loads(proc.stdout.readline())


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def envelopes(info: dict, first: int, count: int) -> list[bytes]:
    from ips_tui.ips.client import IpsClient

    with IpsClient(info["url"], info["user"], info["password"]) as client:
        return [client.build_envelope("submitJob", {
            "companyHandle": COMPANY, "jobName": f"nightly-{i:05d}", "execSchedule": "0 30 6 ? * MON-FRI",
            "imageServingPublishJob": {"publishType": "Incremental", "emailSetting": "Error",
                                       "contextHandle": "pc|10101"}}, mask_password=False)
            for i in range(first, first + count)]


def listing_calls(info: dict) -> list[tuple[str, str]]:
    from ips_tui.ips.client import IpsClient

    with IpsClient(info["url"], info["user"], info["password"]) as client:
        return [(op, client.build_envelope(op, params, mask_password=False).decode())
                for op, params in (("getActiveJobs", {"companyHandle": COMPANY}),
                                   ("getScheduledJobs", {"companyHandle": COMPANY}),
                                   ("getJobLogs", {"companyHandle": COMPANY, "sortBy": "StartDate",
                                                   "sortDirection": "Descending", "numRows": 10}))]


def fill(info: dict, bodies: list[bytes]) -> float:
    """POST the submits on one keep-alive connection; seconds per submit."""
    url = urlsplit(info["url"])
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '"submitJob"'}
    t = time.perf_counter()
    for body in bodies:
        conn.request("POST", url.path or "/", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.status != 200 or b"jobHandle" not in data:
            raise SystemExit(f"submit failed: {resp.status} {data[:300]!r}")
    conn.close()
    return (time.perf_counter() - t) / max(1, len(bodies))


def run_cli(info: dict, env: dict, expect: int) -> float:
    cmd = [sys.executable, "-m", "ips_tui", "jobs", "--json", "--company", COMPANY, "--url", info["url"],
           "--user", info["user"]]
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    elapsed = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"ips-tui jobs failed ({done.returncode}): {done.stderr[-800:]}")
    got = len(json.loads(done.stdout)["scheduled"])
    if got != expect:
        raise SystemExit(f"ips-tui jobs listed {got} scheduled jobs, not {expect}")
    return elapsed


def run_raw(spec_file: str, env: dict, expect: int) -> float:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", BASELINE, spec_file], env=env, capture_output=True, text=True,
                          timeout=600)
    elapsed = time.perf_counter() - t
    if done.returncode != 0 or json.loads(done.stdout)[1] != expect:
        raise SystemExit(f"baseline failed: {done.stdout} {done.stderr[-800:]}")
    return elapsed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,500,1000,2000,5000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()
    sizes = [int(x) for x in a.sizes.split(",")]
    home = tempfile.mkdtemp(prefix="ips-bench-jobs-")
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env.update(XDG_CONFIG_HOME=f"{home}/config", XDG_STATE_HOME=f"{home}/state", XDG_DATA_HOME=f"{home}/data",
               XDG_CACHE_HOME=f"{home}/cache", PYTHONDONTWRITEBYTECODE="")
    proc, info = start_sandbox(env)
    env["IPS_PASSWORD"] = info["password"]
    rows = []
    try:
        url = urlsplit(info["url"])
        spec_file = f"{home}/calls.json"
        Path(spec_file).write_text(json.dumps({"host": url.hostname, "port": url.port, "path": url.path or "/",
                                               "calls": listing_calls(info)}))
        base_rss = None
        have = 0
        for size in sizes:
            per_submit = fill(info, envelopes(info, have, size - have))
            have = size
            if base_rss is None:
                base_rss = rss_mib(proc.pid)
            run_cli(info, env, size)  # warm-up: bytecode, the sandbox's lazy parts
            run_raw(spec_file, env, size)
            cli, raw = [], []
            for _ in range(a.rounds):
                cli.append(run_cli(info, env, size))
                raw.append(run_raw(spec_file, env, size))
            rows.append({"size": size, "per_submit_ms": per_submit * 1000, "cli": statistics.median(cli),
                         "raw": statistics.median(raw), "cli_all": cli, "raw_all": raw,
                         "rss": rss_mib(proc.pid)})
            r = rows[-1]
            print(f"{size:>5} jobs: submit {r['per_submit_ms']:.3f} ms · cli {r['cli']:.3f} s · raw {r['raw']:.3f} s "
                  f"· {r['cli'] / r['raw']:.2f}× · sandbox {r['rss']:.1f} MiB", flush=True)
    finally:
        proc.send_signal(2)
        proc.wait(timeout=10)
    if not a.no_write:
        write_section(SECTION, render(rows, a.rounds))


#: the same bench before listings were read lean (zeep parsed every job's echoed request), for comparison
BEFORE = ("Before listings were read lean (same bench and machine, 2026-12-01): 0.914 s against 0.210 s at "
          "5,000 jobs (4.35×) and 0.152 s against 0.047 s at 100 (3.2×).")


def render(rows: list[dict], rounds: int) -> str:
    first, last = rows[0], rows[-1]
    lines = [
        SECTION, "",
        f"`bench/bench_jobs_scale.py`, {date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}), {os.cpu_count()} CPUs; a standalone sandbox (own process, "
        f"clock frozen) filled over the protocol with recurring jobs in one company; {rounds} interleaved rounds "
        "per size, medians. `ips-tui jobs --json` is the whole process; the baseline is a fresh `python` making "
        "the same three calls (getActiveJobs, getScheduledJobs, getJobLogs numRows 10) with `http.client` and "
        "parsing each reply whole with `lxml.etree`. Submit: the sandbox's time per submitJob while it filled "
        "up to that size (one keep-alive connection).", "",
        "| scheduled jobs | `ips-tui jobs --json` | baseline | ratio (goal ≤ 1.5×) | submit while filling | "
        "sandbox memory |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['cli']:.3f} s | {r['raw']:.3f} s | {r['cli'] / r['raw']:.2f}× | "
                     f"{r['per_submit_ms']:.2f} ms | {r['rss']:.1f} MiB |")
    grow = (last["cli"] - first["cli"]) / max(1, last["size"] - first["size"]) * 1000
    grow_raw = (last["raw"] - first["raw"]) / max(1, last["size"] - first["size"]) * 1000
    per_job = (last["rss"] - first["rss"]) / max(1, last["size"] - first["size"]) * 1024
    lines += [
        "",
        f"How cost grows from {first['size']:,} to {last['size']:,} jobs: `ips-tui jobs --json` "
        f"{grow:.3f} ms more per job, the baseline {grow_raw:.3f} ms (both linear: most of it is the sandbox "
        f"writing each job's reply item); a submit costs {first['per_submit_ms']:.2f} ms at the start and "
        f"{last['per_submit_ms']:.2f} ms at the end (scheduled jobs are indexed by next fire time, so filling "
        f"is linear, not quadratic); the sandbox holds about {per_job:.2f} KiB per scheduled job.",
        "",
        f"What `ips-tui jobs --json` adds to the baseline: about {(first['cli'] - first['raw']) * 1000:.0f} ms that "
        "does not grow (its own modules, the command line, the connection, the journal check) and about "
        f"{((last['cli'] - last['raw']) - (first['cli'] - first['raw'])) / max(1, last['size'] - first['size']) * 1000:.3f}"
        " ms per job (each item's simple fields into a dict, then JSON). " + BEFORE,
        "",
        "Every run (s): " + " · ".join(
            f"{r['size']:,}: cli {', '.join(f'{x:.3f}' for x in r['cli_all'])}; "
            f"raw {', '.join(f'{x:.3f}' for x in r['raw_all'])}" for r in rows) + ".",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
