"""The IPS operations ips-tui calls, as methods named for them: each sends its SOAP operation with the
parameters in the schema's names (:class:`~ips_tui.ips.client.IpsClient` does the sending, ``_call``) and
returns the reply's list or value unwrapped (:mod:`ips_tui.ips.values`)."""

from __future__ import annotations

from ips_tui.i18n import _
from ips_tui.ips.faults import InvalidInput, MalformedReply
from ips_tui.ips.values import items, single


class Operations:
    """Mixin of :class:`~ips_tui.ips.client.IpsClient` (needs ``_call(operation, params)``)."""

    def submit_job(self, payload: dict) -> str:
        """Submit a job; returns its jobHandle. ``payload``: submitJobParam in schema names."""
        if not isinstance(payload, dict):
            raise InvalidInput(_("The job request must be a mapping of submitJob fields."))
        handle = single(self._call("submitJob", payload), "jobHandle")
        if not isinstance(handle, str) or not handle:
            raise MalformedReply(
                _("The service accepted the job but sent no job handle; check the job list."),
                maybe_processed=True,
            )
        return handle

    def get_active_jobs(self, company_handle=None, job_handle=None, original_name=None, *, include_waiting_jobs=None):
        return items(
            self._call(
                "getActiveJobs",
                {
                    "companyHandle": company_handle,
                    "jobHandle": job_handle,
                    "originalName": original_name,
                    "includeWaitingJobs": include_waiting_jobs,
                },
            )
        )

    def get_scheduled_jobs(self, company_handle=None, job_handle=None, original_name=None) -> list[dict]:
        return items(
            self._call(
                "getScheduledJobs",
                {"companyHandle": company_handle, "jobHandle": job_handle, "originalName": original_name},
            )
        )

    def get_job_logs(
        self,
        company_handle=None,
        *,
        user_handle=None,
        sort_by=None,
        sort_direction=None,
        start_date=None,
        end_date=None,
        num_rows=None,
    ) -> list[dict]:
        return items(
            self._call(
                "getJobLogs",
                {
                    "companyHandle": company_handle,
                    "userHandle": user_handle,
                    "sortBy": sort_by,
                    "sortDirection": sort_direction,
                    "startDate": start_date,
                    "endDate": end_date,
                    "numRows": num_rows,
                },
            )
        )

    def get_job_log_details(
        self,
        company_handle,
        *,
        job_handle=None,
        original_name=None,
        log_types=None,
        records_per_page=None,
        results_page=None,
        sort_by=None,
        sort_direction=None,
    ) -> list[dict]:
        return items(
            self._call(
                "getJobLogDetails",
                {
                    "companyHandle": company_handle,
                    "jobHandle": job_handle,
                    "originalName": original_name,
                    "logTypeArray": {"items": list(log_types)} if log_types else None,
                    "recordsPerPage": records_per_page,
                    "resultsPage": results_page,
                    "sortBy": sort_by,
                    "sortDirection": sort_direction,
                },
            )
        )

    def _job_action(self, operation: str, company_handle, job_handle) -> None:
        self._call(operation, {"companyHandle": company_handle, "jobHandle": job_handle})

    def stop_job(self, company_handle, job_handle) -> None:
        self._job_action("stopJob", company_handle, job_handle)

    def pause_job(self, company_handle, job_handle) -> None:
        self._job_action("pauseJob", company_handle, job_handle)

    def resume_job(self, company_handle, job_handle) -> None:
        self._job_action("resumeJob", company_handle, job_handle)

    def delete_job(self, company_handle, job_handle) -> None:
        self._job_action("deleteJob", company_handle, job_handle)

    def execute_job(self, company_handle, job_handle) -> None:
        self._job_action("executeJob", company_handle, job_handle)

    def get_company_membership(self, user_handle=None) -> list[dict]:
        """[{company: {companyHandle, name, rootPath, ...}, role, isActive}]"""
        return items(self._call("getCompanyMembership", {"userHandle": user_handle}))

    def get_company_info(self, *, company_handle=None, company_name=None) -> dict:
        return single(
            self._call("getCompanyInfo", {"companyHandle": company_handle, "companyName": company_name}),
            "companyInfo",
        )

    def get_user_info(self, *, user_handle=None, email=None) -> dict:
        return single(self._call("getUserInfo", {"userHandle": user_handle, "email": email}), "userInfo")

    def check_login(self, email, password, company_handle=None) -> bool:
        """True if ``email``/``password`` is a valid login (status ValidLogin)."""
        status = single(
            self._call("checkLogin", {"companyHandle": company_handle, "email": email, "password": password}),
            "status",
        )
        return status == "ValidLogin"

    def get_publish_contexts(self, company_handle, context_type=None) -> list[dict]:
        return items(
            self._call("getPublishContexts", {"companyHandle": company_handle, "contextType": context_type})
        )
