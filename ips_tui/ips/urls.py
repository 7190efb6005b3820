"""Small helpers for messages about a service address (no network, cheap to import)."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """``host[:port]`` of a URL, without user info, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or url
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{host}:{parts.port}" if parts.port else host


def secs(value) -> str:
    """Seconds as typed (``5``, ``0.5``) for messages."""
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)
