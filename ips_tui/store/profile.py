"""One connection profile: which IPS account, where, and the defaults for its jobs, with the rules a
profile must meet before it is used or saved. The file that keeps them is :mod:`ips_tui.store.profiles`."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ips_tui.i18n import _
from ips_tui.ips.endpoints import ENDPOINTS, REGIONS, Endpoint
from ips_tui.store.profile_errors import Problem, ProfileError, SecretInProfileError

#: submitJob emailSetting values
EMAIL_SETTINGS: tuple[str, ...] = ("All", "Error", "ErrorAndWarning", "JobCompletion", "None")

#: the IPS server's time zone per region (schedules are read in it); editable per profile
DEFAULT_TIMEZONES: dict[str, str] = {
    "na": "America/Los_Angeles",
    "emea": "Europe/London",
    "apac": "Asia/Tokyo",
}
CUSTOM_TIMEZONE = "UTC"  # for a custom URL, until the user says otherwise

ENVIRONMENTS = ("production", "staging", "custom", "sandbox")

_NAME = re.compile(r"\w[\w.@+\- ]{0,63}")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_URL = re.compile(r"https?://[^/\s:]+(:\d+)?(/\S*)?", re.IGNORECASE)
#: keys a profile table may hold in the file, with their TOML type
_FILE_KEYS: dict[str, type] = {
    "user": str,
    "region": str,
    "staging": bool,
    "url": str,
    "timezone": str,
    "locale": str,
    "email_setting": str,
    "default_company": str,
    "password_env": str,
    "cacert": str,
    "auth_header": str,
    "max_reply_mib": int,
    "max_inflated_mib": int,
    "companies": dict,
}
AUTH_HEADERS = ("documented", "dated")
#: bounds of the reply limits a profile may set, in MiB
LIMIT_RANGE = (1, 1024)
_SECRET_KEYS = frozenset({"password", "passwd", "pwd", "secret", "token"})

# --- the profile -------------------------------------------------------------------------------


@dataclass(slots=True)
class Profile:
    """One IPS account. There is deliberately no password attribute."""

    name: str
    user: str = ""
    region: str | None = None  # "na" | "emea" | "apac"; None with a custom url
    staging: bool = False
    url: str | None = None  # a custom service URL instead of a region
    timezone: str | None = None  # IANA name of the server's zone; defaults per region
    locale: str | None = None  # default job locale, e.g. "en-US"
    email_setting: str | None = None  # default emailSetting, one of EMAIL_SETTINGS
    companies: dict[str, str] = field(default_factory=dict)  # name -> company handle
    default_company: str | None = None
    password_env: str | None = None  # environment variable holding the password
    cacert: str | None = None  # CA bundle for a host with a private CA
    auth_header: str | None = None  # "documented" | "dated"; None: documented first, learnt on the way
    max_reply_mib: int | None = None  # reply limit on the wire (default 16)
    max_inflated_mib: int | None = None  # reply limit once unpacked (default 32)
    sandbox: bool = False  # the embedded sandbox: never saved

    def __post_init__(self) -> None:
        if self.timezone is None:
            self.timezone = DEFAULT_TIMEZONES.get(self.region or "", CUSTOM_TIMEZONE)
        if self.default_company is None and self.companies:
            self.default_company = next(iter(self.companies))

    # -- what the rest of the program asks --------------------------------------------------

    @property
    def environment(self) -> str:
        """"production" | "staging" | "custom" | "sandbox": the UI colours by this."""
        if self.sandbox:
            return "sandbox"
        if self.url:
            return "custom"
        return "staging" if self.staging else "production"

    @property
    def endpoint(self) -> Endpoint | None:
        """The region's hosts (§1.4); None for a custom or sandbox URL."""
        if self.url or self.region not in ENDPOINTS:
            return None
        return ENDPOINTS[self.region]["staging" if self.staging else "production"]

    @property
    def service_url(self) -> str:
        """The SOAP endpoint: from the region table, or the custom/sandbox URL."""
        if self.url:
            return self.url
        if self.endpoint is None:
            raise ProfileError([Problem(self.name, "region", _("give a region (na, emea, apac) or a url"))])
        return self.endpoint.service_url

    @property
    def upload_url(self) -> str | None:
        """The UploadFile servlet for a region; None for a custom or sandbox URL."""
        return self.endpoint.upload_url if self.endpoint else None

    @property
    def keyring_username(self) -> str:
        return f"{self.name}:{self.user}"

    def company_handle(self, company: str | None = None) -> str | None:
        """The handle of ``company`` (default: the default company), None when unknown."""
        return self.companies.get(company or self.default_company or "")

    def copy(self) -> Profile:
        return dataclasses.replace(self, companies=dict(self.companies))

    # -- checks -----------------------------------------------------------------------------

    def problems(self) -> list[Problem]:
        """Everything wrong with this profile, each naming the key (for a form to show by the field)."""
        out: list[Problem] = []

        def bad(key: str, message: str) -> None:
            out.append(Problem(self.name, key, message))

        if not isinstance(self.name, str) or not _NAME.fullmatch(self.name) or self.name != self.name.strip():
            bad("name", _("use up to 64 letters, digits, spaces and . _ - @ +, starting with a letter or digit"))
        if not self.user:
            bad("user", _("the IPS user (an e-mail address) is required"))
        elif not _EMAIL.fullmatch(self.user):
            bad("user", _("'{value}' is not an e-mail address").format(value=self.user))
        if self.url:
            if not _URL.fullmatch(self.url):
                bad("url", _("'{value}' is not an http(s) URL").format(value=self.url))
            if self.region is not None:
                bad("region", _("give a region or a url, not both"))
            if self.staging:
                bad("staging", _("staging applies to a region, not to a custom url"))
        elif self.region is None:
            if not self.sandbox:
                bad("region", _("give a region (na, emea, apac) or a url"))
        elif self.region not in REGIONS:
            bad("region", _("unknown region '{value}': use one of {choices}").format(
                value=self.region, choices=", ".join(REGIONS)))
        if not _valid_timezone(self.timezone):
            bad("timezone", _("'{value}' is not a known time zone (an IANA name such as Europe/London)").format(
                value=self.timezone))
        if self.locale is not None:
            from ips_tui.job.locales import check_locale

            result = check_locale(self.locale)
            if not result.ok:
                bad("locale", result.error or "")
        if self.email_setting is not None and self.email_setting not in EMAIL_SETTINGS:
            bad("email_setting", _("'{value}' is not one of {choices}").format(
                value=self.email_setting, choices=", ".join(EMAIL_SETTINGS)))
        for company, handle in self.companies.items():
            if not isinstance(company, str) or not company.strip():
                bad("companies", _("a company needs a name"))
            elif not isinstance(handle, str) or not handle.strip():
                bad("companies", _("company '{company}' has no handle").format(company=company))
        if self.default_company is not None and self.default_company not in self.companies:
            bad("default_company", _("'{value}' is not one of this profile's companies").format(
                value=self.default_company))
        if self.password_env is not None and not _ENV_NAME.fullmatch(self.password_env):
            bad("password_env", _("'{value}' is not an environment variable name").format(value=self.password_env))
        if self.cacert is not None and not self.cacert.strip():
            bad("cacert", _("give the path of a CA file, or leave it out"))
        if self.auth_header is not None and self.auth_header not in AUTH_HEADERS:
            bad("auth_header", _("'{value}' is not one of {choices}").format(
                value=self.auth_header, choices=", ".join(AUTH_HEADERS)))
        for key in ("max_reply_mib", "max_inflated_mib"):
            value = getattr(self, key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not LIMIT_RANGE[0] <= value <= LIMIT_RANGE[1]):
                bad(key, _("give a whole number of MiB from {low} to {high}").format(
                    low=LIMIT_RANGE[0], high=LIMIT_RANGE[1]))
        return out

    # -- dict / TOML form -------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The profile as the file holds it (no name, no None values, no sandbox flag)."""
        out: dict[str, Any] = {"user": self.user}
        if self.url:
            out["url"] = self.url
        else:
            if self.region is not None:
                out["region"] = self.region
            out["staging"] = self.staging
        for key in ("timezone", "locale", "email_setting", "default_company", "password_env", "cacert",
                    "auth_header", "max_reply_mib", "max_inflated_mib"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.companies:
            out["companies"] = dict(self.companies)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], name: str | None = None) -> Profile:
        """Build a profile from a mapping (a form, JSON); refuses passwords and unknown keys."""
        if not isinstance(data, Mapping):
            raise TypeError("a profile is built from a mapping")
        name = name if name is not None else data.get("name")
        label = str(name) if name is not None else "?"
        secret = sorted(k for k in data if str(k).lower() in _SECRET_KEYS)
        if secret:
            raise SecretInProfileError([Problem(label, key, _secret_message()) for key in secret])
        allowed = set(_FILE_KEYS) | {"name", "sandbox"}
        unknown = sorted(str(k) for k in data if k not in allowed)
        if unknown:
            raise ProfileError([Problem(label, key, _("unknown key")) for key in unknown])
        if not isinstance(name, str):
            raise ProfileError([Problem(label, "name", _("a profile needs a name"))])
        fields = {k: v for k, v in data.items() if k != "name"}
        if "companies" in fields:
            fields["companies"] = dict(fields["companies"] or {})
        return cls(name=name, **fields)


def _secret_message() -> str:
    return _(
        "passwords are never stored in the profiles file: set password_env to the name of an "
        "environment variable, use the system keyring, or type it when asked"
    )


def _check_storable(profile: Profile) -> None:
    """Raise unless ``profile`` may be written to the file."""
    if hasattr(profile, "password"):  # a subclass could add one: never let it near the file
        raise SecretInProfileError([Problem(profile.name, "password", _secret_message())])
    if profile.sandbox:
        raise ProfileError([Problem(profile.name, "sandbox", _("the sandbox profile is built in and never saved"))])
    problems = profile.problems()
    if problems:
        raise ProfileError(problems)


def _valid_timezone(name: object) -> bool:
    if not isinstance(name, str) or not name or name != name.strip():
        return False
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


