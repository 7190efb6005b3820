"""Start-up of ``ips-tui --sandbox`` against a one-widget Textual app, in the same run, interleaved.

Each program is started in a fresh pseudo-terminal (80×24, TERM=xterm-256color). *First paint* is the
time from spawning the process until its first frame has reached the terminal, recognised by a word
that only the first real screen contains (``SANDBOX`` in the environment band; ``READY`` in the bare
app). *Memory* is the process's resident set (VmRSS) 3 s after start, when ips-tui has started its
sandbox in a thread. Runs alternate bare / ips-tui; the median of 5 of each is reported.

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

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
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
             cols: int = 80, rows: int = 24) -> tuple[float | None, int | None]:
    """(seconds to the first frame with ``marker``, VmRSS in KiB after ``hold`` seconds)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, close_fds=True,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    first = None
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
        rss = None
        try:
            with open(f"/proc/{proc.pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
        except OSError:
            pass
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
    return first, rss


def measure(runs: int = 5) -> dict:
    tmp = tempfile.mkdtemp(prefix="ips-bench-")
    bare_file = Path(tmp) / "bare_app.py"
    bare_file.write_text(BARE_APP)
    env = dict(os.environ)
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24", IPS_TUI_STATE_DIR=str(Path(tmp) / "state"),
               IPS_TUI_CONFIG_DIR=str(Path(tmp) / "config"), LANG="C.UTF-8")
    # As installed: a wheel install compiles .pyc files; let the warm-up run write them (this machine sets
    # PYTHONDONTWRITEBYTECODE, which would make every run compile ips_tui from source while Textual's own
    # .pyc files come from its install).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    env.pop("TEXTUAL", None)
    bare = [sys.executable, str(bare_file)]
    ips = [sys.executable, "-m", "ips_tui", "--sandbox"]
    # the same app without the embedded sandbox (a closed local port; it waits for a password, sends nothing)
    alone = [sys.executable, "-m", "ips_tui", "--url", "http://127.0.0.1:9/scene7/services/IpsApiService",
             "--user", "bench@example.com"]
    env.pop("IPS_PASSWORD", None)
    results: dict[str, list] = {"bare_paint": [], "bare_rss": [], "ips_paint": [], "ips_rss": [],
                                "alone_paint": [], "alone_rss": []}
    # one warm-up of each (file-system caches), not counted
    run_once(bare, b"READY", env, hold=1.0)
    run_once(ips, b"SANDBOX", env, hold=1.0)
    for _i in range(runs):
        for name, argv, marker in (("bare", bare, b"READY"), ("ips", ips, b"SANDBOX"), ("alone", alone, b"CUSTOM")):
            paint, rss = run_once(argv, marker, env)
            if paint is None or rss is None:
                raise SystemExit(f"{name}: no first paint seen (or no memory reading)")
            results[f"{name}_paint"].append(paint)
            results[f"{name}_rss"].append(rss)
    med = {k: statistics.median(v) for k, v in results.items()}
    med["paint_ratio"] = med["ips_paint"] / med["bare_paint"]
    med["rss_ratio"] = med["ips_rss"] / med["bare_rss"]
    med["alone_paint_ratio"] = med["alone_paint"] / med["bare_paint"]
    med["alone_rss_ratio"] = med["alone_rss"] / med["bare_rss"]
    med["runs"] = runs
    med["raw"] = results
    return med


def section(m: dict) -> str:
    import textual

    ok = lambda r: "met" if r <= 1.3 else "missed"  # noqa: E731
    lines = [
        SECTION,
        "",
        f"`bench/bench_startup.py`, {date.today().isoformat()}, Python {platform.python_version()} on "
        f"{platform.machine()} ({platform.system()}), Textual {textual.__version__}, {os.cpu_count()} CPUs; "
        f"each program in a fresh 80×24 pseudo-terminal, runs interleaved (bare, ips-tui) × {m['runs']}, "
        "medians. First paint: spawn → first frame on the terminal. Memory: VmRSS 3 s after start "
        "(ips-tui has started its sandbox by then; zeep is loaded only when the Review step first needs it). "
        "Bytecode is cached as after an install (a warm-up run of each writes it).",
        "",
        "| program | first paint | memory at 3 s |",
        "|---|---|---|",
        f"| bare one-widget Textual app | {m['bare_paint'] * 1000:.0f} ms | {m['bare_rss'] / 1024:.1f} MiB |",
        f"| `ips-tui --sandbox` | {m['ips_paint'] * 1000:.0f} ms | {m['ips_rss'] / 1024:.1f} MiB |",
        f"| **ratio** (goal ≤ 1.3×) | **{m['paint_ratio']:.2f}×** ({ok(m['paint_ratio'])}) | "
        f"**{m['rss_ratio']:.2f}×** ({ok(m['rss_ratio'])}) |",
        f"| for comparison: `ips-tui --url … --user …` (no sandbox; waits at the password prompt) | "
        f"{m['alone_paint'] * 1000:.0f} ms ({m['alone_paint_ratio']:.2f}×) | "
        f"{m['alone_rss'] / 1024:.1f} MiB ({m['alone_rss_ratio']:.2f}×) |",
        "",
        "The memory above the goal is the embedded sandbox, which runs in the app's process as `--sandbox` "
        "asks: its HTTP server, schema validation (lxml) and its imports of babel and "
        "cron-descriptor, about "
        f"{(m['ips_rss'] - m['alone_rss']) / 1024:.0f} MiB. The wizard itself stays at the ratio of the "
        "comparison row.",
        "",
        "Every run (ms / MiB): bare "
        + ", ".join(f"{p * 1000:.0f}/{r / 1024:.1f}" for p, r in zip(m["raw"]["bare_paint"], m["raw"]["bare_rss"]))
        + "; ips-tui "
        + ", ".join(f"{p * 1000:.0f}/{r / 1024:.1f}" for p, r in zip(m["raw"]["ips_paint"], m["raw"]["ips_rss"]))
        + "; without sandbox "
        + ", ".join(f"{p * 1000:.0f}/{r / 1024:.1f}" for p, r in zip(m["raw"]["alone_paint"], m["raw"]["alone_rss"]))
        + ".",
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace only our section of docs/benchmarks.md (others keep theirs)."""
    doc = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    lines = doc.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == SECTION), None)
    if start is None:
        if not doc.endswith("\n\n"):
            doc = doc.rstrip("\n") + "\n\n"
        doc += text
    else:
        end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
        doc = "".join(lines[:start]) + text + ("\n" if end < len(lines) else "") + "".join(lines[end:])
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(doc, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    args = parser.parse_args(argv)
    m = measure(args.runs)
    text = section(m)
    print(text)
    if args.write:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
