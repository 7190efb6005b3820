"""Submitting as data: the :class:`~ips_tui.tui.wizard.state.SubmitState` the wizard owns, and the ordered
guards every submission passes — the request has no problems, there is a connection, the password is
known, "submitted before?" (in this session), production — before it goes out through
:func:`ips_tui.follow.submit.submit_one` (which adds the journal's own "sent before?"). A guard that needs
an answer asks; the answer resumes the same walk with that question marked answered. Nothing re-enters,
and no flag outlives the attempt."""

from __future__ import annotations

from dataclasses import dataclass

from textual.worker import Worker, WorkerState

from ips_tui.i18n import _, ngettext


@dataclass(frozen=True)
class Refuse:
    """Not sent, for a reason the operator can fix (shown as a warning)."""

    message: str
    review: bool = False  # show the problems on Review


@dataclass(frozen=True)
class Confirm:
    key: str  # what a yes answers, for the rest of this attempt
    title: str
    body: str
    yes: str
    no: str
    danger: bool = False


class NeedPassword:
    pass


def guard_problems(w, asked):
    problems = w.problems
    if problems:
        n = len(problems)
        return Refuse(ngettext("Not sent: fix {n} problem first (listed on Review).",
                               "Not sent: fix {n} problems first (listed on Review).", n).format(n=n), review=True)
    return None


def guard_connection(w, asked):
    return Refuse(_("Choose a profile first.")) if w.connection is None else None


def guard_password(w, asked):
    return None if w.connection.password else NeedPassword()


def guard_submitted_before(w, asked):
    """Submitted (or stopped waiting for) in this session already: a second job only if asked for."""
    if "again" in asked:
        return None
    state = w.submit_state
    if state.done:
        return Confirm("again", _("Submit again?"),
                       _("This job was already submitted as {handle}. Submitting again creates a second job.").format(
                           handle=state.handle), _("Submit a second job"), _("No"))
    if state.abandoned:
        return Confirm("again", _("Submit again?"),
                       _("You stopped waiting for an earlier submission of this job; the service may have accepted "
                         "it. Check the job list first: submitting again may create a second job."),
                       _("Submit anyway"), _("No"))
    return None


def guard_production(w, asked):
    if "production" in asked or w.connection.environment != "production":
        return None
    return Confirm("production", _("Submit to PRODUCTION?"),
                   _("This job runs for real on {url} for company {company}.").format(
                       url=w.connection.shown_url(), company=w.form.company),
                   _("Submit to production"), _("Not now"), danger=True)


#: in order: each one runs only when the ones before it let the submission through
GUARDS = (guard_problems, guard_connection, guard_password, guard_submitted_before, guard_production)


def earlier_question(earlier) -> Confirm:
    """The journal has this same job, sent before and maybe on the service."""
    when = (earlier.sent_at or earlier.created)[:19].replace("T", " ")
    if earlier.state == "reconciled":
        body = _("This same job was sent at {when} UTC (submission #{id}) and is on the service as {handle}; "
                 "its answer had been lost. Submitting again creates a second job.").format(
            when=when, id=earlier.id, handle=earlier.handle)
    else:
        body = _("This same job was sent at {when} UTC (submission #{id}) and no answer came: it may already be "
                 "on the service. F3 shows the company's jobs. Submitting again may create a second job.").format(
            when=when, id=earlier.id)
    return Confirm("again", _("Sent before?"), body, _("Submit a second job"), _("No"))


class Submitting:
    """Mixin of the wizard screen (its message handlers go by name, ``on_…``: Textual's ``@on`` is only
    collected on message-pump classes) (needs ``submit_state``, ``form``, ``connection``, ``problems``)."""

    _before_question = None  # the state to go back to when the open question is answered no

    def action_submit(self) -> None:
        if self.submit_state.sending or self.submit_state.phase == "confirming":
            return
        self.check_now()
        if self.current != "review":
            self.goto("review")  # F5 from any step: the answer, or why it was not sent, shows there
        self.walk_guards(frozenset())

    def walk_guards(self, asked: frozenset) -> None:
        before = self.submit_state
        for guard in GUARDS:
            need = guard(self, asked)
            if need is None:
                continue
            if isinstance(need, Refuse):
                self.notify(need.message, severity="warning")
                if need.review:
                    self.goto("review")
                return
            if isinstance(need, NeedPassword):
                self.submit_state = before.asking("password")
                self._before_question = before
                self.resolve_password(lambda: self._answered(asked, None))
                return
            self.ask(need, asked, before)
            return
        self.send(asked)

    def ask(self, question: Confirm, asked: frozenset, before) -> None:
        from ips_tui.tui.screens.modals import ConfirmScreen

        self.submit_state = before.asking(question.key)
        self._before_question = before

        def answer(yes: bool | None) -> None:
            if yes:
                self._answered(asked, question.key)
            else:
                self.submit_state = before

        self.app.push_screen(ConfirmScreen(question.title, question.body, question.yes, question.no,
                                           danger=question.danger), answer)

    def _answered(self, asked: frozenset, key: str | None) -> None:
        self.submit_state = self._before_question
        self.walk_guards(asked | {key} if key else asked)

    def password_refused(self) -> None:
        if self.submit_state.question == "password":
            self.submit_state = self._before_question

    def send(self, asked: frozenset) -> None:
        from ips_tui.follow.submit import Submission
        from ips_tui.resolve.submit import resolved_payload
        from ips_tui.store.journal_entry import WIZARD_SOURCE
        from ips_tui.tui.pickers.session import session_getter

        request, now = self.form.request(), self.app.clock()
        self.submit_state = self.submit_state.sent(self.app.clock(), self.form.timing != "now")
        session_of = session_getter(self)  # names, paths and searches become handles in the worker, first

        def submission():
            payload, _steps = resolved_payload(request, session_of, now=now)
            return Submission.from_request(request, payload, source=WIZARD_SOURCE)

        self._send(self.submit_state.token, self.connection, submission, "again" not in asked)

    def _send(self, token: int, connection, make_submission, check_earlier: bool) -> None:
        from ips_tui.follow.submit import submit_one

        app = self.app

        def job():
            submission = make_submission()
            # a journal that cannot be written raises here, before anything is sent: the worker's error
            # names the file and why (submit_worker_changed), and the form keeps what was typed
            return token, submission.job_name, submit_one(None, connection, submission, check_earlier=check_earlier,
                                                          timeout=app.options.timeout,
                                                          state_dir=app.options.state_dir)

        self.run_worker(job, thread=True, exclusive=False, exit_on_error=False, group="submit",
                        name=f"submit-{token}")

    def action_cancel_submit(self) -> None:
        """Stop waiting for the answer. Nothing is sent again; a late answer is still reported."""
        if not self.submit_state.sending:
            return
        error = _("Stopped waiting. The request had been sent and may still be accepted: "
                  "check the job list before submitting again.")
        self.submit_state = self.submit_state.stopped_waiting(error)
        self.notify(error, severity="warning", timeout=10)

    def submit_worker_changed(self, worker: Worker, state: WorkerState) -> None:
        """A submit worker finished (the screen's one worker handler sends these here)."""
        from ips_tui.tui.text import error_text

        if state == WorkerState.ERROR:
            token = int(worker.name.rpartition("-")[2])
            if token in self.submit_state.abandoned:
                self.notify(_("The submission you stopped waiting for failed: {error}").format(
                    error=error_text(worker.error)), severity="warning", timeout=20)
                return
            if token == self.submit_state.token:
                self.submit_state = self.submit_state.refused(self.app.report_error(worker.error,
                                                                                    _("Not submitted")))
            return
        if state != WorkerState.SUCCESS:
            return
        token, job_name, sent = worker.result
        abandoned = token in self.submit_state.abandoned
        if sent.earlier is not None:
            if abandoned or token != self.submit_state.token:
                return
            before = self.submit_state.refused("")
            self.submit_state = before
            self.ask(earlier_question(sent.earlier), frozenset(), before)
            return
        if abandoned:
            self.notify(_("The submission you stopped waiting for was accepted after all: {handle}").format(
                handle=sent.handle), severity="warning", timeout=20)
        else:
            self.notify(_("Submitted: {handle}").format(handle=sent.handle), title=_("Done"))
        self.submit_state = self.submit_state.answered(sent.handle, job_name)
        self.discard_draft()
