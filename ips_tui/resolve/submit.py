"""A request's payload with its references turned into handles first: the path the CLI's ``submit``
(:class:`ips_tui.cli_assets.SubmitNames`) takes, for the wizard's Submit — validate, and when the request
names things, :class:`~ips_tui.resolve.resolver.Resolver` on the company's session, then the payload."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime


def resolved_payload(request, session_of: Callable[[], object], *, now: datetime | None = None) -> tuple[dict, list]:
    """(the payload with handles, what became what). ``session_of`` gives the company's NameSession and is
    called only when the request names something (it may connect: call this from a worker thread). Raises
    InvalidRequest (ResolveFailed for names the service does not know) naming each item."""
    from ips_tui.job.request import JobRequest
    from ips_tui.resolve.refs import UnresolvedReferences
    from ips_tui.resolve.resolver import Resolver

    try:
        return request.to_payload(now=now), []  # validates; a request that names nothing is done here
    except UnresolvedReferences:
        pass
    resolution = Resolver(session_of()).resolve(request.data)
    return JobRequest(resolution.data).to_payload(now=now), resolution.steps
