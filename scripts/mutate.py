"""Mutation testing of the core modules with mutmut, one module at a time, each for a bounded time.

    ./dev mutate                          # every module in MODULES, 20 minutes each at most
    ./dev mutate request timing           # only these (the last part of the module name)
    ./dev mutate --minutes 5 journal      # a shorter bound
    ./dev mutate --children 1 quartz      # fewer worker processes (the machine is shared)
    ./dev mutate quartz --only 'parse.xǁ_Parserǁ*' --only 'parse.x_compile*'   # some functions only

    ./dev mutate --report-only            # no new run: recheck the survivors and print the table
    ./dev mutate --names FILE --recheck-with tests/A.py tests/B.py   # rerun the mutants FILE lists, alone
    ./dev mutate --names FILE --compare   # engine mutants: the first case where each differs from the original

mutmut reads ``[tool.mutmut]`` in pyproject.toml (which files, which fast tests). Each survivor of mutmut's
batch run is then run again on its own (its covering tests, a fresh pytest, first failure stops), because
the batch reports some mutants as surviving that fail their tests alone; ``--recheck-minutes`` bounds that
per module. Results stay in ``mutants/`` (``survivors.txt`` lists the confirmed survivors;
``.venv/bin/mutmut show NAME`` shows one). The table printed is what docs/testing.md records. A module whose
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
           "ips_tui.follow.reconcile", "ips_tui.store.journal", "ips_tui.store.journal_entry"]
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


def recheck(names: list[str], env: dict, budget: float, seconds: float = 300,
            tests_given: list[str] | None = None) -> tuple[list[str], list[str]]:
    """Run each surviving mutant again on its own: its covering tests (or ``tests_given``), in a fresh
    pytest process, first failure stops. mutmut 3.8's batch run on this suite reports some mutants as
    survivors that fail their tests when run alone. One cause seen: mutmut maps tests to the functions they
    reach in one process, so a test whose parse was already in ``quartz._compile``'s LRU cache is not mapped
    to the parser and is never run against its mutants (``[ABC 0 12 * * ?]`` is mapped to ``_store_name``,
    ``[AB 0 12 * * ?]`` is not). ``tests_given`` runs named files instead. Only mutants that pass here are
    counted. Stops after ``budget`` seconds. Returns (killed on recheck, rechecked and still surviving)."""
    import json
    import time

    stats = {} if tests_given else json.loads(
        (ROOT / "mutants" / "mutmut-stats.json").read_text())["tests_by_mangled_function_name"]
    killed, confirmed = [], []
    stop = time.monotonic() + budget
    for name in names:
        if time.monotonic() > stop:
            break
        tests = tests_given or sorted(stats.get(name.rsplit("__mutmut_", 1)[0], []))
        if not tests:
            continue
        try:
            proc = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-m", "not quartz",
                                   "--no-header", *tests], cwd=ROOT / "mutants", env=dict(env, MUTANT_UNDER_TEST=name),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=seconds)
            (killed if proc.returncode != 0 else confirmed).append(name)
        except subprocess.TimeoutExpired:
            killed.append(name)  # a mutant that hangs its tests is caught (mutmut counts it as a timeout)
    return killed, confirmed


def recheck_in_one_process(names: list[str], tests: list[str], out: Path, seconds: int = 300) -> None:
    """``--worker``: run in ``mutants/``. The same rerun alone as :func:`recheck`, but every mutant in one
    pytest process, one ``pytest.main`` after another: mutmut's trampoline reads ``MUTANT_UNDER_TEST`` on every
    call, so switching it switches the mutant, and the tables are loaded once (about 3 s a mutant instead
    of 10 on a busy machine). The engine's caches (parses, zones) are emptied before each mutant, so no
    mutant sees what another computed. Appends ``killed NAME`` or ``alive NAME`` to ``out`` as it goes."""
    sys.path.insert(0, os.getcwd())
    import pytest

    from ips_tui.job import quartz

    assert Path(quartz.__file__).resolve().is_relative_to(Path.cwd().resolve()), quartz.__file__

    with out.open("a") as log:
        for name in names:
            os.environ["MUTANT_UNDER_TEST"] = name
            quartz.clear_caches()
            # pytest-timeout fails a test that runs past ``seconds``: a hang counts as caught, as in mutmut
            code = pytest.main(["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not quartz",
                                "--no-header", f"--timeout={seconds}", *tests])
            log.write(f"{'killed' if code != 0 else 'alive'} {name}\n")
            log.flush()


COMPARE_ZONES = ("UTC", "America/New_York", "Australia/Sydney", "Europe/Madrid")
COMPARE_SCHEDULES = ROOT / "tests" / "quartz" / "engine_compare_schedules.txt"


def compare_cases(starts: int = 100) -> list[tuple[str, int, str]]:
    """(zone, after, expression): every schedule of COMPARE_SCHEDULES in four zones, each from ``starts``
    instants of 2026-2029 (month ends and beginnings at 00:00, 11:59:59, 12:00, 23:59:59, and random
    seconds; seeded, so the same cases every time)."""
    import random
    from calendar import monthrange
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo

    lines = COMPARE_SCHEDULES.read_text(encoding="utf-8").splitlines()
    schedules = [line for line in lines if line.strip() and not line.startswith("#")]
    cases = []
    for seed, zone in enumerate(COMPARE_ZONES):
        rnd, tz = random.Random(seed), ZoneInfo(zone)
        fixed = [int(datetime(y, mo, d, h, mi, sec, tzinfo=tz).timestamp() * 1000)
                 for y in (2026, 2027, 2028) for mo in range(1, 13) for d in (1, 28, 29, 30, 31)
                 for h, mi, sec in ((0, 0, 0), (12, 0, 0), (23, 59, 59), (11, 59, 59)) if d <= monthrange(y, mo)[1]]
        rnd.shuffle(fixed)
        first, last = (int(datetime(y, 1, 1, tzinfo=timezone.utc).timestamp()) for y in (2026, 2030))
        chosen = fixed[:starts * 6 // 10] + [rnd.randrange(first, last) * 1000 for _ in range(starts * 4 // 10)]
        cases += [(zone, after, expr) for expr in schedules for after in chosen]
    return cases


def compare_in_one_process(names: list[str], out: Path, count: int = 3) -> None:
    """``--compare-worker``: run in ``mutants/``. For each engine mutant, the first of :func:`compare_cases`
    where its next ``count`` fire times (or its refusal) differ from the unmutated engine's, or none. A
    mutant that lives against the Quartz tables and differs here has found a case to put to the real
    Quartz; one that differs nowhere is a candidate for "equivalent" (then read it)."""
    import json
    import signal

    sys.path.insert(0, os.getcwd())
    from ips_tui.job import quartz

    def answer(zone: str, after: int, expr: str):
        try:
            spec = quartz.compile_expression(expr)
        except quartz.ScheduleError as exc:
            return exc.message
        signal.alarm(5)  # a mutant that loops is a difference too
        try:
            return quartz.next_times(spec, quartz.zone_calc(zone), after, count, quartz.MAX_YEAR)
        except Exception as exc:  # noqa: BLE001 - whatever a mutant raises is a difference
            return repr(exc)
        finally:
            signal.alarm(0)

    def hang(*_args):
        raise TimeoutError("no answer in 5 s")

    signal.signal(signal.SIGALRM, hang)
    cases = compare_cases()
    os.environ["MUTANT_UNDER_TEST"] = ""
    original = [answer(*case) for case in cases]
    with out.open("a") as log:
        for name in names:
            os.environ["MUTANT_UNDER_TEST"] = name
            quartz.clear_caches()
            found = next(({"case": case, "original": want, "mutant": got} for case, want in zip(cases, original)
                          if (got := answer(*case)) != want), None)
            log.write(json.dumps({"name": name, "cases": len(cases), "first_difference": found}) + "\n")
            log.flush()


def main() -> int:
    if sys.argv[1:2] == ["--compare-worker"]:
        names_file, out = sys.argv[2:4]
        compare_in_one_process(Path(names_file).read_text().split(), Path(out))
        return 0
    if sys.argv[1:2] == ["--worker"]:
        seconds, names_file, out, *tests = sys.argv[2:]
        recheck_in_one_process(Path(names_file).read_text().split(), tests, Path(out), int(seconds))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", help="last part of a module name (request, timing, ...)")
    parser.add_argument("--minutes", type=float, default=20)
    parser.add_argument("--children", type=int, default=1)
    parser.add_argument("--report-only", action="store_true", help="no new run: recheck survivors and report")
    parser.add_argument("--recheck-minutes", type=float, default=5, help="per module, for rechecking survivors")
    parser.add_argument("--recheck-with", nargs="+", metavar="TEST", help="recheck survivors with these test "
                        "files (in this order: fast ones first) instead of the tests mutmut found covering them")
    parser.add_argument("--only", action="append", default=[], metavar="PATTERN",
                        help="mutate only the functions matching this mutmut name pattern (after the module "
                             "name: 'xǁJobRequestǁvalidate*' in request; in the quartz package, after its file too: "
                             "'fire_times.x_time_after*', 'parse.xǁ_Parserǁ*'); repeatable")
    parser.add_argument("--names", type=Path, metavar="FILE", help="no new run: rerun alone the mutants FILE "
                        "lists (one a line, e.g. an earlier run's batch survivors) against the --recheck-with "
                        "files, all in one pytest process (see recheck_in_one_process); verdicts go to FILE.log "
                        "as they come, those still alive to FILE.alive")
    parser.add_argument("--compare", action="store_true", help="with --names (engine mutants): instead of tests, "
                        "compare each mutant's fire times with the unmutated engine's on generated cases "
                        "(compare_cases); the first difference of each goes to FILE.compare")
    parser.add_argument("--mutant-seconds", type=int, default=300, help="with --names: a mutant whose tests run "
                        "longer than this is counted as caught (a hang), as mutmut counts a timeout")
    args = parser.parse_args()
    chosen = [m for m in MODULES if not args.modules or m.rsplit(".", 1)[1] in args.modules]
    env = dict(os.environ, IPS_TUI_REFERENCE_DIR=os.environ.get(
        "IPS_TUI_REFERENCE_DIR", str((ROOT.parent / "shared" / "reference").resolve())))
    if (ROOT / "mutants" / "ips_tui").is_dir():
        # mutmut copies the sources once and later only what it mutates: bring the compiled catalogues up to
        # date, or a translation added since makes the language tests fail in mutants/ for every mutant
        import shutil

        shutil.copytree(ROOT / "ips_tui" / "locale", ROOT / "mutants" / "ips_tui" / "locale", dirs_exist_ok=True)
    if args.names and args.compare:
        out = args.names.resolve().with_name(args.names.name + ".compare")
        out.write_text("")
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "--compare-worker", str(args.names.resolve()),
                        str(out)], cwd=ROOT / "mutants", env=env, check=False)
        print(f"first differences in {out}")
        return 0
    if args.names:
        names = [n.strip() for n in args.names.read_text().splitlines() if n.strip()]
        log = args.names.resolve().with_name(args.names.name + ".log")
        log.write_text("")
        try:
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--worker", str(args.mutant_seconds),
                            str(args.names.resolve()),
                            str(log), *(args.recheck_with or [])], cwd=ROOT / "mutants", env=env,
                           stdout=subprocess.DEVNULL, timeout=args.recheck_minutes * 60, check=False)
        except subprocess.TimeoutExpired:
            pass
        verdicts = dict(line.split(" ", 1)[::-1] for line in log.read_text().splitlines())
        killed = [n for n in names if verdicts.get(n) == "killed"]
        alive = [n for n in names if verdicts.get(n) == "alive"]
        args.names.with_name(args.names.name + ".alive").write_text("".join(n + "\n" for n in alive))
        print(f"{len(names)} rerun alone: {len(killed)} killed, {len(alive)} alive, "
              f"{len(names) - len(killed) - len(alive)} not reached")
        return 0
    partial = set()
    for module in [] if args.report_only else chosen:
        print(f"== {module} (at most {args.minutes:g} min)", flush=True)
        try:
            patterns = [f"{module}.{p}" for p in args.only] or [module + ".*"]
            subprocess.run([str(MUTMUT), "run", "--max-children", str(args.children), *patterns], cwd=ROOT,
                           env=env, timeout=args.minutes * 60, stdout=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            partial.add(module)
    all_survivors = survivors()
    rechecked, confirmed = [], []
    for module in chosen:
        k, c = recheck([n for n in all_survivors if n.startswith(module + ".")], env, args.recheck_minutes * 60,
                       tests_given=args.recheck_with)
        rechecked += k
        confirmed += c
    (ROOT / "mutants" / "rechecked-killed.txt").write_text("".join(n + "\n" for n in rechecked))
    (ROOT / "mutants" / "survivors.txt").write_text("".join(n + "\n" for n in confirmed))
    counts = results()
    for name in rechecked:
        module = next(m for m in chosen if name.startswith(m + "."))
        counts[module, "survived"] -= 1
        counts[module, "killed"] += 1
    print("killed: by the batch run or on recheck; survived: rechecked alone and still alive (mutants/survivors.txt); "
          "unconfirmed: batch survivors the recheck budget did not reach")
    print("| module | killed | survived | unconfirmed | not run | score (killed / run) |")
    print("|---|---:|---:|---:|---:|---:|")
    for module in chosen:
        killed = counts[module, "killed"] + counts[module, "timeout"]
        survived = sum(1 for n in confirmed if n.startswith(module + "."))
        unconfirmed = counts[module, "survived"] - survived
        other = sum(n for (mod, status), n in counts.items() if mod == module) - killed - survived - unconfirmed
        done = killed + survived + unconfirmed
        score = f"{100 * killed / done:.1f} %" if done else "-"
        print(f"| {module}{' (partial)' if module in partial else ''} | {killed} | {survived} | {unconfirmed} | "
              f"{other} | {score} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
