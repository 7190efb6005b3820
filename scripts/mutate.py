"""Mutation testing of the core modules with mutmut, one module at a time, each for a bounded time.

    ./dev mutate                          # every module in MODULES, 20 minutes each at most
    ./dev mutate request timing           # only these (the last part of the module name)
    ./dev mutate --minutes 5 journal      # a shorter bound
    ./dev mutate --children 1 quartz      # fewer worker processes (the machine is shared)

mutmut reads ``[tool.mutmut]`` in pyproject.toml (which files, which fast tests). Results stay in
``mutants/`` (``.venv/bin/mutmut results`` lists survivors, ``.venv/bin/mutmut show NAME`` shows one);
this prints killed / survived / not run per module, the figures docs/testing.md records. A module whose
bound passes is reported as partial: the figures count what was run.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = ROOT / ".venv" / "bin" / "mutmut"
MODULES = ["ips_tui.job.request", "ips_tui.job.timing", "ips_tui.job.quartz", "ips_tui.follow.submit",
           "ips_tui.follow.reconcile", "ips_tui.store.journal"]
_LINE = re.compile(r"^\s*(?P<name>[\w.ǁ]+)__mutmut_\d+: (?P<status>[\w ]+)$")


def results() -> Counter:
    """(module, status) -> count, from ``mutmut results --all true``."""
    out = subprocess.run([str(MUTMUT), "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True).stdout
    counts: Counter = Counter()
    for line in out.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        name = m["name"]
        module = next((mod for mod in MODULES if name.startswith(mod + ".")), None)
        if module:
            counts[module, m["status"].strip()] += 1
    return counts


def survivors() -> list[str]:
    out = subprocess.run([str(MUTMUT), "results"], cwd=ROOT, capture_output=True, text=True).stdout
    return [line.split(":")[0].strip() for line in out.splitlines() if line.strip().endswith(": survived")]


def recheck(names: list[str], env: dict, seconds: float = 120) -> list[str]:
    """Run each surviving mutant again on its own: its covering tests, in a fresh pytest process, first
    failure stops. mutmut 3.8's batch run on this suite reports some mutants as survivors that fail their
    tests when run alone (seen with ``out = None`` in ``_norm``); only those that pass here are counted.
    Returns the mutants that are killed on recheck."""
    import json

    stats = json.loads((ROOT / "mutants" / "mutmut-stats.json").read_text())["tests_by_mangled_function_name"]
    killed = []
    for name in names:
        tests = sorted(stats.get(name.rsplit("__mutmut_", 1)[0], []))
        if not tests:
            continue
        try:
            proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-m", "not quartz",
                                   "--no-header", *tests], cwd=ROOT / "mutants", env=dict(env, MUTANT_UNDER_TEST=name),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds)
            if proc.returncode != 0:
                killed.append(name)
        except subprocess.TimeoutExpired:
            killed.append(name)  # a mutant that hangs its tests is caught (mutmut counts it as a timeout)
    return killed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="last part of a module name (request, timing, ...)")
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--children", type=int, default=1)
    parser.add_argument("--report-only", action="store_true", help="no new run: recheck survivors and report")
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.modules or m.rsplit(".", 1)[1] in args.modules]
    env = dict(os.environ, IPS_TUI_REFERENCE_DIR=os.environ.get(
        "IPS_TUI_REFERENCE_DIR", str((ROOT.parent / "shared" / "reference").resolve())))
    partial = set()
    for module in [] if args.report_only else chosen:
        print(f"== {module} (at most {args.minutes:g} min)", flush=True)
        try:
            subprocess.run([str(MUTMUT), "run", "--max-children", str(args.children), module + ".*"], cwd=ROOT,
                           env=env, timeout=args.minutes * 60, stdout=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            partial.add(module)
    batch_survivors = [n for n in survivors() if any(n.startswith(m + ".") for m in chosen)]
    rechecked = recheck(batch_survivors, env)
    (ROOT / "mutants" / "rechecked-killed.txt").write_text("".join(n + "\n" for n in rechecked))
    confirmed = [n for n in batch_survivors if n not in set(rechecked)]
    (ROOT / "mutants" / "survivors.txt").write_text("".join(n + "\n" for n in confirmed))
    print(f"{len(rechecked)} of {len(batch_survivors)} batch survivors killed on recheck; the others are listed in "
          "mutants/survivors.txt (.venv/bin/mutmut show NAME)")
    counts = results()
    for name in rechecked:
        module = next(m for m in chosen if name.startswith(m + "."))
        counts[module, "survived"] -= 1
        counts[module, "killed"] += 1
    print("| module | killed | survived | timeout | not run | score |")
    print("|---|---:|---:|---:|---:|---:|")
    for module in chosen:
        killed = counts[module, "killed"]
        survived = counts[module, "survived"]
        timeout = counts[module, "timeout"]
        other = sum(n for (mod, status), n in counts.items() if mod == module) - killed - survived - timeout
        done = killed + survived + timeout
        score = f"{100 * (killed + timeout) / done:.1f} %" if done else "-"
        print(f"| {module}{' (partial)' if module in partial else ''} | {killed} | {survived} | {timeout} | "
              f"{other} | {score} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
