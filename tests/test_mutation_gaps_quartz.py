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
from pathlib import Path

import pytest

from ips_tui.job import quartz as q

ROOT = Path(__file__).resolve().parent
TABLE = ROOT / "quartz" / "generated_results.json"
SEED = 20261202
COUNT = 1500


@pytest.fixture(autouse=True)
def fresh_parses():
    """The engine keeps parses in an LRU cache: one made by an earlier test (or, under mutmut, by the
    unchanged code before the fork) would hide a change in the parser from these tests."""
    q.clear_caches()
    yield
    q.clear_caches()


def load_table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


# -- what a person reads when Quartz would refuse the schedule ------------------------------------------------

RANGE = {"seconds": "0–59", "hours": "0–23", "day-of-month": "1–31", "month": "1–12", "day-of-week": "1–7"}

#: expression -> (the field named, facts the message must carry)
REFUSED = {
    "0 0 12 L,5 * ?": ("day-of-month", ["'L'", "list"]),
    "0 0 12 ? * L,5": ("day-of-week", ["'L'", "list"]),
    "0 0 12 ? * 1#2,3#4": ("day-of-week", ["'#'"]),
    "0 0 12 * *": ("expression", ["6 or 7", "found 5"]),
    "0 0 12 ? *": ("expression", ["6 or 7", "found 5"]),
    "0 0 12 * * *": ("expression", ["'?'", "0 0 12 ? * MON"]),
    "0 0 12 ? * ?": ("day-of-week", ["'?'", "day-of-month"]),
    "L 0 12 * * ?": ("seconds", ["no value", "'L'"]),
    "? 0 12 * * ?": ("seconds", ["'?'"]),
    "0/ 0 12 * * ?": ("seconds", ["'/'", "0/15"]),
    "*/x 0 12 * * ?": ("seconds", ["'*/X'", "whole number"]),
    "*/99 0 12 * * ?": ("seconds", ["99", "at most 59"]),
    "0 0 12 L-31 * ?": ("day-of-month", ["L-31", "30"]),
    "0 0 12 ? FOO *": ("month", ["'FOO'", "JAN"]),
    "0 0 12 ? JAN-FOO *": ("month", ["'FOO'", "JAN"]),
    "0 0 12 ? * FOO": ("day-of-week", ["'FOO'", "SUN"]),
    "0 0 12 ? * MON-FOO": ("day-of-week", ["'FOO'", "SUN"]),
    "0 0 12 ? * MON#6": ("day-of-week", ["'#'", "1 to 5"]),
    "0 0 12 ? * MON#x": ("day-of-week", ["'#'", "1 to 5"]),
    "0 0 12 ? * 2#0": ("day-of-week", ["'#'", "1 to 5"]),
    "AB 0 12 * * ?": ("seconds", ["'AB'", RANGE["seconds"]]),
    "ABC 0 12 * * ?": ("seconds", ["'ABC'", RANGE["seconds"]]),
    "0 0 5L * * ?": ("hours", ["'L'", "day-of-week"]),
    "0 0 12 ? * 8L": ("day-of-week", ["8 ", RANGE["day-of-week"]]),
    "0 0 12 ? * 0L": ("day-of-week", ["0 ", RANGE["day-of-week"]]),
    "0 0 5W * * ?": ("hours", ["'W'", "day-of-month"]),
    "0 0 12 32W * ?": ("day-of-month", ["32 ", RANGE["day-of-month"]]),
    "0 0 12 0W * ?": ("day-of-month", ["0 ", RANGE["day-of-month"]]),
    "0 0 12 1#2 * ?": ("day-of-month", ["'#'", "day-of-week"]),
    "0 0 5- * * ?": ("hours", ["'5-'", "'-'"]),
    "0 0 5-x * * ?": ("hours", ["'5-X'"]),
    "0 0 5-6/ * * ?": ("hours", ["'/'", "0/15"]),
    "0 0 5-6/x * * ?": ("hours", ["'/'", "0/15"]),
    "0 0 5/ * * ?": ("hours", ["'/'", "0/15"]),
    "0 0 5/x * * ?": ("hours", ["'/'", "0/15"]),
    "0 0 5/9x * * ?": ("hours", ["'X'", "'/'"]),
    "0 0 5/99 * * ?": ("hours", ["99", "at most 23"]),
    "60 0 12 * * ?": ("seconds", ["60 ", RANGE["seconds"]]),
    "0 60 12 * * ?": ("minutes", ["60 ", "0–59"]),
    "0 0 12 * 13 ?": ("month", ["13 ", RANGE["month"]]),
    "0 0 12 ? * 8": ("day-of-week", ["8 ", RANGE["day-of-week"]]),
    "0 0 12 ? * 0": ("day-of-week", ["0 ", RANGE["day-of-week"]]),
    "0 0 12 ? * 1-8": ("day-of-week", ["8 ", RANGE["day-of-week"]]),
    "0 0 1-25 * * ?": ("hours", ["25 ", RANGE["hours"]]),
    "0 0 12 * * ? 2030-2026": ("year", ["2030-2026"]),
    "0 0 12 * * ? 99999999999": ("year", ["99999999999"]),
    "0 0 12 $ * ?": ("day-of-month", ["'$'", RANGE["day-of-month"]]),
    "0 0 12 \u00a0 * ?": ("day-of-month", ["U+00A0", RANGE["day-of-month"]]),
    "0 0 12 ? * ?\U0001F600": ("day-of-week", ["'?'"]),
    "0 0 12 , * ?": ("day-of-month", ["no day given", "1–31"]),
    "0 0 12 ??? * ?": ("day-of-month", ["'???'", "alone"]),
    "0 0 12 / * ?": ("day-of-month", ["'/'", "0/15"]),
    "0 0 12 */ * ?": ("day-of-month", ["'/'", "0/15"]),
    "0 0 12 L- * ?": ("day-of-month", ["'L-'", "number is missing"]),
    "0 0 12 L, * ?": ("day-of-month", ["'L'", "list"]),  # Quartz: "Support for specifying 'L' and 'LW' ..."
    "0 0 12 ? * L,": ("day-of-week", ["'L'", "list"]),
    "": ("expression", ["empty", "6 or 7"]),
    "  ": ("expression", ["empty", "6 or 7"]),
}


@pytest.mark.parametrize("text", list(REFUSED))
def test_a_refusal_names_the_field_and_what_is_wrong(text):
    field, facts = REFUSED[text]
    with pytest.raises(q.ScheduleError) as caught:
        q.compile_expression(text)
    error = caught.value
    assert error.field == field and str(error) == error.message
    if field != "expression":
        assert error.message.startswith(field + ": ")
    for fact in facts:
        assert fact in error.message, (text, fact, error.message)


def test_every_refusal_is_in_the_interface_language():
    """Each message is looked up in the catalogue (a template changed by mistake would stay English)."""
    from ips_tui import i18n

    english = {}
    for text in REFUSED:
        with pytest.raises(q.ScheduleError) as caught:
            q.compile_expression(text)
        english[text] = caught.value
    i18n.set_language("es")
    try:
        for text, en in english.items():
            with pytest.raises(q.ScheduleError) as caught:
                q.compile_expression(text)
            es = caught.value
            assert es.field == en.field and es.message != en.message, (text, es.message)
            if en.field != "expression":
                assert not es.message.startswith(en.field + ":"), (text, es.message)  # the field's name too
                # and the text after it: a template changed by mistake keeps English there
                assert es.message.split(": ", 1)[1] != en.message.split(": ", 1)[1], (text, es.message)
    finally:
        i18n.set_language("en")


def test_quartz_markers_and_years_as_quartz_keeps_them():
    spec = q.compile_expression("0 0 12 ? * MON")
    assert spec.sets[q.DAY_OF_MONTH] == [q.NO_SPEC] and spec.sets[q.DAY_OF_WEEK] == [2]
    assert q.ALL_SPEC == 99 and q.NO_SPEC == 98  # Quartz's own values, which a set may hold
    every = q.compile_expression("0 0 12 * * ?")
    assert every.sets[q.DAY_OF_MONTH][-1] == q.ALL_SPEC and every.dom_rule
    assert q.compile_expression("0 0 12 * * ? 2026 x").sets[q.YEAR] == [2026]  # after the year: ignored
    years = q.compile_expression("0 0 12 * * ? 2100/5").sets[q.YEAR]
    assert years[:2] == [2100, 2105] and years[-1] == max(y for y in range(2100, q.MAX_YEAR + 1, 5))


def test_never_fires_for_a_day_no_month_has_and_fires_otherwise():
    assert q.compile_expression("0 0 12 30 2 ?").never_fires()
    assert q.compile_expression("0 0 12 31 4,6 ?").never_fires()
    assert not q.compile_expression("0 0 12 31 4,5 ?").never_fires()
    assert not q.compile_expression("0 0 12 29 2 ?").never_fires()  # leap years
    assert not q.compile_expression("0 0 12 L 2 ?").never_fires()
    assert not q.compile_expression("0 0 12 30W 2 ?").never_fires()  # nearest weekday: Quartz decides
    assert not q.compile_expression("0 0 12 ? 2 MON").never_fires()
    assert q.compile_expression("0 0 12 * * ? 2030").never_fires(max_year=2029)
    assert not q.compile_expression("0 0 12 * * ? 2030").never_fires(max_year=2030)


#: text -> (month set, day-of-week set) ours gives; each was put to the real Quartz 2.3.2 too, which accepts
#: them all (names are read by their first three letters; a range wraps past December and Saturday)
NAMED = {
    "0 0 12 ? JAN-MAR *": ([1, 2, 3], None),
    "0 0 12 ? JAN-MARCH *": ([1, 2, 3], None),
    "0 0 12 ? JANUARY *": ([1], None),
    "0 0 12 ? JANX *": ([1], None),
    "0 0 12 ? JUN-AUG *": ([6, 7, 8], None),
    "0 0 12 ? NOV-FEB *": ([1, 2, 11, 12], None),
    "0 0 12 ? * MON-WEDNESDAY": (None, [2, 3, 4]),
    "0 0 12 ? * TUE-THU": (None, [3, 4, 5]),
    "0 0 12 ? * FRI-MON": (None, [1, 2, 6, 7]),
    "0 0 12 ? * MONX": (None, [2]),
    "0 0 12 ? * SUNL": (None, [1]),
    "0 0 12 ? * SAT#5": (None, [7]),
}


@pytest.mark.parametrize("text", list(NAMED))
def test_month_and_day_names_as_quartz_reads_them(text):
    months, days = NAMED[text]
    spec = q.compile_expression(text)
    if months is not None:
        assert spec.sets[q.MONTH] == months
    if days is not None:
        assert spec.sets[q.DAY_OF_WEEK] == days
    assert spec.lastday_of_week == text.endswith("SUNL") and spec.nthday_of_week == (5 if "#5" in text else 0)


#: each field's largest increment (Quartz: "Increment > 60 : 60" and so on, one past it)
INCREMENTS = {"seconds": ("*/{} 0 12 * * ?", 59), "minutes": ("0 */{} 12 * * ?", 59),
              "hours": ("0 0 */{} * * ?", 23), "day-of-month": ("0 0 12 */{} * ?", 31),
              "month": ("0 0 12 ? */{} *", 12), "day-of-week": ("0 0 12 ? * */{}", 7)}


@pytest.mark.parametrize("field", list(INCREMENTS))
def test_the_largest_increment_of_each_field_is_quartzs(field):
    template, limit = INCREMENTS[field]
    q.compile_expression(template.format(limit))
    with pytest.raises(q.ScheduleError) as caught:
        q.compile_expression(template.format(limit + 1))
    assert caught.value.field == field and f"at most {limit}" in caught.value.message
    start = template.replace("*/", "1/")  # a start and a step: the same limit
    with pytest.raises(q.ScheduleError):
        q.compile_expression(start.format(limit + 1))


@pytest.mark.parametrize("text,field", [("0 0 12 ? JAN- *", "month"), ("0 0 12 ? * MON-", "day-of-week")])
def test_a_name_range_without_its_end_is_refused_as_quartz_refuses_it(text, field):
    with pytest.raises(q.ScheduleError) as caught:
        q.compile_expression(text)
    assert caught.value.field == field and text.split()[4 if field == "month" else 5] in caught.value.message


def test_what_a_refusal_allows_is_said_in_the_interface_language_too():
    from ips_tui import i18n

    i18n.set_language("es")
    try:
        with pytest.raises(q.ScheduleError) as caught:
            q.compile_expression("0 0 12 ? * 8")
    finally:
        i18n.set_language("en")
    assert "Sunday" not in caught.value.message and "SUN" in caught.value.message


#: text -> (field index, the set ours holds); each was put to the real Quartz 2.3.2, which accepts it and
#: fires at the same times (ranges, ranges that wrap, and one- and two-digit steps after either)
RANGES = {
    "0 10-50/15 12 * * ?": (q.MINUTE, [10, 25, 40]),
    "0 1-59/20 12 * * ?": (q.MINUTE, [1, 21, 41]),
    "0 7-8/1 12 * * ?": (q.MINUTE, [7, 8]),
    "0 5-10 12 * * ?": (q.MINUTE, [5, 6, 7, 8, 9, 10]),
    "0 10-20 12 * * ?": (q.MINUTE, list(range(10, 21))),
    "0 50-10 12 * * ?": (q.MINUTE, list(range(0, 11)) + list(range(50, 60))),
    "0 0 2-22/10 * * ?": (q.HOUR, [2, 12, 22]),
    "0 0 22-2 * * ?": (q.HOUR, [0, 1, 2, 22, 23]),
    "0 5 5-5 * * ?": (q.HOUR, [5]),
    "0 0 12 1-31/10 * ?": (q.DAY_OF_MONTH, [1, 11, 21, 31]),
    "0 0 12 5/15 * ?": (q.DAY_OF_MONTH, [5, 20]),
    "0 0 12 28-3 * ?": (q.DAY_OF_MONTH, [1, 2, 3, 28, 29, 30, 31]),
    "0 0 12 ? 1-12/10 *": (q.MONTH, [1, 11]),
    "0 0 12 ? * 1-7/2": (q.DAY_OF_WEEK, [1, 3, 5, 7]),
}


@pytest.mark.parametrize("text", list(RANGES))
def test_ranges_and_steps_hold_the_values_quartz_fires_on(text):
    index, values = RANGES[text]
    assert q.compile_expression(text).sets[index] == values


@pytest.mark.parametrize("text", ["0 0/ 12 * * ?", "0 0-5/ 12 * * ?"])
def test_a_step_without_its_number_is_refused(text):
    with pytest.raises(q.ScheduleError) as caught:
        q.compile_expression(text)
    assert caught.value.field == "minutes" and "'/'" in caught.value.message


# -- the generated table (last: the slowest here) ----------------------------------------------------

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
    from test_quartz_differential import answer_and_write, java_tools
    from test_quartz_generated import generated

    if java_tools() is None:
        raise SystemExit("needs java and /usr/share/java/quartz2.jar")
    answer_and_write(TABLE, generated(SEED, COUNT), seed=SEED)


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT.parent), str(ROOT)]
    if "--regenerate" in sys.argv:
        regenerate()
    else:
        print(__doc__)
