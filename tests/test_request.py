"""JobRequest: paths, typed payloads, schema order, round trips."""

from __future__ import annotations

import tomllib
from datetime import datetime, timedelta, timezone

import pytest

from ips_tui.job.request import InvalidRequest, JobRequest

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)


def urls_job(**extra):
    job = {"overwrite": True, "readyForPublish": True, "createMask": False, "emailSetting": "Error",
           "urlArray": [{"sourceUrl": "https://e.com/a.jpg", "destPath": "a/a.jpg"},
                        {"sourceUrl": "https://e.com/b.jpg", "destPath": "a/b.jpg"},
                        {"sourceUrl": "https://e.com/c.jpg"}]}
    job.update(extra)
    return {"companyHandle": "c|101", "jobName": "n", "uploadUrlsJob": job}


def paths(problems):
    return [p.path for p in problems]


def test_path_names_the_array_item():
    assert "uploadUrlsJob.urlArray[2].destPath" in paths(JobRequest(urls_job()).validate(now=NOW))


def test_payload_is_typed_and_in_schema_order():
    data = urls_job()
    data["uploadUrlsJob"]["urlArray"].pop()
    data["uploadUrlsJob"]["knockoutBackgroundOptions"] = {"fillMethod": "FloodFill", "corner": "UpperLeft", "tolerance": 0}
    data["uploadUrlsJob"]["projectHandleArray"] = ["p|1 ", "p|2"]
    data["execTime"] = "2026-12-24T02:00:00-08:00"
    payload = JobRequest(data).to_payload(now=NOW)
    assert list(payload) == ["companyHandle", "jobName", "execTime", "uploadUrlsJob"]
    assert payload["execTime"] == datetime(2026, 12, 24, 10, 0, tzinfo=timezone.utc)
    job = payload["uploadUrlsJob"]
    assert list(job)[:4] == ["urlArray", "overwrite", "readyForPublish", "createMask"]
    assert job["urlArray"] == {"items": [{"sourceUrl": "https://e.com/a.jpg", "destPath": "a/a.jpg"},
                                         {"sourceUrl": "https://e.com/b.jpg", "destPath": "a/b.jpg"}]}
    assert job["projectHandleArray"] == {"items": ["p|1", "p|2"]}
    knock = job["knockoutBackgroundOptions"]
    assert list(knock) == ["corner", "tolerance", "fillMethod"] and isinstance(knock["tolerance"], float)


def test_invalid_request_carries_every_problem():
    with pytest.raises(InvalidRequest) as e:
        JobRequest({"jobName": "x", "exportJob": {"fmt": "zip"}}).to_payload(now=NOW)
    assert {"companyHandle", "exportJob.fmt", "exportJob.assetHandleArray", "exportJob.emailSetting"} <= set(paths(e.value.problems))


def test_past_and_future_exec_time():
    data = {"companyHandle": "c|1", "jobName": "n", "optimizeImagesJob": {"emailSetting": "None"}}
    past = dict(data, execTime=(NOW - timedelta(minutes=1)).isoformat())
    future = dict(data, execTime=(NOW + timedelta(minutes=1)).isoformat())
    assert paths(JobRequest(past).validate(now=NOW)) == ["execTime"]
    assert JobRequest(future).validate(now=NOW) == []


def test_naive_toml_datetime_asks_for_a_zone(tmp_path):
    f = tmp_path / "j.toml"
    f.write_text('companyHandle = "c|1"\njobName = "n"\nexecTime = 2030-01-01T02:00:00\n[optimizeImagesJob]\nemailSetting = "None"\n')
    problems = JobRequest.from_toml(f).validate(now=NOW)
    assert paths(problems) == ["execTime"]
    assert "Z" in problems[0].message or "+" in problems[0].message


def test_toml_round_trip(tmp_path):
    data = urls_job()
    data["uploadUrlsJob"]["urlArray"].pop()
    data["execSchedule"] = "0 30 6 ? * MON-FRI"
    data["uploadUrlsJob"]["colorManagementOptions"] = {"colorManagement": "Default", "sourceProfileHandle": ""}
    text = JobRequest(data).to_toml()
    f = tmp_path / "j.toml"
    f.write_text(text)
    back = JobRequest.from_toml(f)
    assert back.validate(now=NOW) == []
    assert back.to_payload(now=NOW) == JobRequest(data).to_payload(now=NOW)
    assert "sourceProfileHandle" not in tomllib.loads(text)["uploadUrlsJob"]["colorManagementOptions"]


def test_job_type_properties():
    assert JobRequest(urls_job()).job_type == "uploadUrlsJob"
    two = dict(urls_job(), optimizeImagesJob={"emailSetting": "None"})
    assert JobRequest(two).job_type is None and JobRequest(two).job_types == ["uploadUrlsJob", "optimizeImagesJob"]
