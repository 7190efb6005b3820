"""Who may do what: the role table, company access, and the company/user operations."""

from __future__ import annotations

import pytest

from ips_tui.sandbox.auth import OPERATION_ROLES, ROLES
from ips_tui.sandbox.raw import Caller

PUBLISH = ("<imageServingPublishJob><publishType>Full</publishType><emailSetting>Error</emailSetting>"
           "</imageServingPublishJob>")

# A valid request per operation, in company c|101.
REQUESTS = {
    "submitJob": f"<companyHandle>c|101</companyHandle><jobName>role-test</jobName>{PUBLISH}",
    "executeJob": "<companyHandle>c|101</companyHandle><jobHandle>j|101|none||</jobHandle>",
    "getActiveJobs": "<companyHandle>c|101</companyHandle>",
    "getScheduledJobs": "<companyHandle>c|101</companyHandle>",
    "stopJob": "<companyHandle>c|101</companyHandle><jobHandle>j|101|none||</jobHandle>",
    "pauseJob": "<companyHandle>c|101</companyHandle><jobHandle>j|101|none||</jobHandle>",
    "resumeJob": "<companyHandle>c|101</companyHandle><jobHandle>j|101|none||</jobHandle>",
    "deleteJob": "<companyHandle>c|101</companyHandle><jobHandle>j|101|none||</jobHandle>",
    "getJobLogs": "<companyHandle>c|101</companyHandle>",
    "getJobLogDetails": "<companyHandle>c|101</companyHandle>",
    "getCompanyInfo": "<companyHandle>c|101</companyHandle>",
    "getCompanyMembership": "",
    "getUserInfo": "",
    "checkLogin": "<email>demo@sandbox.ips</email><password>sandbox-demo</password>",
    "getPublishContexts": "<companyHandle>c|101</companyHandle>",
}


@pytest.fixture(scope="module")
def role_box():
    from ips_tui.sandbox import Sandbox

    with Sandbox(speed=0) as sb:
        for role in ROLES:
            sb.add_user(f"{role.lower()}@roles.test", "pw", {"c|101": role})
        yield sb


def test_role_names():
    assert len(ROLES) == 10
    assert OPERATION_ROLES["submitJob"] == {
        "IpsUser", "IpsAdmin", "TrialSiteAdmin", "TrialSiteUser", "ImagePortalAdmin", "ImagePortalContrib",
        "ImagePortalContribUser"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", sorted(REQUESTS))
def test_role_table_is_enforced(role_box, role, operation):
    api = Caller(role_box, f"{role.lower()}@roles.test", "pw")
    reply = api(operation, REQUESTS[operation])
    api.close()
    allowed = role in OPERATION_ROLES[operation]
    if allowed:
        assert reply.fault is None or reply.fault[0] == "ipsApiFault", (role, operation, reply.fault)
    else:
        assert reply.fault == ("authorizationFault", 20003,
                               f"User does not have permission to access operation '{operation}'")
        assert reply.faultcode == "soapenv:Client" and reply.faultstring == "AuthorizationException"


def test_seeded_users(sandbox):
    ws = Caller(sandbox, "webservice@sandbox.ips", "sandbox-ws")
    reply = ws("submitJob", REQUESTS["submitJob"])
    assert reply.fault[:2] == ("authorizationFault", 20003)
    admin = Caller(sandbox, "companyadmin@sandbox.ips", "sandbox-admin")
    assert admin("submitJob", REQUESTS["submitJob"]).fault[:2] == ("authorizationFault", 20003)
    assert admin.ok("getActiveJobs", REQUESTS["getActiveJobs"])
    solo = Caller(sandbox, "solo@sandbox.ips", "sandbox-solo")
    assert solo("submitJob", REQUESTS["submitJob"]).fault[:2] == ("authorizationFault", 20006)
    assert solo.ok("submitJob", REQUESTS["submitJob"].replace("c|101", "c|103"))
    ipsadmin = Caller(sandbox, "ipsadmin@sandbox.ips", "sandbox-ipsadmin")
    assert ipsadmin.ok("submitJob", REQUESTS["submitJob"].replace("c|101", "c|102"))  # every company


def test_unknown_company_is_20000(sandbox):
    api = Caller(sandbox)
    reply = api("submitJob", REQUESTS["submitJob"].replace("c|101", "c|999"))
    assert reply.fault[:2] == ("authorizationFault", 20000)
    assert "c|999" in reply.fault[2]
    assert api("getActiveJobs", "<companyHandle>c|999</companyHandle>").fault[:2] == ("authorizationFault", 20000)


def test_company_not_joined_is_20006(sandbox):
    sandbox.add_user("only102@x.test", "pw", {"c|102": "IpsUser"})
    api = Caller(sandbox, "only102@x.test", "pw")
    reply = api("getPublishContexts", "<companyHandle>c|101</companyHandle>")
    assert reply.fault[:2] == ("authorizationFault", 20006)
    assert api.ok("getPublishContexts", "<companyHandle>c|102</companyHandle>")


def test_add_user_checks_its_input(sandbox):
    with pytest.raises(ValueError):
        sandbox.add_user("x@y", "pw", {"c|101": "Boss"})
    with pytest.raises(ValueError):
        sandbox.add_user("x@y", "pw", {"c|999": "IpsUser"})


# -- companies and users --------------------------------------------------------------------------------


def test_company_membership(sandbox):
    api = Caller(sandbox)
    reply = api.ok("getCompanyMembership")
    got = [(i.findtext("{*}company/{*}companyHandle"), i.findtext("{*}company/{*}name"), i.findtext("{*}role"),
            i.findtext("{*}isActive")) for i in reply.find("membershipArray/items")]
    assert got == [("c|101", "Acme Retail", "IpsUser", "true"), ("c|102", "Brio Outdoor", "IpsUser", "true"),
                   ("c|103", "Cielo Foods", "IpsUser", "true")]
    assert [{"name": n, "handle": h} for h, n, _r, _a in got] == sandbox.companies
    solo = sandbox.directory.user_by_email("solo@sandbox.ips").handle
    reply = api.ok("getCompanyMembership", f"<userHandle>{solo}</userHandle>")
    assert [i.findtext("{*}company/{*}companyHandle") for i in reply.find("membershipArray/items")] == ["c|103"]
    other = sandbox.add_user("stranger@x.test", "pw", {"c|102": "IpsUser"})
    solo_api = Caller(sandbox, "solo@sandbox.ips", "sandbox-solo")
    assert solo_api(
        "getCompanyMembership", f"<userHandle>{other}</userHandle>").fault[:2] == ("authorizationFault", 20007)


def test_company_info(sandbox):
    api = Caller(sandbox)
    reply = api.ok("getCompanyInfo", "<companyHandle>c|102</companyHandle>")
    assert reply.text("companyInfo/name") == "Brio Outdoor"
    assert reply.text("companyInfo/rootPath") == "BrioOutdoor/"
    reply = api.ok("getCompanyInfo", "<companyName>cielo foods</companyName>")
    assert reply.text("companyInfo/companyHandle") == "c|103"
    assert api("getCompanyInfo", "<companyName>Nope Inc</companyName>").fault[:2] == ("authorizationFault", 20000)
    assert api("getCompanyInfo", "").fault[:2] == ("ipsApiFault", 30002)
    solo = Caller(sandbox, "solo@sandbox.ips", "sandbox-solo")
    assert solo("getCompanyInfo", "<companyName>Acme Retail</companyName>").fault[:2] == ("authorizationFault", 20006)


def test_user_info(sandbox):
    api = Caller(sandbox)
    reply = api.ok("getUserInfo")
    assert reply.text("userInfo/email") == sandbox.user
    assert reply.text("userInfo/isIpsAdmin") == "false" and reply.text("userInfo/isValid") == "true"
    assert reply.text("userInfo/userHandle") == sandbox.directory.user_by_email(sandbox.user).handle
    reply = api.ok("getUserInfo", "<email>solo@sandbox.ips</email>")
    assert reply.text("userInfo/firstName") == "Sol"
    assert api("getUserInfo", "<email>nobody@sandbox.ips</email>").fault[:2] == ("authorizationFault", 20001)
    assert api("getUserInfo", "<userHandle>1|x</userHandle>").fault[:2] == ("authorizationFault", 20002)
    admin = Caller(sandbox, "ipsadmin@sandbox.ips", "sandbox-ipsadmin")
    assert admin.ok("getUserInfo").text("userInfo/isIpsAdmin") == "true"


def test_check_login(sandbox):
    api = Caller(sandbox)
    ok = api.ok("checkLogin", "<email>solo@sandbox.ips</email><password>sandbox-solo</password>")
    assert ok.text("status") == "ValidLogin"
    bad = api.ok("checkLogin", "<email>solo@sandbox.ips</email><password>nope</password>")
    assert bad.text("status") == "InvalidLogin"
    assert api.ok("checkLogin", "<email>ghost@x</email><password>x</password>").text("status") == "InvalidLogin"
    other = api.ok("checkLogin", "<companyHandle>c|101</companyHandle><email>solo@sandbox.ips</email>"
                                 "<password>sandbox-solo</password>")
    assert other.text("status") == "InvalidLogin"  # solo is not in Acme


def test_publish_contexts(sandbox):
    api = Caller(sandbox)
    reply = api.ok("getPublishContexts", "<companyHandle>c|101</companyHandle>")
    got = [(i.findtext("{*}contextHandle"), i.findtext("{*}contextType")) for i in reply.find("publishContextArray/items")]
    assert ("pc|10101", "ImageServing") in got and {t for _h, t in got} == {
        "ImageServing", "ImageRendering", "Video", "ServerDirectory"}
    reply = api.ok("getPublishContexts", "<companyHandle>c|101</companyHandle><contextType>ImageServing</contextType>")
    assert [i.findtext("{*}contextName") for i in reply.find("publishContextArray/items")] == [
        "Image Serving", "Image Serving (staging)"]
    bad = api("getPublishContexts", "<companyHandle>c|101</companyHandle><contextType>Print</contextType>")
    assert bad.fault[:2] == ("ipsApiFault", 30001)
