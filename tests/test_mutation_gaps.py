"""Behaviour of JobRequest that mutation testing showed no test held (docs/testing.md, "Mutation testing")."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ips_tui.job.request import InvalidRequest, JobFileError, JobRequest, Problem

ISP = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error"}}
BASE = {"companyHandle": "c|101", "jobName": "t"}


def test_problem_text_names_its_path_only_when_it_has_one():
    assert str(Problem("jobName", "bad.")) == "jobName: bad."
    assert str(Problem("", "no job type.")) == "no job type."
    err = InvalidRequest([Problem("a", "x."), Problem("", "y.")])
    assert str(err) == "a: x.\ny." and len(err.problems) == 2


@pytest.mark.parametrize("value,word", [(True, "true/false"), (5, "a whole number"), (1.5, "a number"),
                                        ("x", "text"), ([1], "a list"), ({"a": 1}, "a table"),
                                        (datetime(2030, 1, 1), "datetime")])
def test_a_wrong_type_is_named_in_words(value, word):
    problems = JobRequest({**BASE, **ISP, "jobName": value}).validate() if isinstance(value, dict) else \
        JobRequest({**BASE, "imageServingPublishJob": value}).validate()
    want = "must be text, not" if isinstance(value, dict) else "must be a table of fields, not"
    assert [p.message for p in problems] == [f"{want} {word}."]


def test_one_suggestion_for_a_misspelt_field():
    [p] = JobRequest({**BASE, **ISP, "jobNme": "x"}).validate()
    assert p.message == "unknown field. Did you mean jobName?"
    [p] = JobRequest({**BASE, **ISP, "zzzz": "x"}).validate()
    assert p.message == "unknown field."


def test_no_job_type_lists_every_job_element():
    from ips_tui.ips.catalog import catalog

    [p] = JobRequest(dict(BASE)).validate()
    assert p.message == ("no job type: add exactly one table such as [imageServingPublishJob] (one of: "
                         + ", ".join(catalog().jobs) + ").")
    [p] = JobRequest({**BASE, **ISP, "optimizeImagesJob": {"emailSetting": "None"}}).validate()
    assert p.message == "several job types (imageServingPublishJob, optimizeImagesJob): a request carries exactly one."


REPRO = {"assetHandleArray": ["a|101|1001"], "createMask": False, "emailSetting": "Error"}


def test_text_rules_reach_enums_nested_options_and_their_handles():
    [p] = JobRequest({**BASE, "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error\x1b"}}).validate()[:1]
    assert p.path == "imageServingPublishJob.emailSetting" and "U+001B" in p.message
    nested = {**REPRO, "colorManagementOptions": {"colorManagement": "Convert", "sourceProfileHandle": " a|101|7 ",
                                                  "outputProfileHandle": "a|101|8"}}
    payload = JobRequest({**BASE, "reprocessAssetsJob": nested}).to_payload()
    assert payload["reprocessAssetsJob"]["colorManagementOptions"]["sourceProfileHandle"] == "a|101|7"
    nested["colorManagementOptions"]["outputProfileHandle"] = "a|101|8\u202e"
    [p] = JobRequest({**BASE, "reprocessAssetsJob": nested}).validate()
    assert p.path == "reprocessAssetsJob.colorManagementOptions.outputProfileHandle" and "U+202E" in p.message


def test_every_job_table_is_checked_even_after_a_bad_one():
    problems = JobRequest({**BASE, "imageServingPublishJob": 5, "optimizeImagesJob": {"emailSetting": "Never"}}).validate()
    paths = [p.path for p in problems]
    assert "imageServingPublishJob" in paths and "optimizeImagesJob.emailSetting" in paths


def test_a_file_that_cannot_be_read_says_why(tmp_path):
    with pytest.raises(JobFileError) as info:
        JobRequest.from_toml(tmp_path / "missing.toml")
    assert info.value.message == "cannot read the file: No such file or directory"
    bad = tmp_path / "bad.toml"
    bad.write_text("a = [")
    with pytest.raises(JobFileError) as info:
        JobRequest.from_toml(bad)
    assert info.value.message.startswith("not valid TOML: ") and "document" in info.value.message  # the reason
    latin = tmp_path / "latin.toml"
    latin.write_bytes('jobName = "caf\xe9"'.encode("latin-1"))
    with pytest.raises(JobFileError) as info:
        JobRequest.from_toml(latin)
    assert info.value.message == "the file is not UTF-8 text" and info.value.path == str(latin)


def test_exec_time_as_text_or_datetime_is_sent_as_a_datetime():
    when = datetime(2031, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    for value in (when, "2031-01-02T03:04:05Z"):
        payload = JobRequest({**BASE, **ISP, "execTime": value}).to_payload(now=datetime(2030, 1, 1, tzinfo=timezone.utc))
        assert payload["execTime"] == when
    [p] = JobRequest({**BASE, **ISP, "execTime": 5}).validate()
    assert p.path == "execTime" and "date-time" in p.message


def test_the_check_uses_the_given_now():
    req = JobRequest({**BASE, **ISP, "execTime": "2031-01-01T00:00:00Z"})
    assert req.validate(now=datetime(2030, 1, 1, tzinfo=timezone.utc)) == []
    assert [p.path for p in req.validate(now=datetime(2032, 1, 1, tzinfo=timezone.utc))] == ["execTime"]
    with pytest.raises(InvalidRequest):
        req.to_payload(now=datetime(2032, 1, 1, tzinfo=timezone.utc))


def test_empty_common_fields_are_left_out():
    payload = JobRequest({**BASE, **ISP, "description": "", "locale": ""}).to_payload()
    assert "description" not in payload and "locale" not in payload
