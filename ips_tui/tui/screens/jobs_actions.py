"""The job actions as the jobs and follow screens offer them: what is asked before (every action on
production, and stop / delete / run now everywhere) and what is said after."""

from __future__ import annotations

from ips_tui.i18n import N_, _

#: what is said once an action has been carried out
DONE_WORDS = {
    "stop": N_("Stop requested: {name}"),
    "pause": N_("Paused: {name}"),
    "resume": N_("Resumed: {name}"),
    "delete": N_("Deleted: {name}"),
    "run": N_("Started now: {name}"),
}
#: the button of the confirmation
YES_WORDS = {
    "stop": N_("Stop the job"),
    "pause": N_("Pause"),
    "resume": N_("Resume"),
    "delete": N_("Delete the job"),
    "run": N_("Run now"),
}


def confirm_job_action(screen, action: str, name: str, handle: str, run) -> None:
    """``run()`` the job action now, or once confirmed where ACTIONS asks for it (every action on production).
    ``screen`` has ``connection`` and ``company``."""
    from ips_tui.follow.jobs import ACTIONS

    _method, what, confirm = ACTIONS[action]
    if not (confirm or screen.connection.environment == "production"):
        run()
        return
    from ips_tui.tui.screens.modals import ConfirmScreen

    def answer(yes: bool | None) -> None:
        if yes:
            run()

    body = _("{what}?\n\n{name}\n{handle}\ncompany {company}").format(
        what=_(what), name=name, handle=handle, company=company_label(screen.connection, screen.company))
    screen.app.push_screen(ConfirmScreen(_(what), body, _(YES_WORDS[action]), _("Cancel"),
                                         danger=action in ("stop", "delete")), answer)


def company_label(connection, company: str) -> str:
    name = next((n for n, h in (getattr(connection, "companies", None) or {}).items() if h == company), "")
    return f"{name} ({company})" if name else company
