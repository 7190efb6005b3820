"""How long the sandbox takes to handle one submitJob, over an HTTP/1.1 keep-alive connection.

Baseline in the same run: the same POST to a trivial app answering a constant, served by the same
threaded werkzeug server and keep-alive handler the sandbox uses. The difference is the sandbox's own
work (safe parse, schema validation, auth, role table, submitJob checks, job creation, reply).

    .venv/bin/python bench/bench_sandbox.py [--n 3000] [--no-write]

Writes the ``## Sandbox submit`` section of docs/benchmarks.md (only that section).
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import platform
import statistics
import sys
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchdoc import write_section  # noqa: E402
from ips_tui.sandbox import Sandbox  # noqa: E402
from ips_tui.sandbox.raw import envelope  # noqa: E402
from ips_tui.sandbox.server import _Handler, _Server  # noqa: E402

SECTION = "## Sandbox submit"
GOAL_MS = 5.0

PARAMS = (
    "<companyHandle>c|101</companyHandle><jobName>bench-{i}</jobName><locale>en-US</locale>"
    "<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
    "<contextHandle>pc|10101</contextHandle></imageServingPublishJob>"
)
CONSTANT = (b'<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/'
            b'soap/envelope/"><soapenv:Body><submitJobReturn xmlns="http://www.scene7.com/IpsApi/xsd/2014-04-03">'
            b"<jobHandle>j|101|bench||</jobHandle></submitJobReturn></soapenv:Body></soapenv:Envelope>")


def constant_app(environ, start_response):
    length = int(environ.get("CONTENT_LENGTH") or 0)
    environ["wsgi.input"].read(length)
    environ["ips.keep_alive"] = True
    start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(CONSTANT)))])
    return [CONSTANT]


def measure(host: str, port: int, bodies: list[bytes], warmup: int) -> list[float]:
    conn = http.client.HTTPConnection(host, port, timeout=10)
    # requests (zeep's transport) always offers gzip, and the service then answers gzipped
    headers = {"Content-Type": "text/xml; charset=UTF-8", "SOAPAction": '"submitJob"', "Accept-Encoding": "gzip"}
    out = []
    for n, body in enumerate(bodies):
        t = time.perf_counter()
        conn.request("POST", "/scene7/services/IpsApiService", body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if resp.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        elapsed = time.perf_counter() - t
        if resp.status != 200 or b"jobHandle" not in data:
            raise SystemExit(f"unexpected reply: {resp.status} {data[:300]!r}")
        if resp.getheader("Connection") != "keep-alive":
            raise SystemExit("the connection was not kept alive")
        if n >= warmup:
            out.append(elapsed * 1000)
    conn.close()
    return out


def summary(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99, statistics.mean(ordered)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000, help="measured requests per target")
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args(argv)

    total = args.n + args.warmup
    base_server = _Server("127.0.0.1", 0, constant_app, handler=_Handler)
    thread = threading.Thread(target=base_server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    with Sandbox(speed=0) as sb:
        port = int(sb.url.split(":")[2].split("/")[0])
        sb_bodies = [envelope("submitJob", PARAMS.format(i=i), user=sb.user, password=sb.password)
                     for i in range(total)]
        # interleave rounds so both targets see the same machine conditions
        base, sand = [], []
        rounds = 5
        per = total // rounds
        for r in range(rounds):
            chunk = sb_bodies[r * per:(r + 1) * per]
            base += measure("127.0.0.1", base_server.server_address[1], chunk, args.warmup if r == 0 else 0)
            sand += measure("127.0.0.1", port, chunk, args.warmup if r == 0 else 0)
        submitted = len(sb.submitted_jobs())
    base_server.shutdown()
    base_server.server_close()

    b_med, b_p99, b_mean = summary(base)
    s_med, s_p99, s_mean = summary(sand)
    verdict = "meets" if s_med < GOAL_MS else "MISSES"
    lines = [
        SECTION,
        "",
        f"`bench/bench_sandbox.py`, {date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}), {len(sand)} measured submitJob requests per target after "
        f"{args.warmup} warm-up ones, one HTTP/1.1 keep-alive connection from `http.client` offering gzip (as "
        f"requests does; the sandbox answers gzipped, the baseline plain), sandbox clock frozen "
        f"({submitted} jobs accepted).",
        "",
        "| target | median | p99 | mean |",
        "|---|---|---|---|",
        f"| baseline: same POST, same server and keep-alive handler, app answers a constant | {b_med:.3f} ms | "
        f"{b_p99:.3f} ms | {b_mean:.3f} ms |",
        f"| sandbox submitJob (parse, validate, auth, roles, checks, job, reply) | {s_med:.3f} ms | {s_p99:.3f} ms "
        f"| {s_mean:.3f} ms |",
        f"| sandbox's own work (difference of medians) | {s_med - b_med:.3f} ms | | |",
        "",
        f"Goal: median under {GOAL_MS:g} ms — the sandbox {verdict} it. Round trip includes the client's own "
        "request building and reply reading, identical for both targets.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if not args.no_write:
        write_section(SECTION, text)
    return 0 if s_med < GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())
