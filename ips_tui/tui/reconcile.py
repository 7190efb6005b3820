"""At start: submissions that were sent but never answered (a crash, a dropped SSH session) are settled
by asking the service, in a thread worker after the first paint. Nothing is ever sent again; the
operator hears about it only when there was something to settle."""

from __future__ import annotations

from ips_tui.i18n import _

_DONE_ATTR = "_ips_reconciled_accounts"


def reconcile_at_start(app, connection) -> None:
    """Reconcile ``connection``'s account once per app (a thread worker; returns at once)."""
    if connection is None or connection.environment == "sandbox":
        return  # the embedded sandbox starts empty each time: nothing of an earlier run can be on it
    try:
        key = (connection.url, connection.user)
    except Exception:  # a profile without a usable URL: nothing to ask
        return
    done = getattr(app, _DONE_ATTR, None)
    if done is None:
        done = set()
        setattr(app, _DONE_ATTR, done)
    if key in done:
        return
    done.add(key)
    app.run_worker(lambda: _reconcile(app, connection), thread=True, group="reconcile", exit_on_error=False,
                   name="reconcile")


def _reconcile(app, connection) -> None:
    from ips_tui.store.paths import journal_file

    if not journal_file(app.options.state_dir).exists():
        return  # nothing was ever submitted from here
    from ips_tui.follow.reconcile import reconcile, to_reconcile
    from ips_tui.store.journal import open_journal

    journal = open_journal(app.options.state_dir)
    try:
        if not to_reconcile(journal, url=connection.url, user=connection.user):
            return
        password = connection.password or _quiet_password(app, connection)
        if password is None:
            return  # asked for later, when the operator does something that needs it
        client = connection.client(timeout=app.options.timeout, locale="", password=password)
        try:
            verdicts = reconcile(journal, client, url=connection.url, user=connection.user)
        finally:
            client.close()
    finally:
        journal.close()
    if verdicts:
        app.call_from_thread(_tell, app, verdicts)


def _quiet_password(app, connection) -> str | None:
    """The password from the environment or the keyring, never a prompt (None also when the keyring fails:
    reconciling then waits for a later start)."""
    try:
        return connection.stored_password(app.options.env)
    except Exception:
        return None


def _tell(app, verdicts) -> None:
    lines = []
    for v in verdicts:
        e = v.entry
        line = f"#{e.id} {e.job_name}: {v.message}"
        if v.outcome == "found" and e.handle:
            line += f" {e.handle}"
        lines.append(line)
    severity = "warning" if any(v.outcome != "found" for v in verdicts) else "information"
    app.notify("\n".join(lines), title=_("Unanswered submissions checked (nothing was sent again)"),
               severity=severity, timeout=20)
