"""One job file, many companies: ``ips-tui submit JOB.toml --company A --company B``.

Each company named (a handle such as ``c|101``, or a name the profile keeps for one) gets its own copy of
the request, with that company's handle and a job name that says which company it is for, so the job
lists, the logs and the journal tell the copies apart. No IO here.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass

from ips_tui.i18n import _

#: what a job name may carry from a company's name or handle ('|' separates handle parts, '/' paths)
_UNSAFE = re.compile(r"[^\w.\-]+")


class CompanyChoiceError(ValueError):
    """A --company value that names no company (exit 2); ``message`` names the value."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Company:
    handle: str
    label: str  # short and safe for a job name: the profile's name for it, else the handle without '|'


def label_for(handle: str, name: str | None = None) -> str:
    """``Acme Retail`` -> ``Acme-Retail``; ``c|101`` -> ``c101``."""
    text = _UNSAFE.sub("-", name if name else handle.replace("|", "")).strip("-")
    return text or "company"


def resolve_companies(values: list[str], known: Mapping[str, str] | None = None) -> list[Company]:
    """The companies ``values`` name, in order, each once. ``known``: the profile's name -> handle.

    A value that is a name in ``known`` (exactly, else ignoring case) is that company; a value with a '|'
    is a handle as it stands (labelled with the profile's name for it when there is one). Anything else
    is a :class:`CompanyChoiceError` that lists the names there are."""
    known = dict(known or {})
    by_lower = {name.lower(): name for name in known}
    names_of = {handle: name for name, handle in known.items()}
    out: list[Company] = []
    seen: set[str] = set()
    for raw in values:
        value = raw.strip()
        name = value if value in known else by_lower.get(value.lower())
        if name is not None:
            company = Company(known[name], label_for(known[name], name))
        elif "|" in value:
            company = Company(value, label_for(value, names_of.get(value)))
        else:
            if known:
                hint = _("the profile knows: {names}").format(names=", ".join(sorted(known)))
            else:
                hint = _("no company names are saved here; give a handle such as c|101 "
                         "(ips-tui profiles companies finds them)")
            raise CompanyChoiceError(_("--company {value}: not a company handle or a saved company name ({hint})")
                                     .format(value=value or "''", hint=hint))
        if company.handle not in seen:
            seen.add(company.handle)
            out.append(company)
    return out


def for_company(data: dict, company: Company, *, rename: bool) -> dict:
    """A copy of the request ``data`` for ``company``; with ``rename`` its jobName ends in the company's label
    (``nightly-full-publish-Acme-Retail``), so each copy says which company it is for."""
    out = copy.deepcopy(data)
    out["companyHandle"] = company.handle
    if rename:
        base = str(out.get("jobName") or "").strip()
        out["jobName"] = f"{base}-{company.label}" if base else company.label
    return out
