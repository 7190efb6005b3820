"""The sandbox's operations that follow and act on jobs: active, scheduled, logs and their details; stop,
pause, resume, delete, execute (a mixin of :class:`ips_tui.sandbox.service.Service`)."""

from __future__ import annotations

from lxml import etree

from ips_tui.sandbox.auth import User
from ips_tui.sandbox.jobs import DONE_LINGER, SERVER_NAME, _TASK_TYPES, NotActive, Run, RunView, UnknownJob
from ips_tui.sandbox.soap import Builder, SoapRequest, invalid_param, parse_datetime


JOB_LOG_SORT = ("JobName", "LogType", "StartDate", "CompanyName", "UserId", "Email", "FileErrorCount",
                "FileWarningCount", "FileSuccessCount")
SORT_DIRECTIONS = ("Ascending", "Descending")
_UPLOAD_TYPES = ("UrlUpload", "UploadFromServerDirectory")
_SUB_TYPES = {"Full": "full", "Incremental": "increment", "Increment": "increment",
              "FullWithSearch": "fullwithsearch", "FullOverride": "fulloverride"}


class JobOps:
    """The op_* handlers that follow jobs and act on them (mixed into Service)."""

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
