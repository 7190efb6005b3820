"""Adobe's IPS hosts per region (fact sheet ``ips-api.md`` §1.4).

The SOAP service lives at ``<api base>services/IpsApiService``; the UploadFile servlet has hosts of
its own. "Staging" is Adobe's pre-production environment; there is no public "test" host.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

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

#: region -> the IANA zone its IPS servers keep their clocks in (schedules are read in it); getScheduledJobs
#: names it by abbreviation (``PST`` on the North American hosts, fact sheet §4.1, §6)
REGION_ZONES: dict[str, str] = {
    "na": "America/Los_Angeles",
    "emea": "Europe/London",
    "apac": "Asia/Tokyo",
}


def region_of(url: str | None) -> tuple[str, str] | None:
    """(region, "production" | "staging") when ``url`` is on one of Adobe's API hosts, whatever its path
    (a profile's custom URL may be Adobe's host); None for any other host."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return None
    for region, per_env in ENDPOINTS.items():
        for env, endpoint in per_env.items():
            if urlsplit(endpoint.api_base).hostname == host:
                return region, env
    return None
