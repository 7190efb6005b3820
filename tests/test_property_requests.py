"""Property: over generated job files, what is accepted arrives as checked, and what is refused is never sent.

Hypothesis writes job files (every job type from the catalogue, with text fields drawn to include what
breaks things: control characters, text-direction controls, odd spaces, ``|``, long names, emoji;
schedules with stray whitespace; one-shot times up to and past year 9999) and each goes the real way:

* accepted by ``JobRequest`` -> sent by ``IpsClient`` over a socket to the sandbox; the envelope the
  sandbox received, parsed back, holds exactly the validated (normalised) values, field by field;
* refused -> ``ips-tui submit`` exits 2 naming a field, and the sandbox receives nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import tomli_w
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from lxml import etree

from ips_tui import cli
from ips_tui.ips.catalog import catalog
from ips_tui.ips.client import IpsClient
from ips_tui.ips.schema import NS
from ips_tui.job.request import JobRequest
from ips_tui.sandbox import Sandbox
from jobgen import request_data, variants

EXAMPLES = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                            HealthCheck.too_slow])

# -- what the generated files hold ---------------------------------------------------------------

AWKWARD = ["\x00", "\x1b", "\t", "\n", "\r", "\x7f", "\x85", "\x9b", "\u202e", "\u2066", "\u200f", "\u00a0",
           "\u3000", "\u2003", " ", "  ", "|", "/", "😀", "é", "ß", "\ufeff"]


PRINTABLE = st.text(st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), min_size=1, max_size=12)


def texts(base: st.SearchStrategy[str] = PRINTABLE) -> st.SearchStrategy[str]:
    """Mostly ordinary text, often with one awkward character at the start, the end or inside."""
    awkward = st.sampled_from(AWKWARD)
    return st.one_of(
        base, base, base, base,
        st.builds(lambda a, b: a + b, awkward, base),
        st.builds(lambda a, b: a + b, base, awkward),
        st.builds(lambda a, b, c: a + b + c, base, awkward, base),
    )


PLAIN_NAME = st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True)
NAMES = st.one_of(PLAIN_NAME, PLAIN_NAME, PLAIN_NAME, texts(),
                  st.integers(168, 176).map(lambda n: "n" * n), st.text(min_size=1, max_size=12))
FIELDS = ["0", "30", "*/15", "0/5", "1-5", "MON-FRI", "L", "LW", "6#3", "?", "*", "JAN", "2027", "15W", "6L"]
SEPARATORS = [" ", " ", " ", "  ", "\t", " \n", "\u00a0", "\u3000"]


@st.composite
def schedules(draw) -> str:
    n = draw(st.integers(5, 8))
    parts = [draw(st.sampled_from(FIELDS)) for _ in range(n)]
    if n >= 6 and draw(st.booleans()):  # a likely-valid shape: one '?' in the day fields
        parts[3], parts[5] = ("?", draw(st.sampled_from(["MON-FRI", "*", "2", "6L"]))) if draw(st.booleans()) \
            else (draw(st.sampled_from(["*", "1", "L", "15W"])), "?")
    text = ""
    for i, p in enumerate(parts):
        text += (draw(st.sampled_from(SEPARATORS)) if i else "") + p
    return draw(st.sampled_from(["", " ", "\t", "\u00a0"])) + text + draw(st.sampled_from(["", " ", " \n", "😀", "\u00a0"]))


EXEC_TIMES = st.one_of(
    st.datetimes(min_value=datetime(2027, 1, 1), max_value=datetime(9999, 12, 30),
                 timezones=st.sampled_from([timezone.utc, timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))])),
    st.just("9999-12-31T23:59:59-12:00"), st.just("2030-01-01T02:00:00"), st.just(" 2030-01-01T02:00:00Z "),
)


@st.composite
def job_files(draw) -> dict:
    element = draw(st.sampled_from(list(catalog().jobs)))
    data = request_data(element, maximal=draw(st.booleans()), variant=draw(st.integers(0, variants(element) - 1)))
    data["companyHandle"] = draw(st.sampled_from(["c|101"] * 5 + [" c|101 ", "c|101\x1b", "\u00a0c|101"]))
    data["jobName"] = draw(NAMES)
    if draw(st.booleans()):
        data["description"] = draw(st.one_of(texts(), st.text(max_size=12)))
    if draw(st.booleans()):
        data["locale"] = draw(st.sampled_from(["en-US", "en-US", "es-ES", " es-ES ", "en_US", "\u00a0en-US", "fr-FR\u202e"]))
    timing = draw(st.sampled_from(["now", "now", "schedule", "schedule", "time"]))
    if timing == "schedule":
        data["execSchedule"] = draw(schedules())
    elif timing == "time":
        data["execTime"] = draw(EXEC_TIMES)
    # one string leaf of the job table gets awkward text too
    strings = [(k, v) for k, v in data[element].items() if isinstance(v, str)]
    if strings and draw(st.integers(0, 3)) == 0:
        key = draw(st.sampled_from([k for k, _ in strings]))
        data[element][key] = draw(texts(st.just(data[element][key])))
    return data


# -- the envelope, read back ------------------------------------------------------------------------


def _child(el, name):
    return el.find(f"{{{NS}}}{name}")


def _same(expected, el, path: str) -> list[str]:
    """Where the element ``el`` does not hold ``expected`` (a payload value)."""
    if el is None:
        return [f"{path}: missing from the envelope"]
    if isinstance(expected, dict):
        out = []
        for key, value in expected.items():
            if key == "items":
                items = el.findall(f"{{{NS}}}items")
                if len(items) != len(value):
                    return [f"{path}: {len(items)} items sent, {len(value)} checked"]
                for i, (v, item) in enumerate(zip(value, items)):
                    out += _same(v, item, f"{path}[{i}]")
            else:
                out += _same(value, _child(el, key), f"{path}.{key}")
        return out
    text = el.text or ""
    if isinstance(expected, bool):
        ok = text in (("true", "1") if expected else ("false", "0"))
    elif isinstance(expected, int):
        ok = int(text) == expected
    elif isinstance(expected, float):
        ok = float(text) == expected
    elif isinstance(expected, datetime):
        ok = datetime.fromisoformat(text.replace("Z", "+00:00")) == expected
    else:
        ok = text == expected
    return [] if ok else [f"{path}: sent {text!r}, checked {expected!r}"]


@pytest.fixture(scope="module")
def server():
    with Sandbox() as sb:
        yield sb


@pytest.fixture(scope="module")
def client(server):
    c = IpsClient(server.url, server.user, server.password, timeout=30)
    yield c
    c.close()


@EXAMPLES
@given(data=job_files())
def test_accepted_arrives_as_checked_refused_is_never_sent(server, client, tmp_path_factory, data):
    path = tmp_path_factory.mktemp("job") / "job.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    req = JobRequest.from_toml(path)
    problems = req.validate()
    before = len(server.received)
    event("refused" if problems else "accepted")
    if problems:
        code = cli.main(["submit", str(path), "--url", server.url, "--user", server.user, "--json"])
        assert code == 2
        assert all(p.path or p.message for p in problems)
        assert len(server.received) == before, "a refused file reached the service"
        return
    payload = req.to_payload()
    normalised, _ = req.normalised()
    for name in ("companyHandle", "jobName", "description", "locale", "execSchedule"):
        if name in payload:
            assert payload[name] == normalised[name]  # the payload is the validated value, not the typed one
    try:
        client.submit_job(payload)
    except Exception:  # the sandbox may refuse the job (unknown handle ...): the envelope still arrived
        pass
    received = server.received[before:]
    assert [r.operation for r in received] == ["submitJob"]
    body = etree.fromstring(received[0].body).find(f".//{{{NS}}}submitJobParam")
    bad = []
    for key, value in payload.items():
        bad += _same(value, _child(body, key), key)
    assert not bad, bad
