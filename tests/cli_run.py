"""Run the ips-tui CLI in a subprocess and measure it: exit code, output, wall time and peak memory.

The peak is the child's own ``VmHWM`` (from ``/proc/self/status``, written by a small launcher as the CLI
exits): ``ru_maxrss`` (``os.wait4``, ``RUSAGE_CHILDREN``) would also count the pages of the forking test
process, which Linux carries over into the child's maximum across ``exec``. Where ``/proc`` is missing the
``os.wait4`` figure is used (an over-estimate, still a valid upper bound).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
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


# `python -m ips_tui ARGS`, then the process's own peak RSS into the file named by IPS_TEST_PEAK_FILE
_LAUNCHER = """
import os, sys
sys.argv[0] = "ips-tui"
code = 1
try:
    from ips_tui.cli import main
    code = main(sys.argv[1:])
finally:
    try:
        with open("/proc/self/status") as fh:
            peak = next(line.split()[1] for line in fh if line.startswith("VmHWM:"))
        with open(os.environ["IPS_TEST_PEAK_FILE"], "w") as out:
            out.write(peak)
    except (OSError, StopIteration, KeyError):
        pass
sys.exit(code)
"""


def run_cli(*args: str, env: dict | None = None, kill_after: float = 120.0) -> Run:
    peak_file = tempfile.NamedTemporaryFile(prefix="ips-peak-", delete=False)
    peak_file.close()
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", "IPS_TEST_PEAK_FILE": peak_file.name, **(env or {})}
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER, *args], stdin=subprocess.DEVNULL,
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
    peak_mib = usage.ru_maxrss / 1024
    try:
        with open(peak_file.name) as fh:
            peak_mib = int(fh.read().strip()) / 1024
    except (OSError, ValueError):
        pass
    finally:
        os.unlink(peak_file.name)
    return Run(proc.returncode, chunks.get("out", b"").decode("utf-8", "replace"),
               chunks.get("err", b"").decode("utf-8", "replace"), seconds, peak_mib)
