"""The IPS operations the sandbox answers: checks, effects and reply bodies (the XML our WSDL describes)."""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from lxml import etree

from ips_tui.sandbox.auth import Directory, User, authz_fault
from ips_tui.sandbox.job_ops import JobOps
from ips_tui.sandbox.jobs import JobStore
from ips_tui.sandbox.kept import MAX_SUBMITTED, BoundedLog
from ips_tui.sandbox.lookups import LookupOps
from ips_tui.sandbox.seed import Catalog
from ips_tui.sandbox.soap import Builder, SoapRequest, api_fault, invalid_param, missing_param, xsd_datetime
from ips_tui.sandbox.submit_ops import SubmitOps


CONTEXT_TYPES = ("ImageServing", "ImageRendering", "Video", "ServerDirectory")


class Service(SubmitOps, JobOps, LookupOps):
    """The operations the sandbox answers, by family: submitting (:mod:`.submit_ops`), following jobs
    (:mod:`.job_ops`), lookups (:mod:`.lookups`), and here companies, users and publish contexts."""

    def __init__(self, directory: Directory, catalog: Catalog, jobs: JobStore, zone: ZoneInfo, *,
                 keep: int = MAX_SUBMITTED):
        self.directory = directory
        self.catalog = catalog
        self.jobs = jobs
        self.zone = zone
        # the newest accepted submissions (Sandbox.submitted_jobs); bounded, as the request log is
        self.submitted: list[dict] = BoundedLog(keep)
        self._submitted_lock = threading.Lock()

    def dispatch(self, req: SoapRequest, user: User) -> etree._Element:
        handler = getattr(self, "op_" + req.operation)
        return handler(req, user, Builder(req.ns))

    # -- helpers --------------------------------------------------------------------------------------
    def _dt(self, value: datetime) -> str:
        return xsd_datetime(value, self.zone)

    def _companies(self, req: SoapRequest, user: User, operation: str) -> list:
        handle = req.text("companyHandle")
        if handle is not None:
            return [self.directory.check_operation(user, operation, handle.strip())]
        self.directory.check_operation(user, operation, None)
        return self.directory.companies_for(user, operation)

    # =================================================================================================
    # Companies and users

    def _company(self, parent, b: Builder, name: str, company) -> None:
        el = b.sub(parent, name)
        b.sub(el, "companyHandle", company.handle)
        b.sub(el, "name", company.name)
        b.sub(el, "rootPath", company.root_path)

    def op_getCompanyMembership(self, req, user, b):
        self.directory.check_operation(user, "getCompanyMembership", None)
        handle = req.text("userHandle")
        target = self.directory.request_user(user, handle=handle.strip()) if handle else user
        root = b.root("getCompanyMembershipReturn")
        array = b.sub(root, "membershipArray")
        for company_handle, role in target.roles.items():
            company = self.directory.company(company_handle)
            if company is None:
                continue
            item = b.sub(array, "items")
            self._company(item, b, "company", company)
            b.sub(item, "role", role)
            b.sub(item, "isActive", True)
        return root

    def op_getCompanyInfo(self, req, user, b):
        handle, name = req.text("companyHandle"), req.text("companyName")
        if handle:
            company = self.directory.check_operation(user, "getCompanyInfo", handle.strip())
        elif name:
            found = self.directory.company_by_name(name)
            if found is None:
                raise authz_fault(20000, f"Invalid company name '{name}'")
            company = self.directory.check_operation(user, "getCompanyInfo", found.handle)
        elif req.text("imsOrgId"):
            raise authz_fault(20000, f"No company with imsOrgId '{req.text('imsOrgId')}'")
        else:
            raise missing_param("companyHandle or companyName is required")
        root = b.root("getCompanyInfoReturn")
        self._company(root, b, "companyInfo", company)
        return root

    def op_getUserInfo(self, req, user, b):
        self.directory.check_operation(user, "getUserInfo", None)
        handle, email = req.text("userHandle"), req.text("email")
        target = self.directory.request_user(user, handle=(handle or "").strip() or None,
                                             email=(email or "").strip() or None)
        root = b.root("getUserInfoReturn")
        info = b.sub(root, "userInfo")
        b.sub(info, "userHandle", target.handle)
        b.sub(info, "firstName", target.first_name)
        b.sub(info, "lastName", target.last_name)
        b.sub(info, "email", target.email)
        b.sub(info, "isValid", target.is_valid)
        b.sub(info, "isIpsAdmin", target.is_ips_admin)
        return root

    def op_checkLogin(self, req, user, b):
        self.directory.check_operation(user, "checkLogin", None)
        company = req.text("companyHandle")
        target = self.directory.user_by_email(req.text("email") or "")
        ok = (
            target is not None and target.is_valid and target.password == (req.text("password") or "")
            and (not company or target.role_in(company.strip()) is not None)
        )
        root = b.root("checkLoginReturn")
        b.sub(root, "status", "ValidLogin" if ok else "InvalidLogin")
        return root

    def op_getPublishContexts(self, req, user, b):
        company = self.directory.check_operation(user, "getPublishContexts", (req.text("companyHandle") or "").strip())
        wanted = req.text("contextType")
        if wanted is not None and wanted not in CONTEXT_TYPES:
            raise invalid_param(f"Invalid contextType '{wanted}': use one of {', '.join(CONTEXT_TYPES)}")
        root = b.root("getPublishContextsReturn")
        array = b.sub(root, "publishContextArray")
        for ctx in self.catalog.contexts.get(company.handle, ()):
            if wanted is None or ctx.type == wanted:
                item = b.sub(array, "items")
                b.sub(item, "contextHandle", ctx.handle)
                b.sub(item, "contextName", ctx.name)
                b.sub(item, "contextType", ctx.type)
        return root


__all__ = ["Service", "api_fault"]
