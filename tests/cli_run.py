"""Run the ips-tui CLI in a subprocess and measure it: exit code, output, wall time and peak memory.

``os.wait4`` gives the resource usage of that one child (``RUSAGE_CHILDREN`` would mix in every earlier
child of the test process). Linux reports ``ru_maxrss`` in KiB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mib: float


def run_cli(*args: str, env: dict | None = None, kill_after: float = 120.0) -> Run:
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "ips_tui", *args], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=full_env)
    chunks: dict[str, bytes] = {}

    def drain(name, pipe):
        chunks[name] = pipe.read()

    readers = [threading.Thread(target=drain, args=(n, p), daemon=True)
               for n, p in (("out", proc.stdout), ("err", proc.stderr))]
    for r in readers:
        r.start()
    killer = threading.Timer(kill_after, proc.kill)
    killer.start()
    try:
        _pid, status, usage = os.wait4(proc.pid, 0)  # reaped here, with this child's own usage
    finally:
        killer.cancel()
    seconds = time.monotonic() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    for r in readers:
        r.join(10)
    return Run(proc.returncode, chunks.get("out", b"").decode("utf-8", "replace"),
               chunks.get("err", b"").decode("utf-8", "replace"), seconds, usage.ru_maxrss / 1024)
