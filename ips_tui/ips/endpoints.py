"""Adobe's IPS hosts per region (fact sheet ``ips-api.md`` §1.4).

The SOAP service lives at ``<api base>services/IpsApiService``; the UploadFile servlet has hosts of
its own. "Staging" is Adobe's pre-production environment; there is no public "test" host.
"""

from __future__ import annotations

from dataclasses import dataclass

from ips_tui.i18n import N_

SERVICE_PATH = "services/IpsApiService"


@dataclass(frozen=True)
class Endpoint:
    api_base: str  # ends with "/scene7/"
    upload_url: str  # the UploadFile servlet

    @property
    def service_url(self) -> str:
        return self.api_base + SERVICE_PATH


def _hosts(n: int) -> dict[str, Endpoint]:
    return {
        "production": Endpoint(
            f"https://s7sps{n}apissl.scene7.com/scene7/", f"https://s7sps{n}ssl.scene7.com/scene7/UploadFile"
        ),
        "staging": Endpoint(
            f"https://s7sps{n}apissl-staging.scene7.com/scene7/",
            f"https://s7sps{n}ssl-staging.scene7.com/scene7/UploadFile",
        ),
    }


#: region -> {"production" | "staging" -> Endpoint}
ENDPOINTS: dict[str, dict[str, Endpoint]] = {
    "na": _hosts(1),
    "emea": _hosts(3),
    "apac": _hosts(5),
}

#: region -> its name as shown (translate with ``_`` where shown)
REGION_NAMES: dict[str, str] = {
    "na": N_("North America"),
    "emea": N_("Europe, Middle East, Asia"),
    "apac": N_("Japan / Asia-Pacific"),
}

REGIONS: tuple[str, ...] = tuple(ENDPOINTS)
