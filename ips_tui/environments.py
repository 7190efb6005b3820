"""Which environment a profile or URL is (production, staging, custom, sandbox), and its word as every screen
and command shows it: one rule for the header, the start step, the profile manager and the CLI."""

from __future__ import annotations

from urllib.parse import urlsplit

from ips_tui.i18n import N_

#: the environment in words, as the header, the start step and the profile manager show it
ENVIRONMENT_WORDS = {
    "production": N_("PRODUCTION"),
    "staging": N_("STAGING"),
    "sandbox": N_("SANDBOX"),
    "custom": N_("CUSTOM"),
}


def profile_environment(profile) -> str:
    """production | staging | custom | sandbox for a saved profile: the one rule every list, detail, header
    and command uses (a custom URL that is Adobe's host is that host's environment)."""
    if getattr(profile, "sandbox", False):
        return "sandbox"
    environment = getattr(profile, "environment", "custom")
    if environment != "custom":
        return environment
    try:
        url = profile.service_url
    except Exception:  # no usable URL (the profile's own error says why where it is used)
        url = getattr(profile, "url", None)
    return classify_url(url)


def classify_url(url: str | None) -> str:
    """production | staging | custom, by comparing the host with Adobe's region table."""
    from ips_tui.ips.endpoints import ENDPOINTS

    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return "custom"
    if not host:
        return "custom"
    for per_env in ENDPOINTS.values():
        for env, endpoint in per_env.items():
            if urlsplit(endpoint.service_url).hostname == host:
                return env
    return "custom"
