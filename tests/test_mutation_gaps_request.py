"""Tests that kill mutants the fast set let live in job/request.py (see docs/testing.md, Mutation testing):
the job file's limits said with their figures, a BOM, an empty job table kept, and what a refusal allows."""

from __future__ import annotations

from datetime import datetime

import pytest

from ips_tui.job.request import MAX_JOB_FILE, MAX_NESTING, JobFileError, JobRequest

HEAD = 'companyHandle = "c|101"\njobName = "n"\n'
BASE = {"companyHandle": "c|101", "jobName": "n"}


def _nested(levels: int) -> str:
    """A job file whose deepest value sits ``levels`` arrays down (the table itself is one level)."""
    return HEAD + "[optimizeImagesJob]\nemailSetting = \"None\"\nx = " + "[" * levels + "1" + "]" * levels + "\n"


def test_nesting_is_refused_just_past_the_limit_and_the_limit_is_named(tmp_path):
    ok = tmp_path / "ok.toml"
    ok.write_text(_nested(MAX_NESTING - 2))  # the document and the job table are two of the levels
    JobRequest.from_toml(ok)  # at the limit: read (the unknown field is validate()'s business)
    deep = tmp_path / "deep.toml"
    deep.write_text(_nested(MAX_NESTING - 1))
    with pytest.raises(JobFileError) as caught:
        JobRequest.from_toml(deep)
    assert caught.value.message == (f"arrays or tables are nested more than {MAX_NESTING} deep; a job file needs "
                                    "a few levels")
    assert caught.value.path == str(deep)


def test_nesting_too_deep_for_the_toml_reader_is_the_same_refusal(tmp_path):
    """Thousands of levels make the TOML reader itself give up (RecursionError): still a job file error."""
    deep = tmp_path / "deeper.toml"
    deep.write_text(_nested(5000))
    with pytest.raises(JobFileError) as caught:
        JobRequest.from_toml(deep)
    assert caught.value.message.startswith(f"arrays or tables are nested more than {MAX_NESTING} deep")


def test_a_file_too_large_names_the_limit_in_kib(tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(b"#" * (MAX_JOB_FILE + 1))
    with pytest.raises(JobFileError) as caught:
        JobRequest.from_toml(big)
    assert caught.value.message == "the file is larger than 4096 KiB; a job file is much smaller"
    assert str(caught.value) == f"{big}: the file is larger than 4096 KiB; a job file is much smaller"


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    body = (HEAD + '[optimizeImagesJob]\nemailSetting = "None"\n').encode()
    path = tmp_path / "full.toml"
    path.write_bytes(body + b"#" * (MAX_JOB_FILE - len(body)))
    assert path.stat().st_size == MAX_JOB_FILE
    assert JobRequest.from_toml(path).job_name == "n"


def test_a_device_is_not_a_job_file():
    with pytest.raises(JobFileError) as caught:
        JobRequest.from_toml("/dev/null")
    assert caught.value.message == "not a regular file (a job file is a TOML file)"
    assert caught.value.path == "/dev/null"


def test_a_leading_byte_order_mark_is_allowed(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes("\ufeff".encode() + (HEAD + '[optimizeImagesJob]\nemailSetting = "None"\n').encode())
    assert JobRequest.from_toml(path).job_name == "n"


def test_a_job_table_with_no_fields_is_kept_in_the_job_file():
    text = JobRequest({**BASE, "imageServingPublishJob": {}}).to_toml()
    assert "[imageServingPublishJob]" in text


def test_a_missing_choice_lists_what_is_allowed_and_nothing_else_does():
    [p] = JobRequest({**BASE, "imageServingPublishJob": {"publishType": "Full"}}).validate()
    assert p.path == "imageServingPublishJob.emailSetting"
    assert p.message.endswith(" Allowed: All, Error, ErrorAndWarning, JobCompletion, None.")
    [p] = JobRequest({**BASE, "imageServingPublishJob": {"emailSetting": "None"}}).validate()
    assert p.message.endswith(" Allowed: Full, FullWithSearch, Incremental.")
    [p] = JobRequest({**BASE, "optimizeImagesJob": {"emailSetting": "None", "bogus": 1}}).validate()
    assert "Allowed" not in p.message and p.message.startswith("unknown field.")


def test_a_time_without_zone_says_to_add_one():
    [p] = JobRequest({**BASE, "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
                      "execTime": datetime(2031, 1, 1, 2, 0)}).validate()
    assert p.path == "execTime" and "'2031-01-01T02:00:00' has no time zone" in p.message


def test_two_options_of_one_group_name_the_group_and_both():
    job = {"overwrite": True, "readyForPublish": True, "createMask": False, "emailSetting": "None",
           "urlArray": [{"sourceUrl": "https://x.example/a.jpg", "destPath": "a/a.jpg"}],
           "postImageServingPublishJob": {"emailSetting": "None", "publishType": "Full"},
           "postVideoPublishJob": {"emailSetting": "None"}}
    [p] = JobRequest({**BASE, "uploadUrlsJob": job}).validate()
    assert p.path == "uploadUrlsJob.postVideoPublishJob"
    assert p.message == ("only one follow-on publish option may be set, but postImageServingPublishJob and "
                         "postVideoPublishJob are.")


def test_a_missing_field_without_choices_lists_none():
    [p] = JobRequest({"jobName": "n", "optimizeImagesJob": {"emailSetting": "None"}}).validate()
    assert p.message == "required: Company handle is missing."


def test_what_a_job_file_is_told_is_in_the_interface_language():
    from ips_tui import i18n

    english = JobRequest({**BASE, "optimizeImagesJob": {"emailSetting": "None"}, "execTime": 5}).validate()
    i18n.set_language("es")
    try:
        spanish = JobRequest({**BASE, "optimizeImagesJob": {"emailSetting": "None"}, "execTime": 5}).validate()
    finally:
        i18n.set_language("en")
    assert [p.path for p in spanish] == [p.path for p in english] == ["execTime"]
    assert spanish[0].message != english[0].message
