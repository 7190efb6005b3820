"""The sandbox's ``submitJob``: the checks the schema cannot make, the job stored, its items (a mixin of
:class:`ips_tui.sandbox.service.Service`, which holds ``directory``, ``catalog``, ``jobs`` and ``zone``)."""

from __future__ import annotations

from lxml import etree

from ips_tui.ips.catalog_text import MAX_LENGTH
from ips_tui.ips.schema import NS
from ips_tui.job.java_text import java_length
from ips_tui.job.locales import check_locale
from ips_tui.sandbox.auth import User, authz_fault
from ips_tui.sandbox.jobs import JOB_TYPES, InvalidSchedule, Item, JobDef, compile_schedule
from ips_tui.sandbox.soap import (
    Builder, SoapRequest, canonical, invalid_param, missing_param, parse_datetime, to_data,
)


EMAIL_SETTINGS = ("All", "Error", "ErrorAndWarning", "JobCompletion", "None")
PUBLISH_TYPES = ("Full", "FullWithSearch", "Incremental", "Increment", "FullOverride")
_CONTEXT_FOR = {
    "imageServingPublishJob": "ImageServing", "postImageServingPublishJob": "ImageServing",
    "imageRenderingPublishJob": "ImageRendering", "postImageRenderingPublishJob": "ImageRendering",
    "videoPublishJob": "Video", "postVideoPublishJob": "Video",
}


class SubmitOps:
    """``op_submitJob`` and its checks (mixed into Service)."""

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
