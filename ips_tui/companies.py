"""The companies of an account: what the service says they are (getCompanyMembership, getCompanyInfo by
name, or for a role that may call neither, the profile's own checked one by one), and putting them into a
profile. Used by ``ips-tui profiles companies``, the profile manager and the wizard's Start step."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ips_tui.i18n import _


@dataclass(frozen=True)
class FoundCompany:
    """A company the service told us about: its name, handle, and the user's role there (if known)."""

    name: str
    handle: str
    role: str | None = None
    active: bool | None = None


def fetch_companies(client, names: list[str] | tuple[str, ...] = (), *, known: Mapping[str, str] | None = None,
                    notes: list[str] | None = None) -> list[FoundCompany]:
    """The companies of ``client``'s user: getCompanyMembership, or with ``names`` each one looked up
    by name with getCompanyInfo. Raises :class:`~ips_tui.ips.faults.IpsError`.

    An account whose role may not call those (WebServiceUser, ips-api.md §2.4: code 20003) falls back to
    what it may call: each of the ``known`` companies (name -> handle, e.g. the profile's) is checked with
    getPublishContexts, and what was done instead is appended to ``notes``."""
    from ips_tui.ips.faults import AuthorizationFault

    found: list[FoundCompany] = []
    try:
        if names:
            for wanted in names:
                info = client.get_company_info(company_name=wanted) or {}
                handle = info.get("companyHandle")
                if handle:
                    found.append(FoundCompany(info.get("name") or wanted, handle))
            return found
        for item in client.get_company_membership():
            company = item.get("company") or item
            handle = company.get("companyHandle")
            if handle:
                found.append(FoundCompany(company.get("name") or handle, handle, item.get("role"),
                                          item.get("isActive")))
        return found
    except AuthorizationFault as error:
        if error.code != 20003:
            raise
        refused = "getCompanyInfo" if names else "getCompanyMembership"
    wanted_names = set(names)
    checked: list[FoundCompany] = []
    for name, handle in (known or {}).items():
        if wanted_names and name not in wanted_names:
            continue
        try:
            client.get_publish_contexts(handle)
        except AuthorizationFault:
            continue  # not this account's company (or not reachable with its role)
        checked.append(FoundCompany(name, handle))
    if notes is not None:
        if known:
            notes.append(_("This account may not call {operation} (code 20003: its role, e.g. WebServiceUser, does "
                           "not allow it). The companies already in the profile were checked with "
                           "getPublishContexts instead ({n} reachable); add others by hand with --company "
                           "NAME=HANDLE.").format(operation=refused, n=len(checked)))
        else:
            notes.append(_("This account may not call {operation} (code 20003: its role, e.g. WebServiceUser, does "
                           "not allow it), so its companies cannot be listed. Add them by hand: ips-tui profiles "
                           "edit NAME --company NAME=HANDLE (a company administrator can tell you the handles).")
                         .format(operation=refused))
    return checked


def merge_companies(profile, found: list[FoundCompany], *, replace: bool = False) -> tuple[list[str], list[str]]:
    """Put ``found`` into ``profile.companies`` (in place); ``replace`` drops the others.

    The default company stays when it is still there, else the first one becomes the default. Returns
    (names added or whose handle changed, names dropped).
    """
    before = dict(profile.companies)
    companies = {} if replace else dict(before)
    for company in found:
        companies[company.name] = company.handle
    profile.companies = companies
    if profile.default_company not in companies:
        profile.default_company = next(iter(companies), None)
    changed = [n for n, h in companies.items() if before.get(n) != h]
    dropped = [n for n in before if n not in companies]
    return changed, dropped
