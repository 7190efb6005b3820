"""The wizard's status line, from its state: what the operator needs to know next, in one line."""

from __future__ import annotations

from ips_tui.i18n import _, ngettext
from ips_tui.tui.form import locate
from ips_tui.tui.wizard.flow import TITLES, step_of
from ips_tui.tui.wizard.state import Report, SubmitState
from ips_tui.tui.wizard.summary import label_for


def status_text(report: Report, state: SubmitState, current: str, *, connected: bool, connecting: bool) -> str:
    """``connected``: there is somewhere to send the job (nothing is checked before: the sandbox's companies
    arrive with it); ``connecting``: a profile, URL or the sandbox was given, so one is on its way."""
    if state.sending:
        return _("Submitting… F5 cancels waiting (the request is not sent again).")
    if state.done:
        return _("Submitted as {handle}.").format(handle=state.handle)
    if not connected:
        return _("Connecting…") if connecting else _("No profile chosen yet.")
    n = len(report.problems)
    if not n:
        return _("Ready to submit: Ctrl+R to review, F5 to submit.")
    path, message = report.problems[0]
    step = step_of(path)
    title = _(TITLES[step])
    text = ngettext("{n} problem", "{n} problems", n).format(n=n) + " — " + title
    field = locate(path)[0]
    label = label_for(field) if step == current else field
    if label not in (field, title):  # (a field named as its step says nothing: "Programación › Programación")
        # the message is under its field on this step: the field is named here, so the line stays put
        # while a key changes the message (a bottom line that changed with it made each key repaint
        # everything between the field and the bottom)
        return text + " › " + label
    return text + ": " + message
