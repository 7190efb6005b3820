"""What is checked is what is sent: one normalisation per text field, shared by validate() and the envelope.

Each case goes through the real CLI to the sandbox: a refused file exits 2 naming the field and sends
nothing; an accepted one arrives with exactly the normalised value that was checked.
"""

from __future__ import annotations

import json

import pytest

from ips_tui import cli
from ips_tui.ips.catalog_text import MAX_LENGTH
from ips_tui.job.request import JobRequest
from ips_tui.job.text_rules import java_length, normalise

ISP = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}}


def _file(tmp_path, **common) -> str:
    import tomli_w

    data = {"companyHandle": "c|101", "jobName": "t", **common, **ISP}
    path = tmp_path / "job.toml"
    path.write_text(tomli_w.dumps(data), encoding="utf-8")
    return str(path)


def _submit(sandbox, monkeypatch, path, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    code = cli.main(["submit", path, "--url", sandbox.url, "--user", sandbox.user, "--json"])
    out = capsys.readouterr()
    return code, [json.loads(line) for line in out.out.splitlines()], out.err


REFUSED = [
    ("jobName", "esc\x1b[31mred", "U+001B"),
    ("jobName", "nul\x00", "U+0000"),
    ("jobName", "csi\x9b31m", "U+009B"),
    ("jobName", "rtl\u202egnp.exe", "U+202E"),
    ("jobName", "isolate\u2066x\u2069", "U+2066"),
    ("jobName", "two\nlines", "U+000A"),
    ("jobName", "tab\there", "U+0009"),
    ("jobName", "x" * (MAX_LENGTH["jobName"] + 1), str(MAX_LENGTH["jobName"])),
    ("jobName", "😀" * (MAX_LENGTH["jobName"] // 2 + 1), str(MAX_LENGTH["jobName"])),  # Java counts 2 each
    ("description", "bell\x07", "U+0007"),
    ("description", "override\u202d", "U+202D"),
    ("companyHandle", "c|101\x85", "U+0085"),
    ("locale", "\u00a0en-US", "U+00A0"),
    ("execSchedule", "0 0 12 * * ? \n", "U+000A"),
    ("execSchedule", "\u00a00 0 12 * * ?", "U+00A0"),
    ("execSchedule", "0 0 12 * * ?\u3000", "U+3000"),
    ("execSchedule", "0 0 12 * * ?😀", "?"),
    ("execTime", "9999-12-31T23:59:59-12:00", "9999-12-31T23:59:59Z"),
]


@pytest.mark.parametrize("field,value,named", REFUSED, ids=[f"{c[0]}-{i}" for i, c in enumerate(REFUSED)])
def test_refused_text_exits_2_naming_field_and_character_and_sends_nothing(
        tmp_path, sandbox, monkeypatch, capsys, field, value, named):
    code, lines, _err = _submit(sandbox, monkeypatch, _file(tmp_path, **{field: value}), capsys)
    assert code == 2, lines
    [line] = lines
    problems = line["error"]["problems"]
    mine = [p for p in problems if p["path"] == field]
    assert mine, problems
    assert any(named in p["message"] for p in mine), mine
    assert sandbox.received == []


SENT_AS = [
    ("execSchedule", "  0  0   12 * * ?  ", "0 0 12 * * ?"),
    ("execSchedule", "0\t0\t12\t*\t*\t?", "0 0 12 * * ?"),
    ("execSchedule", "0 0 12 * * ? *", "0 0 12 * * ? *"),
    ("companyHandle", "  c|101 ", "c|101"),
    ("locale", " en-US ", "en-US"),
    ("description", "  kept as typed  ", "  kept as typed  "),
    ("description", "no-break\u00a0space and emoji 😀", "no-break\u00a0space and emoji 😀"),
    ("jobName", "x" * MAX_LENGTH["jobName"], "x" * MAX_LENGTH["jobName"]),
]


@pytest.mark.parametrize("field,value,sent", SENT_AS, ids=[f"{c[0]}-{i}" for i, c in enumerate(SENT_AS)])
def test_accepted_text_arrives_exactly_as_checked(tmp_path, sandbox, monkeypatch, capsys, field, value, sent):
    path = _file(tmp_path, **{field: value})
    code, lines, err = _submit(sandbox, monkeypatch, path, capsys)
    assert code == 0, (lines, err)
    [job] = sandbox.submitted_jobs()
    got = job["companyHandle"] if field == "companyHandle" else job[field]
    assert got == sent
    # and it is the very value validate() saw
    data, problems = JobRequest.from_toml(path).normalised()
    assert problems == [] and data[field] == sent


def test_handles_in_arrays_are_trimmed_before_checking_and_sending():
    req = JobRequest({"companyHandle": "c|101", "jobName": "t",
                      "exportJob": {"assetHandleArray": [" a|101|1001 ", "a|101|1002"], "fmt": "orig",
                                    "emailSetting": "None"}})
    payload = req.to_payload()
    assert payload["exportJob"]["assetHandleArray"] == {"items": ["a|101|1001", "a|101|1002"]}
    bad = JobRequest({**req.data, "exportJob": {**req.data["exportJob"], "assetHandleArray": ["a|1\x1b"]}})
    [problem] = bad.validate()
    assert problem.path == "exportJob.assetHandleArray[0]" and "U+001B" in problem.message


def test_url_items_refuse_controls_with_their_path():
    req = JobRequest({"companyHandle": "c|101", "jobName": "t",
                      "uploadUrlsJob": {"overwrite": True, "readyForPublish": True, "createMask": False,
                                        "emailSetting": "None",
                                        "urlArray": [{"sourceUrl": "https://e.com/a.jpg", "destPath": "a/\u202eb.jpg"}]}})
    assert [p.path for p in req.validate()] == ["uploadUrlsJob.urlArray[0].destPath"]


def test_sandbox_enforces_the_same_job_name_bound(sandbox):
    from test_sandbox_server import Caller, PUBLISH

    api = Caller(sandbox)
    limit = MAX_LENGTH["jobName"]
    assert api("submitJob", PUBLISH.format(name="x" * limit)).fault is None
    fault = api("submitJob", PUBLISH.format(name="x" * (limit + 1))).fault
    assert fault is not None and str(limit) in str(fault)
    assert len(sandbox.submitted_jobs()) == 1


def test_java_length_counts_utf16_units():
    assert java_length("abc") == 3 and java_length("😀") == 2 and java_length("é") == 1


def test_one_job_type_exactly_at_validate():
    two = JobRequest({"companyHandle": "c|101", "jobName": "t", **ISP,
                      "optimizeImagesJob": {"emailSetting": "None"}})
    problems = two.validate()
    assert [p.path for p in problems] == [""]
    assert "imageServingPublishJob" in problems[0].message and "optimizeImagesJob" in problems[0].message
    none = JobRequest({"companyHandle": "c|101", "jobName": "t"})
    assert [p.path for p in none.validate()] == [""]
    assert JobRequest({"companyHandle": "c|101", "jobName": "t", **ISP}).validate() == []


@pytest.mark.parametrize("value", ["x", " x", "x ", "a  b", "\u00a0x"])
def test_rules_say_once_what_is_trimmed(value):
    assert normalise("companyHandle", value)[0] == value.strip(" ")
    assert normalise("description", value)[0] == value
    assert normalise("execSchedule", value)[0] == " ".join(p for p in value.split(" ") if p)
