"""IpsClient against the sandbox over real sockets (HTTP and HTTPS), through zeep: every operation,
every fault code the sandbox raises, with the message a person reads."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from ips_tui.ips.client import OPERATIONS, IpsClient
from ips_tui.ips.faults import ApiFault, AuthenticationFault, AuthorizationFault, ServiceFault
from ips_tui.ips.schema import NS, NS_UNVERSIONED, SOAP_ENV

PUBLISH = {"publishType": "Full", "emailSetting": "Error"}


@pytest.fixture(params=["http", "https"])
def box(request):
    return request.getfixturevalue("sandbox" if request.param == "http" else "sandbox_tls")


def make_client(box, user=None, password=None, **kw):
    return IpsClient(
        box.url,
        box.user if user is None else user,
        box.password if password is None else password,
        cacert=box.ca_path,
        timeout=kw.pop("timeout", 10),
        connect_timeout=kw.pop("connect_timeout", 5),
        **kw,
    )


def test_every_operation(box):
    c = make_client(box, locale="en-US")
    company = box.companies[0]["handle"]

    membership = c.get_company_membership()
    assert company in {m["company"]["companyHandle"] for m in membership}
    assert all(set(m) >= {"company", "role", "isActive"} for m in membership)
    info = c.get_company_info(company_handle=company)
    assert info["companyHandle"] == company and info["name"] == box.companies[0]["name"]
    assert c.get_company_info(company_name=info["name"])["companyHandle"] == company
    me = c.get_user_info(email=box.user)
    assert me["email"] == box.user and me["isValid"] is True
    assert c.check_login(box.user, box.password) is True
    assert c.check_login(box.user, "not-the-password") is False
    contexts = c.get_publish_contexts(company, "ImageServing")
    assert contexts and all(ctx["contextType"] == "ImageServing" for ctx in contexts)

    handle = c.submit_job({"companyHandle": company, "jobName": "client-now", "imageServingPublishJob": PUBLISH})
    assert isinstance(handle, str) and handle
    active = c.get_active_jobs(company, original_name="client-now")
    assert [j["originalName"] for j in active] == ["client-now"]
    assert isinstance(active[0]["startDate"], datetime) and active[0]["startDate"].utcoffset() is not None
    assert type(active[0]["startDate"].tzinfo) is timezone  # plain types, no isodate objects
    c.stop_job(company, active[0]["jobHandle"])

    later = datetime.now(timezone.utc) + timedelta(days=1)
    once = c.submit_job(
        {"companyHandle": company, "jobName": "client-later", "execTime": later, "imageServingPublishJob": PUBLISH}
    )
    scheduled = c.submit_job(
        {"companyHandle": company, "jobName": "client-nightly", "execSchedule": "0 0 3 * * ?",
         "imageServingPublishJob": PUBLISH}
    )
    listed = {j["jobHandle"]: j for j in c.get_scheduled_jobs(company)}
    assert {once, scheduled} <= set(listed)
    assert listed[scheduled]["execSchedule"] == "0 0 3 * * ?"
    c.pause_job(company, scheduled)
    assert c.get_scheduled_jobs(company, job_handle=scheduled)[0]["triggerState"] == "Paused"
    c.resume_job(company, scheduled)
    c.execute_job(company, scheduled)
    c.delete_job(company, once)
    assert once not in {j["jobHandle"] for j in c.get_scheduled_jobs(company)}

    logs = c.get_job_logs(company, sort_by="StartDate", sort_direction="Descending",
                          start_date=datetime.now(timezone.utc) - timedelta(hours=1), num_rows=50)
    assert "client-now" in {log["originalJobName"] for log in logs}
    details = c.get_job_log_details(company, original_name="client-now", records_per_page=100, results_page=1)
    assert details and details[0]["originalJobName"] == "client-now"
    rows = details[0]["detailArray"]["items"]
    assert any(r["logType"] == "OriginalJobName" and r["logMessage"] == "client-now" for r in rows)

    seen = {r.operation for r in box.received}
    from ips_tui.ips.lookup import LOOKUP_OPERATIONS  # (tests/test_lookup.py calls those)

    assert set(OPERATIONS) - set(LOOKUP_OPERATIONS) <= seen, set(OPERATIONS) - set(LOOKUP_OPERATIONS) - seen


def test_requests_carry_the_documented_auth_header(box):
    c = make_client(box, locale="de-DE")
    c.get_company_membership()
    received = box.received[-1]
    assert received.operation == "getCompanyMembership"
    assert received.soap_action.strip('"') == "getCompanyMembership"
    root = etree.fromstring(received.body)
    auth = root.find(f"{{{SOAP_ENV}}}Header/{{{NS_UNVERSIONED}}}authHeader")
    assert auth is not None
    fields = {etree.QName(e).localname: e.text for e in auth}
    assert fields["user"] == box.user and fields["password"] == box.password
    assert fields["locale"] == "de-DE" and fields["appName"] == "ips-tui" and fields["appVersion"]
    assert root.find(f"{{{SOAP_ENV}}}Body/{{{NS}}}getCompanyMembershipParam") is not None


def test_submitted_job_arrives_as_built(sandbox):
    c = make_client(sandbox)
    company = sandbox.companies[0]["handle"]
    when = datetime(2031, 1, 31, 22, 0, tzinfo=timezone(timedelta(hours=-5)))
    payload = {
        "companyHandle": company,
        "jobName": "client-export",
        "description": "from the client test",
        "execTime": when,
        "exportJob": {"assetHandleArray": {"items": ["a|101|1001", "a|101|1002"]}, "fmt": "orig",
                      "emailSetting": "All"},
    }
    handle = c.submit_job(payload)
    job = next(j for j in sandbox.submitted_jobs() if j["jobHandle"] == handle)
    assert job["jobName"] == "client-export" and job["jobType"] == "exportJob"
    assert job["job"]["assetHandleArray"] == {"items": ["a|101|1001", "a|101|1002"]}
    assert datetime.fromisoformat(job["execTime"].replace("Z", "+00:00")) == when
    assert job["appName"] == "ips-tui"


# --- faults --------------------------------------------------------------------------------------


def fault_of(call) -> ServiceFault:
    with pytest.raises(ServiceFault) as info:
        call()
    err = info.value
    assert err.exit_code == 3 and str(err) == err.message
    assert err.__cause__ is None and err.__context__ is None
    return err


def test_authentication_faults(box):
    err = fault_of(lambda: IpsClient(box.url, None, None, cacert=box.ca_path).get_company_membership())
    assert type(err) is AuthenticationFault and err.code == 10000 and err.kind == "authentication"
    assert str(err).startswith("No credentials were sent (code 10000)")

    err = fault_of(lambda: make_client(box, password="wrong-one").get_company_membership())
    assert type(err) is AuthenticationFault and err.code == 10001
    assert str(err).startswith(f"Wrong password for {box.user} (code 10001)")
    assert err.reason == "Invalid username/password"

    err = fault_of(lambda: make_client(box, user="ghost@nowhere.example").get_company_membership())
    assert type(err) is AuthenticationFault and err.code == 10002
    assert str(err).startswith("ghost@nowhere.example is not a valid IPS user (code 10002)")


def test_authorization_faults(sandbox):
    first, second = sandbox.companies[0]["handle"], sandbox.companies[1]["handle"]
    c = make_client(sandbox)

    err = fault_of(lambda: c.get_active_jobs("c|999"))
    assert type(err) is AuthorizationFault and err.code == 20000 and err.kind == "authorization"
    assert str(err).startswith("The company c|999 is not known to the service (code 20000)")

    err = fault_of(lambda: c.get_user_info(email="nobody@sandbox.ips"))
    assert err.code == 20001 and "user e-mail" in str(err) and "nobody@sandbox.ips" in str(err)

    err = fault_of(lambda: c.get_user_info(user_handle="9999|ghost@sandbox.ips"))
    assert err.code == 20002 and "user handle" in str(err)

    sandbox.add_user("robot@acme.example", "robot-pw", roles={first: "WebServiceUser"})
    robot = make_client(sandbox, user="robot@acme.example", password="robot-pw")
    job = {"companyHandle": first, "jobName": "nope", "imageServingPublishJob": PUBLISH}
    err = fault_of(lambda: robot.submit_job(job))
    assert type(err) is AuthorizationFault and err.code == 20003
    assert str(err).startswith(
        "robot@acme.example may not call submitJob: its role does not allow it (code 20003)"
    )
    assert sandbox.submitted_jobs() == []

    sandbox.add_user("outsider@brio.example", "outsider-pw", roles={second: "IpsUser"})
    outsider = make_client(sandbox, user="outsider@brio.example", password="outsider-pw")
    err = fault_of(lambda: outsider.get_active_jobs(first))
    assert err.code == 20006
    assert str(err).startswith(f"outsider@brio.example is not a member of the company {first} (code 20006)")

    sandbox.add_user("insider@acme.example", "insider-pw", roles={first: "IpsUser"})
    insider = make_client(sandbox, user="insider@acme.example", password="insider-pw")
    err = fault_of(lambda: insider.get_user_info(email="outsider@brio.example"))
    assert err.code == 20007 and "(code 20007)" in str(err)


def test_api_faults(box):
    c = make_client(box)
    company = box.companies[0]["handle"]

    err = fault_of(lambda: c.submit_job({"companyHandle": company, "jobName": "a|b", "imageServingPublishJob": PUBLISH}))
    assert type(err) is ApiFault and err.code == 30001 and err.kind == "api"
    assert "rejected a value in the submitJob request (code 30001)" in str(err)
    assert "contains '|'" in str(err)  # the server's reason says which value

    err = fault_of(lambda: c.submit_job({"companyHandle": company, "jobName": "no-type"}))
    assert err.code == 30002 and "missing from the submitJob request (code 30002)" in str(err)
    assert "job type is required" in str(err)

    # xsd:int overflow: zeep sends it, the service's schema check refuses the XML
    err = fault_of(lambda: c.get_job_logs(company, num_rows=2**40))
    assert err.code == 30003 and "could not read the getJobLogs request (code 30003)" in str(err)

    err = fault_of(lambda: c.stop_job(company, "j|101|no-such-job||"))
    assert err.code == 30001 and "not found" in str(err)
