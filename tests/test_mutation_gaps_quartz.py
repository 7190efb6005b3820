"""Tests that kill mutants the fast set let live in job/quartz.py (see docs/testing.md, Mutation testing).

The fast set judged the engine only on the curated corpus (``tests/quartz/quartz_results.json``). The live
differential on generated, roughened text (``test_quartz_generated.py``) needs a JVM, so mutation runs skip
it. Here a second table holds what the real Quartz 2.3.2 answered for another generated batch (seed
``SEED``: roughened text, eight zones with DST transitions): validity and the next 5 fire times, checked
without Java. Regenerate it (needs java and libquartz2-java) with::

    .venv/bin/python tests/test_mutation_gaps_quartz.py --regenerate

The rest checks what a person reads when a schedule is refused: which field, which value, what is allowed.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from ips_tui.job import quartz as q

ROOT = Path(__file__).resolve().parent
TABLE = ROOT / "quartz" / "generated_results.json"
SEED = 20261202
COUNT = 1500


def load_table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def test_the_generated_table_is_the_batch_it_says_and_holds_both_kinds():
    from test_quartz_differential import quartz_valid
    from test_quartz_generated import generated

    table = load_table()
    assert [(c["zone"], c["after"], c["expression"]) for c in table["cases"]] == generated(SEED, COUNT), (
        "regenerate with tests/test_mutation_gaps_quartz.py --regenerate")
    valid = sum(quartz_valid(c["quartz"]) for c in table["cases"])
    assert 300 <= valid <= COUNT - 300


def test_the_engine_agrees_with_quartz_on_a_generated_roughened_batch():
    from test_quartz_differential import mismatches

    table = load_table()
    cases = [(c["zone"], c["after"], c["expression"]) for c in table["cases"]]
    bad = mismatches(cases, [c["quartz"] for c in table["cases"]], table["max_year"])
    assert not bad, f"{len(bad)} of {len(cases)} differ from Quartz:\n" + "\n".join(bad[:30])


def regenerate() -> None:
    import tempfile

    from test_quartz_differential import compile_harness, java_tools, run_quartz
    from test_quartz_generated import generated

    if java_tools() is None:
        raise SystemExit("needs java and /usr/share/java/quartz2.jar")
    cases = generated(SEED, COUNT)
    with tempfile.TemporaryDirectory() as tmp:
        java, launch = compile_harness(Path(tmp))
        max_year, results = run_quartz(java, launch, cases)
    table = {
        "quartz": "org.quartz.CronExpression 2.3.2 (Debian libquartz2-java)",
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "seed": SEED,
        "max_year": max_year,
        "cases": [{"zone": z, "after": a, "expression": e, "quartz": r} for (z, a, e), r in zip(cases, results)],
    }
    body = json.dumps(table, indent=None, ensure_ascii=True, separators=(",", ":"))
    TABLE.write_text(body.replace('{"zone"', '\n{"zone"') + "\n", encoding="utf-8")
    print(f"wrote {len(cases)} cases to {TABLE}")


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT.parent), str(ROOT)]
    if "--regenerate" in sys.argv:
        regenerate()
    else:
        print(__doc__)
