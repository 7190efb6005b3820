"""What a job file's checks say (job/request.py ``_check`` and ``_check_common``), where mutants lived against
the fast tests or never ran (see docs/testing.md, Mutation testing): each wrong kind of value named with its
field and in words, numbers at and past their limits, a list's limit counted exactly, every bad item of a
handle list reported in order at its index, the likely choice suggested, and the common fields' refusals
word for word."""

from __future__ import annotations

import pytest

from ips_tui.job.request import JobRequest

BASE = {"companyHandle": "c|101", "jobName": "n"}
UPLOAD = {"emailSetting": "None", "serverDir": "a/", "overwrite": True, "readyForPublish": True,
          "createMask": False, "includeSubfolders": True, "processMetadataFiles": False}
KNOCKOUT = {"corner": "UpperLeft", "fillMethod": "FloodFill"}
CROP = {"left": 0, "right": 1, "top": 1, "bottom": 1}


def _problems(**fields) -> list[tuple[str, str]]:
    job = {**UPLOAD, **fields}
    return [(p.path, p.message) for p in JobRequest({**BASE, "uploadDirectoryJob": job}).validate()]


@pytest.mark.parametrize(("fields", "path", "message"), [
    ({"knockoutBackgroundOptions": 5}, "knockoutBackgroundOptions", "must be a table of fields, not a whole number."),
    ({"projectHandleArray": "P"}, "projectHandleArray", "must be a list, not text."),
    ({"overwrite": "yes"}, "overwrite", "must be true or false, not text."),
    ({"manualCropOptions": {**CROP, "left": "x"}}, "manualCropOptions.left", "must be a whole number, not text."),
    ({"manualCropOptions": {**CROP, "left": 1.5}}, "manualCropOptions.left", "must be a whole number, not a number."),
    ({"knockoutBackgroundOptions": {**KNOCKOUT, "tolerance": "x"}}, "knockoutBackgroundOptions.tolerance",
     "must be a number, not text."),
])
def test_a_value_of_the_wrong_kind_is_named_with_its_field_and_in_words(fields, path, message):
    assert _problems(**fields) == [(f"uploadDirectoryJob.{path}", message)]


def test_a_url_list_given_as_text_is_refused_as_such():
    job = {"emailSetting": "None", "overwrite": True, "readyForPublish": True, "createMask": False, "urlArray": "x"}
    found = JobRequest({**BASE, "uploadUrlsJob": job}).validate()
    assert [(p.path, p.message) for p in found] == [("uploadUrlsJob.urlArray", "must be a list, not text.")]


@pytest.mark.parametrize(("fields", "path", "message"), [
    ({"manualCropOptions": {**CROP, "left": 2**31}}, "manualCropOptions.left", "is too large for the service."),
    ({"manualCropOptions": {**CROP, "left": -100}}, "manualCropOptions.left", "-100 is out of range (0–…)."),
    # the service's 32-bit bounds come before the field's own range
    ({"manualCropOptions": {**CROP, "left": -(2**31)}}, "manualCropOptions.left",
     "-2147483648 is out of range (0–…)."),
    ({"manualCropOptions": {**CROP, "left": -(2**31) - 1}}, "manualCropOptions.left",
     "is too large for the service."),
    ({"unsharpMaskOptions": {"threshold": 256}}, "unsharpMaskOptions.threshold", "256 is out of range (0–255)."),
    ({"knockoutBackgroundOptions": {**KNOCKOUT, "tolerance": float("inf")}}, "knockoutBackgroundOptions.tolerance",
     "must be a finite number."),
    ({"knockoutBackgroundOptions": {**KNOCKOUT, "tolerance": float("nan")}}, "knockoutBackgroundOptions.tolerance",
     "must be a finite number."),
    ({"knockoutBackgroundOptions": {**KNOCKOUT, "tolerance": 1.5}}, "knockoutBackgroundOptions.tolerance",
     "1.5 is out of range (0.0–1.0)."),
])
def test_a_number_out_of_its_range_says_which_range(fields, path, message):
    assert _problems(**fields) == [(f"uploadDirectoryJob.{path}", message)]


def test_numbers_at_their_limits_are_accepted():
    assert _problems(manualCropOptions={**CROP, "left": 2**31 - 1}) == []
    assert _problems(unsharpMaskOptions={"threshold": 255, "monochrome": 0}) == []
    # an xsd:long takes what an xsd:int cannot
    assert _problems(mediaOptions={"thumbnailOptions": {"thumbnailTime": 2**31}}) == []


def test_a_fraction_is_a_number_and_a_whole_number_is_one_too():
    assert _problems(knockoutBackgroundOptions={**KNOCKOUT, "tolerance": 0.5}) == []
    assert _problems(knockoutBackgroundOptions={**KNOCKOUT, "tolerance": 1}) == []


def test_a_list_may_hold_its_limit_and_not_one_more():
    def problems(n: int) -> list[tuple[str, str]]:
        job = {"emailSetting": "None", "readyForPublish": True, "assetHandleArray": ["a|1"] * n,
               "autoSetCreationOptions": {"sourceFolder": "x/"}}
        found = JobRequest({**BASE, "automatedSetGenerationJob": job}).validate()
        return [(p.path, p.message) for p in found if p.path.endswith("assetHandleArray")]

    assert problems(1000) == []
    assert problems(1001) == [("automatedSetGenerationJob.assetHandleArray", "at most 1000 items, got 1001.")]


def test_every_bad_item_of_a_handle_list_is_reported_at_its_index():
    got = _problems(projectHandleArray=["", {"name": "P"}, {"bogus": 1}, 5, "p|1"])
    assert got == [
        ("uploadDirectoryJob.projectHandleArray[0]", "must be a non-empty handle text."),
        ("uploadDirectoryJob.projectHandleArray[2].bogus", "not a key of a reference here; use name."),
        ("uploadDirectoryJob.projectHandleArray[2]", "give exactly one of name."),
        ("uploadDirectoryJob.projectHandleArray[3]", "must be a non-empty handle text."),
    ]


def test_the_checks_words_are_in_the_interface_language():
    from ips_tui import i18n

    cases = [{"knockoutBackgroundOptions": 5}, {"projectHandleArray": "P"}, {"overwrite": "yes"},
             {"manualCropOptions": {**CROP, "left": "x"}}, {"projectHandleArray": [""]}]
    english = [_problems(**c) for c in cases]
    i18n.set_language("es")
    try:
        spanish = [_problems(**c) for c in cases]
    finally:
        i18n.set_language("en")
    for en, es in zip(english, spanish, strict=True):
        assert [p for p, _m in es] == [p for p, _m in en]
        assert all(m_es != m_en for (_p, m_es), (_q, m_en) in zip(es, en, strict=True)), es


@pytest.mark.parametrize(("given", "hint"), [
    ("INCREMENTAL", " Did you mean Incremental?"),  # the same letters in another case: named, though far apart
    ("Fulll", " Did you mean Full?"),  # a typo: the closest choice
    ("xyz", ""),  # nothing close: no guess
])
def test_a_choice_not_allowed_lists_the_choices_and_suggests_the_likely_one(given, hint):
    found = JobRequest({**BASE, "imageServingPublishJob": {"publishType": given, "emailSetting": "None"}}).validate()
    assert [(p.path, p.message) for p in found] == [(
        "imageServingPublishJob.publishType",
        f"'{given}' is not allowed; use one of Full, FullWithSearch, Incremental.{hint}")]


def test_a_single_reference_table_is_checked_at_its_field():
    job = {"publishType": "Full", "emailSetting": "None", "contextHandle": {"bogus": 1}}
    found = JobRequest({**BASE, "imageServingPublishJob": job}).validate()
    assert [(p.path, p.message) for p in found] == [
        ("imageServingPublishJob.contextHandle.bogus", "not a key of a reference here; use name."),
        ("imageServingPublishJob.contextHandle", "give exactly one of name."),
    ]
    job["contextHandle"] = {"name": "Spring"}
    assert JobRequest({**BASE, "imageServingPublishJob": job}).validate() == []


@pytest.mark.parametrize(("name", "problems"), [
    ("Box|X/2", [("jobName", "may not contain | /: the service uses them in job handles.")]),
    ("XX", []),  # only '|' and '/' are refused
    (5, [("jobName", "must be text, not a whole number.")]),  # refused as such, not looked into
])
def test_a_job_name_may_not_hold_what_a_handle_is_made_of(name, problems):
    isp = {"imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
    found = JobRequest({"companyHandle": "c|101", "jobName": name, **isp}).validate()
    assert [(p.path, p.message) for p in found] == problems


@pytest.mark.parametrize(("extra", "problems"), [
    ({"execTime": "2031-01-01T00:00:00Z", "execSchedule": "0 0 12 * * ?"},
     [("execSchedule", "execTime and execSchedule cannot both be set: choose a one-shot time or a schedule.")]),
    ({"execTime": "2029-06-01T10:00:00Z"},
     [("execTime", "2029-06-01T10:00:00Z is in the past; leave it empty to run now.")]),
    ({"execTime": "9999-12-31T23:59:59-05:00"},
     [("execTime", "9999-12-31T23:59:59-05:00 is too far ahead: in UTC it must be no later than "
                   "9999-12-31T23:59:59Z.")]),
    ({"execTime": "tomorrow"}, [("execTime", "'tomorrow' is not a date-time; write it like 2026-12-24T02:00:00+01:00")]),
    ({"execTime": 5}, [("execTime", "must be a date-time such as 2026-12-24T02:00:00+01:00.")]),
    ({"execSchedule": 5}, [("execSchedule", "must be text, not a whole number.")]),
    ({"execSchedule": "0 0 25 * * ?"}, [("execSchedule", "hours: 25 is out of range (0–23)")]),
    ({"execSchedule": "0 12 * * *"},
     [("execSchedule", "Quartz needs 6 or 7 fields (seconds minutes hours day-of-month month day-of-week [year]); "
                       "found 5. This looks like a Unix cron; in Quartz it is: 0 0 12 * * ?")]),
    ({"locale": "en_UX"}, [("locale", "en_UX is not a known locale. Did you mean en-US?")]),
    ({"locale": "en-us"}, [("locale", "Use en-US: language in lower case, country in upper case, joined by '-'.")]),
    ({"locale": "xx"}, [("locale", "xx is not a language code IPS knows (ISO 639, e.g. en, es, de).")]),
])
def test_the_common_fields_refusals_word_for_word(extra, problems):
    from datetime import datetime, timezone

    job = {"companyHandle": "c|101", "jobName": "n",
           "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}, **extra}
    found = JobRequest(job).validate(now=datetime(2030, 1, 1, tzinfo=timezone.utc))
    assert [(p.path, p.message) for p in found] == problems
