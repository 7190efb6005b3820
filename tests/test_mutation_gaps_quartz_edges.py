"""Edge cases of job/quartz.py that the two Quartz tables do not hold, found by mutants that lived
against them (see docs/testing.md, Mutation testing): each is a schedule a person can write, and each
expectation here is what the real Quartz 2.3.2 answered.

``tests/quartz/edge_results.json`` holds the real Quartz's answers (validity and the next 5 fire times) for
``CASES``; the engine is compared with it always, and with the live Quartz where Java is installed.
Regenerate it after changing ``CASES`` (needs java and libquartz2-java)::

    .venv/bin/python tests/test_mutation_gaps_quartz_edges.py --regenerate
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest

from ips_tui.job import quartz as q
from test_quartz_differential import quartz_oracle  # noqa: F401 (a fixture)

ROOT = Path(__file__).resolve().parent
TABLE = ROOT / "quartz" / "edge_results.json"


def _ms(text: str) -> int:
    return int(datetime.fromisoformat(text).timestamp() * 1000)


_JAN = _ms("2026-01-01T00:00:00+00:00")

#: (zone, after, expression): why it is here
CASES = {
    # day-of-week decides ('?' is in day-of-month), so a 31st that February lacks does not stop it firing
    ("UTC", _JAN, "0 0 12 ?,31 FEB MON"): "a day-of-month list with '?' under a day-of-week rule",
    # Java's int: the increment is read as a number, then refused as too large (not as "not a number")
    ("UTC", _JAN, "*/2147483647 0 12 * * ?"): "the largest int as an increment",
    ("UTC", _JAN, "*/2147483648 0 12 * * ?"): "one past it",
    ("UTC", _JAN, "*/-2147483648 0 12 * * ?"): "the smallest int as an increment (Quartz fires every second)",
    ("UTC", _JAN, "*/-2147483649 0 12 * * ?"): "one below it",
    # '?' then '*' in day-of-month: the '?' check in day-of-week passes ('*' is the list's largest marker),
    # so both fields end up with '?' and the closing check refuses
    ("UTC", _JAN, "0 0 12 ?,* * ?"): "'?' in both fields, the day-of-month one in a list",
    # an empty list: Quartz parses it and fails on first use (NoSuchElementException), so it is refused
    ("UTC", _JAN, "0 0 12 ? * ,"): "no day of the week at all",
    ("UTC", _JAN, "0 0 12 ? ZOO *"): "a name starting with the alphabet's last letter",
    ("UTC", _JAN, "0 0 12 ? * YES"): "and with the one before it",
    ("UTC", _JAN, "0 0 12 _ * ?"): "a character between 'Z' and 'a': not a letter, not a name",
    # an increment with no start: Quartz reads '/15' as '*/15' (minutes 0, 15, 30, 45)
    ("UTC", _JAN, "0 /15 12 * * ?"): "a step without its start",
    ("UTC", _JAN, "/5 0 12 * * ?"): "the same with a one-digit step",
    ("UTC", _JAN, "0 0-50/19 12 * * ?"): "a range's two-digit step whose second digit is 9",
    ("UTC", _JAN, "0 0 1-99999999999 * * ?"): "a range's end too large for Java's int",
    ("UTC", _JAN, "0 0 12 \u200b * ?"): "an invisible character (zero-width space) where a day should be",
    ("UTC", _JAN, "0 0 12 ? * 1/8"): "a one-digit increment past day-of-week's largest",
    ("UTC", _JAN, "0 0 5/99999999999 * * ?"): "an increment too large for Java's int",
    ("UTC", _JAN, "0 0 1-5/99999999999 * * ?"): "a range's increment too large for it",
    # a range from the field's largest value past it: the end is what is out of range
    ("UTC", _JAN, "0 0 23-25 * * ?"): "hours from 23 to 25",
    ("UTC", _JAN, "0 0 12 ? * 7-9"): "days of the week from 7 to 9",
    # '*/1' adds no '*' marker (Quartz adds it only without an increment), so '?' stays the list's largest
    ("UTC", _JAN, "0 0 12 ?,*/1 * ?"): "'?' and '*/1' in day-of-month, '?' in day-of-week",
    # too few fields, one of them bad: the count is what is said
    ("UTC", _JAN, "0 0 12 ? FOO"): "five fields, the month not a month",
    # open-ended steps whose next value would be one past the field's largest, asked just before the wrap
    ("UTC", _ms("2026-01-01T12:00:41+00:00"), "0/20 0 12 * * ?"): "seconds 0, 20, 40 (not 60)",
    ("UTC", _ms("2026-01-01T18:00:00+00:00"), "0 0 0/6 * * ?"): "hours 0, 6, 12, 18 (not 24)",
    ("UTC", _ms("2026-04-01T12:00:00+00:00"), "0 0 12 1/31 * ?"): "day 1 only (not 32), after it in a 30-day month",
    ("UTC", _ms("2026-01-01T12:00:00+00:00"), "0 0 12 1 1/12 ?"): "January only (not 13)",
    ("UTC", _ms("2026-01-05T12:00:00+00:00"), "0 0 12 ? * 2/6"): "Monday only (not 8), asked on a Monday",
    ("UTC", _ms("2026-01-03T12:00:00+00:00"), "0 0 12 ? * 1/7"): "Sunday only (not 8), asked on a Saturday",
    # leap years: 2100 is not one (divisible by 100, not by 400), 2028 is
    ("UTC", _ms("2097-01-01T00:00:00+00:00"), "0 0 12 29 2 ?"): "29 February across 2100",
    ("UTC", _ms("2027-06-01T00:00:00+00:00"), "0 0 12 L 2 ?"): "the last day of February in a leap year",
    # the last Friday of January 2026 is the 30th: asked on Thursday 29th between the two hours, the search
    # steps one day on and must start that day from midnight (08:00 first), not keep Thursday's 12:00
    ("UTC", _ms("2026-01-29T10:00:00+00:00"), "0 0 8,12 ? * 6L"): "the last Friday, asked the day before",
    # the last year searched is the JVM's year + 100 (the table's max_year, 2126 for a table made in 2026):
    # a schedule whose only year is that one still fires
    ("UTC", _JAN, "0 0 12 1 1 ? 2126"): "a year equal to the last one searched",
    # every minute, asked half a minute before the hour: the seconds step carries into minute 60, which the
    # calendar must roll into the next hour before the minutes are looked at (and in New York's gap, 02:00)
    ("UTC", _ms("2026-01-01T12:59:30+00:00"), "0 * * * * ?"): "the seconds step carrying into the next hour",
    ("America/New_York", _ms("2026-03-08T01:59:30-05:00"), "0 * * * * ?"): "the same into the spring-forward gap",
    # Java knows Morocco's one-off Ramadan switches only to 2037, then keeps its last offset (+01:00); the
    # tzdata goes on switching (2 September 2040 to +00:00): noon in Casablanca stays 11:00 UTC for Quartz
    ("Africa/Casablanca", _ms("2040-08-30T00:00:00+00:00"), "0 0 12 * * ?"): "Morocco past 2037, across Ramadan",
    # 'L-nW' past 27: February's day is 28 - n <= 0, a date in January; when that is still ahead, Quartz
    # sets it, is back in January, steps to February again, and never returns (like '0W'): refused
    ("UTC", _JAN, "0 0 12 L-30W * ?"): "fires on 1 January, then loops looking for February's day",
    ("UTC", _ms("2026-01-15T00:00:00+00:00"), "0 0 12 L-28W 3 ?"): "only March, yet the search passes February",
    ("UTC", _ms("2026-01-15T00:00:00+00:00"), "0 0 12 L-27W * ?"): "the largest offset Quartz computes with W",
    ("UTC", _JAN, "0 0 12 L-30 * ?"): "without W any offset up to 30 is computed",
}

#: refused expression -> (the field named, the whole message a person reads)
REFUSED = {
    '*/2147483647 0 12 * * ?':
        ('seconds', 'seconds: the increment 2147483647 is too large (at most 59)'),
    '*/2147483648 0 12 * * ?':
        ('seconds', "seconds: the increment in '*/2147483648' must be a whole number"),
    '*/-2147483649 0 12 * * ?':
        ('seconds', "seconds: the increment in '*/-2147483649' must be a whole number"),
    '0 0 12 ?,* * ?':
        ('day-of-week', "Specify '?' in only one of day-of-month and day-of-week"),
    '0 0 12 ? * ,':
        ('day-of-week', 'day-of-week: no day given (1–7, 1 = Sunday, or SUN–SAT)'),
    '0 0 12 ? ZOO *':
        ('month', "month: 'ZOO' is not a month (use JAN–DEC or 1–12)"),
    '0 0 12 ? * YES':
        ('day-of-week', "day-of-week: 'YES' is not a day (use SUN–SAT, or 1–7 with 1 = Sunday)"),
    '0 0 12 _ * ?':
        ('day-of-month', "day-of-month: unexpected character '_' (1–31)"),
    '0 0 1-99999999999 * * ?':
        ('hours', "hours: the number in '1-99999999999' is too large"),
    '0 0 12 \u200b * ?':
        ('day-of-month', "day-of-month: unexpected character 'U+200B' (1–31)"),
    '0 0 12 ? * 1/8':
        ('day-of-week', 'day-of-week: the increment 8 is too large (at most 7)'),
    '0 0 5/99999999999 * * ?':
        ('hours', "hours: the number in '5/99999999999' is too large"),
    '0 0 1-5/99999999999 * * ?':
        ('hours', "hours: the number in '1-5/99999999999' is too large"),
    '0 0 23-25 * * ?':
        ('hours', 'hours: 25 is out of range (0–23)'),
    '0 0 12 ? * 7-9':
        ('day-of-week', 'day-of-week: 9 is out of range (1–7, 1 = Sunday, or SUN–SAT)'),
    '0 0 12 ?,*/1 * ?':
        ('day-of-week', "day-of-week: '?' is already in day-of-month; give days of the week here "
                        "(e.g. MON-FRI or *), or a day of the month there"),
    '0 0 12 L-30W * ?':
        ('day-of-month', "day-of-month: 'L-30W' would fall before the 1st of a short month (February has 28 "
                         "days), where Quartz never finishes; use an offset of 27 or less"),
    '0 0 12 L-28W 3 ?':
        ('day-of-month', "day-of-month: 'L-28W' would fall before the 1st of a short month (February has 28 "
                         "days), where Quartz never finishes; use an offset of 27 or less"),
    '0 0 12 ? FOO':
        ('expression', 'Quartz needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); '
                       'found 5'),
}


@pytest.fixture(autouse=True)
def fresh_parses():
    """Parses are cached; one made before a test would hide a change in the parser from it."""
    q.clear_caches()
    yield
    q.clear_caches()


def load_table() -> dict:
    return json.loads(TABLE.read_text(encoding="utf-8"))


def test_the_table_holds_these_cases():
    assert [(c["zone"], c["after"], c["expression"]) for c in load_table()["cases"]] == list(CASES), (
        "regenerate with tests/test_mutation_gaps_quartz_edges.py --regenerate")
    from test_quartz_differential import quartz_valid

    refused_there = {c["expression"] for c in load_table()["cases"] if not quartz_valid(c["quartz"])}
    assert set(REFUSED) <= refused_there  # each refusal below is one the real Quartz makes


def test_the_engine_agrees_with_quartz_on_the_edges():
    from test_quartz_differential import mismatches

    table = load_table()
    cases = [(c["zone"], c["after"], c["expression"]) for c in table["cases"]]
    bad = mismatches(cases, [c["quartz"] for c in table["cases"]], table["max_year"])
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("text", list(REFUSED))
def test_a_refusal_at_an_edge_names_the_field_and_what_is_wrong(text):
    field, message = REFUSED[text]
    with pytest.raises(q.ScheduleError) as caught:
        q.compile_expression(text)
    assert (caught.value.field, caught.value.message) == (field, message)


def test_a_refusal_at_an_edge_is_in_the_interface_language():
    """Each message is looked up in the catalogue: a template changed by mistake would stay English."""
    from ips_tui import i18n

    english = {}
    for text in REFUSED:
        with pytest.raises(q.ScheduleError) as caught:
            q.compile_expression(text)
        english[text] = caught.value.message
    i18n.set_language("es")
    try:
        for text, en in english.items():
            with pytest.raises(q.ScheduleError) as caught:
                q.compile_expression(text)
            es = caught.value.message
            assert es != en and es.split(": ")[-1] != en.split(": ")[-1], (text, es)
    finally:
        i18n.set_language("en")


@pytest.mark.quartz
def test_the_live_quartz_still_answers_what_the_table_says(quartz_oracle):
    from test_quartz_differential import run_quartz

    java, launch = quartz_oracle
    table = load_table()
    _, results = run_quartz(java, launch, list(CASES))
    assert results == [c["quartz"] for c in table["cases"]]


def regenerate() -> None:
    from test_quartz_differential import answer_and_write, java_tools

    if java_tools() is None:
        raise SystemExit("needs java and /usr/share/java/quartz2.jar")
    answer_and_write(TABLE, list(CASES))


if __name__ == "__main__":
    sys.path[:0] = [str(ROOT.parent), str(ROOT)]
    if "--regenerate" in sys.argv:
        regenerate()
    else:
        print(__doc__)
