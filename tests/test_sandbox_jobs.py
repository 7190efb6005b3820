"""Jobs in the sandbox: submitJob rules, the run lifecycle driven by the clock, scheduled jobs, the job
actions, and the filters and paging of the following operations."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from ips_tui.sandbox.raw import Caller

LA = ZoneInfo("America/Los_Angeles")
START = datetime(2026, 1, 15, 18, 0, 0, tzinfo=timezone.utc)  # 10:00 PST
PUBLISH = ("<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
           "</imageServingPublishJob>")


@pytest.fixture
def sb(sandbox_factory):
    return sandbox_factory(speed=0, clock=START)


@pytest.fixture
def api(sb):
    caller = Caller(sb)
    yield caller
    caller.close()


def submit(api, name="nightly", job=PUBLISH, company="c|101", extra="", **kw):
    head, _, tail = extra.partition("|JOB|")
    params = f"<companyHandle>{company}</companyHandle><jobName>{name}</jobName>{head}{job}{tail}"
    return api("submitJob", params, **kw)


def handle_of(reply) -> str:
    assert reply.fault is None, reply.fault
    return reply.text("jobHandle")


def items(reply, path="jobArray/items"):
    return reply.find(path)


def field(el, name):
    return el.findtext("{http://www.scene7.com/IpsApi/xsd/2014-04-03}" + name)


def run_name(name, when):
    return f"{name}_{when.astimezone(LA):%Y-%m-%d-%H:%M:%S}"


# -- submitJob rules ----------------------------------------------------------------------------------


def test_duplicate_names_get_distinct_definition_handles(api, sb):
    handles = [handle_of(submit(api, "same")) for _ in range(3)]
    assert handles == ["j|101|same||", "j|101|same~2||", "j|101|same~3||"]
    # another company keeps its own names
    assert handle_of(submit(api, "same", company="c|102")) == "j|102|same||"
    # the runs still carry the name as given
    reply = api.ok("getActiveJobs", "<companyHandle>c|101</companyHandle><originalName>same</originalName>")
    assert len(items(reply)) == 3
    assert {field(i, "originalName") for i in items(reply)} == {"same"}


@pytest.mark.parametrize("extra,job,code,words", [
    ("", "", 30002, "job type is required"),
    ("", PUBLISH + "<optimizeImagesJob><emailSetting>All</emailSetting></optimizeImagesJob>", 30001,
     "Only one job type"),
    ("<execTime>2030-01-01T00:00:00Z</execTime><execSchedule>0 0 12 * * ?</execSchedule>|JOB|", PUBLISH,
     30001, "not both"),
    ("<execSchedule>0 0 25 * * ?</execSchedule>|JOB|", PUBLISH, 30001, "Invalid execSchedule '0 0 25 * * ?'"),
    ("<execSchedule>0 0 12 * * *</execSchedule>|JOB|", PUBLISH, 30001, "Invalid execSchedule"),
    ("<execTime>2030-01-01T00:00:00</execTime>|JOB|", PUBLISH, 30001, "no time zone"),
    ("<locale>en_us</locale>|JOB|", PUBLISH, 30001, "did you mean 'en-US'"),
    ("<locale>xx</locale>|JOB|", PUBLISH, 30001, "Invalid locale 'xx'"),
    ("", "<imageServingPublishJob><publishType>Full</publishType><emailSetting>Warning</emailSetting>"
         "</imageServingPublishJob>", 30001, "emailSetting"),
    ("", "<imageServingPublishJob><publishType>Sometimes</publishType><emailSetting>All</emailSetting>"
         "</imageServingPublishJob>", 30001, "publishType"),
    ("", "<imageServingPublishJob><publishType>Full</publishType><emailSetting>All</emailSetting>"
         "<contextHandle>pc|999</contextHandle></imageServingPublishJob>", 30001, "contextHandle"),
    ("", "<exportJob><assetHandleArray><items>a|101|1001</items></assetHandleArray><fmt>tiff</fmt>"
         "<emailSetting>All</emailSetting></exportJob>", 30001, "fmt"),
])
def test_submit_job_faults(api, sb, extra, job, code, words):
    reply = submit(api, "bad", job=job, extra=extra)
    assert reply.status == 500
    assert reply.fault[0] == "ipsApiFault" and reply.fault[1] == code, reply.fault
    assert words in reply.fault[2]
    assert sb.submitted_jobs() == []


def test_job_name_rules(api):
    assert submit(api, "a|b").fault[:2] == ("ipsApiFault", 30001)
    assert submit(api, "   ").fault[:2] == ("ipsApiFault", 30002)


def test_submit_accepts_good_values(api, sb):
    extra = ("<locale>en-US</locale><execSchedule>0 15 10 ? * MON-FRI</execSchedule>"
             "<description>weekday publish</description>|JOB|")
    job = ("<imageServingPublishJob><publishType>Incremental</publishType><emailSetting>All</emailSetting>"
           "<contextHandle>pc|10101</contextHandle></imageServingPublishJob>")
    assert handle_of(submit(api, "ok", job=job, extra=extra)) == "j|101|ok||"
    [rec] = sb.submitted_jobs()
    assert rec["locale"] == "en-US" and rec["execSchedule"] == "0 15 10 ? * MON-FRI"
    assert rec["description"] == "weekday publish"
    assert rec["job"]["contextHandle"] == "pc|10101"


def test_submitted_jobs_parse_nested_fields(api, sb):
    job = ("<uploadUrlsJob><urlArray><items><sourceUrl>https://example.com/a.jpg</sourceUrl>"
           "<destPath>in/a.jpg</destPath></items><items><sourceUrl>https://example.com/b.jpg</sourceUrl>"
           "<destPath>in/b.jpg</destPath></items></urlArray><overwrite>true</overwrite>"
           "<readyForPublish>true</readyForPublish><createMask>false</createMask>"
           "<manualCropOptions><left>1</left><right>2</right><top>3</top><bottom>4</bottom></manualCropOptions>"
           "<emailSetting>None</emailSetting></uploadUrlsJob>")
    handle_of(submit(api, "urls", job=job))
    [rec] = sb.submitted_jobs()
    assert rec["jobType"] == "uploadUrlsJob"
    assert rec["job"]["urlArray"]["items"][1] == {"sourceUrl": "https://example.com/b.jpg", "destPath": "in/b.jpg"}
    assert rec["job"]["manualCropOptions"] == {"left": "1", "right": "2", "top": "3", "bottom": "4"}
    assert rec["job"]["overwrite"] == "true"


def test_submit_for_another_user(api, sb):
    solo = sb.directory.user_by_email("solo@sandbox.ips").handle
    demo = sb.directory.user_by_email(sb.user).handle
    # userHandle comes before jobName in the sequence
    params = f"<companyHandle>c|103</companyHandle><userHandle>{solo}</userHandle><jobName>for-solo</jobName>{PUBLISH}"
    assert api("submitJob", params).fault is None
    params = f"<companyHandle>c|101</companyHandle><userHandle>{solo}</userHandle><jobName>no</jobName>{PUBLISH}"
    assert api("submitJob", params).fault[:2] == ("authorizationFault", 20007)
    params = f"<companyHandle>c|101</companyHandle><userHandle>1|ghost</userHandle><jobName>no</jobName>{PUBLISH}"
    assert api("submitJob", params).fault[:2] == ("authorizationFault", 20002)
    params = f"<companyHandle>c|101</companyHandle><userHandle>{demo}</userHandle><jobName>me</jobName>{PUBLISH}"
    assert api("submitJob", params).fault is None


# -- lifecycle ------------------------------------------------------------------------------------------


def test_immediate_job_runs_new_running_done(api, sb):
    definition = handle_of(submit(api, "nightly"))
    assert definition == "j|101|nightly||"
    reply = api.ok("getActiveJobs", "<companyHandle>c|101</companyHandle><originalName>nightly</originalName>")
    [job] = items(reply)
    name = run_name("nightly", START)
    assert field(job, "name") == name == "nightly_2026-01-15-10:00:00"
    handle = field(job, "jobHandle")
    assert handle.startswith(f"j|101||{name}|") and handle.split("|")[4].isdigit()
    assert field(job, "state") == "New" and field(job, "progress") == "0"
    assert field(job, "type") == "ImageServingPublish"
    assert field(job, "submitUserEmail") == sb.user
    assert job.find("{*}imageServingPublishJob/{*}publishType").text == "Full"

    sb.clock.advance(2)
    [job] = items(api.ok("getActiveJobs", f"<jobHandle>{handle}</jobHandle>"))
    assert field(job, "state") == "Running"
    progress = int(field(job, "progress"))
    assert 0 < progress < 100
    assert field(job, "progressMessage").startswith("Processing ")
    task = job.find("{*}taskProgressArray/{*}items")
    assert field(task, "taskState") == "Processing"
    assert int(field(task, "numProcessed")) + int(field(task, "numProcessing")) + int(field(task, "numPending")) == 8

    sb.clock.advance(20)  # done, and still listed for a while
    [job] = items(api.ok("getActiveJobs", f"<jobHandle>{definition}</jobHandle>"))
    assert field(job, "state") == "Done" and field(job, "progress") == "100"
    assert field(job, "progressMessage") == "Job completed"

    logs = api.ok("getJobLogs", "<companyHandle>c|101</companyHandle>")
    [log] = logs.find("jobLogArray/items")
    assert field(log, "jobHandle") == handle and field(log, "jobName") == name
    assert field(log, "originalJobName") == "nightly"
    assert field(log, "jobSubType") == "full"
    assert field(log, "fileSuccessCount") == "8" and field(log, "totalFileCount") == "8"
    assert field(log, "fileErrorCount") == "0" and field(log, "fatalError") == "false"
    assert field(log, "endDate") is not None

    details = api.ok("getJobLogDetails", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    [log] = details.find("jobLogArray/items")
    types = [field(r, "logType") for r in log.findall("{*}detailArray/{*}items")]
    assert types[:4] == ["OriginalJobName", "JobClient", "JobType", "TotalFileCount"]
    assert types[4] == "BeginImageServingPublish" and types[-1] == "EndImageServingPublish"
    assert types.count("ImageServingPublishSuccess") == 8
    assert field(log, "detailTotalRows") == str(len(types))

    sb.clock.advance(120)  # gone from the active list, still in the logs
    assert items(api.ok("getActiveJobs", "<companyHandle>c|101</companyHandle>")) == []
    assert len(api.ok("getJobLogs", "").find("jobLogArray/items")) == 1


def test_clock_speed_runs_a_demo_job_in_seconds(sandbox_factory):
    sb = sandbox_factory(speed=20)
    api = Caller(sb)
    handle_of(submit(api, "fast"))
    import time

    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        [job] = items(api.ok("getActiveJobs", "<originalName>fast</originalName>"))
        if field(job, "state") == "Done":
            break
        time.sleep(0.05)
    assert field(job, "state") == "Done"


def test_export_job_logs_a_download_url(api, sb):
    job = ("<exportJob><assetHandleArray><items>a|101|1001</items><items>a|101|1002</items>"
           "<items>a|101|9999</items></assetHandleArray><fmt>orig</fmt><emailSetting>All</emailSetting>"
           "</exportJob>")
    handle_of(submit(api, "export-1", job=job))
    sb.clock.advance(60)
    details = api.ok("getJobLogDetails", "<companyHandle>c|101</companyHandle><originalName>export-1</originalName>")
    [log] = details.find("jobLogArray/items")
    assert field(log, "logType") == "Export"
    assert field(log, "fileSuccessCount") == "2" and field(log, "fileErrorCount") == "1"
    names = [field(r, "assetName") for r in log.findall("{*}detailArray/{*}items")]
    url = next(n for n in names if n and n.startswith("http"))  # what EAEM's exporter looks for
    assert url == "https://sandbox.invalid/export/export-1.zip"
    errors = [r for r in log.findall("{*}detailArray/{*}items") if field(r, "logType") == "ExportError"]
    assert field(errors[0], "assetHandle") == "a|101|9999"


def test_exec_time_job_waits_for_its_time(api, sb):
    when = START + timedelta(hours=1)
    handle = handle_of(submit(api, "later", extra=f"<execTime>{when.isoformat()}</execTime>|JOB|"))
    assert items(api.ok("getActiveJobs", "")) == []
    [sched] = items(api.ok("getScheduledJobs", "<companyHandle>c|101</companyHandle>"))
    assert field(sched, "jobHandle") == handle
    assert field(sched, "execSchedule") is None
    assert datetime.fromisoformat(field(sched, "nextFireTime")) == when
    assert field(sched, "triggerState") == "Normal"
    sb.clock.advance(3600 + 1)
    [job] = items(api.ok("getActiveJobs", ""))
    assert field(job, "name") == run_name("later", when) == "later_2026-01-15-11:00:00"
    assert items(api.ok("getScheduledJobs", "")) == []


def test_exec_time_in_another_offset(api, sb):
    handle_of(submit(api, "ny", extra="<execTime>2026-01-15T14:00:00-05:00</execTime>|JOB|"))
    [sched] = items(api.ok("getScheduledJobs", ""))
    assert datetime.fromisoformat(field(sched, "nextFireTime")) == datetime(2026, 1, 15, 19, tzinfo=timezone.utc)
    assert field(sched, "nextFireTime").endswith("-08:00")  # reported in the server's zone


def test_scheduled_job_fires_runs(api, sb):
    handle = handle_of(submit(api, "every5", extra="<execSchedule>0 0/5 * * * ?</execSchedule>|JOB|"))
    [sched] = items(api.ok("getScheduledJobs", ""))
    assert field(sched, "jobHandle") == handle
    assert field(sched, "execSchedule") == "0 0/5 * * * ?"
    assert field(sched, "timeZone") == "PST"
    assert field(sched, "triggerState") == "Normal"
    assert field(sched, "type") == "ImageServingPublish"
    first = datetime.fromisoformat(field(sched, "nextFireTime"))
    assert first == START + timedelta(minutes=5)
    assert items(api.ok("getActiveJobs", "")) == []

    sb.clock.advance(10 * 60 + 1)  # two fire times passed
    runs = api.ok("getJobLogs", "<sortDirection>Ascending</sortDirection>").find("jobLogArray/items")
    assert [field(r, "jobName") for r in runs] == [
        run_name("every5", START + timedelta(minutes=5)), run_name("every5", START + timedelta(minutes=10))]
    assert field(runs[0], "jobName") == "every5_2026-01-15-10:05:00"
    [sched] = items(api.ok("getScheduledJobs", ""))
    assert datetime.fromisoformat(field(sched, "nextFireTime")) == START + timedelta(minutes=15)

    # pause: no runs while paused; resume skips the missed fire times
    api.ok("pauseJob", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    [sched] = items(api.ok("getScheduledJobs", ""))
    assert field(sched, "triggerState") == "Paused"
    sb.clock.advance(30 * 60)
    assert len(api.ok("getJobLogs", "").find("jobLogArray/items")) == 2
    api.ok("resumeJob", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    [sched] = items(api.ok("getScheduledJobs", ""))
    assert field(sched, "triggerState") == "Normal"
    assert datetime.fromisoformat(field(sched, "nextFireTime")) > sb.clock.now()
    assert len(api.ok("getJobLogs", "").find("jobLogArray/items")) == 2

    # execute now
    api.ok("executeJob", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    [job] = items(api.ok("getActiveJobs", ""))
    assert field(job, "name") == run_name("every5", sb.clock.now())

    # delete: gone from the schedule, no more runs
    api.ok("deleteJob", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    assert items(api.ok("getScheduledJobs", "")) == []
    sb.clock.advance(3600)
    assert len(api.ok("getJobLogs", "").find("jobLogArray/items")) == 3
    reply = api("executeJob", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    assert reply.fault[:2] == ("ipsApiFault", 30001)


def test_time_zone_abbreviation_follows_dst(sandbox_factory):
    sb = sandbox_factory(speed=0, clock=datetime(2026, 7, 1, 12, tzinfo=timezone.utc))
    api = Caller(sb)
    handle_of(submit(api, "summer", extra="<execSchedule>0 0 12 * * ?</execSchedule>|JOB|"))
    [sched] = items(api.ok("getScheduledJobs", ""))
    assert field(sched, "timeZone") == "PDT"
    assert field(sched, "nextFireTime") == "2026-07-01T12:00:00.000-07:00"


def test_stop_a_running_job(api, sb):
    handle_of(submit(api, "stopme"))
    sb.clock.advance(2)
    [job] = items(api.ok("getActiveJobs", ""))
    run = field(job, "jobHandle")
    api.ok("stopJob", f"<companyHandle>c|101</companyHandle><jobHandle>{run}</jobHandle>")
    [job] = items(api.ok("getActiveJobs", ""))
    assert field(job, "state") == "Done" and field(job, "progressMessage") == "Job stopped"
    assert int(field(job, "progress")) < 100
    details = api.ok("getJobLogDetails", "<companyHandle>c|101</companyHandle><originalName>stopme</originalName>")
    types = [field(r, "logType") for r in details.find("jobLogArray/items")[0].findall("{*}detailArray/{*}items")]
    assert types[-1] == "JobStopped"
    again = api("stopJob", f"<companyHandle>c|101</companyHandle><jobHandle>{run}</jobHandle>")
    assert again.fault[:2] == ("ipsApiFault", 30001) and "not active" in again.fault[2]


def test_stop_by_definition_handle(api, sb):
    definition = handle_of(submit(api, "bydef"))
    api.ok("stopJob", f"<companyHandle>c|101</companyHandle><jobHandle>{definition}</jobHandle>")
    [job] = items(api.ok("getActiveJobs", ""))
    assert field(job, "state") == "Done"


def test_pause_and_resume_a_running_job(api, sb):
    handle_of(submit(api, "pauseme"))
    sb.clock.advance(2)
    [job] = items(api.ok("getActiveJobs", ""))
    run, before = field(job, "jobHandle"), int(field(job, "progress"))
    api.ok("pauseJob", f"<companyHandle>c|101</companyHandle><jobHandle>{run}</jobHandle>")
    sb.clock.advance(600)
    [job] = items(api.ok("getActiveJobs", ""))
    assert field(job, "state") == "Running" and int(field(job, "progress")) == before
    assert field(job, "progressMessage") == "Paused"
    api.ok("resumeJob", f"<companyHandle>c|101</companyHandle><jobHandle>{run}</jobHandle>")
    sb.clock.advance(1)
    [job] = items(api.ok("getActiveJobs", ""))
    assert int(field(job, "progress")) > before
    sb.clock.advance(20)
    [job] = items(api.ok("getActiveJobs", ""))
    assert field(job, "state") == "Done"
    [log] = api.ok("getJobLogs", "").find("jobLogArray/items")
    start, end = (datetime.fromisoformat(field(log, k)) for k in ("startDate", "endDate"))
    assert (end - start).total_seconds() > 600  # the pause is part of the run's wall time


def test_delete_a_running_job_keeps_its_log(api, sb):
    handle_of(submit(api, "deleteme"))
    sb.clock.advance(2)
    [job] = items(api.ok("getActiveJobs", ""))
    api.ok("deleteJob", f"<companyHandle>c|101</companyHandle><jobHandle>{field(job, 'jobHandle')}</jobHandle>")
    assert items(api.ok("getActiveJobs", "")) == []
    [log] = api.ok("getJobLogs", "").find("jobLogArray/items")
    assert field(log, "endDate") is not None


def test_execute_by_run_handle_runs_its_definition_again(api, sb):
    handle_of(submit(api, "again"))
    [job] = items(api.ok("getActiveJobs", ""))
    sb.clock.advance(5)
    api.ok("executeJob", f"<companyHandle>c|101</companyHandle><jobHandle>{field(job, 'jobHandle')}</jobHandle>")
    assert len(items(api.ok("getActiveJobs", "<originalName>again</originalName>"))) == 2


@pytest.mark.parametrize("op", ["stopJob", "pauseJob", "resumeJob", "deleteJob", "executeJob"])
def test_unknown_handle_is_30001(api, op):
    reply = api(op, "<companyHandle>c|101</companyHandle><jobHandle>j|101|nope||</jobHandle>")
    assert reply.fault[:2] == ("ipsApiFault", 30001)
    assert "j|101|nope||" in reply.fault[2]


def test_handle_of_another_company_is_unknown(api):
    definition = handle_of(submit(api, "mine"))
    reply = api("stopJob", f"<companyHandle>c|102</companyHandle><jobHandle>{definition}</jobHandle>")
    assert reply.fault[:2] == ("ipsApiFault", 30001)


# -- filters and paging -------------------------------------------------------------------------------


@pytest.fixture
def three_done(api, sb):
    for i, company in enumerate(["c|101", "c|101", "c|102"]):
        handle_of(submit(api, f"job-{i}", company=company))
        sb.clock.advance(60)
    sb.clock.advance(60)


def test_active_job_filters(api, sb):
    a = handle_of(submit(api, "alpha"))
    handle_of(submit(api, "beta"))
    handle_of(submit(api, "gamma", company="c|102"))
    assert len(items(api.ok("getActiveJobs", ""))) == 3
    assert len(items(api.ok("getActiveJobs", "<companyHandle>c|101</companyHandle>"))) == 2
    [job] = items(api.ok("getActiveJobs", f"<jobHandle>{a}</jobHandle>"))
    assert field(job, "originalName") == "alpha"
    assert items(api.ok("getActiveJobs", "<originalName>nope</originalName>")) == []
    # a company the user cannot see
    solo = Caller(sb, "solo@sandbox.ips", "sandbox-solo")
    assert items(solo.ok("getActiveJobs", "")) == []  # solo is only in c|103
    assert solo("getActiveJobs", "<companyHandle>c|101</companyHandle>").fault[:2] == ("authorizationFault", 20006)


def test_job_logs_sort_filter_and_limit(api, sb, three_done):
    logs = api.ok("getJobLogs", "").find("jobLogArray/items")
    assert [field(r, "originalJobName") for r in logs] == ["job-2", "job-1", "job-0"]  # newest first
    logs = api.ok("getJobLogs", "<sortBy>JobName</sortBy><sortDirection>Ascending</sortDirection>"
                                "<numRows>2</numRows>").find("jobLogArray/items")
    assert [field(r, "originalJobName") for r in logs] == ["job-0", "job-1"]
    logs = api.ok("getJobLogs", "<companyHandle>c|102</companyHandle>").find("jobLogArray/items")
    assert [field(r, "originalJobName") for r in logs] == ["job-2"]
    since = (START + timedelta(seconds=30)).isoformat()
    until = (START + timedelta(seconds=90)).isoformat()
    logs = api.ok("getJobLogs", f"<startDate>{since}</startDate><endDate>{until}</endDate>").find("jobLogArray/items")
    assert [field(r, "originalJobName") for r in logs] == ["job-1"]
    demo = sb.directory.user_by_email(sb.user).handle
    assert len(api.ok("getJobLogs", f"<userHandle>{demo}</userHandle>").find("jobLogArray/items")) == 3
    assert api("getJobLogs", "<sortBy>Size</sortBy>").fault[:2] == ("ipsApiFault", 30001)
    assert api("getJobLogs", "<sortDirection>Up</sortDirection>").fault[:2] == ("ipsApiFault", 30001)
    assert api("getJobLogs", "<startDate>2026-01-01T00:00:00</startDate>").fault[:2] == ("ipsApiFault", 30001)
    assert api("getJobLogs", "<numRows>0</numRows>").fault[:2] == ("ipsApiFault", 30001)


def test_job_log_details_paging_and_filters(api, sb, three_done):
    base = "<companyHandle>c|101</companyHandle><originalName>job-0</originalName>"
    [log] = api.ok("getJobLogDetails", base).find("jobLogArray/items")
    rows = log.findall("{*}detailArray/{*}items")
    total = int(field(log, "detailTotalRows"))
    assert total == len(rows) == 4 + 1 + 8 + 1
    dates = [field(r, "dateCreated") for r in rows]
    assert dates == sorted(dates)

    [log] = api.ok("getJobLogDetails", base + "<recordsPerPage>3</recordsPerPage><resultsPage>2</resultsPage>"
                   ).find("jobLogArray/items")
    page = log.findall("{*}detailArray/{*}items")
    assert [field(r, "logMessage") for r in page] == [field(r, "logMessage") for r in rows[3:6]]
    assert field(log, "detailTotalRows") == str(total)

    [log] = api.ok("getJobLogDetails", base + "<logTypeArray><items>ImageServingPublishSuccess</items>"
                   "</logTypeArray>").find("jobLogArray/items")
    assert field(log, "detailTotalRows") == "8"

    [log] = api.ok("getJobLogDetails", base + "<sortBy>LogType</sortBy><sortDirection>Descending</sortDirection>"
                   ).find("jobLogArray/items")
    types = [field(r, "logType") for r in log.findall("{*}detailArray/{*}items")]
    assert types == sorted(types, reverse=True)

    both = api.ok("getJobLogDetails", "<companyHandle>c|101</companyHandle>").find("jobLogArray/items")
    assert [field(r, "originalJobName") for r in both] == ["job-0", "job-1"]
    for bad in ("<recordsPerPage>0</recordsPerPage>", "<recordsPerPage>1001</recordsPerPage>",
                "<resultsPage>0</resultsPage>", "<sortBy>Name</sortBy>", "<sortDirection>down</sortDirection>"):
        assert api("getJobLogDetails", base + bad).fault[:2] == ("ipsApiFault", 30001), bad


def test_schedule_that_never_fires_is_refused(api, sb):
    reply = submit(api, "past", extra="<execSchedule>0 0 12 * * ? 2001</execSchedule>|JOB|")
    assert reply.fault[:2] == ("ipsApiFault", 30001)
    assert "never fires" in reply.fault[2]
    assert sb.submitted_jobs() == []


def test_quartz_rules_for_schedules(api, sb):
    """Schedules follow Quartz (via ips_tui.job.timing): numeric day-of-week 1 = Sunday, L, #."""
    handle_of(submit(api, "sundays", extra="<execSchedule>0 0 9 ? * 1</execSchedule>|JOB|"))
    handle_of(submit(api, "third-friday", extra="<execSchedule>0 15 10 ? * 6#3</execSchedule>|JOB|"))
    handle_of(submit(api, "last-day", extra="<execSchedule>0 0 18 L * ?</execSchedule>|JOB|"))
    got = {field(i, "originalName"): datetime.fromisoformat(field(i, "nextFireTime")).astimezone(LA)
           for i in items(api.ok("getScheduledJobs", ""))}
    assert got["sundays"].strftime("%a %Y-%m-%d %H:%M") == "Sun 2026-01-18 09:00"
    assert got["third-friday"].strftime("%a %Y-%m-%d %H:%M") == "Fri 2026-01-16 10:15"
    assert got["last-day"].strftime("%Y-%m-%d %H:%M") == "2026-01-31 18:00"
