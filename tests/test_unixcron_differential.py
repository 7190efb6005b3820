"""croniter as the judge of Unix cron: the Quartz form we suggest fires at the same instants as croniter says the
Unix cron does, over a seeded corpus of generated 5-field expressions (day-of-week numbering 0/7 = Sunday and
names, ``*``, steps, ranges, lists, ``L``, ``#``; months by number and name).

* always: against our Quartz engine (itself pinned to the real Quartz by test_quartz_differential.py);
* marker ``quartz``: against the real Quartz 2.3.2 (libquartz2-java), in one JVM run.

A cron that restricts both day fields fires on either (OR); it has no single Quartz form, and the two forms we
offer instead must fire, together, at exactly its times. Compared in UTC and Asia/Tokyo (no daylight saving:
cron implementations differ on DST hours, and that is not what is proven here).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from ips_tui.job import quartz as q
from ips_tui.job.unixcron import read_unix_cron
from test_quartz_differential import COUNT as ORACLE_COUNT
from test_quartz_differential import compile_harness, java_tools, run_quartz

COUNT = 6
SEED = 20261201
N = 1200
ZONES = ("UTC", "Asia/Tokyo")
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _field(rng: random.Random, lo: int, hi: int, names: tuple[str, ...] = (), base: int = 0) -> str:
    def one() -> str:
        v = rng.randint(lo, hi)
        return names[v - base] if names and rng.random() < 0.4 else str(v)

    kind = rng.choice(("star", "one", "range", "step", "range_step", "list", "list_ranges"))
    if kind == "star":
        return "*"
    if kind == "one":
        return one()
    a, b = sorted(rng.sample(range(lo, hi + 1), 2))
    word = (lambda v: names[v - base] if names and rng.random() < 0.4 else str(v))
    if kind == "range":
        return f"{word(a)}-{word(b)}"
    if kind == "step":
        return f"*/{rng.randint(2, max(2, (hi - lo) // 2))}"
    if kind == "range_step":
        return f"{a}-{b}/{rng.randint(2, max(2, b - a))}"
    if kind == "list":
        return ",".join(sorted({one() for _ in range(rng.randint(2, 4))}))
    c, d = sorted(rng.sample(range(lo, hi + 1), 2))
    return f"{a}-{b},{c}" if c not in range(a, b + 1) else f"{word(a)}-{word(b)}"


def generate(seed: int = SEED, n: int = N) -> list[str]:
    rng = random.Random(seed)
    out: set[str] = set()
    while len(out) < n:
        minute = _field(rng, 0, 59)
        hour = _field(rng, 0, 23)
        dom = "*" if rng.random() < 0.55 else rng.choice([_field(rng, 1, 28), "L", _field(rng, 1, 28)])
        month = "*" if rng.random() < 0.5 else _field(rng, 1, 12, MONTH_NAMES, 1)
        if rng.random() < 0.45:
            dow = "*"
        elif rng.random() < 0.08:
            dow = f"{rng.randint(0, 6)}#{rng.randint(1, 4)}"
        else:
            dow = _field(rng, 0, 7 if rng.random() < 0.3 else 6, DAY_NAMES + ("sun",), 0)
        out.add(f"{minute} {hour} {dom} {month} {dow}")
    return sorted(out)


def cron_times(expr: str, zone: str, after: datetime) -> list[int]:
    it = croniter(expr, after.astimezone(ZoneInfo(zone)))
    return [int(it.get_next(datetime).timestamp() * 1000) for _ in range(COUNT)]


def quartz_times(expr: str, zone: str, after: datetime) -> list[int]:
    spec = q.compile_expression(expr)
    return q.next_times(spec, q.zone_calc(zone), int(after.timestamp() * 1000), COUNT)


def cases() -> list[tuple[str, str, datetime, object]]:
    """(Unix cron, zone, after, what we read from it) for the whole corpus."""
    rng = random.Random(SEED + 1)
    out = []
    for expr in generate():
        after = datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(
            seconds=rng.randint(0, 2 * 365 * 86400) // 60 * 60 + 30)  # never on a fire time itself
        out.append((expr, rng.choice(ZONES), after, read_unix_cron(expr)))
    return out


def merged(lists: list[list[int]]) -> list[int]:
    return sorted(set().union(*lists))[:COUNT]


def test_the_corpus_is_big_and_covers_the_syntax():
    corpus = generate()
    assert len(corpus) >= 1000
    text = " ".join(corpus)
    for needle in ("*/", "-", ",", "#", " L ", "jan", "sun", " 7", " 0"):
        assert needle in text, needle
    read = [read_unix_cron(e) for e in corpus]
    assert all(r is not None for r in read), "croniter refused a generated expression"
    assert sum(1 for r in read if r.quartz is None and r.split is None) < 50
    split = [r for r in read if r.split is not None]
    single = [r for r in read if r.quartz is not None]
    assert len(split) >= 100 and len(single) >= 700


def test_every_suggested_quartz_form_fires_when_croniter_says_the_unix_cron_does():
    bad = []
    compared = 0
    for expr, zone, after, read in cases():
        if read.quartz is None and read.split is None:
            # a nth weekday (5#2) with a day of the month: croniter cannot time it, nor do we offer a form
            assert "#" in expr.split()[4] and expr.split()[2] != "*", expr
            continue
        compared += 1
        want = cron_times(expr, zone, after)
        if read.quartz is not None:
            got = quartz_times(read.quartz, zone, after)
        else:
            assert read.split is not None, f"{expr!r}: neither a Quartz form nor a split"
            got = merged([quartz_times(form, zone, after) for form in read.split])
        if got != want:
            bad.append(f"{expr!r} -> {read.quartz or read.split} in {zone} after {after:%Y-%m-%d %H:%M}: "
                       f"croniter {want} != Quartz {got}")
    assert compared >= 1000
    assert not bad, f"{len(bad)} differ:\n" + "\n".join(bad[:20])


def test_both_day_fields_restricted_says_why_there_is_no_single_form():
    read = read_unix_cron("0 12 1,15 * mon")
    assert read.quartz is None and read.split == ("0 0 12 1,15 * ?", "0 0 12 ? * MON")
    hint = read.hint()
    assert "either" in hint and "only one" in hint
    sentence, *lines = hint.split("\n")
    assert sentence.endswith(".") and lines == list(read.split)


def test_the_hint_ends_with_a_full_stop_and_keeps_the_expression_on_its_own_line():
    hint = read_unix_cron("30 6 * * 1-5").hint()
    sentence, expression = hint.split("\n")
    assert sentence.endswith(".") and expression == "0 30 6 ? * MON-FRI"


@pytest.mark.parametrize("text", ["0 30 6 ? * MON-FRI", "hello", "", "60 * * * *", "H * * * *", "0 0 * * 8"])
def test_what_croniter_refuses_is_no_unix_cron(text):
    assert read_unix_cron(text) is None


@pytest.mark.quartz
def test_the_real_quartz_fires_when_croniter_says(tmp_path_factory):
    if java_tools() is None:
        pytest.skip("needs java and libquartz2-java")
    java, launch = compile_harness(tmp_path_factory.mktemp("unix-quartz"))
    rows = []  # (index into cases, Quartz expression)
    all_cases = cases()
    for i, (_expr, _zone, _after, read) in enumerate(all_cases):
        for form in ([read.quartz] if read.quartz else list(read.split or ())):
            rows.append((i, form))
    _max_year, results = run_quartz(java, launch, [(all_cases[i][1], int(all_cases[i][2].timestamp() * 1000), form)
                                                   for i, form in rows])
    fires: dict[int, list[list[int]]] = {}
    for (i, _form), result in zip(rows, results, strict=True):
        assert result["parse_ok"] and result["eval_error"] is None, result
        fires.setdefault(i, []).append(result["fires"])
    n = ORACLE_COUNT  # the oracle gives this many fire times per expression
    assert len(fires) >= 1000
    bad = [f"{all_cases[i][0]!r}: croniter {cron_times(*all_cases[i][:3])[:n]} != Quartz {merged(lists)[:n]}"
           for i, lists in fires.items() if merged(lists)[:n] != cron_times(*all_cases[i][:3])[:n]]
    assert not bad, f"{len(bad)} differ from the real Quartz:\n" + "\n".join(bad[:20])
