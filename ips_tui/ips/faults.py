"""Errors of the IPS client: one hierarchy, each with a message a person can act on.

Every error has ``.kind`` (a stable machine word for scripts, the journal and tests), ``.code``
(the IPS fault code, or ``None``), ``.message`` (translated text; ``str(e) == e.message``) and
``.exit_code`` for the headless CLI:

* 2 — invalid input (caught before anything was sent): :class:`InvalidInput`, :class:`OfflineError`
* 3 — the service answered with a SOAP fault: :class:`ServiceFault` and its three subclasses
* 4 — the answer never came or could not be read: :class:`TransportError` and its subclasses

``maybe_processed`` says whether the service may have acted on the request although we got no
usable answer (a timeout after sending, a dropped connection, a cut-off reply, a gateway error).
After a ``submitJob`` that is the difference between "submit again" and "look at the job list
first, or you may run the job twice".

Nothing here imports zeep, requests, Textual or Rich: this module is cheap to import anywhere.
"""

from __future__ import annotations

from ips_tui.i18n import _

# Fault element names (detail children, namespace http://www.scene7.com/IpsApi/xsd) -> kind.
FAULT_KINDS = {
    "authenticationFault": "authentication",
    "authorizationFault": "authorization",
    "ipsApiFault": "api",
}

#: ips-api.md §5.2: code -> (fault element, constant name). Constant names are for logs and docs.
FAULT_CODES: dict[int, tuple[str, str]] = {
    10000: ("authenticationFault", "AUTHENTICATION_FAULT_CODE_NO_CREDENTIALS"),
    10001: ("authenticationFault", "AUTHENTICATION_FAULT_CODE_INVALID_CREDENTIALS"),
    10002: ("authenticationFault", "AUTHENTICATION_FAULT_CODE_INVALID_USER"),
    20000: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_INVALID_COMPANY"),
    20001: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_INVALID_REQUEST_USERNAME"),
    20002: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_INVALID_REQUEST_USER"),
    20003: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_NO_OPERATION_PERMISSION"),
    20004: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_NO_IMPERSONATION_PERMISSION"),
    20005: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_ILLEGAL_PARAMETER_VALUE"),
    20006: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_ILLEGAL_COMPANY"),
    20007: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_ILLEGAL_REQUEST_USER"),
    20008: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_ILLEGAL_ACCESS_GROUP"),
    20009: ("authorizationFault", "AUTHORIZATION_FAULT_CODE_MISSING_PERMISSION"),
    30000: ("ipsApiFault", "IPS_API_FAULT_CODE_EXCEPTION"),
    30001: ("ipsApiFault", "IPS_API_FAULT_CODE_INVALID_PARAMETER"),
    30002: ("ipsApiFault", "IPS_API_FAULT_CODE_MISSING_PARAMETER"),
    30003: ("ipsApiFault", "IPS_API_FAULT_CODE_INVALID_REQUEST_XML"),
}


class IpsError(Exception):
    """Base of every error the IPS client raises."""

    kind = "error"
    exit_code = 4
    maybe_processed = False

    def __init__(self, message: str, *, code: int | None = None, detail: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        #: technical detail for a "details" pane or a bug report (never contains a password)
        self.detail = detail

    def __str__(self) -> str:
        return self.message


# --- invalid input (exit 2) -------------------------------------------------------------------


class InvalidInput(IpsError, ValueError):
    """The request could not be built (a naive datetime, an unknown field, a missing value)."""

    kind = "invalid"
    exit_code = 2


class OfflineError(IpsError):
    """The client has no service URL (dry-run only) but was asked to call the service."""

    kind = "offline"
    exit_code = 2


# --- service faults (exit 3) ------------------------------------------------------------------


class ServiceFault(IpsError):
    """The service answered with a SOAP fault. Recognised by the detail element and its code."""

    kind = "service"
    exit_code = 3
    fault = ""

    def __init__(
        self,
        message: str,
        *,
        code: int | None,
        reason: str = "",
        fault: str | None = None,
        operation: str | None = None,
        faultstring: str | None = None,
    ):
        super().__init__(message, code=code, detail=reason or faultstring)
        self.reason = reason
        if fault:
            self.fault = fault
        self.operation = operation
        self.faultstring = faultstring

    @property
    def constant(self) -> str | None:
        """The constant's name from Adobe's docs (e.g. AUTHENTICATION_FAULT_CODE_INVALID_CREDENTIALS)."""
        entry = FAULT_CODES.get(self.code) if self.code is not None else None
        return entry[1] if entry and entry[0] == self.fault else None


class AuthenticationFault(ServiceFault):
    kind = "authentication"
    fault = "authenticationFault"


class AuthorizationFault(ServiceFault):
    kind = "authorization"
    fault = "authorizationFault"


class ApiFault(ServiceFault):
    kind = "api"
    fault = "ipsApiFault"


FAULT_CLASSES: dict[str, type[ServiceFault]] = {
    "authenticationFault": AuthenticationFault,
    "authorizationFault": AuthorizationFault,
    "ipsApiFault": ApiFault,
}


# --- transport errors (exit 4) ----------------------------------------------------------------


class TransportError(IpsError):
    """No usable answer: network, TLS, timeout, HTTP error page or a reply we cannot read."""

    kind = "transport"
    exit_code = 4

    def __init__(
        self,
        message: str,
        *,
        host: str | None = None,
        maybe_processed: bool = False,
        detail: str | None = None,
    ):
        super().__init__(message, detail=detail)
        self.host = host
        self.maybe_processed = maybe_processed


class HttpError(TransportError):
    """An HTTP error (or an HTML page) without a SOAP fault, typically from a gateway or proxy."""

    kind = "http"

    def __init__(self, message: str, *, status: int, content_type: str | None = None, **kw):
        super().__init__(message, **kw)
        self.status = status
        self.content_type = content_type


class MalformedReply(TransportError):
    """A reply that is not XML, is cut off, is not a SOAP envelope or does not match the schema."""

    kind = "malformed"


class RequestTimeout(TransportError):
    """No connection or no reply within the time allowed."""

    kind = "timeout"


class ConnectionFailed(TransportError):
    """Refused, unknown host, reset or dropped connection."""

    kind = "connection"


class TlsError(TransportError):
    """The server's certificate could not be verified, or the TLS handshake failed."""

    kind = "tls"


class ReplyTooLarge(TransportError):
    """The reply passed a size limit (on the wire or once unpacked); ``limit`` names the setting."""

    kind = "too_large"

    def __init__(self, message: str, *, limit: str, limit_bytes: int, **kw):
        super().__init__(message, **kw)
        self.limit = limit
        self.limit_bytes = limit_bytes


# --- fault messages ---------------------------------------------------------------------------


def _with_reason(text: str, reason: str) -> str:
    from ips_tui.safe_text import visible

    reason = visible((reason or "").strip())  # the service's text: no terminal control, one line
    if not reason:
        return text
    return _("{message} The service said: “{reason}”").format(message=text, reason=reason)


def fault_message(
    fault: str,
    code: int | None,
    reason: str,
    *,
    user: str | None = None,
    company: str | None = None,
    operation: str | None = None,
) -> str:
    """The message for a SOAP fault: what went wrong in words, the code, and what to do next.

    ``fault`` is the detail element's name; ``reason`` is the server's text (shown where it adds
    something: which parameter, which permission); ``user``/``company``/``operation`` fill in the
    sentence when known.
    """
    who = user or _("This user")  # at the start of a sentence
    whom = user or _("this user")  # inside a sentence
    op = operation or _("this operation")
    co = company or _("the chosen company")
    key = (fault, code)

    # authenticationFault
    if key == ("authenticationFault", 10000):
        return _(
            "No credentials were sent (code 10000): give the profile a user e-mail and a password, then try again."
        )
    if key == ("authenticationFault", 10001):
        return _(
            "Wrong password for {user} (code 10001): check the password (it may have been changed or have expired "
            "in Dynamic Media Classic) and try again."
        ).format(user=whom)
    if key == ("authenticationFault", 10002):
        return _(
            "{user} is not a valid IPS user (code 10002): check the e-mail address in the profile, or ask a company "
            "administrator whether the account still exists and is active."
        ).format(user=who)

    # authorizationFault
    if key == ("authorizationFault", 20000):
        return _(
            "The company {company} is not known to the service (code 20000): choose the company again from your "
            "company list (handles can change between sessions)."
        ).format(company=co)
    if key == ("authorizationFault", 20001):
        return _with_reason(
            _(
                "The user e-mail given in the request is not valid (code 20001): check the e-mail address you "
                "entered for the request."
            ),
            reason,
        )
    if key == ("authorizationFault", 20002):
        return _with_reason(
            _(
                "The user handle given in the request is not valid (code 20002): choose the user again, or leave "
                "the user field empty to act as yourself."
            ),
            reason,
        )
    if key == ("authorizationFault", 20003):
        return _(
            "{user} may not call {operation}: its role does not allow it (code 20003). Ask a company administrator "
            "for a role that does, or use another profile."
        ).format(user=who, operation=op)
    if key == ("authorizationFault", 20004):
        return _(
            "{user} may not act on behalf of another user (code 20004): leave the user handle empty to submit as "
            "yourself, or ask an administrator for that permission."
        ).format(user=who)
    if key == ("authorizationFault", 20005):
        return _with_reason(
            _("{user} may not use one of the values in this request (code 20005): change the value named below.").format(
                user=who
            ),
            reason,
        )
    if key == ("authorizationFault", 20006):
        return _(
            "{user} is not a member of the company {company} (code 20006): choose one of your own companies, or ask "
            "to be added to this one."
        ).format(user=who, company=co)
    if key == ("authorizationFault", 20007):
        return _with_reason(
            _(
                "{user} may not act on the user named in the request (code 20007): that user belongs to another "
                "company or is outside your rights."
            ).format(user=who),
            reason,
        )
    if key == ("authorizationFault", 20008):
        return _with_reason(
            _(
                "{user} may not use the access group named in the request (code 20008): choose a group you belong "
                "to, or ask an administrator."
            ).format(user=who),
            reason,
        )
    if key == ("authorizationFault", 20009):
        return _with_reason(
            _(
                "{user} lacks a permission that {operation} needs (code 20009): ask a company administrator to grant "
                "it."
            ).format(user=who, operation=op),
            reason,
        )

    # ipsApiFault
    if key == ("ipsApiFault", 30000):
        return _with_reason(
            _("The service could not carry out {operation} (code 30000).").format(operation=op), reason
        )
    if key == ("ipsApiFault", 30001):
        return _with_reason(
            _("The service rejected a value in the {operation} request (code 30001): correct it and try again.").format(
                operation=op
            ),
            reason,
        )
    if key == ("ipsApiFault", 30002):
        return _with_reason(
            _("A value the service requires is missing from the {operation} request (code 30002): fill it in.").format(
                operation=op
            ),
            reason,
        )
    if key == ("ipsApiFault", 30003):
        return _with_reason(
            _(
                "The service could not read the {operation} request (code 30003): this is a bug in ips-tui or an "
                "API version mismatch; please report it with the dry-run envelope."
            ).format(operation=op),
            reason,
        )

    # A code we do not know (a newer server), or a fault without a recognised detail.
    label = {
        "authenticationFault": _("an authentication fault"),
        "authorizationFault": _("an authorization fault"),
        "ipsApiFault": _("an API fault"),
    }.get(fault, _("a fault"))
    if code is None:
        text = _("The service refused {operation} with {fault}.").format(operation=op, fault=label)
    else:
        text = _("The service refused {operation} with {fault} (code {code}).").format(
            operation=op, fault=label, code=code
        )
    return _with_reason(text, reason or _("(no reason given)"))


def service_fault(
    fault: str | None,
    code: int | None,
    reason: str | None,
    *,
    user: str | None = None,
    company: str | None = None,
    operation: str | None = None,
    faultstring: str | None = None,
) -> ServiceFault:
    """The ServiceFault subclass for a fault element (``None`` or unknown element: ApiFault)."""
    element = fault if fault in FAULT_CLASSES else "ipsApiFault"
    cls = FAULT_CLASSES[element]
    reason = reason if reason is not None else (faultstring or "")
    if fault not in FAULT_CLASSES:
        code = None  # the code of an unknown detail element means nothing to us
    message = fault_message(element, code, reason, user=user, company=company, operation=operation)
    return cls(message, code=code, reason=reason, fault=element, operation=operation, faultstring=faultstring)
