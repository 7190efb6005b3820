"""The form as data (no screen): what it builds, and what only the form can see."""

from __future__ import annotations

from ips_tui.tui.form import FormState, locate, parse_lines, split_url_line

from tui_helpers import NOW


def form(**values) -> FormState:
    f = FormState(company="c|101", job_type="uploadUrlsJob")
    f.values.update({"jobName": "j", "uploadUrlsJob.emailSetting": "Error"})
    f.values.update(values)
    return f


def test_timing_mode_decides_which_one_is_sent():
    f = form()
    f.exec_time, f.exec_schedule = "2026-12-24T02:00:00Z", "0 0 2 * * ?"
    f.timing = "now"
    assert "execTime" not in f.build().data and "execSchedule" not in f.build().data
    f.timing = "at"
    assert f.build().data["execTime"] == "2026-12-24T02:00:00Z" and "execSchedule" not in f.build().data
    f.timing = "recurring"
    assert f.build().data["execSchedule"] == "0 0 2 * * ?" and "execTime" not in f.build().data


def test_url_lines_tab_or_space_and_their_line_numbers():
    f = form(**{"uploadUrlsJob.urlArray": "https://a/1.jpg\tx/1.jpg\n\nhttps://a/2.jpg  x/2 b.jpg\nhttps://a/3.jpg\n"})
    built = f.build()
    assert built.data["uploadUrlsJob"]["urlArray"] == [
        {"sourceUrl": "https://a/1.jpg", "destPath": "x/1.jpg"},
        {"sourceUrl": "https://a/2.jpg", "destPath": "x/2 b.jpg"},
        {"sourceUrl": "https://a/3.jpg", "destPath": ""},
    ]
    assert built.lines["uploadUrlsJob.urlArray"] == [1, 3, 4]
    problems = built.all_problems(now=NOW)
    assert ("uploadUrlsJob.urlArray[2].destPath" in {p for p, _m in problems})


def test_required_booleans_default_to_false_optional_ones_are_absent_until_set():
    job = form().build().data["uploadUrlsJob"]
    assert job["overwrite"] is False and job["createMask"] is False
    assert "preserveCrop" not in job
    job = form(**{"uploadUrlsJob.preserveCrop": False}).build().data["uploadUrlsJob"]
    assert job["preserveCrop"] is False


def test_only_the_chosen_member_of_an_exclusion_group_is_sent():
    f = form(**{"uploadUrlsJob.manualCropOptions.left": "1", "uploadUrlsJob.autoTransparentCropOptions.tolerance": "0.5"})
    f.choices["uploadUrlsJob#crop"] = "autoTransparentCropOptions"
    job = f.build().data["uploadUrlsJob"]
    assert job["autoTransparentCropOptions"] == {"tolerance": 0.5} and "manualCropOptions" not in job
    f.choices["uploadUrlsJob#crop"] = "autoColorCropOptions"  # chosen but empty: its required fields are named
    problems = {p for p, _m in f.build().all_problems(now=NOW)}
    assert {"uploadUrlsJob.autoColorCropOptions.corner", "uploadUrlsJob.autoColorCropOptions.tolerance"} <= problems


def test_numbers_that_are_not_numbers_are_the_forms_problem():
    built = form(**{"uploadUrlsJob.numUrls": "3.5", "uploadUrlsJob.unsharpMaskOptions.amount": "x"}).build()
    assert ("uploadUrlsJob.numUrls", "'3.5' is not a whole number.") in built.problems
    assert ("uploadUrlsJob.unsharpMaskOptions.amount", "'x' is not a number.") in built.problems


def test_a_group_is_sent_only_when_something_in_it_is_set():
    assert "colorManagementOptions" not in form().build().data["uploadUrlsJob"]
    job = form(**{"uploadUrlsJob.colorManagementOptions.colorManagement": "Convert"}).build().data["uploadUrlsJob"]
    assert job["colorManagementOptions"] == {"colorManagement": "Convert"}


def test_other_job_types_values_are_kept_but_not_sent():
    f = form(**{"exportJob.fmt": "orig"})
    assert "exportJob" not in f.build().data
    assert FormState.from_dict(f.to_dict()).values["exportJob.fmt"] == "orig"


def test_helpers():
    assert parse_lines(" a \n\n b") == [(1, "a"), (3, "b")]
    assert split_url_line("u") == {"sourceUrl": "u", "destPath": ""}
    assert locate("x.urlArray[2].destPath") == ("x.urlArray", 2, "destPath")
    assert locate("x.y") == ("x.y", None, "")
