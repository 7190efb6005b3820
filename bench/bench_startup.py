"""Start-up of ``ips-tui --sandbox`` against a one-widget Textual app, in the same run, interleaved.

Each program is started in a fresh pseudo-terminal (80×24, TERM=xterm-256color). *First paint* is the
time from spawning the process until its first frame has reached the terminal, recognised by a word
that only the first real screen contains (``SANDBOX`` in the environment band; ``READY`` in the bare
app). *Memory* is the process's resident set (VmRSS) 3 s after start; an ips-tui run counts only if its
embedded sandbox is serving by then (the sandbox's demo user is on the screen). Runs alternate bare /
ips-tui / the three comparisons (ips-tui without the sandbox; the bare app after importing what ips-tui imports
before its first frame; ips-tui with the cyclic collector left on through start-up); the median of 5 of each is
reported. The programs run this checkout's ``ips_tui``.

    python bench/bench_startup.py             # print the table
    python bench/bench_startup.py --write     # also replace the "## Start-up" section of docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import fcntl
import os
import platform
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchdoc import write_section  # noqa: E402  (replaces only our section of docs/benchmarks.md)

ROOT = Path(__file__).resolve().parent.parent
SECTION = "## Start-up"

BARE_APP = """
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static("READY")


Bare().run()
"""


def run_once(argv: list[str], marker: bytes, env: dict[str, str], hold: float = 3.0,
             cols: int = 80, rows: int = 24, serving: bytes | None = None,
             then: bytes | None = None) -> tuple[float | None, int | None, float | None]:
    """(seconds to the first frame with ``marker``, VmRSS in KiB after ``hold`` seconds, seconds until
    ``then`` reached the terminal too, if given).

    With ``serving``, the memory reading counts only if that text reached the terminal before it (for ips-tui:
    the sandbox's user in the environment band, i.e. the embedded sandbox is up and serving); else None."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    first = None
    later = None
    tail = b""
    up = serving is None
    try:
        while time.perf_counter() - started < hold:
            ready, _w, _x = select.select([master], [], [], 0.02)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 1 << 16)
            except OSError:
                break
            if first is None:
                seen = (seen + chunk)[-4096:] if len(seen) > 4096 else seen + chunk
                if marker in seen:
                    first = time.perf_counter() - started
            if not up or (then is not None and later is None):
                tail = (tail + chunk)[-8192:]
                up = up or serving in tail
                if then is not None and later is None and then in tail:
                    later = time.perf_counter() - started
        rss = None
        try:
            with open(f"/proc/{proc.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
        except OSError:
            pass
        if not up:
            rss = None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # drain so the child is not blocked on a full pty while exiting
        try:
            while select.select([master], [], [], 0.01)[0]:
                if not os.read(master, 1 << 16):
                    break
        except OSError:
            pass
        os.close(master)
    return first, rss, later


# What ips-tui imports on its way to the first frame (the command line, the app, its default screen and
# first step), loaded by the bare app before it starts: separates import time from building the wizard.
IPS_IMPORTS = ("ips_tui.cli", "ips_tui.tui.app", "ips_tui.tui.wizard.screen", "ips_tui.tui.wizard.steps.start")

# On the screen once the embedded sandbox is serving (its demo user, in the environment band).
SANDBOX_SERVING = b"demo@sandbox.ips"
# The start step's title: when the screen the operator works in is on the terminal.
START_STEP = b"Where does the job go?"

# ips-tui as it would start if it left Python's cyclic collector on through start-up (cli.run_tui turns it
# off until the first frame is up): shows what that setting is worth, next to everything else.
GC_ON = """
import gc, sys
gc.disable = lambda: None
from ips_tui.cli import main
sys.exit(main())
"""

PROGRAMS = ("bare", "ips", "alone", "imports", "gc_on")


def measure(runs: int = 5) -> dict:
    tmp = tempfile.mkdtemp(prefix="ips-bench-")
    bare_file = Path(tmp) / "bare_app.py"
    bare_file.write_text(BARE_APP)
    imports_file = Path(tmp) / "bare_app_ips_imports.py"
    imports_file.write_text("".join(f"import {name}\n" for name in IPS_IMPORTS) + BARE_APP)
    env = dict(os.environ)
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24", IPS_TUI_STATE_DIR=str(Path(tmp) / "state"),
               IPS_TUI_CONFIG_DIR=str(Path(tmp) / "config"), LANG="C.UTF-8")
    # As installed: a wheel install compiles .pyc files; let the warm-up run write them (this machine sets
    # PYTHONDONTWRITEBYTECODE, which would make every run compile ips_tui from source while Textual's own
    # .pyc files come from its install).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    # the programs run from the repository (this checkout's ips_tui, whatever the virtualenv points at)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    bare = [sys.executable, str(bare_file)]
    ips = [sys.executable, "-m", "ips_tui", "--sandbox"]
    # the same app without the embedded sandbox (a closed local port; it waits for a password, sends nothing)
    alone = [sys.executable, "-m", "ips_tui", "--url", "http://127.0.0.1:9/scene7/services/IpsApiService",
             "--user", "bench@example.com"]
    env.pop("IPS_PASSWORD", None)
    gc_on = [sys.executable, "-c", GC_ON, "--sandbox"]
    plan = (("bare", bare, b"READY", None), ("ips", ips, b"SANDBOX", SANDBOX_SERVING),
            ("alone", alone, b"CUSTOM", None), ("imports", [sys.executable, str(imports_file)], b"READY", None),
            ("gc_on", gc_on, b"SANDBOX", SANDBOX_SERVING))
    results: dict[str, list] = {f"{name}_{what}": [] for name in PROGRAMS for what in ("paint", "rss")}
    results["ips_step"] = []
    # one warm-up of each (file-system caches, bytecode), not counted
    for _name, argv, marker, _serving in plan:
        run_once(argv, marker, env, hold=1.0)
    for _i in range(runs):
        for name, argv, marker, serving in plan:
            paint, rss, step = run_once(argv, marker, env, serving=serving,
                                        then=START_STEP if name == "ips" else None)
            if paint is None or rss is None or (name == "ips" and step is None):
                raise SystemExit(f"{name}: no first paint seen, no memory reading, or the sandbox not up in time")
            results[f"{name}_paint"].append(paint)
            results[f"{name}_rss"].append(rss)
            if name == "ips":
                results["ips_step"].append(step)
    med = {k: statistics.median(v) for k, v in results.items()}
    med["paint_ratio"] = med["ips_paint"] / med["bare_paint"]
    med["rss_ratio"] = med["ips_rss"] / med["bare_rss"]
    med["alone_paint_ratio"] = med["alone_paint"] / med["bare_paint"]
    med["alone_rss_ratio"] = med["alone_rss"] / med["bare_rss"]
    med["imports_paint_ratio"] = med["imports_paint"] / med["bare_paint"]
    med["gc_on_paint_ratio"] = med["gc_on_paint"] / med["bare_paint"]
    med["gc_on_rss_ratio"] = med["gc_on_rss"] / med["bare_rss"]
    med["runs"] = runs
    med["raw"] = results
    return med


def section(m: dict) -> str:
    import textual

    ok = lambda r: "met" if r <= 1.3 else "missed"  # noqa: E731
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    mib = lambda k: f"{k / 1024:.1f} MiB"  # noqa: E731
    runs = lambda name: ", ".join(  # noqa: E731
        f"{p * 1000:.0f}/{r / 1024:.1f}" for p, r in zip(m["raw"][f"{name}_paint"], m["raw"][f"{name}_rss"]))
    goal_paint, goal_rss = 1.3 * m["bare_paint"], 1.3 * m["bare_rss"]
    lines = [
        SECTION,
        "",
        f"`bench/bench_startup.py`, {date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}), Textual {textual.__version__}, {os.cpu_count()} CPUs; "
        f"each program in a fresh 80×24 pseudo-terminal, runs interleaved (bare, ips-tui, …) × {m['runs']}, "
        "medians. First paint: spawn → first frame on the terminal. Memory: VmRSS 3 s after start; an ips-tui "
        "run counts only if its embedded sandbox is serving by then (the sandbox's user is on the screen). "
        "The idle sandbox has not loaded lxml, its schema validator, the Quartz parser or babel: its first "
        "SOAP request does, and none arrives in these 3 s; zeep is loaded only when the Review step first "
        "needs it. Bytecode is cached as after an install (a warm-up run of each writes it).",
        "",
        "| program | first paint | memory at 3 s |",
        "|---|---|---|",
        f"| bare one-widget Textual app | {ms(m['bare_paint'])} | {mib(m['bare_rss'])} |",
        f"| `ips-tui --sandbox` | {ms(m['ips_paint'])} | {mib(m['ips_rss'])} |",
        f"| `ips-tui --sandbox`: its start step on the screen | "
        f"{ms(m['ips_step'])} ({m['ips_step'] / m['bare_paint']:.2f}×) | |",
        f"| **ratio** (goal ≤ 1.3×) | **{m['paint_ratio']:.3f}×** ({ok(m['paint_ratio'])}) | "
        f"**{m['rss_ratio']:.3f}×** ({ok(m['rss_ratio'])}) |",
        f"| for comparison: `ips-tui --url … --user …` (no sandbox; waits at the password prompt) | "
        f"{ms(m['alone_paint'])} ({m['alone_paint_ratio']:.2f}×) | {mib(m['alone_rss'])} "
        f"({m['alone_rss_ratio']:.2f}×) |",
        f"| for comparison: the bare app after importing what ips-tui imports before its first frame "
        f"({', '.join(f'`{n}`' for n in IPS_IMPORTS)}) | {ms(m['imports_paint'])} "
        f"({m['imports_paint_ratio']:.2f}×) | {mib(m['imports_rss'])} |",
        f"| for comparison: `ips-tui --sandbox` with Python's cyclic collector left on through start-up | "
        f"{ms(m['gc_on_paint'])} ({m['gc_on_paint_ratio']:.2f}×) | {mib(m['gc_on_rss'])} "
        f"({m['gc_on_rss_ratio']:.2f}×) |",
        "",
        "Memory: the embedded sandbox (its HTTP server and thread, users, companies, clock) is in the ips-tui "
        "figure; lxml, the schema validator, the Quartz parser (cron-descriptor) and babel, about 9 MiB more, come "
        "with its first SOAP request. The `--url` run has no sandbox but checks the submission journal (sqlite3) "
        "for unanswered submissions to that service and shows the password prompt, which the sandbox run does "
        "not need. Start-up's few cyclic leftovers are frozen with everything else it made (see below), "
        f"about {(m['ips_rss'] - m['gc_on_rss']) / 1024:.1f} MiB against the collector-on run. "
        f"The goal is {mib(goal_rss)}; ips-tui is {abs(m['ips_rss'] - goal_rss) / 1024:.1f} MiB "
        f"{'under' if m['ips_rss'] <= goal_rss else 'over'} it.",
        "",
        f"First paint: the goal is {ms(goal_paint)}; ips-tui is {ms(abs(m['ips_paint'] - goal_paint))} "
        f"{'under' if m['ips_paint'] <= goal_paint else 'over'} it. Python's cyclic collector is off from the "
        "start of `ips-tui` until its first frame is up: start-up makes only long-lived objects (Textual's "
        "modules, the first screen) and collecting while they are made walks them again and again for nothing. "
        f"Left on, as in the bare app, the first paint is {ms(m['gc_on_paint'])} ({m['gc_on_paint_ratio']:.2f}×, "
        "the last row). Once the frame is up the collector resumes, with what start-up made frozen "
        "(`gc.freeze`), so the collections that run while the operator types leave those objects out. "
        f"Of the collector-on run's {ms(m['gc_on_paint'] - m['bare_paint'])} over the bare app, about "
        f"{ms(m['imports_paint'] - m['bare_paint'])} is importing ips-tui's own modules (the bare app with them "
        f"imported) and the rest, about {ms(m['gc_on_paint'] - m['imports_paint'])}, building and painting the "
        "wizard's first screen (its stylesheet, environment band, step bar, start step, status line and footer: "
        + ("the first frame already holds the start step" if m["ips_step"] - m["ips_paint"] < 0.005 else
           f"the start step follows {ms(m['ips_step'] - m['ips_paint'])} after the first frame")
        + "; the footer's keys are drawn in the next frame, once Textual knows the screen's bindings). "
        "Painting the bands first and the start step a frame later was tried: the first frame came sooner but "
        "the start step some 90 ms later than when it is part of the first frame, so the screen the operator "
        "works in is painted whole, at once. The sandbox is not on that path: the wizard imports and starts it "
        "in a worker thread after the screen is mounted.",
        "",
        f"Every run (ms / MiB): bare {runs('bare')}; ips-tui {runs('ips')}; without sandbox {runs('alone')}; "
        f"bare with ips-tui's imports {runs('imports')}; collector on {runs('gc_on')}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    m = measure(args.runs)
    text = section(m)
    print(text)
    if args.write:
        write_section(SECTION, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
