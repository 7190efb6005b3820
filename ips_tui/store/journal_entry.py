"""A journal entry and what it is made of: the states, the row as a value, the URL without credentials,
secret-looking keys dropped, and the fingerprint that makes two submissions "the same request" (stored: it
must not change between versions). Split from :mod:`ips_tui.store.journal`, which re-exports all of it."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ips_tui.i18n import _
from ips_tui.store.owners import owner_alive

STATES = ("pending", "sent", "submitted", "failed", "unknown", "reconciled")
UNRESOLVED = ("pending", "sent", "unknown")
_SECRET_WORDS = ("password", "passwd", "secret", "token")

_COLUMNS = (
    "id", "created", "updated", "sent_at", "profile", "url", "user", "company", "job_name", "job_type", "timed",
    "request", "source", "fingerprint", "timeout", "state", "handle", "error_kind", "error_code",
    "error_message", "note", "owner",
)


# -- helpers -----------------------------------------------------------------------------------------


#: the source recorded for a job submitted from the wizard (a job file's path otherwise)
WIZARD_SOURCE = "tui"


def source_words(source: str | None) -> tuple[str, str] | None:
    """Where a submission came from, as the history shows it: (label, value) in the interface language —
    the job file, or the wizard (never "file: tui")."""
    if not source:
        return None
    if source == WIZARD_SOURCE:
        return _("from"), _("the wizard")
    return _("file"), source


def now_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="microseconds")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text)


def safe_url(url: str | None) -> str | None:
    """The URL without any ``user:password@`` part."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def scrub(value: Any) -> Any:
    """``value`` without any key that looks like a secret, at any depth."""
    if isinstance(value, dict):
        return {k: scrub(v) for k, v in value.items() if not any(w in str(k).lower() for w in _SECRET_WORDS)}
    if isinstance(value, list):
        return [scrub(v) for v in value]
    return value


def fingerprint(url: str | None, user: str | None, request_toml: str) -> str:
    """Identifies "the same request to the same account": a retry of a file has the same fingerprint."""
    h = hashlib.sha256()
    for part in (safe_url(url) or "", (user or "").lower(), request_toml):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def request_fingerprint(url: str | None, user: str | None, request_toml: str) -> str:
    """The fingerprint :meth:`Journal.record` gives this request (secret-looking keys dropped first)."""
    return fingerprint(url, user, _clean_toml(request_toml))


@dataclass(frozen=True)
class Entry:
    id: int
    created: str
    updated: str
    sent_at: str | None
    profile: str | None
    url: str | None
    user: str | None
    company: str | None
    job_name: str
    job_type: str | None
    timed: bool
    request: str
    source: str | None
    fingerprint: str
    timeout: float | None
    state: str
    handle: str | None
    error_kind: str | None
    error_code: int | None
    error_message: str | None
    note: str | None
    owner: str | None

    @property
    def unresolved(self) -> bool:
        return self.state in UNRESOLVED

    @property
    def created_at(self) -> datetime:
        return parse_iso(self.created)  # type: ignore[return-value]

    @property
    def sent_time(self) -> datetime | None:
        return parse_iso(self.sent_at)

    @property
    def updated_at(self) -> datetime:
        return parse_iso(self.updated)  # type: ignore[return-value]

    def orphaned(self, now: datetime | None = None) -> bool:
        """Unresolved, and the process that was sending it is gone."""
        return self.unresolved and not owner_alive(self.owner, self.updated_at, now=now)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("owner")
        d["timed"] = bool(self.timed)
        return d

    def job_request(self):
        """The request as a JobRequest (for a new draft or a job file)."""
        import tomllib

        from ips_tui.job.request import JobRequest

        return JobRequest(tomllib.loads(self.request))


def _entry(row) -> Entry:
    d = dict(zip(_COLUMNS, row))
    d["timed"] = bool(d["timed"])
    return Entry(**d)


@dataclass(frozen=True)
class NewSubmission:
    """What :meth:`Journal.record_many` writes for one request."""

    request_toml: str
    job_name: str
    company: str | None
    job_type: str | None = None
    timed: bool = False
    source: str | None = None


def _clean_toml(text: str) -> str:
    """The request TOML without secret-looking keys (normally a no-op: job files hold no password)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return text
    cleaned = scrub(data)
    if cleaned == data:
        return text
    import tomli_w

    return tomli_w.dumps(cleaned)
