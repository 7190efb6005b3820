"""Generated schedules against the real Quartz: the text as typed, and the text actually sent.

``test_quartz_differential.py`` judges our engine on a fixed corpus. Here 2,000 expressions are
generated (seeded: ``QUARTZ_GEN_SEED`` picks another batch) from every field form, then roughened the way
people and files roughen them: runs of spaces, tabs, a trailing newline, no-break and ideographic spaces
at either end or between fields, lower-case names, a character after ``?`` (emoji included, which Java
counts as two). Each is placed in one of six zones, DST transitions included. One JVM run answers all.

Two questions per expression:

* the engine: do we and Quartz agree on the raw text (validity, and the next 5 fire times)?
* what is sent: when ``parse_schedule`` accepts the text, Quartz must accept the *normalised* text it
  sends and fire at exactly the times we list; when we refuse it, either Quartz refuses the normalised text
  too, or we refused on purpose (a control character or a space that is not a space, named in the message).
"""

from __future__ import annotations

import os
import random

import pytest

from ips_tui.job import quartz as q
from ips_tui.job import timing
from ips_tui.job.request import InvalidRequest, JobRequest
from test_quartz_differential import (BASE_CONTEXTS, DST_CONTEXTS, _ms, _random_expressions, mismatches,
                                      quartz_oracle, quartz_valid, run_quartz)  # noqa: F401 (a fixture)

SEED = int(os.environ.get("QUARTZ_GEN_SEED", "20261201"))
COUNT = 2000
CONTEXTS = BASE_CONTEXTS + DST_CONTEXTS + [("Asia/Kolkata", _ms(2026, 6, 1)), ("America/Sao_Paulo", _ms(2026, 2, 1))]
EDGES = ["", "", "", " ", "  ", "\t", "\n", " \n", "\r\n", "\u00a0", "\u3000", "\u2003", "\x0b"]
SEPARATORS = [" "] * 8 + ["  ", "\t", " \t ", "\u00a0", "\u2003"]
AFTER_QUESTION = ["x", "X", "😀", "é", "\u00a0", "?", "1"]


def roughen(expr: str, rnd: random.Random) -> str:
    fields = expr.split(" ")
    if rnd.random() < 0.3:
        fields = [f.lower() for f in fields]
    if rnd.random() < 0.15 and "?" in fields:
        i = fields.index("?")
        fields[i] = "?" + rnd.choice(AFTER_QUESTION)
    text = fields[0]
    for f in fields[1:]:
        text += (rnd.choice(SEPARATORS) if rnd.random() < 0.3 else " ") + f
    if rnd.random() < 0.5:
        text = rnd.choice(EDGES) + text + rnd.choice(EDGES)
    return text


def generated(seed: int = SEED, n: int = COUNT) -> list[tuple[str, int, str]]:
    rnd = random.Random(seed)
    out = []
    for expr in _random_expressions(seed, n):
        zone, after = rnd.choice(CONTEXTS)
        out.append((zone, after, roughen(expr, rnd) if rnd.random() < 0.6 else expr))
    return out


ISP = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}


def sent_text(raw: str) -> tuple[str | None, str | None]:
    """(the execSchedule the envelope would carry, or None; why it was refused before Quartz could judge
    it, or None). Goes the real way: a request with this schedule, validated and made into a payload."""
    try:
        timing.normalise_schedule(raw)
    except q.ScheduleError as exc:
        return None, exc.message
    try:
        payload = JobRequest({"companyHandle": "c|101", "jobName": "g", "execSchedule": raw, **ISP}).to_payload()
    except InvalidRequest:
        return None, None  # refused by the engine: Quartz must refuse the normalised text too
    listed = timing.parse_schedule(raw).expression  # what the fire times shown to the user are computed from
    assert payload["execSchedule"] == listed, (raw, payload["execSchedule"], listed)
    return payload["execSchedule"], None


def test_generation_covers_what_it_means_to():
    cases = generated()
    texts = [e for _, _, e in cases]
    assert len(cases) >= 1500 and len({z for z, _, _ in cases}) >= 5
    for needle in ("\t", "\n", "\u00a0", "😀", "  ", "mon", "?x"):
        assert any(needle in t.lower() for t in texts), needle
    accepted = sum(sent_text(t)[0] is not None for t in texts)
    assert accepted >= len(texts) // 5, "too few valid schedules to judge fire times on"


@pytest.mark.quartz
def test_generated_schedules_agree_with_quartz_as_typed_and_as_sent(quartz_oracle):
    java, launch = quartz_oracle
    cases = generated()
    plan = []  # (zone, after, normalised text or None, why refused)
    for zone, after, raw in cases:
        sent, why = sent_text(raw)
        normalised = None if why else timing.normalise_schedule(raw)
        plan.append((zone, after, sent, normalised, why))
    extra = [(z, a, n) for z, a, _s, n, why in plan if n is not None]
    max_year, results = run_quartz(java, launch, cases + extra)  # one JVM run for all
    raw_results, sent_results = results[:len(cases)], iter(results[len(cases):])

    # the engine, on the text as typed
    bad = mismatches(cases, raw_results, max_year)
    # what is sent: the normalised text, judged by Quartz
    on_purpose = 0
    for (zone, after, raw), (_z, _a, sent, normalised, why) in zip(cases, plan):
        if why is not None:
            on_purpose += 1
            assert "U+" in why, f"{raw!r}: refused without naming the character: {why}"
            continue
        quartz = next(sent_results)
        if sent is None:
            if quartz_valid(quartz):
                bad.append(f"{raw!r}: we refuse {normalised!r}, Quartz accepts it")
            continue
        if not quartz_valid(quartz):
            bad.append(f"{raw!r}: we send {sent!r}, which Quartz refuses ({quartz['error'] or quartz['eval_error']})")
            continue
        ours = q.next_times(q.compile_expression(sent), q.zone_calc(zone), after, 5, max_year)
        if ours != quartz["fires"]:
            bad.append(f"{raw!r} sent as {sent!r} in {zone}: Quartz {quartz['fires']} != ours {ours}")
    assert not bad, f"seed {SEED}: {len(bad)} of {len(cases)} disagree:\n" + "\n".join(bad[:30])
    assert on_purpose < len(cases) // 2
