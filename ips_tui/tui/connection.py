"""Where the wizard sends its job: a profile (saved, the sandbox's, or from --url/--user) and a password.

The password is kept in memory only, never in a draft or a file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ips_tui.i18n import N_, _

ENVIRONMENT_WORDS = {
    "production": N_("PRODUCTION"),
    "staging": N_("STAGING"),
    "sandbox": N_("SANDBOX"),
    "custom": N_("CUSTOM"),
}


@dataclass
class Connection:
    profile: object  # ips_tui.store.profiles.Profile (or anything with the same attributes)
    password: str | None = None
    display_url: str | None = None  # what the header shows instead of the real URL (screenshots)
    companies: dict[str, str] = field(default_factory=dict)  # name -> handle, fetched or from the profile
    command_line: bool = False  # --url/--user: the password is IPS_PASSWORD or typed, never the keyring

    def __post_init__(self) -> None:
        if not self.companies:
            self.companies = dict(getattr(self.profile, "companies", {}) or {})

    @property
    def name(self) -> str:
        return getattr(self.profile, "name", "") or ""

    @property
    def user(self) -> str:
        return getattr(self.profile, "user", "") or ""

    @property
    def url(self) -> str:
        return self.profile.service_url

    @property
    def environment(self) -> str:
        env = getattr(self.profile, "environment", "custom")
        if env == "custom":
            from ips_tui.connection import classify_url  # (not on the way to the first frame)

            return classify_url(getattr(self.profile, "url", None))
        return env

    @property
    def server_zone(self) -> str:
        return getattr(self.profile, "timezone", None) or "UTC"

    @property
    def default_locale(self) -> str | None:
        return getattr(self.profile, "locale", None)

    @property
    def default_email_setting(self) -> str | None:
        return getattr(self.profile, "email_setting", None)

    @property
    def default_company(self) -> str | None:
        name = getattr(self.profile, "default_company", None)
        return self.companies.get(name or "") if name else None

    def shown_url(self) -> str:
        if self.display_url:
            return self.display_url
        try:
            return self.url
        except Exception:
            return _("(no URL)")

    def stored_password(self, env) -> str | None:
        """The password from the environment (``env``) or the keyring, never a prompt; None when neither has
        it. (The keyring is not asked for --url/--user: there is no profile to file it under.)"""
        from ips_tui.store.secrets import MissingPasswordError, resolve_password

        try:
            return resolve_password(self.profile, None, env=env, use_keyring=not self.command_line).value or None
        except MissingPasswordError:
            return None

    def client(self, timeout: float = 60.0):
        """A new IpsClient for this connection (imports zeep on first use: call from a worker)."""
        from ips_tui.ips.client import IpsClient

        return IpsClient(self.url, self.user, self.password, locale=None,
                         cacert=getattr(self.profile, "cacert", None), timeout=timeout)


def command_line_profile(url: str, user: str, cacert: str | None = None):
    """A profile for ``--url/--user`` (never saved)."""
    from ips_tui.store.profiles import Profile

    return Profile(name=_("command line"), user=user, url=url, cacert=cacert)


def sandbox_profile(sandbox, *, timezone: str | None = None):
    """The ready-made profile of the embedded sandbox."""
    from ips_tui.store.profiles import Profile

    companies = {c["name"]: c["handle"] for c in getattr(sandbox, "companies", [])}
    zone = getattr(sandbox, "zone", None)
    tz = timezone or getattr(zone, "key", None) or "UTC"
    return Profile(name="sandbox", user=sandbox.user, url=sandbox.url, sandbox=True, timezone=tz,
                   companies=companies)
