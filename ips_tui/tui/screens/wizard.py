"""The wizard: Start → Job type → Fields → Details → Timing → Review, one screen, steps built on first visit.

The :class:`~ips_tui.tui.form.FormState` is the truth; every change re-checks the whole request
(the same rules the CLI uses) and puts each problem beside its field. IO (sandbox start, password
lookup, the WSDL, submitting) runs in thread workers; results come back as messages; failures go
through ``app.report_error``.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Static
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _, ngettext
from ips_tui.tui import messages as msg
from ips_tui.tui.form import FormState, default_job_name, locate
from ips_tui.tui.text import translate_bindings
from ips_tui.tui.widgets.chrome import EnvBar, KeyFooter, StepBar

STEPS: list[tuple[str, str]] = [
    ("start", N_("Start")),
    ("type", N_("Job type")),
    ("fields", N_("Fields")),
    ("details", N_("Details")),
    ("timing", N_("Timing")),
    ("review", N_("Review")),
]
STEP_CLASSES = {
    "start": ("ips_tui.tui.steps.start", "StartStep"),
    "type": ("ips_tui.tui.steps.jobtype", "JobTypeStep"),
    "fields": ("ips_tui.tui.steps.fields", "FieldsStep"),
    "details": ("ips_tui.tui.steps.details", "DetailsStep"),
    "timing": ("ips_tui.tui.steps.timing", "TimingStep"),
    "review": ("ips_tui.tui.steps.review", "ReviewStep"),
}
DRAFT_DELAY = 0.4


def step_of(path: str) -> str:
    """Which step shows a problem at ``path``."""
    if path == "":
        return "type"
    if path == "companyHandle":
        return "start"
    if path in ("execTime", "execSchedule"):
        return "timing"
    if path in ("jobName", "locale", "description", "userHandle"):
        return "details"
    return "fields"


class WizardScreen(Screen):
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

    def __init__(self, carry: dict | None = None) -> None:
        super().__init__()
        translate_bindings(self)
        self._carry = carry  # the job in progress, carried across a language switch
        self.form = FormState()
        self.connection = None
        self.current = "start"
        self.reached: set[str] = {"start"}
        self.rows: set = set()
        self.problems: list[tuple[str, str]] = []
        self.lines: dict[str, list[int]] = {}
        self.payload_problems = True
        self._draft_timer = None
        self._auto_name = ""
        self.in_flight = False
        self.submit_token = 0
        self.abandoned: set[int] = set()
        self._submit_workers: dict = {}
        self.result: dict[str, Any] | None = None  # {"handle", "job_name"} after a success
        self.last_error: str = ""
        self.profiles: list = []
        self.status_text = ""

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield EnvBar(id="env")
        yield StepBar(id="stepbar")
        from ips_tui.tui.steps.start import StartStep

        with ContentSwitcher(id="steps", initial="step-start"):
            yield StartStep(id="step-start")
        yield Static(id="status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        opts = self.app.options
        if self._carry is not None:
            # after the first refresh: the start step's own widgets exist by then
            self.call_after_refresh(self._restore_carry, self._carry)
            return
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
        self.goto("start")
        if opts.drafts:
            self.call_after_refresh(self.offer_draft)

    # -- header ---------------------------------------------------------------------------
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
        flagged = {step_of(p) for p, _m in self.problems}
        self.query_one(StepBar).show(STEPS, self.current, flagged, self.reached)
        n = len(self.problems)
        if self.in_flight:
            text = _("Submitting… F5 cancels waiting (the request is not sent again).")
        elif self.result:
            text = _("Submitted as {handle}.").format(handle=self.result["handle"])
        elif self.connection is None:
            # nothing is checked before there is somewhere to send it (the sandbox's companies arrive with it)
            o = self.app.options
            text = _("Connecting…") if o.sandbox or o.url or o.user else _("No profile chosen yet.")
        elif n:
            first = self.problems[0]
            text = ngettext("{n} problem", "{n} problems", n).format(n=n) + " — " + _(dict(STEPS)[step_of(first[0])]) \
                + ": " + first[1]
        else:
            text = _("Ready to submit: Ctrl+R to review, F5 to submit.")
        self.status_text = text
        self.query_one("#status", Static).update(text)

    # -- steps ----------------------------------------------------------------------------
    def step_widget(self, key: str):
        switcher = self.query_one(ContentSwitcher)
        found = switcher.query_children(f"#step-{key}")
        return found.first() if found else None

    def goto(self, key: str) -> None:
        switcher = self.query_one(ContentSwitcher)
        step = self.step_widget(key)
        if step is None:
            module, name = STEP_CLASSES[key]
            cls = getattr(importlib.import_module(module), name)
            step = cls(id=f"step-{key}")
            switcher.mount(step)
        switcher.current = f"step-{key}"
        self.current = key
        self.reached.add(key)
        self.refresh_stepbar()
        self.update_bindings()
        self.call_after_refresh(step.entered)

    def step_index(self) -> int:
        return [k for k, _t in STEPS].index(self.current)

    def action_next(self) -> None:
        if self.current == "type" and not self.form.job_type:
            self.notify(_("Choose a job type first (arrows, then Enter)."), severity="warning")
            return
        i = self.step_index()
        if i < len(STEPS) - 1:
            self.goto(STEPS[i + 1][0])

    def action_back(self) -> None:
        i = self.step_index()
        if i > 0:
            self.goto(STEPS[i - 1][0])

    def action_review(self) -> None:
        self.goto("review")

    def action_goto(self, key: str) -> None:
        self.goto(key)

    def update_bindings(self) -> None:
        """Refresh the footer only when what it shows changes (each refresh rebuilds it)."""
        state = (self.current, bool(self.problems), self.in_flight)
        if state != getattr(self, "_binding_state", None):
            self._binding_state = state
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        review_only = {"save", "copy", "pager"}
        if action in review_only:
            return self.current == "review"
        if action == "review":
            return self.current != "review"
        if action == "submit":
            return not self.in_flight  # with problems it explains why nothing is sent
        if action == "cancel_submit":
            return self.in_flight
        if action == "back":
            return self.current != "start"
        if action == "next":
            return self.current != "review"
        return True

    # -- the form -------------------------------------------------------------------------
    def register_row(self, row) -> None:
        self.rows.add(row)
        row.set_problems(self.problems, self.lines)

    def unregister_row(self, row) -> None:
        self.rows.discard(row)

    def set_value(self, path: str, value: Any) -> None:
        old = self.form.values.get(path)
        if value is None:
            if path not in self.form.values:
                return
            self.form.values.pop(path, None)
        else:
            if old == value:
                return
            self.form.values[path] = value
        self.changed()

    def set_choice(self, key: str, member: str) -> None:
        if self.form.choices.get(key, "") == member:
            return
        self.form.choices[key] = member
        self.changed()

    def set_company(self, handle: str) -> None:
        if self.form.company == handle:
            return
        self.form.company = handle
        self.show_env()
        self.changed()

    def set_timing(self, mode: str | None = None, exec_time: str | None = None, schedule: str | None = None) -> None:
        f = self.form
        new = (mode if mode is not None else f.timing,
               exec_time if exec_time is not None else f.exec_time,
               schedule if schedule is not None else f.exec_schedule)
        if new == (f.timing, f.exec_time, f.exec_schedule):
            return
        f.timing, f.exec_time, f.exec_schedule = new
        self.changed()

    def choose_job_type(self, element: str) -> None:
        from ips_tui.ips.catalog import catalog

        if self.form.job_type == element:
            return
        self.form.job_type = element
        values = self.form.values
        name = values.get("jobName", "")
        if not name or name == self._auto_name:
            self._auto_name = default_job_name(element, self.app.clock().astimezone(self.app.local_zone()))
            values["jobName"] = self._auto_name
            details = self.step_widget("details")
            if details is not None and details.is_mounted:  # else it shows the name when it mounts
                details.load()
        email = self.connection.default_email_setting if self.connection else None
        job = catalog().job(element)
        if email and job.child("emailSetting") is not None and not values.get(f"{element}.emailSetting"):
            values[f"{element}.emailSetting"] = email
        fields = self.step_widget("fields")
        if fields is not None and fields.is_mounted:
            fields.rebuild()
        self.changed()

    def has_values(self, prefix: str) -> bool:
        return any(k.startswith(prefix) and v not in ("", None) for k, v in self.form.values.items())

    def changed(self) -> None:
        self.result = None if self.result and not self.in_flight else self.result
        self.revalidate()
        self.schedule_draft()

    def revalidate(self) -> None:
        if not self.form.job_type and self.reached <= {"start"}:
            # Still on the first screen: the cheap checks only (the catalogue, babel and the
            # schedule rules load when the job is being built, not while the first screen paints).
            self.lines = {}
            self.problems = [] if self.form.company else [
                ("companyHandle", _("required: choose a company or type its handle."))]
            self.problems.append(("", _("choose a job type.")))
            self.refresh_problems()
            return
        built = self.form.build()
        self.lines = built.lines
        problems = built.all_problems(now=self.app.clock())
        if not self.form.job_type:
            problems = [(p, m) if p else (p, _("choose a job type.")) for p, m in problems]
        self.problems = problems
        self.refresh_problems()

    def refresh_problems(self) -> None:
        for row in list(self.rows):
            if row.is_attached:
                row.set_problems(self.problems, self.lines)
        self.refresh_stepbar()
        self.update_bindings()
        review = self.step_widget("review")
        # Keys typed faster than a step appears (Enter on a job type, then Ctrl+R at once) change the form
        # while it is still mounting: it has nothing to update yet, and shows the form as it is once mounted.
        if review is not None and review.is_mounted and self.current == "review":
            review.refresh_view()

    def problems_at(self, path: str) -> list[str]:
        return [m for p, m in self.problems if p == path]

    # -- connection -----------------------------------------------------------------------
    def set_connection(self, connection) -> None:
        self.connection = connection
        from ips_tui.tui.reconcile import reconcile_at_start

        self.call_after_refresh(reconcile_at_start, self.app, connection)
        if not self.form.company and connection.default_company:
            self.form.company = connection.default_company
        if not self.form.values.get("locale"):
            from ips_tui.tui.text import ui_locale_code

            self.form.values["locale"] = connection.default_locale or ui_locale_code()
        self.form.profile = connection.name
        self.show_env()
        start = self.step_widget("start")
        if start is not None:
            start.load()
        self.revalidate()

    @work(thread=True, exclusive=True, exit_on_error=False, group="sandbox")
    def start_sandbox(self) -> None:
        from ips_tui.sandbox import Sandbox
        from ips_tui.tui.connection import Connection, sandbox_profile

        sandbox = Sandbox(port=0).start()
        self.app.sandbox = sandbox
        self.post_message(msg.SandboxReady(Connection(sandbox_profile(sandbox), password=sandbox.password)))

    def on_sandbox_ready(self, message: msg.SandboxReady) -> None:
        self.set_connection(message.connection)

    def connect_command_line(self) -> None:
        from ips_tui.tui.connection import Connection, command_line_profile

        opts = self.app.options
        if not (opts.url and opts.user):
            self.app.report_error(ValueError(_("--url and --user go together")))
            self.load_profiles()
            return
        profile = command_line_profile(opts.url, opts.user, opts.cacert)
        password = opts.env.get("IPS_PASSWORD") or None
        self.set_connection(Connection(profile, password=password, command_line=True))
        if not self.connection.companies:
            self.fetch_companies()

    @work(thread=True, exclusive=True, exit_on_error=False, group="profiles")
    def load_profiles(self) -> None:
        from ips_tui.store.profiles import ProfileStore

        store = ProfileStore(self.app.options.config_dir)
        data = store.load()
        self.app.call_from_thread(self.profiles_loaded, list(data.profiles.values()), data.default_profile)

    def action_profiles(self) -> None:
        """The profile manager; the profile it hands back (u) becomes the wizard's."""
        from ips_tui.store.profiles import ProfileStore
        from ips_tui.tui.screens.profiles import ProfilesScreen

        o = self.app.options

        def closed(name: str | None) -> None:
            if name:
                self._wanted_profile = name
            if not (o.sandbox or o.connection is not None or o.url or o.user):
                self.load_profiles()

        self.app.push_screen(ProfilesScreen(store=ProfileStore(o.config_dir), env=o.env, state_dir=o.state_dir,
                                            timeout=o.timeout), closed)

    def profiles_loaded(self, profiles: list, default: str | None) -> None:
        self.profiles = sorted(profiles, key=lambda p: p.name.lower())
        wanted = getattr(self, "_wanted_profile", None) or self.app.options.profile or default
        chosen = next((p for p in profiles if p.name == wanted), profiles[0] if profiles else None)
        if self.app.options.profile and (chosen is None or chosen.name != self.app.options.profile):
            self.app.report_error(LookupError(_("no profile named {name}").format(name=self.app.options.profile)))
        start = self.step_widget("start")
        if start is not None:
            start.load()
        if chosen is not None:
            self.use_profile(chosen)
        else:
            self.show_env(status=_("no profiles yet: start with --sandbox, or --url URL --user EMAIL"))

    def use_profile(self, profile) -> None:
        from ips_tui.tui.connection import Connection

        if profile.environment == "sandbox" or getattr(profile, "sandbox", False):
            self.start_sandbox()
            return
        keep_company = self.form.company if profile.name == self.form.profile else ""
        self.form.company = keep_company
        self.set_connection(Connection(profile))
        if not self.connection.companies:
            self.fetch_companies()  # asks for the password first when no variable or keyring has it

    # -- password -------------------------------------------------------------------------
    def need_password(self, then: str) -> bool:
        """True when the password is known; otherwise look it up (env, keyring) or ask, then ``then``."""
        if self.connection is None:
            self.notify(_("Choose a profile first."), severity="warning")
            return False
        if self.connection.password:
            return True
        self.resolve_password(then)
        return False

    @work(thread=True, exclusive=True, exit_on_error=False, group="password")
    def resolve_password(self, then: str) -> None:
        password = self.connection.stored_password(self.app.options.env)
        if password is None:
            question = _("Password for {user} at {url}").format(user=self.connection.user,
                                                                url=self.connection.shown_url())
            self.post_message(msg.PasswordNeeded(question, then))
            return
        self.post_message(msg.PasswordResolved(password, then))

    def on_password_needed(self, message: msg.PasswordNeeded) -> None:
        from ips_tui.tui.screens.modals import PasswordScreen

        def done(password: str | None) -> None:
            if password:
                self.post_message(msg.PasswordResolved(password, message.then))
            else:
                self.notify(_("No password given: nothing was sent."), severity="warning")

        self.app.push_screen(PasswordScreen(message.question), done)

    def on_password_resolved(self, message: msg.PasswordResolved) -> None:
        self.connection.password = message.password
        if message.then == "submit":
            self.action_submit()
        elif message.then == "companies":
            self.fetch_companies()
        elif message.then == "jobs":
            self.action_jobs()

    # -- companies ------------------------------------------------------------------------
    def fetch_companies(self) -> None:
        if self.need_password("companies"):
            self._fetch_companies(self.connection)

    @work(thread=True, exclusive=True, exit_on_error=False, group="companies")
    def _fetch_companies(self, connection) -> None:
        client = connection.client(timeout=self.app.options.timeout)
        try:
            items = client.get_company_membership()
        finally:
            client.close()
        companies = {}
        for item in items:
            company = item.get("company") or item
            name, handle = company.get("name"), company.get("companyHandle")
            if handle:
                companies[name or handle] = handle
        self.post_message(msg.CompaniesLoaded(companies))

    def on_companies_loaded(self, message: msg.CompaniesLoaded) -> None:
        self.connection.companies.update(message.companies)
        if not self.form.company and message.companies:
            self.form.company = next(iter(message.companies.values()))
        start = self.step_widget("start")
        if start is not None:
            start.load()
        self.show_env()
        self.revalidate()

    # -- workers: one error handler -------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state == WorkerState.ERROR:
            error = worker.error
            if worker.group == "submit":
                self.submit_failed(worker, error)
                return
            context = {
                "sandbox": _("Starting the sandbox"),
                "profiles": _("Reading profiles"),
                "companies": _("Fetching companies"),
                "password": _("Looking up the password"),
                "envelope": _("Building the envelope"),
            }.get(worker.group, "")
            if worker.group == "sandbox":
                self.show_env(status=_("the sandbox did not start"))
            text = self.app.report_error(error, context)
            if worker.group == "envelope":
                review = self.step_widget("review")
                if review is not None:
                    review.show_envelope_error(text)
        elif event.state == WorkerState.SUCCESS and worker.group == "submit":
            token, handle, detail = worker.result
            if handle is None:  # not sent: an earlier submission of the same job may be on the service
                self._submit_workers.pop(worker, None)
                self.ask_about_earlier(token, detail)
            else:
                self.post_message(msg.Submitted(token, handle, detail))

    # -- envelope -------------------------------------------------------------------------
    def payload(self):
        from ips_tui.job.request import JobRequest

        return JobRequest(self.form.build().data).to_payload(now=self.app.clock())

    @work(thread=True, exclusive=True, exit_on_error=False, group="envelope")
    def build_envelope(self, key: str, payload: dict) -> None:
        from ips_tui.ips.client import IpsClient

        c = self.connection
        if c is None:
            client = IpsClient(None, None, None)
        else:
            client = IpsClient(c.url, c.user, c.password or "", cacert=getattr(c.profile, "cacert", None))
        envelope = client.build_envelope("submitJob", payload, mask_password=True).decode("utf-8")
        client.close()
        if c is not None and c.display_url:
            envelope = envelope.replace(c.url, c.display_url)
        self.post_message(msg.EnvelopeReady(key, envelope))

    def on_envelope_ready(self, message: msg.EnvelopeReady) -> None:
        review = self.step_widget("review")
        if review is not None:
            review.show_envelope(message.key, message.envelope)

    # -- submit ---------------------------------------------------------------------------
    def action_submit(self) -> None:
        if self.in_flight:
            return
        self.revalidate()
        if self.problems:
            n = len(self.problems)
            self.notify(ngettext("Not sent: fix {n} problem first (listed on Review).",
                                 "Not sent: fix {n} problems first (listed on Review).", n).format(n=n),
                        severity="warning")
            self.goto("review")
            return
        if self.connection is None:
            self.notify(_("Choose a profile first."), severity="warning")
            return
        if not self.need_password("submit"):
            return
        if not self.result and self.abandoned and not getattr(self, "_again", False):
            self.confirm_then_submit(
                "_again", _("Submit again?"),
                _("You stopped waiting for an earlier submission of this job; the service may have accepted "
                  "it. Check the job list first: submitting again may create a second job."),
                _("Submit anyway"), _("No"))
            return
        if self.result and not getattr(self, "_again", False):
            self.confirm_then_submit(
                "_again", _("Submit again?"),
                _("This job was already submitted as {handle}. Submitting again creates a second job.").format(
                    handle=self.result["handle"]),
                _("Submit a second job"), _("No"))
            return
        if self.connection.environment == "production" and not getattr(self, "_confirmed", False):
            self.confirm_then_submit(
                "_confirmed", _("Submit to PRODUCTION?"),
                _("This job runs for real on {url} for company {company}.").format(
                    url=self.connection.shown_url(), company=self.form.company),
                _("Submit to production"), _("Not now"), danger=True)
            return
        payload = self.payload()
        self._sent_at = self.app.clock()
        self.submit_token += 1
        self.in_flight = True
        self.last_error = ""
        self.update_bindings()
        self.refresh_stepbar()
        review = self.step_widget("review")
        if review is not None:
            review.refresh_view()
        from ips_tui.follow.submit import Submission
        from ips_tui.job.request import JobRequest

        submission = Submission.from_request(JobRequest(self.form.build().data), payload, source="tui")
        worker = self._submit(self.submit_token, self.connection, submission,
                              check_earlier=not getattr(self, "_again", False))
        self._submit_workers[worker] = self.submit_token

    @work(thread=True, exclusive=False, exit_on_error=False, group="submit")
    def _submit(self, token: int, connection, submission, check_earlier: bool = True):
        """Journal (pending, then sent), send once, journal the answer. Never retried. When the journal
        shows this same request was sent before and may be on the service (a dropped session, a crash),
        nothing is sent: the operator is asked first."""
        from ips_tui.follow.submit import earlier_attempt, record, send

        journal = entry = None
        try:
            from ips_tui.store.journal import open_journal

            journal = open_journal(self.app.options.state_dir)
            if check_earlier:
                earlier = earlier_attempt(journal, submission, url=connection.url, user=connection.user)
                if earlier is not None:
                    journal.close()
                    return token, None, earlier
            [entry] = record(journal, [submission], url=connection.url, user=connection.user,
                             profile=connection.name, timeout=self.app.options.timeout)
        except Exception as error:  # the journal is a record, not a gate: say so and send anyway
            from ips_tui.tui.text import error_text

            self.app.call_from_thread(self.notify, _("The submission journal could not be written: {error}").format(
                error=error_text(error)), severity="warning")
            if journal is not None:
                journal.close()
            journal = entry = None
        client = connection.client(timeout=self.app.options.timeout)
        try:
            handle = send(journal, entry, client, submission)
        finally:
            client.close()
            if journal is not None:
                journal.close()
        return token, handle, submission.job_name

    def ask_about_earlier(self, token: int, earlier) -> None:
        """The journal has this same job, sent before and maybe on the service: say what is known, and
        send a second one only if the operator says so."""
        if token in self.abandoned:
            return
        self.in_flight = False
        self.after_submit_state()
        when = (earlier.sent_at or earlier.created)[:19].replace("T", " ")
        if earlier.state == "reconciled":
            body = _("This same job was sent at {when} UTC (submission #{id}) and is on the service as {handle}; "
                     "its answer had been lost. Submitting again creates a second job.").format(
                when=when, id=earlier.id, handle=earlier.handle)
        else:
            body = _("This same job was sent at {when} UTC (submission #{id}) and no answer came: it may already be "
                     "on the service. F3 shows the company's jobs. Submitting again may create a second job.").format(
                when=when, id=earlier.id)
        self.confirm_then_submit("_again", _("Sent before?"), body, _("Submit a second job"), _("No"))

    def confirm_then_submit(self, flag: str, title: str, body: str, yes: str, no: str, *,
                            danger: bool = False) -> None:
        """Ask; on yes, submit again with ``flag`` set, so the question that was answered is not asked twice."""
        from ips_tui.tui.screens.modals import ConfirmScreen

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                setattr(self, flag, True)
                try:
                    self.action_submit()
                finally:
                    setattr(self, flag, False)

        self.app.push_screen(ConfirmScreen(title, body, yes, no, danger=danger), answer)

    def action_cancel_submit(self) -> None:
        """Stop waiting for the answer. Nothing is sent again; a late answer is still reported."""
        if not self.in_flight:
            return
        self.abandoned.add(self.submit_token)
        self.in_flight = False
        self.last_error = _("Stopped waiting. The request had been sent and may still be accepted: "
                            "check the job list before submitting again.")
        self.notify(self.last_error, severity="warning", timeout=10)
        self.after_submit_state()

    def on_submitted(self, message: msg.Submitted) -> None:
        if message.token in self.abandoned:
            self.notify(_("The submission you stopped waiting for was accepted after all: {handle}").format(
                handle=message.handle), severity="warning", timeout=20)
            self.result = self._result(message)
        else:
            self.in_flight = False
            self.result = self._result(message)
            self.notify(_("Submitted: {handle}").format(handle=message.handle), title=_("Done"))
        self.discard_draft()
        self.after_submit_state()
        review = self.step_widget("review")
        if review is not None and self.current == "review":
            self.call_after_refresh(review.query_one("#follow").focus)

    def _result(self, message: msg.Submitted) -> dict[str, Any]:
        return {"handle": message.handle, "job_name": message.job_name, "since": getattr(self, "_sent_at", None),
                "timed": self.form.timing != "now"}

    def submit_failed(self, worker: Worker, error: BaseException) -> None:
        token = self._submit_workers.pop(worker, self.submit_token)
        if token in self.abandoned:
            from ips_tui.tui.text import error_text

            self.notify(_("The submission you stopped waiting for failed: {error}").format(error=error_text(error)),
                        severity="warning", timeout=20)
            return
        self.in_flight = False
        self.last_error = self.app.report_error(error, _("Not submitted"))
        self.after_submit_state()

    def after_submit_state(self) -> None:
        self.update_bindings()
        self.refresh_stepbar()
        review = self.step_widget("review")
        if review is not None:
            review.refresh_view()

    def new_job(self) -> None:
        """After a success: a fresh form on the same profile and company."""
        company, profile = self.form.company, self.form.profile
        locale = self.form.values.get("locale", "")
        self.form = FormState(profile=profile, company=company, values={"locale": locale})
        self.result = None
        self._auto_name = ""
        for key in ("type", "fields", "details", "timing", "review"):
            step = self.step_widget(key)
            if step is not None:
                step.remove()
        self.reached = {"start", "type"}
        self.revalidate()
        self.goto("type")

    def go_to_problem(self, path: str) -> None:
        """Show the step and the field where a problem is, opening folded groups on the way."""
        self.goto(step_of(path))
        base, _index, _rest = locate(path)
        self.call_after_refresh(self._focus_path, base, 6)

    def _focus_path(self, path: str, tries: int) -> None:
        from ips_tui.tui.widgets.fields import GroupBox

        target = next((r for r in self.rows if r.path == path and r.is_attached), None)
        if target is None and tries > 0:
            # open the deepest folded group on the way to the field, then look again
            groups = [r for r in self.rows if isinstance(r, GroupBox) and path.startswith(r.path + ".")]
            closed = [g for g in groups if not g.is_open]
            if closed:
                max(closed, key=lambda g: len(g.path)).open()
            self.call_after_refresh(self._focus_path, path, tries - 1)
            return
        if target is None:
            return
        focusable = [w for w in target.query("*") if w.focusable]
        if focusable:
            focusable[0].focus()
        target.scroll_visible()

    def follow_job(self) -> None:
        from ips_tui.tui.screens.follow import FollowScreen

        if self.result and self.connection is not None:
            self.app.push_screen(FollowScreen(self.connection, self.form.company, self.result["handle"],
                                              self.result["job_name"], since=self.result.get("since"),
                                              timed=bool(self.result.get("timed"))))

    # -- jobs and history -----------------------------------------------------------------
    def action_jobs(self) -> None:
        """The jobs screen for the chosen company."""
        from ips_tui.tui.screens.jobs import JobsScreen

        if self.connection is None:
            self.notify(_("Choose a profile first."), severity="warning")
            return
        if not self.form.company.strip():
            self.notify(_("Choose a company first: the jobs screen shows one company's jobs."), severity="warning")
            return
        if not self.need_password("jobs"):
            return
        focus = self.result["job_name"] if self.result else None
        self.app.push_screen(JobsScreen(self.connection, self.form.company.strip(), focus_name=focus))

    def action_history(self) -> None:
        """The submission journal; an entry re-opened there comes back here as a new draft."""
        from ips_tui.tui.screens.history import HistoryScreen

        def closed(result) -> None:
            if result and result[0] == "draft":
                self.reopen(result[1])

        self.app.push_screen(HistoryScreen(self.connection, self.app.options.state_dir), closed)

    def reopen(self, entry) -> None:
        """A past submission as a new draft: the form filled from its job file, on the Review step."""
        if self.in_flight:
            self.notify(_("Wait for the submission to finish first."), severity="warning")
            return
        form = FormState.from_request(entry.job_request().data, profile=self.form.profile)
        if not form.values.get("locale") and self.form.values.get("locale"):
            form.values["locale"] = self.form.values["locale"]
        self.result = None
        self.last_error = ""
        self.resume(form, notice=_("Submission #{id} re-opened as a new draft: check it, then F5 submits it "
                                   "again.").format(id=entry.id))
        self.reached = {k for k, _t in STEPS}
        self.call_after_refresh(self.goto, "review")  # after the old steps are gone
        self.schedule_draft()

    # -- review actions -------------------------------------------------------------------
    def action_save(self) -> None:
        review = self.step_widget("review")
        if review is not None:
            review.save_job_file()

    def action_copy(self) -> None:
        review = self.step_widget("review")
        if review is not None:
            review.copy_envelope()

    def action_pager(self) -> None:
        review = self.step_widget("review")
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

    # -- drafts ---------------------------------------------------------------------------
    def schedule_draft(self) -> None:
        if not self.app.options.drafts:
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY, self.save_draft)

    def save_draft(self) -> None:
        from ips_tui.store.drafts import save_draft

        self._draft_timer = None
        if self.form.is_blank:
            return
        self.form.saved_at = self.app.clock().isoformat()
        try:
            save_draft(self.form.to_dict(), state_dir=self.app.options.state_dir)
        except OSError as error:
            self.app.report_error(error, _("Saving the draft"))

    def discard_draft(self) -> None:
        from ips_tui.store.drafts import discard_draft

        if self._draft_timer is not None:
            self._draft_timer.stop()
            self._draft_timer = None
        try:
            discard_draft(state_dir=self.app.options.state_dir)
        except OSError:
            pass

    def offer_draft(self) -> None:
        from ips_tui.store.drafts import discard_draft, orphaned_draft

        draft = orphaned_draft(state_dir=self.app.options.state_dir)
        if draft is None:
            return
        form = FormState.from_dict(draft.form)
        if form.is_blank:
            discard_draft(draft.path)
            return
        from ips_tui.tui.screens.modals import ConfirmScreen

        what = form.values.get("jobName") or form.job_type or _("an unnamed job")
        when = form.saved_at or ""
        try:
            from datetime import datetime

            from ips_tui.tui.text import format_when

            when = format_when(datetime.fromisoformat(when), self.app.local_zone())
        except (ValueError, TypeError):
            pass

        def answer(resume: bool | None) -> None:
            if resume:
                self.resume(form)
            discard_draft(draft.path)
            if resume:
                self.save_draft()

        self.app.push_screen(ConfirmScreen(
            _("Resume your draft?"),
            _("A form you were filling in was not submitted (the session ended): {what}, saved {when}.").format(
                what=what, when=when),
            _("Resume"), _("Discard")), answer)

    def resume(self, form: FormState, notice: str | None = None) -> None:
        keep_company = self.form.company
        self.form = form
        if not form.company:
            form.company = keep_company
        self._auto_name = ""
        for key in ("type", "fields", "details", "timing", "review"):
            step = self.step_widget(key)
            if step is not None:
                step.remove()
        self.reached = {"start"}
        start = self.step_widget("start")
        if start is not None:
            start.load()
        self.show_env()
        self.revalidate()
        self.notify(notice or _("Draft restored."))

    # -- language -------------------------------------------------------------------------
    def switch_language(self, code: str) -> None:
        """Speak ``code`` from now on, keeping the job in progress: the screen is rebuilt in the new
        language around the same form, connection and step."""
        from ips_tui import i18n

        if self.in_flight:
            self.notify(_("Wait for the submission to finish before switching the language."), severity="warning")
            return
        if self._draft_timer is not None:
            self._draft_timer.stop()
            self.save_draft()
        i18n.set_language(code)
        carry = {"form": self.form, "connection": self.connection, "profiles": self.profiles,
                 "result": self.result, "current": self.current}
        # The first wizard is the app's default screen, which Textual cannot replace: the new one goes
        # on top of it once, then replaces itself on later switches.
        if self._carry is None:
            self.app.push_screen(WizardScreen(carry))
        else:
            self.app.switch_screen(WizardScreen(carry))

    def _restore_carry(self, carry: dict) -> None:
        self.form, self.profiles, self.result = carry["form"], carry["profiles"], carry["result"]
        if carry["connection"] is not None:
            self.set_connection(carry["connection"])
        else:
            self.show_env()
        self.goto("start")
        if carry["current"] != "start":
            self.goto(carry["current"])
        self.revalidate()

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
