"""Every reply the sandbox sends is what our WSDL describes: each body (and each fault detail) validates
against the WSDL's schemas, and zeep in strict mode reads the replies over our WSDL."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from ips_tui.ips.schema import NS, NS_UNVERSIONED, load_wsdl_schema
from ips_tui.sandbox.raw import Caller

START = datetime(2026, 3, 2, 17, 0, tzinfo=timezone.utc)

JOBS = {
    "imageServingPublishJob": "<publishType>Full</publishType><emailSetting>All</emailSetting>"
                              "<httpCompletionUrl>https://example.com/done</httpCompletionUrl>"
                              "<contextHandle>pc|10101</contextHandle>",
    "imageRenderingPublishJob": "<emailSetting>Error</emailSetting><contextHandle>pc|10103</contextHandle>",
    "videoPublishJob": "<emailSetting>None</emailSetting>",
    "serverDirectoryPublishJob": "<emailSetting>JobCompletion</emailSetting>",
    "metadataPublishJob": "<forcePublish>true</forcePublish>",
    "uploadDirectoryJob": "<destFolder>in/</destFolder><serverDir>/ftp/drop</serverDir><overwrite>true</overwrite>"
                          "<readyForPublish>true</readyForPublish><includeSubfolders>false</includeSubfolders>"
                          "<createMask>false</createMask><processMetadataFiles>false</processMetadataFiles>"
                          "<knockoutBackgroundOptions><corner>UpperLeft</corner><tolerance>0.1</tolerance>"
                          "<fillMethod>FloodFill</fillMethod></knockoutBackgroundOptions>"
                          "<emailSetting>ErrorAndWarning</emailSetting>"
                          "<postImageServingPublishJob><publishType>Incremental</publishType>"
                          "<emailSetting>Error</emailSetting></postImageServingPublishJob>",
    "uploadUrlsJob": "<urlArray><items><sourceUrl>https://example.com/a.jpg</sourceUrl><destPath>in/a.jpg</destPath>"
                     "</items><items><sourceUrl>file:///etc/passwd</sourceUrl><destPath>in/b.jpg</destPath></items>"
                     "</urlArray><numUrls>2</numUrls><overwrite>true</overwrite><readyForPublish>false</readyForPublish>"
                     "<createMask>false</createMask><emailSetting>All</emailSetting>",
    "optimizeImagesJob": "<emailSetting>All</emailSetting>",
    "ripPdfsJob": "<pdfHandleArray><items>a|101|1006</items></pdfHandleArray><createMask>false</createMask>"
                  "<emailSetting>All</emailSetting>",
    "reprocessAssetsJob": "<assetHandleArray><items>a|101|1001</items><items>a|101|1003</items></assetHandleArray>"
                          "<createMask>true</createMask><emailSetting>All</emailSetting>",
    "createVideoSitemapJob": "<forceUpdate>true</forceUpdate>",
    "exportJob": "<assetHandleArray><items>a|101|1001</items><items>a|101|1404</items></assetHandleArray>"
                 "<fmt>convert</fmt><is_modifier>&amp;fmt=png</is_modifier><emailSetting>All</emailSetting>",
    "automatedSetGenerationJob": "<assetHandleArray><items>a|101|1001</items></assetHandleArray>"
                                 "<readyForPublish>true</readyForPublish><autoSetCreationOptions><autoSetsArray>"
                                 "<items>ps|101|201</items></autoSetsArray></autoSetCreationOptions>"
                                 "<emailSetting>All</emailSetting>",
}


class CheckingCaller(Caller):
    """Validates every reply body (or fault detail) against our WSDL's schema."""

    schema = None
    seen: set

    def __call__(self, operation, params="", **kw):
        reply = super().__call__(operation, params, **kw)
        assert reply.root is not None, reply.content
        if reply.fault is not None:
            detail = reply.root.find(".//detail")[0]
            element = detail
        else:
            element = reply.body
            assert element.tag == f"{{{NS}}}{operation}Return"
        if not self.schema.validate(etree.fromstring(etree.tostring(element))):
            raise AssertionError(f"{operation}: {self.schema.error_log} in {etree.tostring(element)[:2000]!r}")
        self.seen.add((operation, reply.fault[0] if reply.fault else "ok"))
        return reply


@pytest.fixture(scope="module")
def schema():
    return load_wsdl_schema()


def test_every_reply_validates(sandbox_factory, schema):
    sb = sandbox_factory(speed=0, clock=START)
    api = CheckingCaller(sb)
    api.schema, api.seen = schema, set()
    for n, (element, fields) in enumerate(JOBS.items()):
        base = f"<companyHandle>c|101</companyHandle><jobName>{element}</jobName><locale>en-US</locale>"
        timing = ""
        if n % 3 == 1:
            timing = "<execSchedule>0 0/10 * * * ?</execSchedule>"
        elif n % 3 == 2:
            timing = f"<execTime>{(START + timedelta(minutes=7)).isoformat()}</execTime>"
        params = base + timing + "<description>all types</description>" + f"<{element}>{fields}</{element}>"
        assert api.ok("submitJob", params).text("jobHandle").startswith("j|101|")
    for step in (0, 0.2, 2, 3, 30, 600, 40):
        sb.clock.advance(step)
        active = api.ok("getActiveJobs", "")
        api.ok("getActiveJobs", "<companyHandle>c|101</companyHandle><includeWaitingJobs>true</includeWaitingJobs>")
        api.ok("getScheduledJobs", "<companyHandle>c|101</companyHandle>")
        api.ok("getJobLogs", "<sortBy>FileErrorCount</sortBy>")
        api.ok("getJobLogDetails", "<companyHandle>c|101</companyHandle><recordsPerPage>5</recordsPerPage>")
        for item in active.find("jobArray/items")[:2]:
            handle = item.findtext(f"{{{NS}}}jobHandle")
            api("pauseJob", f"<companyHandle>c|101</companyHandle><jobHandle>{handle}</jobHandle>")
    jobs = api.ok("getActiveJobs", "").find("jobArray/items")
    scheduled = api.ok("getScheduledJobs", "").find("jobArray/items")
    assert jobs and scheduled
    echoed = {etree.QName(i[-1]).localname for i in api.ok("getJobLogDetails", "<companyHandle>c|101</companyHandle>")
              .find("jobLogArray/items")}
    assert echoed == {"detailArray"}
    run = jobs[0].findtext(f"{{{NS}}}jobHandle")
    for op in ("resumeJob", "stopJob", "executeJob", "deleteJob"):
        api(op, f"<companyHandle>c|101</companyHandle><jobHandle>{run}</jobHandle>")
    definition = scheduled[0].findtext(f"{{{NS}}}jobHandle")
    for op in ("pauseJob", "resumeJob", "executeJob", "deleteJob"):
        api.ok(op, f"<companyHandle>c|101</companyHandle><jobHandle>{definition}</jobHandle>")
    api.ok("getCompanyMembership")
    api.ok("getCompanyInfo", "<companyName>Acme Retail</companyName>")
    api.ok("getUserInfo")
    api.ok("checkLogin", "<email>x@y</email><password>z</password>")
    api.ok("getPublishContexts", "<companyHandle>c|101</companyHandle>")
    # faults of every kind
    api("submitJob", "<companyHandle>c|101</companyHandle><jobName>x</jobName>")
    api("submitJob", "<companyHandle>c|101</companyHandle><jobName>x</jobName>", password="bad")
    api("submitJob", "<companyHandle>c|999</companyHandle><jobName>x</jobName>")
    api("getActiveJobs", "<bogus/>")
    assert {kind for _op, kind in api.seen} == {"ok", "ipsApiFault", "authenticationFault", "authorizationFault"}
    assert {op for op, kind in api.seen if kind == "ok"} == {
        "submitJob", "getActiveJobs", "getScheduledJobs", "getJobLogs", "getJobLogDetails", "stopJob", "pauseJob",
        "resumeJob", "deleteJob", "executeJob", "getCompanyMembership", "getCompanyInfo", "getUserInfo",
        "checkLogin", "getPublishContexts"}


def test_every_job_type_is_echoed_in_active_jobs(sandbox_factory, schema):
    sb = sandbox_factory(speed=0, clock=START)
    api = CheckingCaller(sb)
    api.schema, api.seen = schema, set()
    for element, fields in JOBS.items():
        api.ok("submitJob", f"<companyHandle>c|101</companyHandle><jobName>{element}</jobName>"
                            f"<{element}>{fields}</{element}>")
    items = api.ok("getActiveJobs", "").find("jobArray/items")
    got = {i.findtext(f"{{{NS}}}originalName"): etree.QName(i[-1]).localname for i in items}
    assert got == {e: e for e in JOBS}
    types = {i.findtext(f"{{{NS}}}type") for i in items}
    assert {"ImageServingPublish", "UrlUpload", "UploadFromServerDirectory", "ImageOptimization", "Export"} <= types


# -- zeep, strict ------------------------------------------------------------------------------------------


@pytest.fixture
def zeep_client(sandbox_factory):
    import requests
    from zeep import Client, Settings
    from zeep.transports import Transport

    def make(sb):
        session = requests.Session()
        session.trust_env = False
        if sb.ca_path:
            session.verify = sb.ca_path
        client = Client(sb.wsdl_url, settings=Settings(strict=True, forbid_external=True),
                        transport=Transport(session=session, operation_timeout=10))
        header = client.get_element(f"{{{NS_UNVERSIONED}}}authHeader")(
            user=sb.user, password=sb.password, appName="zeep-test", appVersion="1")
        return client, header

    return make


@pytest.mark.parametrize("tls", [False, True])
def test_zeep_strict_reads_the_replies(sandbox_factory, zeep_client, tls):
    from zeep.exceptions import Fault

    sb = sandbox_factory(speed=0, clock=START, tls=tls)
    client, header = zeep_client(sb)
    svc = client.service
    assert client.wsdl.services["IpsApiService"].ports["IpsApiSoapPort"].binding_options["address"] == sb.url

    handle = svc.submitJob(companyHandle="c|101", jobName="zeep-job",
                           imageServingPublishJob={"publishType": "Full", "emailSetting": "All"},
                           _soapheaders=[header])
    assert handle == "j|101|zeep-job||"
    svc.submitJob(companyHandle="c|101", jobName="zeep-sched", execSchedule="0 0 3 * * ?",
                  exportJob={"assetHandleArray": {"items": ["a|101|1001"]}, "fmt": "orig", "emailSetting": "All"},
                  _soapheaders=[header])
    sb.clock.advance(2)
    active = svc.getActiveJobs(companyHandle="c|101", _soapheaders=[header])
    [job] = active  # zeep unwraps jobArray/items into a list
    assert job.state == "Running" and job.originalName == "zeep-job"
    assert job.startDate.tzinfo is not None
    assert job.taskProgressArray["items"][0].taskState == "Processing"
    [sched] = svc.getScheduledJobs(companyHandle="c|101", _soapheaders=[header])
    assert sched.timeZone == "PST" and sched.triggerState == "Normal"
    assert sched.exportJob.fmt == "orig"
    sb.clock.advance(20)
    logs = svc.getJobLogDetails(companyHandle="c|101", originalName="zeep-job", _soapheaders=[header])
    assert logs[0].fileSuccessCount == 8
    assert logs[0].detailArray["items"][0].logType == "OriginalJobName"
    assert svc.getJobLogs(_soapheaders=[header])[0].fatalError is False
    memberships = svc.getCompanyMembership(_soapheaders=[header])
    assert [m.company.companyHandle for m in memberships] == ["c|101", "c|102", "c|103"]
    assert svc.getCompanyInfo(companyName="Brio Outdoor", _soapheaders=[header]).companyHandle == "c|102"
    assert svc.getUserInfo(_soapheaders=[header]).email == sb.user
    assert svc.checkLogin(email=sb.user, password=sb.password, _soapheaders=[header]) == "ValidLogin"
    contexts = svc.getPublishContexts(companyHandle="c|101", contextType="Video", _soapheaders=[header])
    assert [c.contextType for c in contexts] == ["Video"]
    assert svc.pauseJob(companyHandle="c|101", jobHandle=sched.jobHandle, _soapheaders=[header]) is None

    with pytest.raises(Fault) as err:
        svc.submitJob(companyHandle="c|101", jobName="none", _soapheaders=[header])
    detail = err.value.detail[0]
    assert detail.tag == f"{{{NS_UNVERSIONED}}}ipsApiFault"
    assert detail.findtext(f"{{{NS_UNVERSIONED}}}code") == "30002"
    bad = client.get_element(f"{{{NS_UNVERSIONED}}}authHeader")(user=sb.user, password="x", appName="z",
                                                                 appVersion="1")
    with pytest.raises(Fault) as err:
        svc.getUserInfo(_soapheaders=[bad])
    assert err.value.message == "AuthenticationException"
    assert err.value.detail[0].findtext(f"{{{NS_UNVERSIONED}}}reason") == "Invalid username/password"
