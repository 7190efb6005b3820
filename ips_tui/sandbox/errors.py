"""The SOAP faults the sandbox answers with, as exceptions (no lxml: the user directory raises them too, and it
is built before any request arrives). Fault texts are service text: English, like the real service's."""

from __future__ import annotations

FAULT_KINDS = ("ipsApiFault", "authenticationFault", "authorizationFault")
FAULT_STRINGS = {
    "ipsApiFault": "ipsApiFault",
    "authenticationFault": "AuthenticationException",
    "authorizationFault": "AuthorizationException",
}


class SoapFault(Exception):
    """A SOAP fault to send back: the detail element name, its code and reason."""

    def __init__(self, kind: str, code: int, reason: str):
        assert kind in FAULT_KINDS, kind
        super().__init__(f"{kind} {code}: {reason}")
        self.kind = kind
        self.code = code
        self.reason = reason

    @property
    def faultcode(self) -> str:
        return "soapenv:Server" if self.kind == "ipsApiFault" else "soapenv:Client"


def api_fault(code: int, reason: str) -> SoapFault:
    return SoapFault("ipsApiFault", code, reason)


def invalid_xml(reason: str) -> SoapFault:
    return SoapFault("ipsApiFault", 30003, reason)


def invalid_param(reason: str) -> SoapFault:
    return SoapFault("ipsApiFault", 30001, reason)


def missing_param(reason: str) -> SoapFault:
    return SoapFault("ipsApiFault", 30002, reason)
