"""What a profile tells the IPS client: reply limits and where the authHeader goes, and remembering the
authHeader namespace the service turned out to read."""

from __future__ import annotations

from typing import Any

from ips_tui.i18n import _
from ips_tui.store.permissions import NOTICES
from ips_tui.store.profiles import ProfileError, ProfileFileError, ProfileNotFoundError, ProfileStore


def client_options(profile, url: str | None = None) -> dict[str, Any]:
    """What a profile says about the client (reply limits, where the authHeader goes), as IpsClient keyword
    arguments; the header that works is remembered in the profile (best effort)."""
    if profile is None:
        return {}
    out: dict[str, Any] = {"auth_header": getattr(profile, "auth_header", None)}
    for key, arg in (("max_reply_mib", "max_reply"), ("max_inflated_mib", "max_inflated")):
        value = getattr(profile, key, None)
        if value:
            out[arg] = int(value) * 1024 * 1024
    if not getattr(profile, "sandbox", False) and getattr(profile, "name", None):
        out["on_auth_header"] = lambda mode: remember_auth_header(profile.name, mode, url=url)
    return out


def remember_auth_header(name: str, mode: str, store: ProfileStore | None = None, *, url: str | None = None) -> bool:
    """Keep ``auth_header = mode`` in profile ``name`` (the service answered with it); False if it could not, or
    if ``url`` (the service asked) is not the profile's own (``--url`` pointed this run elsewhere)."""
    store = store or ProfileStore()
    skipped = []

    def change(p) -> None:
        if url is not None and _service_url(p) != url:
            skipped.append(True)
            return
        p.auth_header = mode

    try:
        store.update(name, change)
    except (OSError, ProfileError, ProfileFileError, ProfileNotFoundError):
        return False
    if skipped:
        return False
    NOTICES.append(_("The service reads the authHeader in the {mode} namespace; profile '{name}' remembers "
                      "it (auth_header = \"{mode}\").").format(mode=mode, name=name))
    return True


def _service_url(profile) -> str | None:
    try:
        return profile.service_url
    except Exception:  # a profile without a region or url: nothing to remember for
        return None
