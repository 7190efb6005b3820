"""Job listings read lean: getActiveJobs, getScheduledJobs and getJobLogs without zeep.

A listing of thousands of jobs is mostly each job's echoed request (its job-detail element) and task
progress, which no list shows. Here only an item's own simple fields are read (names, handles, state,
progress, dates, counts); nested elements are skipped unread. A job's full record, its request included,
is fetched when it is opened (:func:`ips_tui.follow.jobs.job_detail`, through the full client).

Values come out as the full client gives them: ``int`` for counts and progress, ``bool`` for flags,
``datetime`` (with its offset) for dates, ``str`` otherwise. Envelopes follow our WSDL's element order (tests
validate them against Adobe's schema); faults become the same typed errors as the full client's.
"""

from __future__ import annotations

from datetime import datetime, timezone

from lxml import etree

from ips_tui import APP_NAME, __version__
from ips_tui.i18n import _
from ips_tui.ips.faults import MalformedReply, service_fault
from ips_tui.ips.schema import NS, NS_UNVERSIONED, SOAP_ENV, safe_parser

#: operation -> its parameters in schema order, and the reply's array element
OPERATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "getActiveJobs": (("companyHandle", "jobHandle", "originalName", "includeWaitingJobs"), "jobArray"),
    "getScheduledJobs": (("companyHandle", "jobHandle", "originalName"), "jobArray"),
    "getJobLogs": (("companyHandle", "userHandle", "sortBy", "sortDirection", "startDate", "endDate", "numRows"),
                   "jobLogArray"),
}

#: the simple fields an item of each listing carries (W14 order); every one is present in a parsed item (None
#: when the reply leaves it out), nested ones (taskProgressArray, the job-detail element, detailArray) never
FIELDS: dict[str, tuple[str, ...]] = {
    "getActiveJobs": ("companyHandle", "jobHandle", "name", "originalName", "type", "state", "submitUserEmail",
                      "locale", "description", "serverName", "startDate", "triggerTime", "totalSize", "progress",
                      "progressMessage", "lastProgressUpdate"),
    "getScheduledJobs": ("companyHandle", "jobHandle", "name", "originalName", "type", "submitUserEmail", "locale",
                         "description", "execSchedule", "nextFireTime", "timeZone", "triggerState"),
    "getJobLogs": ("companyHandle", "jobHandle", "jobName", "originalJobName", "submitUserEmail", "logType",
                   "jobSubType", "startDate", "endDate", "description", "fileSuccessCount", "fileErrorCount",
                   "fileWarningCount", "fileDuplicateCount", "fileUpdateCount", "totalFileCount",
                   "transferSuccessCount", "transferErrorCount", "transferWarningCount", "fatalError",
                   "detailTotalRows"),
}

_INTS = frozenset({"totalSize", "progress", "fileSuccessCount", "fileErrorCount", "fileWarningCount",
                   "fileDuplicateCount", "fileUpdateCount", "totalFileCount", "transferSuccessCount",
                   "transferErrorCount", "transferWarningCount", "detailTotalRows"})
_BOOLS = frozenset({"fatalError"})
_DATES = frozenset({"startDate", "endDate", "triggerTime", "lastProgressUpdate", "nextFireTime"})

_NSP = "{%s}" % NS
#: where the authHeader goes, per mode (as the full client: ips/client.py)
_HEADER_NS = {"documented": NS_UNVERSIONED, "dated": NS}


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a date without a zone")
        return value.isoformat()
    return str(value)


def envelope(operation: str, params: dict, *, user: str | None, password: str | None,
             locale: str | None = None, auth_header: str = "documented") -> bytes:
    """The SOAP 1.1 envelope of a listing call (the password in it: never log or keep it)."""
    order, _array = OPERATIONS[operation]
    unknown = set(params) - set(order)
    if unknown:
        raise ValueError(f"{operation} has no parameter {', '.join(sorted(unknown))}")
    root = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap-env": SOAP_ENV})
    header = etree.SubElement(root, f"{{{SOAP_ENV}}}Header")
    ns = _HEADER_NS[auth_header]
    auth = etree.SubElement(header, f"{{{ns}}}authHeader", nsmap={"ns0": ns})
    for name, value in (("user", user), ("password", password), ("locale", locale), ("appName", APP_NAME),
                        ("appVersion", __version__)):
        if value is not None:
            etree.SubElement(auth, f"{{{ns}}}{name}").text = value
    body = etree.SubElement(root, f"{{{SOAP_ENV}}}Body")
    param = etree.SubElement(body, f"{_NSP}{operation}Param", nsmap={"ns1": NS})
    for name in order:
        value = params.get(name)
        if value is not None:
            etree.SubElement(param, f"{_NSP}{name}").text = _text(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _date(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip())
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _bool(text: str) -> bool:
    return text.strip() in ("true", "1")


_CONVERT = {**{n: int for n in _INTS}, **{n: _bool for n in _BOOLS}, **{n: _date for n in _DATES}}


def parse_items(root: etree._Element, operation: str, url: str | None = None) -> list[dict]:
    """The items of a listing reply's array, each with its simple fields only (nested elements skipped)."""
    _order, array_name = OPERATIONS[operation]
    body = root.find(f"{{{SOAP_ENV}}}Body")
    reply = body[0] if body is not None and len(body) else None
    if reply is None or reply.tag != f"{_NSP}{operation}Return":
        raise MalformedReply(_("The reply does not hold the list that was expected."), maybe_processed=False)
    array = reply.find(f"{_NSP}{array_name}")
    if array is None:
        raise MalformedReply(_("The reply does not hold the list that was expected."), maybe_processed=False)
    fields = FIELDS[operation]
    # full tag -> (field, converter or None): one dict look-up per child; nested elements (task progress,
    # the echoed request, detail rows) are not in it and are passed over unread
    table = {f"{_NSP}{name}": (name, _CONVERT.get(name)) for name in fields}
    out = []
    name = text = None
    try:
        for item in array.iterchildren(f"{_NSP}items"):
            record = dict.fromkeys(fields)
            for child in item:
                found = table.get(child.tag)
                if found is not None:
                    name, convert = found
                    text = child.text
                    record[name] = convert(text) if convert is not None and text is not None else text
            out.append(record)
    except ValueError:
        from ips_tui.ips.zeep_errors import _bad_value  # the full client's words for the same reply

        raise _bad_value(operation, [f"{name}: {text!r}"], url) from None
    return out


def read_reply(response, operation: str, url: str, *, user: str | None, company: str | None) -> list[dict]:
    """A listing reply: its items, or the typed error (a SOAP fault, an HTTP error page, a broken reply)."""
    root = None
    try:
        root = etree.fromstring(response.content, safe_parser()) if response.content.strip() else None
    except etree.XMLSyntaxError:
        root = None
    if root is None or root.getroottree().docinfo.doctype or root.tag != f"{{{SOAP_ENV}}}Envelope" \
            or (response.status_code != 200 and root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault") is None):
        from ips_tui.ips.transport import check_reply  # the full transport's judgement, only when it is needed

        check_reply(response, url)
        raise MalformedReply(_("The reply does not hold the list that was expected."), maybe_processed=False)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    if fault is not None:
        from ips_tui.ips.client import _fault_detail

        element, code, reason = _fault_detail(fault.find("detail"))
        raise service_fault(element, code, reason, user=user, company=company, operation=operation,
                            faultstring=fault.findtext("faultstring"))
    return parse_items(root, operation, url)


class Lister:
    """The three listing calls for one account, over one keep-alive connection; not for concurrent use."""

    lean = True  # its items carry simple fields only (see FIELDS)

    def __init__(self, url: str, user: str | None, password: str | None, *, locale: str | None = None,
                 cacert: str | None = None, verify: bool = True, timeout: float = 30.0,
                 connect_timeout: float = 10.0, auth_header: str | None = None, adapt_auth_header: bool = True,
                 on_auth_header=None, max_reply: int | None = None, max_inflated: int | None = None):
        from ips_tui.ips.client import _Secret  # the password as the full client keeps it: masked in any repr
        from ips_tui.ips.lean_http import LeanHttp

        self.url, self.user, self.locale = url, user, locale
        self._password = _Secret(password)
        # the authHeader as the full client places and learns it (IpsClient's options, store/profile_client.py)
        self.auth_header = auth_header or "documented"
        self.adapt_auth_header, self.on_auth_header = adapt_auth_header, on_auth_header
        self._http = LeanHttp(url, cacert=cacert, verify=verify, timeout=timeout, connect_timeout=connect_timeout,
                              max_reply=max_reply, max_inflated=max_inflated)

    def __repr__(self) -> str:
        return f"Lister(url={self.url!r}, user={self.user!r})"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def call(self, operation: str, params: dict) -> list[dict]:
        from ips_tui.ips.faults import AuthenticationFault

        try:
            return self._call(operation, params, self.auth_header)
        except AuthenticationFault as error:
            if not (self.adapt_auth_header and error.code == 10000):
                raise
            # No credentials seen: the service may read the header only in the other namespace (a listing
            # changes nothing, so asking again is safe); the full client does the same and says more.
            other = "dated" if self.auth_header == "documented" else "documented"
            items = self._call(operation, params, other)
            self.auth_header = other
            if self.on_auth_header is not None:
                try:
                    self.on_auth_header(other)
                except Exception:  # remembering is a courtesy; the answer comes first
                    pass
            return items

    def _call(self, operation: str, params: dict, mode: str) -> list[dict]:
        body = envelope(operation, params, user=self.user, password=self._password.get(), locale=self.locale,
                        auth_header=mode)
        try:
            response = self._http.post(body, operation)
        finally:
            body = None  # an error's traceback keeps this frame: not the envelope with the password
        return read_reply(response, operation, self.url, user=self.user, company=params.get("companyHandle"))

    # The full client's names and signatures, so follow.jobs.fetch() takes either.
    def get_active_jobs(self, company: str | None) -> list[dict]:
        return self.call("getActiveJobs", {"companyHandle": company})

    def get_scheduled_jobs(self, company: str | None) -> list[dict]:
        return self.call("getScheduledJobs", {"companyHandle": company})

    def get_job_logs(self, company: str | None, *, sort_by: str | None = None, sort_direction: str | None = None,
                     num_rows: int | None = None) -> list[dict]:
        return self.call("getJobLogs", {"companyHandle": company, "sortBy": sort_by,
                                        "sortDirection": sort_direction, "numRows": num_rows})

    def close(self) -> None:
        from ips_tui.ips.client import _Secret

        self._http.close()
        self._password = _Secret(None)
