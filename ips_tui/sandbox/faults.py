"""Fault injection: make the next request(s) misbehave the way networks and gateways do."""

from __future__ import annotations

import threading
from dataclasses import dataclass

KINDS = (
    "delay",  # wait `seconds`, then handle the request normally
    "drop",  # close the connection without a reply (the request is not handled)
    "http500_html",  # HTTP 500 with an HTML page, like a gateway (not handled)
    "http502_html",  # HTTP 502 with an HTML page (not handled)
    "truncated",  # handle the request, then send the first half of the reply (Content-Length of that half)
    "not_xml",  # HTTP 200 text/plain (not handled)
    "slow_after_receive",  # handle the request (the job exists), then wait `seconds` before answering
)

# Kinds after which the request is still handled by the service.
HANDLED = frozenset({"delay", "truncated", "slow_after_receive"})


@dataclass
class Injection:
    kind: str
    operation: str | None
    times: int
    seconds: float


class Injector:
    def __init__(self):
        self._lock = threading.Lock()
        self._queue: list[Injection] = []

    def add(self, kind: str, *, operation: str | None = None, times: int = 1, seconds: float = 0.0) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown injection {kind!r}; use one of {', '.join(KINDS)}")
        if times < 1:
            raise ValueError("times must be >= 1")
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        with self._lock:
            self._queue.append(Injection(kind, operation, times, float(seconds)))

    def take(self, operation: str | None) -> Injection | None:
        """The first pending injection for this operation (used up one time), or None."""
        with self._lock:
            for inj in self._queue:
                if inj.operation is None or inj.operation == operation:
                    inj.times -= 1
                    if inj.times <= 0:
                        self._queue.remove(inj)
                    return inj
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    @property
    def pending(self) -> list[Injection]:
        with self._lock:
            return list(self._queue)


def html_page(status: int) -> bytes:
    title = {500: "500 Internal Server Error", 502: "502 Bad Gateway"}.get(status, str(status))
    return (
        f"<!DOCTYPE html>\n<html><head><title>{title}</title></head>"
        f"<body><center><h1>{title}</h1></center><hr><center>sandbox-gateway</center></body></html>\n"
    ).encode()
