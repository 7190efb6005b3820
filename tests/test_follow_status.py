"""The pure parts of following a job: a finished log in words, export links, times in two zones."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from ips_tui.follow.jobs import both_zones, to_json, when, JobsSnapshot
from ips_tui.follow.status import export_urls, finished_status

T = datetime(2026, 3, 8, 9, 30, tzinfo=timezone.utc)


def log(**kw) -> dict:
    base = {"jobName": "n_2026", "jobHandle": "j|1||n_2026|7", "fileSuccessCount": 3, "fileErrorCount": 0,
            "totalFileCount": 3, "fatalError": False, "endDate": T, "detailArray": {"items": []}}
    base.update(kw)
    return base


def test_done_failed_fatal_and_stopped():
    assert finished_status(log()).phase == "done"
    assert finished_status(log()).progress == 100
    failed = finished_status(log(fileSuccessCount=2, fileErrorCount=1))
    assert failed.phase == "failed" and "1 error" in failed.message
    assert finished_status(log(fatalError=True, fileSuccessCount=0)).phase == "failed"
    stopped = finished_status(log(detailArray={"items": [{"logType": "JobStopped", "logMessage": "x"}]}))
    assert stopped.phase == "stopped" and stopped.finished


def test_export_links_come_from_asset_names_once_each():
    url = "https://example.com/export/a.zip"
    rows = [{"logType": "ExportComplete", "assetName": url}, {"logType": "X", "assetName": url},
            {"logType": "ExportSuccess", "assetName": "shoe.jpg"}]
    assert export_urls(log(detailArray={"items": rows})) == [url]
    assert export_urls(log(detailArray=None)) == []


def test_times_in_the_server_zone_and_here():
    server, here = both_zones(T, ZoneInfo("America/Los_Angeles"), ZoneInfo("Europe/Madrid"))
    assert server == "2026-03-08 01:30:00 PST" and here == "2026-03-08 10:30:00 CET"
    assert when(None, None) == "" and when(T, None) == "2026-03-08 09:30:00 UTC"


def test_json_leaves_out_the_echoed_request():
    snap = JobsSnapshot("c|1", scheduled=[{"jobHandle": "h", "nextFireTime": T, "exportJob": {"fmt": "orig"}}],
                        taken_at=T)
    doc = to_json(snap)
    assert doc["scheduled"] == [{"jobHandle": "h", "nextFireTime": T.isoformat()}]
