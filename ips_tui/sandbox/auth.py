"""Users, companies, roles and the per-operation role table of the IPS API (ips-api.md §2.4)."""

from __future__ import annotations

import base64
import binascii
import threading
from dataclasses import dataclass, field

from ips_tui.sandbox.errors import SoapFault

ROLES = (
    "IpsAdmin", "IpsCompanyAdmin", "IpsUser", "WebServiceUser", "TrialSiteAdmin", "TrialSiteUser",
    "ImagePortalAdmin", "ImagePortalUser", "ImagePortalContrib", "ImagePortalContribUser",
)

_SUBMIT = frozenset({
    "IpsUser", "IpsAdmin", "TrialSiteAdmin", "TrialSiteUser", "ImagePortalAdmin", "ImagePortalContrib",
    "ImagePortalContribUser",
})
_FOLLOW = _SUBMIT | {"IpsCompanyAdmin"}

# Roles allowed per operation, as the docs list them (§2.4). getPublishContexts is not in the docs' table:
# the sandbox lets every role read publish contexts.
OPERATION_ROLES: dict[str, frozenset[str]] = {
    "submitJob": _SUBMIT,
    "executeJob": _SUBMIT,
    "getActiveJobs": _FOLLOW,
    "getScheduledJobs": _FOLLOW,
    "stopJob": _FOLLOW,
    "pauseJob": _FOLLOW,
    "resumeJob": _FOLLOW,
    "deleteJob": _FOLLOW,
    "getJobLogs": _FOLLOW | {"ImagePortalUser"},
    "getAssetJobLogs": _FOLLOW | {"ImagePortalUser"},
    "getJobLogDetails": frozenset({
        "IpsUser", "IpsAdmin", "IpsCompanyAdmin", "TrialSiteUser", "ImagePortalAdmin", "ImagePortalUser",
        "ImagePortalContrib", "ImagePortalContribUser",
    }),
    "getCompanyInfo": frozenset({
        "IpsUser", "IpsAdmin", "TrialSiteAdmin", "TrialSiteUser", "ImagePortalAdmin", "ImagePortalUser",
        "ImagePortalContrib", "ImagePortalContribUser",
    }),
    "getCompanyMembership": frozenset(ROLES) - {"WebServiceUser"},
    "getUserInfo": frozenset(ROLES) - {"WebServiceUser"},
    "checkLogin": frozenset(ROLES) - {"WebServiceUser"},
    "getPublishContexts": frozenset(ROLES),
    "getAllCompanies": frozenset({"IpsAdmin"}),
}


@dataclass
class Company:
    handle: str  # "c|101"
    name: str
    root_path: str

    @property
    def id(self) -> str:
        return self.handle.split("|", 1)[1] if "|" in self.handle else self.handle


@dataclass
class User:
    handle: str
    email: str
    password: str
    first_name: str
    last_name: str
    roles: dict[str, str] = field(default_factory=dict)  # company handle -> role
    is_valid: bool = True

    @property
    def is_ips_admin(self) -> bool:
        return "IpsAdmin" in self.roles.values()

    def role_in(self, company_handle: str) -> str | None:
        role = self.roles.get(company_handle)
        if role is None and self.is_ips_admin:
            return "IpsAdmin"  # an IPS administrator reaches every company
        return role


def authn_fault(code: int, reason: str) -> SoapFault:
    return SoapFault("authenticationFault", code, reason)


def authz_fault(code: int, reason: str) -> SoapFault:
    return SoapFault("authorizationFault", code, reason)


class Directory:
    """Companies and users, thread-safe."""

    def __init__(self):
        self._lock = threading.RLock()
        self.companies: dict[str, Company] = {}
        self._users: dict[str, User] = {}  # by lower-case e-mail
        self._user_ids = 3260

    # -- building -------------------------------------------------------------------------------------
    def add_company(self, handle: str, name: str, root_path: str | None = None) -> Company:
        with self._lock:
            company = Company(handle, name, root_path or name.replace(" ", "") + "/")
            self.companies[handle] = company
            return company

    def add_user(self, email: str, password: str, roles: dict[str, str], *, first_name: str = "",
                 last_name: str = "") -> User:
        bad = [r for r in roles.values() if r not in ROLES]
        if bad:
            raise ValueError(f"unknown role(s) {bad}; roles are {', '.join(ROLES)}")
        with self._lock:
            self._user_ids += 1
            local = email.split("@", 1)[0]
            user = User(
                handle=f"{self._user_ids}|{email}", email=email, password=password,
                first_name=first_name or local.capitalize(), last_name=last_name or "Sandbox",
                roles=dict(roles),
            )
            self._users[email.lower()] = user
            return user

    # -- looking up -----------------------------------------------------------------------------------
    def user_by_email(self, email: str) -> User | None:
        with self._lock:
            return self._users.get(email.strip().lower())

    def user_by_handle(self, handle: str) -> User | None:
        with self._lock:
            for user in self._users.values():
                if user.handle == handle:
                    return user
        return None

    def company(self, handle: str) -> Company | None:
        return self.companies.get(handle)

    def company_by_name(self, name: str) -> Company | None:
        for company in self.companies.values():
            if company.name.lower() == name.strip().lower():
                return company
        return None

    def members(self, company_handle: str) -> list[User]:
        """The users with a role in the company (getCompanyMembers)."""
        with self._lock:
            return [u for u in self._users.values() if company_handle in u.roles]

    # -- checks ---------------------------------------------------------------------------------------
    def authenticate(self, auth: dict[str, str], authorization: str | None) -> User:
        """The caller from an authHeader (preferred) or HTTP Basic; authentication faults otherwise."""
        email = auth.get("user")
        password = auth.get("password")
        if not email and authorization and authorization[:6].lower() == "basic ":
            try:
                decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise authn_fault(10000, "Malformed HTTP Basic credentials") from None
            email, _, password = decoded.partition(":")
        if not email or password is None or password == "":
            raise authn_fault(10000, "No credentials supplied: send an authHeader or HTTP Basic authentication")
        user = self.user_by_email(email)
        if user is None or not user.is_valid:
            raise authn_fault(10002, f"Invalid user '{email.strip()}'")
        if password != user.password:
            raise authn_fault(10001, "Invalid username/password")
        return user

    def check_operation(self, user: User, operation: str, company_handle: str | None) -> Company | None:
        """Role and company checks. With a company: its handle must exist (20000), the caller must belong to
        it (20006) and hold a role allowed for the operation (20003). Without: any membership role counts."""
        allowed = OPERATION_ROLES.get(operation, frozenset(ROLES))
        denied = authz_fault(20003, f"User does not have permission to access operation '{operation}'")
        if company_handle is None:
            if not any(role in allowed for role in user.roles.values()):
                raise denied
            return None
        company = self.company(company_handle)
        if company is None:
            raise authz_fault(20000, f"Invalid company handle '{company_handle}'")
        role = user.role_in(company_handle)
        if role is None:
            raise authz_fault(20006, f"User '{user.email}' does not have access to company '{company.name}'")
        if role not in allowed:
            raise denied
        return company

    def companies_for(self, user: User, operation: str) -> list[Company]:
        """The companies in which the user may call ``operation``."""
        allowed = OPERATION_ROLES.get(operation, frozenset(ROLES))
        return [c for c in self.companies.values() if user.role_in(c.handle) in allowed]

    def request_user(self, caller: User, *, handle: str | None = None, email: str | None = None) -> User:
        """Another user named in a request (userHandle / email): it must exist (20002 / 20001) and share a
        company with the caller, unless the caller is an IPS administrator (20007)."""
        if handle:
            target = self.user_by_handle(handle)
            if target is None:
                raise authz_fault(20002, f"Invalid user handle '{handle}'")
        elif email:
            target = self.user_by_email(email)
            if target is None:
                raise authz_fault(20001, f"Invalid user name '{email}'")
        else:
            return caller
        if target is not caller and not caller.is_ips_admin and not set(target.roles) & set(caller.roles):
            raise authz_fault(20007, f"User does not have access to user '{target.email}'")
        return target
