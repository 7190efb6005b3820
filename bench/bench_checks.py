"""Checks that run on every keystroke or at first use, timed here rather than asserted in tests.

* locale: ``check_locale`` + ``locale_suggestions`` for each prefix of a typed ``es-SP`` (one keystroke
  each), and 1,000 repeated ``check_locale("en-US")`` (a redraw);
* text rules: ``JobRequest.validate()`` of a 300-URL upload job (every text field normalised and checked);
* WSDL: ``preload()`` in a fresh interpreter (import zeep, parse our WSDL), median of 5.

Run:  .venv/bin/python bench/bench_checks.py            (writes docs/benchmarks.md, "## Per-keystroke checks")
      .venv/bin/python bench/bench_checks.py --no-write
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchdoc import write_section  # noqa: E402

from ips_tui.job.locales import check_locale, locale_suggestions  # noqa: E402
from ips_tui.job.request import JobRequest  # noqa: E402

HEADING = "## Per-keystroke checks"


def _ms(fn, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def locale_typing() -> None:
    typed = "es-SP"
    for i in range(1, len(typed) + 1):
        check_locale(typed[:i])
        locale_suggestions(typed[:i])


def locale_repeat() -> None:
    for _ in range(1000):
        check_locale("en-US")


URLS = JobRequest({"companyHandle": "c|101", "jobName": "spring", "uploadUrlsJob": {
    "overwrite": True, "readyForPublish": True, "createMask": False, "emailSetting": "Error",
    "urlArray": [{"sourceUrl": f"https://supplier.example.com/img/{i}.jpg", "destPath": f"acme/spring/{i}.jpg"}
                 for i in range(300)]}})


def preload_seconds() -> float:
    code = "import json; from ips_tui.ips.client import preload; print(json.dumps(preload()))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)["parse_seconds"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    check_locale("en-US")  # warm babel's tables, as the form has by the first keystroke
    rows = [
        ("locale: each prefix of `es-SP` (5 keystrokes)", _ms(locale_typing, 50)),
        ("locale: 1,000 × `check_locale('en-US')`", _ms(locale_repeat, 20)),
        ("validate() of a 300-URL upload job", _ms(URLS.validate, 30)),
        ("preload(): parse our WSDL (fresh process)", [preload_seconds() * 1000 for _ in range(5)]),
    ]
    lines = [HEADING, "", "Produced by `.venv/bin/python bench/bench_checks.py` (these were once asserted in tests; "
             "speed lives here now).", "", "| what | runs | median ms | max ms |", "|---|---:|---:|---:|"]
    for label, samples in rows:
        lines.append(f"| {label} | {len(samples)} | {statistics.median(samples):.2f} | {max(samples):.2f} |")
    lines += ["", f"Python {platform.python_version()}, {platform.machine()}, "
              f"{datetime.now(timezone.utc).strftime('%Y-%m-%d')}.", ""]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        write_section(HEADING, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
