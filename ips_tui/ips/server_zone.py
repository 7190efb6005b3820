"""The IPS server's time zone: known, or said to be unknown — never guessed as UTC.

Schedules (execSchedule) are read in the server's zone, so every screen and command that shows a next run
"in the server's zone" asks :func:`server_zone` and names the zone the same way (:meth:`ServerZone.label`:
IANA name and offset, ``America/Los_Angeles (UTC-08:00)``). Where it comes from, first match wins:

1. ``--timezone`` (``option``): the operator said so for this run;
2. the zone configured for the account — the profile's own ``timezone``, else the region of Adobe's host
   the URL points at (also when a profile gives that host as a custom URL) — kept when the service agrees;
3. the service, where it tells (getScheduledJobs' ``timeZone``, an abbreviation such as ``PST``): it wins
   over a configured zone it contradicts;
4. otherwise unknown.

A custom-URL profile's ``timezone = "UTC"`` is the value older versions filled in by themselves, so it does
not count as the operator's word (``--timezone UTC`` does). No IO here; the TUI calls the same function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

from ips_tui.i18n import N_, _

#: what older profiles were given for a custom URL without being asked
_AUTOMATIC_CUSTOM_ZONE = "UTC"

#: abbreviations a Java server prints (TimeZone.getDisplayName(..., SHORT)) -> the usual IANA zone; only
#: ones that name one offset pair (IST, CST-as-China and the like are left out: they stay unknown)
ABBREVIATIONS: dict[str, str] = {
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles",
    "MST": "America/Denver", "MDT": "America/Denver",
    "CST": "America/Chicago", "CDT": "America/Chicago",
    "EST": "America/New_York", "EDT": "America/New_York",
    "AKST": "America/Anchorage", "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "GMT": "Europe/London", "BST": "Europe/London",
    "WET": "Europe/Lisbon", "WEST": "Europe/Lisbon",
    "CET": "Europe/Berlin", "CEST": "Europe/Berlin",
    "EET": "Europe/Athens", "EEST": "Europe/Athens",
    "JST": "Asia/Tokyo", "KST": "Asia/Seoul",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
    "UTC": "UTC",
}

SOURCES = ("option", "profile", "region", "service", "unknown")
_SOURCE_WORDS = {
    "option": N_("from --timezone"),
    "profile": N_("from the profile"),
    "region": N_("from the region of Adobe's host"),
    "service": N_("as the service says"),
    "unknown": N_("give --timezone or set timezone in the profile"),
}


class UnknownZone(ValueError):
    """A zone name that is not an IANA zone; ``message`` names it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ServerZone:
    """The server's zone, or None for unknown; ``source``: where it came from (:data:`SOURCES`);
    ``reported``: what the service said, when it said something."""

    tz: tzinfo | None
    name: str | None
    source: str
    reported: str | None = None

    @property
    def known(self) -> bool:
        return self.tz is not None

    def offset(self, at: datetime | None = None) -> str | None:
        """``-08:00`` at ``at`` (default: now); None when unknown."""
        if self.tz is None:
            return None
        return format_offset((at or datetime.now(timezone.utc)).astimezone(self.tz).utcoffset())

    def label(self, at: datetime | None = None) -> str:
        """``America/Los_Angeles (UTC-08:00)``, or the words for an unknown zone (in the UI language)."""
        if self.tz is None:
            if self.reported:
                return _("unknown (the service says {zone})").format(zone=self.reported)
            return _("unknown (neither the profile, the region nor the service says)")
        return f"{self.name} (UTC{self.offset(at)})"

    def source_words(self) -> str:
        """Where the zone came from, in words (in the UI language)."""
        return _(_SOURCE_WORDS[self.source])

    def to_json(self, at: datetime | None = None) -> dict:
        """The same facts for ``--json`` (never translated)."""
        return {"name": self.name, "offset": self.offset(at), "source": self.source, "reported": self.reported}


def format_offset(delta: timedelta | None) -> str:
    total = int((delta or timedelta()).total_seconds() // 60)
    sign = "-" if total < 0 else "+"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo | None:
    from zoneinfo import ZoneInfo

    try:
        return ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return None


def _names(zone: tzinfo, year: int) -> set[str]:
    """The abbreviations ``zone`` uses in ``year`` (winter and summer)."""
    out = set()
    for month in (1, 7):
        name = datetime(year, month, 15, 12, tzinfo=timezone.utc).astimezone(zone).tzname()
        if name:
            out.add(name)
    return out


def agrees(name: str, reported: str, *, year: int | None = None) -> bool:
    """Whether the zone ``name`` is the one the service calls ``reported`` (an abbreviation or a name)."""
    zone = _zone(name)
    if zone is None:
        return False
    if reported == name:
        return True
    year = year or datetime.now(timezone.utc).year
    return reported in _names(zone, year) or (reported in ("UTC", "GMT", "Z") and _names(zone, year) <= {"UTC", "GMT"})


def zone_for_report(reported: str | None) -> str | None:
    """The IANA zone the service's ``timeZone`` names: an IANA name itself, or a known abbreviation."""
    if not reported:
        return None
    text = reported.strip()
    if "/" in text and _zone(text) is not None:
        return text
    return ABBREVIATIONS.get(text.upper())


def reported_zone(scheduled: Iterable[dict]) -> str | None:
    """The first ``timeZone`` a getScheduledJobs listing carries (None when it has none)."""
    for job in scheduled:
        value = job.get("timeZone") if isinstance(job, dict) else None
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def check_zone_name(name: str, what: str = "--timezone") -> str:
    """``name`` when it is an IANA zone, else :class:`UnknownZone` naming ``what``."""
    if _zone(name) is None:
        raise UnknownZone(_("{what}: '{zone}' is not a known time zone (an IANA name such as "
                            "America/Los_Angeles)").format(what=what, zone=name))
    return name


def server_zone(url: str | None, *, option: str | None = None, profile_zone: str | None = None,
                profile_has_url: bool = False, reported: str | None = None) -> ServerZone:
    """The server's zone for ``url`` (see the module's docstring for the order). ``profile_zone``: the
    profile's ``timezone``; ``profile_has_url``: the profile gives a custom URL rather than a region;
    ``reported``: getScheduledJobs' ``timeZone``. Raises :class:`UnknownZone` for a bad ``option``."""
    from ips_tui.ips.endpoints import REGION_ZONES, region_of

    reported = reported.strip() if reported and reported.strip() else None
    if option:
        return ServerZone(_zone(check_zone_name(option)), option, "option", reported)
    configured = source = None
    if profile_zone and _zone(profile_zone) is not None and not (
            profile_has_url and profile_zone == _AUTOMATIC_CUSTOM_ZONE):
        configured, source = profile_zone, "profile"
    if configured is None and (found := region_of(url)) is not None:
        configured, source = REGION_ZONES[found[0]], "region"
    if reported is not None and not (configured and agrees(configured, reported)):
        told = zone_for_report(reported)
        if told is not None:
            return ServerZone(_zone(told), told, "service", reported)
    if configured is not None:
        return ServerZone(_zone(configured), configured, source, reported)
    return ServerZone(None, None, "unknown", reported)


def zone_of_connection(conn, *, option: str | None = None, reported: str | None = None) -> ServerZone:
    """:func:`server_zone` for a :class:`~ips_tui.connection.Connection` (or anything with ``url``,
    ``timezone`` and ``profile``); without ``reported``, the ``timeZone`` the connection last saw listed
    (``conn.reported_zone``, set by the TUI's jobs screen)."""
    profile = getattr(conn, "profile", None)
    if reported is None:
        reported = getattr(conn, "reported_zone", None)
    return server_zone(getattr(conn, "url", None), option=option, profile_zone=getattr(conn, "timezone", None),
                       profile_has_url=bool(getattr(profile, "url", None)), reported=reported)
