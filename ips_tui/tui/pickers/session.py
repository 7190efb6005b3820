"""One :class:`~ips_tui.resolve.session.NameSession` per connection and company, kept by the app: what the
pickers looked up, Submit resolves from the same answers (a search picked as "all results" costs nothing more).

The session is made on first use, in a worker thread (its client imports zeep)."""

from __future__ import annotations

import threading
from collections.abc import Callable

_LOCK = threading.Lock()


def _key(connection, company: str) -> tuple:
    return (connection.url, connection.user, connection.environment, company)


def session_getter(wizard) -> Callable[[], object]:
    """A callable giving the NameSession of the wizard's connection and company, for a worker to call."""
    app = wizard.app
    connection, company = wizard.connection, wizard.form.company.strip()
    timeout = getattr(getattr(app, "options", None), "timeout", None) or 60.0

    def get():
        from ips_tui.i18n import _
        from ips_tui.ips.lookup import Lookup

        if connection is None:
            raise LookupError(_("Choose a profile first: names become handles through the service."))
        if not connection.password:
            raise LookupError(_("The password is not known yet: names become handles when the job is sent."))
        from ips_tui.resolve.session import NameSession

        with _LOCK:
            sessions = getattr(app, "_name_sessions", None)
            if sessions is None:
                sessions = app._name_sessions = {}
            key = _key(connection, company)
            if key not in sessions:
                sessions[key] = NameSession(Lookup(connection.client(timeout=timeout)), company)
            return sessions[key]

    return get
