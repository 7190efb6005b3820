"""The wizard screen: the steps, the keys, help, the palette and the language; it owns the form, the
whole-request :class:`~ips_tui.tui.wizard.state.Report` and the :class:`~ips_tui.tui.wizard.state.SubmitState`,
and the header, step bar, status line, footer, rows and Review follow them.

IO (sandbox start, password lookup, the WSDL, submitting) runs in thread workers; results come back as
messages; failures go through ``app.report_error``.
"""

from __future__ import annotations

import os
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.tui import messages as msg
from ips_tui.tui.form import FormState
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.widgets.chrome import EnvBar, KeyFooter, StepBar
from ips_tui.tui.widgets.rows import FormHost, Words
from ips_tui.tui.wizard.connecting import Connecting
from ips_tui.tui.wizard.drafts import Drafts
from ips_tui.tui.wizard.editing import Editing
from ips_tui.tui.wizard.elsewhere import OtherScreens
from ips_tui.tui.wizard.flow import STEPS, next_key, previous_key, step_of
from ips_tui.tui.wizard.host import StepHost
from ips_tui.tui.wizard.state import Report, SubmitState
from ips_tui.tui.wizard.status import status_text
from ips_tui.tui.wizard.submitting import Submitting
from ips_tui.tui.compositor import NarrowRepaints


class WizardScreen(Connecting, Submitting, Editing, Drafts, OtherScreens, FormHost, NarrowRepaints, Screen):
    AUTO_FOCUS = ""  # each step focuses its own first control (Step.entered), not the scroll body
    BINDINGS = [
        Binding("ctrl+n", "next", N_("Next"), id="next"),
        Binding("escape", "back", N_("Back"), id="back"),
        Binding("f1", "help", N_("Help"), id="help"),
        Binding("ctrl+r", "review", N_("Review"), id="review"),
        Binding("f5,ctrl+t", "submit", N_("Submit"), id="submit"),
        Binding("f5,ctrl+t", "cancel_submit", N_("Cancel"), id="cancel"),
        Binding("ctrl+s", "save", N_("Save"), id="save"),
        Binding("ctrl+y", "copy", N_("Copy"), id="copy"),
        Binding("ctrl+o", "pager", N_("Pager"), id="pager"),
        Binding("f2", "profiles", N_("Profiles"), id="profiles"),
        Binding("f3", "jobs", N_("Jobs"), id="jobs"),
        Binding("f4", "history", N_("History"), id="history"),
    ]

    #: the step on screen; the footer's keys depend on it
    current: reactive[str] = reactive("start", bindings=True, init=False)
    #: the whole-request check of the form (rows, the step bar, the status line and Review follow it);
    #: each of those repaints itself, so a new report does not repaint the whole screen (one per key)
    report: reactive[Report] = reactive(Report(), init=False, repaint=False)
    #: where a submission is; the footer (Submit or Cancel) follows it
    submit_state: reactive[SubmitState] = reactive(SubmitState(), bindings=True, init=False)
    #: bumped when the form changes in a way the steps do not show yet: mounted steps reload
    form_version: reactive[int] = reactive(0, init=False)
    #: the timing as typed or chosen, (mode, execTime, execSchedule): the timing step explains it
    timing: reactive[tuple[str, str, str]] = reactive(("now", "", ""), init=False, repaint=False)

    def __init__(self, carry: dict | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self._carry = carry  # the job in progress, carried across a language switch
        self.form = FormState()
        self.connection = None
        self.reached: set[str] = {"start"}
        self.profiles: list = []
        self.wanted_profile: str | None = None
        self.status_text = ""
        self._draft_offer_pending = False

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        from ips_tui.tui.wizard.steps.start import StartStep

        yield EnvBar(id="env")
        yield StepBar(id="stepbar")
        self.steps = StepHost(StartStep(id="step-start"), id="steps")
        yield self.steps
        yield Words(id="status", markup=False)  # words from outside (a server's fault) are shown as they are
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        opts = self.app.options
        if self._carry is not None:
            self.call_after_refresh(self._restore_carry, self._carry)
            return
        self._draft_offer_pending = opts.drafts
        self.show_env(status=_("starting the local sandbox…") if opts.sandbox and opts.connection is None else "")
        if opts.connection is not None:
            self.set_connection(opts.connection)
        elif opts.sandbox:
            # after the first frame: the sandbox's imports would compete with it for the GIL
            self.set_timer(0.05, self.start_sandbox)
        elif opts.url or opts.user:
            self.connect_command_line()
        else:
            self.load_profiles()
        self.refresh_stepbar()

    def set_connection(self, connection) -> None:
        super().set_connection(connection)
        if self._draft_offer_pending:  # once the account is known: the journal can say what became of it
            self.call_after_refresh(self._offer_draft_once)

    def profiles_loaded(self, profiles: list, default: str | None) -> None:
        super().profiles_loaded(profiles, default)
        if self.connection is None and not any(p.environment == "sandbox" for p in profiles):
            self._offer_draft_once()  # no account to ask the journal about: offered as it is

    def _offer_draft_once(self) -> None:
        if self._draft_offer_pending:
            self._draft_offer_pending = False
            self.offer_draft()

    # -- what follows the state -----------------------------------------------------------
    def watch_report(self, _report: Report) -> None:
        self.refresh_stepbar()

    def watch_submit_state(self, _state: SubmitState) -> None:
        self.refresh_stepbar()

    def watch_current(self, _key: str) -> None:
        self.refresh_stepbar()

    @property
    def result(self) -> dict[str, Any] | None:
        return self.submit_state.result()

    @property
    def in_flight(self) -> bool:
        return self.submit_state.sending

    @property
    def last_error(self) -> str:
        return self.submit_state.error

    def show_env(self, status: str = "") -> None:
        bar = self.query_one(EnvBar)
        c = self.connection
        if c is None:
            env = "sandbox" if self.app.options.sandbox else "custom"
            bar.show(env, status=status or _("choose a profile"))
            return
        company = ""
        if self.form.company:
            name = next((n for n, h in c.companies.items() if h == self.form.company), "")
            company = f"{name} ({self.form.company})" if name else self.form.company
        bar.show(c.environment, user=c.user, url=c.shown_url(), company=company, status=status)
        self.app.sub_title = c.environment

    def refresh_stepbar(self) -> None:
        report, state = self.report, self.submit_state
        # the bar flags the other steps with problems: this step's are on screen, under their fields (and a
        # key that makes this step valid or not then leaves the bar alone)
        flagged = {step_of(p) for p, _m in report.problems} - {self.current}
        self.query_one(StepBar).show(STEPS, self.current, flagged, self.reached)
        o = self.app.options
        text = status_text(report, state, self.current, connected=self.connection is not None,
                           connecting=bool(o.sandbox or o.url or o.user))
        if text != self.status_text:
            self.status_text = text
            self.query_one("#status", Static).update(text, layout=False)  # one line, always (app.tcss)

    # -- steps ----------------------------------------------------------------------------
    def goto(self, key: str) -> None:
        self.reached.add(key)
        self.current = key
        self.steps.show(key)
        self.refresh_stepbar()

    def action_next(self) -> None:
        if self.current == "type" and not self.form.job_type:
            self.notify(_("Choose a job type first (arrows, then Enter)."), severity="warning")
            return
        key = next_key(self.current)
        if key is not None:
            self.goto(key)

    def action_back(self) -> None:
        key = previous_key(self.current)
        if key is not None:
            self.goto(key)

    def action_review(self) -> None:
        self.goto("review")

    def action_goto(self, key: str) -> None:
        self.goto(key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save", "copy", "pager"):
            return self.current == "review"
        if action == "review":
            return self.current != "review"
        if action == "submit":
            return not self.submit_state.sending  # with problems it explains why nothing is sent
        if action == "cancel_submit":
            return self.submit_state.sending
        if action == "back":
            return self.current != "start"
        if action == "next":
            return self.current != "review"
        return True

    def on_screen_resume(self) -> None:
        start = self.steps.ready("start")  # the jobs screen may have learnt the server's zone meanwhile
        if start is not None:
            start.show_info()

    def on_command(self, message: msg.Command) -> None:
        message.stop()
        handler = {"next": self.action_next, "submit": self.action_submit, "cancel_submit": self.action_cancel_submit,
                   "new_job": self.new_job, "follow": self.follow_job}.get(message.name)
        if handler is not None:
            handler()

    # -- workers: one error handler -------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "submit":
            self.submit_worker_changed(worker, event.state)
            return
        if event.state == WorkerState.ERROR:
            context = {
                "sandbox": _("Starting the sandbox"),
                "profiles": _("Reading profiles"),
                "companies": _("Fetching companies"),
                "password": _("Looking up the password"),
            }.get(worker.group, "")
            if worker.group == "sandbox":
                self.show_env(status=_("the sandbox did not start"))
            if worker.group == "password":
                self.password_refused()
            self.app.report_error(worker.error, context)

    # -- review actions -------------------------------------------------------------------
    def _review(self):
        return self.steps.ready("review") if self.current == "review" else None

    def action_save(self) -> None:
        review = self._review()
        if review is not None:
            review.save_job_file()

    def action_copy(self) -> None:
        review = self._review()
        if review is not None:
            review.copy_envelope()

    def action_pager(self) -> None:
        review = self._review()
        if review is not None:
            review.open_pager()

    # -- help -----------------------------------------------------------------------------
    def action_help(self) -> None:
        from ips_tui.tui.help import field_help, step_help
        from ips_tui.tui.screens.modals import HelpScreen

        node = self.focused
        while node is not None and getattr(node, "help_field", None) is None and node is not self:
            node = node.parent
        f = getattr(node, "help_field", None) if node is not None else None
        if f is not None:
            title, body = field_help(f, getattr(node, "path", ""))
        else:
            title, body = step_help(self.current)
        self.app.push_screen(HelpScreen(title, body))

    # -- language -------------------------------------------------------------------------
    def switch_language(self, code: str) -> None:
        """Speak ``code`` from now on, keeping the job in progress: the screen is rebuilt in the new
        language around the same form, connection, submit state and step."""
        from ips_tui import i18n

        if self.submit_state.sending:
            self.notify(_("Wait for the submission to finish before switching the language."), severity="warning")
            return
        if self.draft_pending:
            self.save_draft()
        i18n.set_language(code)
        carry = {"form": self.form, "connection": self.connection, "profiles": self.profiles,
                 "submit": self.submit_state, "current": self.current, "reached": set(self.reached)}
        # The first wizard is the app's default screen, which Textual cannot replace: the new one goes
        # on top of it once, then replaces itself on later switches.
        if self._carry is None:
            self.app.push_screen(WizardScreen(carry))
        else:
            self.app.switch_screen(WizardScreen(carry))

    def _restore_carry(self, carry: dict) -> None:
        self.form, self.profiles = carry["form"], carry["profiles"]
        self.submit_state = carry["submit"]
        if carry["connection"] is not None:
            self.set_connection(carry["connection"])
        else:
            self.show_env()
            self.form_replaced()
        self.reached = carry["reached"]
        if carry["current"] != "start":
            self.goto(carry["current"])
        self.check_now()

    # -- command palette ------------------------------------------------------------------
    def palette_commands(self):
        from textual.app import SystemCommand

        from ips_tui import i18n

        for code, name in (("en", "English"), ("es", "Español")):
            if code != i18n.language():
                yield SystemCommand(f"Language: {name}" if code == "en" else f"Idioma: {name}",
                                    _("Switch the interface language; the job in progress is kept"),
                                    lambda code=code: self.switch_language(code))

        for i, (key, title) in enumerate(STEPS, 1):
            yield SystemCommand(_("Go to step {n}: {title}").format(n=i, title=_(title)),
                                _("Show the {title} step").format(title=_(title)),
                                lambda key=key: self.goto(key))
        yield SystemCommand(_("Submit the job"), _("Send it (F5)"), self.action_submit)
        yield SystemCommand(_("Save as job file"), _("A TOML file the CLI reads (Ctrl+S on Review)"),
                            lambda: (self.goto("review"), self.call_after_refresh(self.action_save)))
        yield SystemCommand(_("Copy the envelope"), _("To the clipboard through the terminal (OSC 52)"),
                            lambda: (self.goto("review"), self.call_after_refresh(self.action_copy)))
        yield SystemCommand(_("Open the envelope in the pager"), os.environ.get("PAGER") or "less",
                            lambda: (self.goto("review"), self.call_after_refresh(self.action_pager)))
        yield SystemCommand(_("Help for the focused field"), "F1", self.action_help)
        yield SystemCommand(_("Profiles"), _("Add, edit, test and delete saved connections (F2)"), self.action_profiles)
        yield SystemCommand(_("Jobs"), _("Active, scheduled and logged jobs of the company; stop, pause, resume (F3)"),
                            self.action_jobs)
        yield SystemCommand(_("History"), _("Past submissions: re-open one as a new draft, save it as a job file (F4)"),
                            self.action_history)
        if self.connection is not None:
            yield SystemCommand(_("Fetch companies from the service"), _("getCompanyMembership"),
                                self.fetch_companies)
        if self.result:
            yield SystemCommand(_("Start a new job"), _("Same profile and company"), self.new_job)
