"""The IPS operations the sandbox answers: checks, effects and reply bodies (the XML our WSDL describes)."""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from lxml import etree

from ips_tui.ips.catalog_text import MAX_LENGTH
from ips_tui.ips.schema import NS
from ips_tui.job.locales import check_locale
from ips_tui.job.java_text import java_length
from ips_tui.sandbox.auth import Directory, User, authz_fault
from ips_tui.sandbox.jobs import (
    DONE_LINGER, JOB_TYPES, SERVER_NAME, _TASK_TYPES, InvalidSchedule, Item, JobDef, JobStore, NotActive, Run, RunView,
    UnknownJob, compile_schedule,
)
from ips_tui.sandbox.kept import MAX_SUBMITTED, BoundedLog
from ips_tui.sandbox.lookups import LookupOps
from ips_tui.sandbox.seed import Catalog
from ips_tui.sandbox.soap import (
    Builder, SoapRequest, api_fault, canonical, invalid_param, missing_param, to_data, xsd_datetime,
)


EMAIL_SETTINGS = ("All", "Error", "ErrorAndWarning", "JobCompletion", "None")
PUBLISH_TYPES = ("Full", "FullWithSearch", "Incremental", "Increment", "FullOverride")
CONTEXT_TYPES = ("ImageServing", "ImageRendering", "Video", "ServerDirectory")
_CONTEXT_FOR = {
    "imageServingPublishJob": "ImageServing", "postImageServingPublishJob": "ImageServing",
    "imageRenderingPublishJob": "ImageRendering", "postImageRenderingPublishJob": "ImageRendering",
    "videoPublishJob": "Video", "postVideoPublishJob": "Video",
}
JOB_LOG_SORT = ("JobName", "LogType", "StartDate", "CompanyName", "UserId", "Email", "FileErrorCount",
                "FileWarningCount", "FileSuccessCount")
SORT_DIRECTIONS = ("Ascending", "Descending")
_UPLOAD_TYPES = ("UrlUpload", "UploadFromServerDirectory")
_SUB_TYPES = {"Full": "full", "Incremental": "increment", "Increment": "increment",
              "FullWithSearch": "fullwithsearch", "FullOverride": "fulloverride"}


def parse_datetime(text: str, field: str, *, need_zone: bool = True) -> datetime:
    value = text.strip()
    try:
        when = datetime.fromisoformat(value[:-1] + "+00:00" if value.endswith("Z") else value)
    except ValueError:
        raise invalid_param(f"{field} '{text}' is not an xsd:dateTime") from None
    if when.tzinfo is None:
        if need_zone:
            raise invalid_param(
                f"{field} '{text}' has no time zone: add an offset such as Z or -05:00"
            )
        when = when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)


class Service(LookupOps):
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
    # submitJob

    def op_submitJob(self, req: SoapRequest, user: User, b: Builder) -> etree._Element:
        company = self.directory.check_operation(user, "submitJob", (req.text("companyHandle") or "").strip())
        user_handle = req.text("userHandle")
        if user_handle:
            target = self.directory.request_user(user, handle=user_handle.strip())
            if target.role_in(company.handle) is None:
                raise authz_fault(20007, f"User '{target.email}' is not a member of company '{company.name}'")
        job_name = (req.text("jobName") or "").strip()
        if not job_name:
            raise missing_param("jobName is required")
        if "|" in job_name:
            raise invalid_param(f"jobName '{job_name}' contains '|', which job handles use as a separator")
        if java_length(job_name) > MAX_LENGTH["jobName"]:  # the same bound the client checks
            raise invalid_param(f"jobName is {java_length(job_name)} characters long; at most {MAX_LENGTH['jobName']}")
        elements = [c for c in req.body if isinstance(c.tag, str) and etree.QName(c).localname in JOB_TYPES]
        if not elements:
            raise missing_param("A job type is required: give exactly one of " + ", ".join(JOB_TYPES))
        if len(elements) > 1:
            names = ", ".join(etree.QName(e).localname for e in elements)
            raise invalid_param(f"Only one job type per request is allowed; got {names}")
        job_el = elements[0]
        job_element = etree.QName(job_el).localname
        exec_time_text, schedule_text = req.text("execTime"), req.text("execSchedule")
        if exec_time_text is not None and schedule_text is not None:
            raise invalid_param("Give execTime or execSchedule, not both")
        locale = req.text("locale")
        if locale is not None:
            self._check_locale(locale)
        now = self.jobs.clock.now()
        exec_time = schedule = None
        kind = "immediate"
        if exec_time_text is not None:
            exec_time = parse_datetime(exec_time_text, "execTime")
            kind = "once"
        if schedule_text is not None:
            try:
                schedule = compile_schedule(schedule_text.strip())
            except InvalidSchedule as exc:
                raise invalid_param(f"Invalid execSchedule '{schedule_text}': {exc.message}") from None
            if not schedule.next_fire_times(1, now, self.zone):
                # Quartz refuses a trigger that will never fire
                raise invalid_param(f"Invalid execSchedule '{schedule_text}': it never fires after {now.year}")
            kind = "schedule"
        stored = canonical(job_el, req.ns)
        fields = to_data(stored)
        self._check_job(job_element, stored, company.handle)
        items = self._items(job_element, fields if isinstance(fields, dict) else {}, company.handle)
        description = req.text("description")
        with self.jobs.lock:
            name = self.jobs.unique_name(company.id, job_name)
            d = JobDef(
                company_handle=company.handle, company_id=company.id, handle=f"j|{company.id}|{name}||",
                name=name, original_name=job_name, job_element=job_element, job_xml=stored, fields=fields,
                submit_user=user.email, user_handle=user_handle, app_name=req.auth.get("appName") or "unknown",
                locale=locale, description=description, kind=kind, submitted_at=now, items=items,
                exec_time=exec_time, schedule_text=schedule_text.strip() if schedule_text else None,
                schedule=schedule,
            )
            self.jobs.add(d, now)
        record = {
            "jobHandle": d.handle, "companyHandle": company.handle, "userHandle": user_handle,
            "jobName": job_name, "locale": locale, "execTime": exec_time_text, "execSchedule": schedule_text,
            "description": description, "jobType": job_element, "job": fields, "user": user.email,
            "namespace": req.ns, "appName": req.auth.get("appName"), "appVersion": req.auth.get("appVersion"),
        }
        with self._submitted_lock:
            self.submitted.append(record)
        root = b.root("submitJobReturn")
        b.sub(root, "jobHandle", d.handle)
        return root

    def _check_locale(self, locale: str) -> None:
        result = check_locale(locale)
        if not result.ok or result.value != locale:
            hint = f"; did you mean '{result.suggestion}'?" if result.suggestion else ""
            raise invalid_param(f"Invalid locale '{locale}': use a language or language-COUNTRY code "
                                f"such as en or en-US{hint}")

    def _check_job(self, job_element: str, job: etree._Element, company: str) -> None:
        """Value checks the schema cannot make (documented enumerations, publish contexts)."""
        for el in job.iter("{%s}emailSetting" % NS):
            if (el.text or "") not in EMAIL_SETTINGS:
                raise invalid_param(f"Invalid emailSetting '{el.text or ''}': use one of {', '.join(EMAIL_SETTINGS)}")
        for el in job.iter("{%s}publishType" % NS):
            if (el.text or "") not in PUBLISH_TYPES:
                raise invalid_param(f"Invalid publishType '{el.text or ''}': use Full, FullWithSearch or Incremental")
        if job_element == "exportJob":
            fmt = job.findtext("{%s}fmt" % NS) or ""
            if fmt not in ("orig", "convert"):
                raise invalid_param(f"Invalid fmt '{fmt}': use orig or convert")
        contexts = {c.handle: c for c in self.catalog.contexts.get(company, ())}
        for el in job.iter("{%s}contextHandle" % NS):
            handle = (el.text or "").strip()
            want = _CONTEXT_FOR.get(etree.QName(el.getparent()).localname)
            ctx = contexts.get(handle)
            if ctx is None or (want and ctx.type != want):
                raise invalid_param(f"Invalid contextHandle '{handle}' for {want or job_element}")

    def _items(self, job_element: str, fields: dict, company: str) -> list[Item]:
        assets = self.catalog.assets.get(company, [])

        def handles(name: str) -> list[str]:
            array = fields.get(name)
            return list(array.get("items", [])) if isinstance(array, dict) else []

        def from_handles(name: str) -> list[Item]:
            out = []
            for h in handles(name):
                asset = self.catalog.asset(company, h)
                if asset is None:
                    out.append(Item(h, h, None, f"Asset '{h}' not found"))
                else:
                    out.append(Item(asset.name, asset.handle, asset.type))
            return out

        if job_element in ("exportJob", "reprocessAssetsJob", "automatedSetGenerationJob"):
            return from_handles("assetHandleArray")
        if job_element == "ripPdfsJob":
            return from_handles("pdfHandleArray")
        if job_element == "uploadUrlsJob":
            out = []
            urls = fields.get("urlArray")
            for u in (urls.get("items", []) if isinstance(urls, dict) else []):
                src = u.get("sourceUrl", "") if isinstance(u, dict) else ""
                dest = u.get("destPath", "") if isinstance(u, dict) else ""
                name = dest or src.rsplit("/", 1)[-1]
                ok = src.startswith(("http://", "https://", "ftp://"))
                out.append(Item(name, None, "Image", None if ok else f"Cannot fetch '{src}'"))
            return out
        if job_element == "uploadDirectoryJob":
            folder = str(fields.get("serverDir", "")).rstrip("/")
            return [Item(f"{folder}/upload-{i:02d}.jpg", None, "Image") for i in range(1, 7)]
        if job_element == "createVideoSitemapJob":
            return [Item(a.name, a.handle, a.type) for a in assets if a.type == "Video"]
        if job_element == "optimizeImagesJob":
            return [Item(a.name, a.handle, a.type) for a in assets if a.type == "Image"][:3]
        return [Item(a.name, a.handle, a.type) for a in assets]

    # =================================================================================================
    # Following jobs

    def _active_job(self, parent, b: Builder, run: Run, view: RunView) -> None:
        d = run.definition
        item = b.sub(parent, "items")
        b.sub(item, "companyHandle", d.company_handle)
        b.sub(item, "jobHandle", run.handle)
        b.sub(item, "name", run.name)
        b.sub(item, "originalName", d.original_name)
        b.sub(item, "type", d.type)
        b.sub(item, "state", view.state)
        b.sub(item, "submitUserEmail", d.submit_user)
        b.opt(item, "locale", d.locale)
        b.opt(item, "description", d.description)
        b.sub(item, "serverName", SERVER_NAME)
        b.sub(item, "startDate", self._dt(view.start or run.triggered_at))
        b.sub(item, "triggerTime", self._dt(run.triggered_at))
        b.sub(item, "totalSize", len(d.items) * 1_048_576)
        b.sub(item, "progress", view.progress)
        b.sub(item, "progressMessage", view.message)
        b.sub(item, "lastProgressUpdate", self._dt(view.last_update))
        tasks = b.sub(item, "taskProgressArray")
        task = b.sub(tasks, "items")
        b.sub(task, "taskType", _TASK_TYPES.get(d.type, f"com.scene7.sandbox.{d.type}AsyncTaskMonitor"))
        n = len(d.items)
        processing = 1 if view.state == "Running" and view.processed < n else 0
        b.sub(task, "taskState", {"New": "New", "Running": "Processing"}.get(view.state, "Done"))
        b.sub(task, "numProcessed", view.processed)
        b.sub(task, "numProcessing", processing)
        b.sub(task, "numPending", n - view.processed - processing)
        b.sub(task, "progress", round(view.fraction, 4))
        b.sub(task, "progressMessage", view.message)
        b.sub(task, "lastProgressUpdate", self._dt(view.last_update))
        task_items = b.sub(task, "taskItemProgressArray")
        if processing:
            current = d.items[view.processed]
            ti = b.sub(task_items, "items")
            b.sub(ti, "itemName", current.name)
            start = run.item_done_offset(view.processed - 1) if view.processed else 0.5
            span = run.item_done_offset(view.processed) - start
            b.sub(ti, "progress", round(min(1.0, max(0.0, (view.elapsed - start) / span)), 4) if span else 0.0)
            b.sub(ti, "progressMessage", "Paused" if run.paused else f"Processing {current.name}")
            b.sub(ti, "lastProgressUpdate", self._dt(view.last_update))
        b.adopt(item, d.job_xml)

    def op_getActiveJobs(self, req: SoapRequest, user: User, b: Builder) -> etree._Element:
        companies = {c.handle for c in self._companies(req, user, "getActiveJobs")}
        job_handle, original = req.text("jobHandle"), req.text("originalName")
        root = b.root("getActiveJobsReturn")
        array = b.sub(root, "jobArray")
        with self.jobs.lock:
            now = self.jobs.sync()
            for run in list(self.jobs.runs.values()):
                d = run.definition
                if d.company_handle not in companies or run.removed:
                    continue
                if job_handle is not None and job_handle not in (run.handle, d.handle):
                    continue
                if original is not None and original != d.original_name:
                    continue
                view = run.view(now)
                if view.state == "Done" and view.end is not None and (now - view.end).total_seconds() > DONE_LINGER:
                    continue
                self._active_job(array, b, run, view)
        return root

    def op_getScheduledJobs(self, req: SoapRequest, user: User, b: Builder) -> etree._Element:
        companies = {c.handle for c in self._companies(req, user, "getScheduledJobs")}
        job_handle, original = req.text("jobHandle"), req.text("originalName")
        root = b.root("getScheduledJobsReturn")
        array = b.sub(root, "jobArray")
        with self.jobs.lock:
            now = self.jobs.sync()
            for d in self.jobs.scheduled():
                if d.company_handle not in companies:
                    continue
                if job_handle is not None and job_handle != d.handle:
                    continue
                if original is not None and original != d.original_name:
                    continue
                item = b.sub(array, "items")
                b.sub(item, "companyHandle", d.company_handle)
                b.sub(item, "jobHandle", d.handle)
                b.sub(item, "name", d.name)
                b.sub(item, "originalName", d.original_name)
                b.sub(item, "type", d.type)
                b.sub(item, "submitUserEmail", d.submit_user)
                b.opt(item, "locale", d.locale)
                b.opt(item, "description", d.description)
                b.opt(item, "execSchedule", d.schedule_text)
                if d.next_fire is not None:
                    b.sub(item, "nextFireTime", self._dt(d.next_fire))
                b.sub(item, "timeZone", (d.next_fire or now).astimezone(self.zone).tzname())
                b.sub(item, "triggerState", d.trigger_state)
                b.adopt(item, d.job_xml)
        return root

    def _job_log(self, parent, b: Builder, run: Run, view: RunView):
        d = run.definition
        item = b.sub(parent, "items")
        b.sub(item, "companyHandle", d.company_handle)
        b.sub(item, "jobHandle", run.handle)
        b.sub(item, "jobName", run.name)
        b.sub(item, "originalJobName", d.original_name)
        b.sub(item, "submitUserEmail", d.submit_user)
        b.sub(item, "logType", d.type)
        sub_type = ""
        if d.job_element == "imageServingPublishJob" and isinstance(d.fields, dict):
            sub_type = _SUB_TYPES.get(str(d.fields.get("publishType", "")), "")
        b.sub(item, "jobSubType", sub_type)
        b.sub(item, "startDate", self._dt(view.start or run.triggered_at))
        if view.end is not None:
            b.sub(item, "endDate", self._dt(view.end))
        b.sub(item, "description", d.description or "")
        upload = d.type in _UPLOAD_TYPES
        for name, value in (
            ("fileSuccessCount", view.success), ("fileErrorCount", view.errors), ("fileWarningCount", 0),
            ("fileDuplicateCount", 0), ("fileUpdateCount", 0), ("totalFileCount", len(d.items)),
            ("transferSuccessCount", view.success if upload else 0),
            ("transferErrorCount", view.errors if upload else 0), ("transferWarningCount", 0),
        ):
            b.sub(item, name, value)
        b.sub(item, "fatalError", view.fatal)
        return item

    def op_getJobLogs(self, req: SoapRequest, user: User, b: Builder) -> etree._Element:
        companies = {c.handle: c for c in self._companies(req, user, "getJobLogs")}
        user_handle = req.text("userHandle")
        submitter = self.directory.request_user(user, handle=user_handle.strip()).email if user_handle else None
        sort_by = req.text("sortBy") or "StartDate"
        if sort_by not in JOB_LOG_SORT:
            raise invalid_param(f"Invalid sortBy '{sort_by}': use one of {', '.join(JOB_LOG_SORT)}")
        direction = req.text("sortDirection") or "Descending"
        if direction not in SORT_DIRECTIONS:
            raise invalid_param(f"Invalid sortDirection '{direction}': use Ascending or Descending")
        start = parse_datetime(req.text("startDate"), "startDate") if req.text("startDate") is not None else None
        end = parse_datetime(req.text("endDate"), "endDate") if req.text("endDate") is not None else None
        num_rows = req.text("numRows")
        limit = int(num_rows) if num_rows is not None else None
        if limit is not None and limit < 1:
            raise invalid_param(f"Invalid numRows '{num_rows}': give a positive number")
        root = b.root("getJobLogsReturn")
        array = b.sub(root, "jobLogArray")
        with self.jobs.lock:
            now = self.jobs.sync()
            rows = []
            for run in self.jobs.runs.values():
                d = run.definition
                if d.company_handle not in companies or (submitter and d.submit_user != submitter):
                    continue
                if start is not None and run.triggered_at < start or end is not None and run.triggered_at > end:
                    continue
                rows.append((run, run.view(now)))
            keys = {
                "JobName": lambda rv: rv[0].name.lower(),
                "LogType": lambda rv: rv[0].definition.type,
                "StartDate": lambda rv: rv[0].triggered_at,
                "CompanyName": lambda rv: companies[rv[0].definition.company_handle].name.lower(),
                "UserId": lambda rv: rv[0].definition.submit_user.lower(),
                "Email": lambda rv: rv[0].definition.submit_user.lower(),
                "FileErrorCount": lambda rv: rv[1].errors,
                "FileWarningCount": lambda rv: 0,
                "FileSuccessCount": lambda rv: rv[1].success,
            }
            rows.sort(key=lambda rv: rv[0].run_id, reverse=direction == "Descending")
            rows.sort(key=keys[sort_by], reverse=direction == "Descending")
            for run, view in rows[:limit]:
                self._job_log(array, b, run, view)
        return root

    def op_getJobLogDetails(self, req: SoapRequest, user: User, b: Builder) -> etree._Element:
        company = self.directory.check_operation(user, "getJobLogDetails", (req.text("companyHandle") or "").strip())
        job_handle, original = req.text("jobHandle"), req.text("originalName")
        types_el = req.child("logTypeArray")
        log_types = None
        if types_el is not None:
            log_types = {(i.text or "").strip() for i in types_el if isinstance(i.tag, str)}
        per_page = int(req.text("recordsPerPage") or 1000)
        if not 1 <= per_page <= 1000:
            raise invalid_param(f"Invalid recordsPerPage '{per_page}': give 1 to 1000")
        page = int(req.text("resultsPage") or 1)
        if page < 1:
            raise invalid_param(f"Invalid resultsPage '{page}': pages start at 1")
        sort_by = req.text("sortBy") or "Date"
        if sort_by not in ("Date", "LogType"):
            raise invalid_param(f"Invalid sortBy '{sort_by}': use Date or LogType")
        direction = req.text("sortDirection") or "Ascending"
        if direction not in SORT_DIRECTIONS:
            raise invalid_param(f"Invalid sortDirection '{direction}': use Ascending or Descending")
        root = b.root("getJobLogDetailsReturn")
        array = b.sub(root, "jobLogArray")
        with self.jobs.lock:
            now = self.jobs.sync()
            runs = sorted(
                (r for r in self.jobs.runs.values()
                 if r.definition.company_handle == company.handle
                 and (job_handle is None or job_handle in (r.handle, r.definition.handle))
                 and (original is None or original == r.definition.original_name)),
                key=lambda r: r.run_id,
            )
            for run in runs:
                view = run.view(now)
                rows = run.detail_rows(now, view)
                if log_types is not None:
                    rows = [r for r in rows if r.log_type in log_types]
                if sort_by == "LogType":
                    rows.sort(key=lambda r: r.log_type)
                if direction == "Descending":
                    rows.reverse()
                item = self._job_log(array, b, run, view)
                b.sub(item, "detailTotalRows", len(rows))
                details = b.sub(item, "detailArray")
                for row in rows[(page - 1) * per_page: page * per_page]:
                    el = b.sub(details, "items")
                    b.sub(el, "logMessage", row.message)
                    b.sub(el, "logType", row.log_type)
                    b.sub(el, "dateCreated", self._dt(row.date))
                    b.opt(el, "assetName", row.asset_name)
                    b.opt(el, "assetType", row.asset_type)
                    b.opt(el, "assetHandle", row.asset_handle)
        return root

    # -- acting on jobs -------------------------------------------------------------------------------
    def _act(self, req: SoapRequest, user: User, b: Builder, operation: str, action) -> etree._Element:
        company = self.directory.check_operation(user, operation, (req.text("companyHandle") or "").strip())
        handle = (req.text("jobHandle") or "").strip()
        try:
            action(company.handle, handle)
        except UnknownJob:
            raise invalid_param(f"Job handle '{handle}' not found in company '{company.name}'") from None
        except NotActive:
            raise invalid_param(f"Job '{handle}' is not active") from None
        return b.root(operation + "Return")

    def op_stopJob(self, req, user, b):
        return self._act(req, user, b, "stopJob", self.jobs.stop)

    def op_pauseJob(self, req, user, b):
        return self._act(req, user, b, "pauseJob", self.jobs.pause)

    def op_resumeJob(self, req, user, b):
        return self._act(req, user, b, "resumeJob", self.jobs.resume)

    def op_deleteJob(self, req, user, b):
        return self._act(req, user, b, "deleteJob", self.jobs.delete)

    def op_executeJob(self, req, user, b):
        return self._act(req, user, b, "executeJob", self.jobs.execute)

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
