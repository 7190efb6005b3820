"""The form as the operator changes it: each change lands in the FormState at once (and the field's own
view checks it at once); the whole request — the same rules the CLI uses — is checked once a burst of keys
is over (:data:`CHECK_DELAY`), or at once when something needs the answer (:attr:`Editing.problems`)."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any

from textual import work

from ips_tui.i18n import _
from ips_tui.tui import messages as msg
from ips_tui.tui.form import FormState, default_job_name, locate
from ips_tui.tui.keys import released_after
from ips_tui.tui.turn_timer import TurnTimer
from ips_tui.tui.widgets.rows import FieldRow

if TYPE_CHECKING:  # (the field widgets load with the Fields step, not before the first paint)
    from ips_tui.tui.widgets.fields import ChoiceBox
from ips_tui.tui.wizard.flow import step_of
from ips_tui.tui.wizard.state import Report

#: seconds of quiet after a keystroke before the whole request is checked again
CHECK_DELAY = 0.12
#: from this many lines in the form's lists on, the check after a burst runs in a thread
BIG_FORM_LINES = 2000


class Editing:
    """Mixin of the wizard screen (its message handlers go by name, ``on_…``: Textual's ``@on`` is only
    collected on message-pump classes) (needs ``form``, ``report``, ``form_version``, ``submit_state``)."""

    _stale = False
    _revision = 0  # every change counts one: a check made off the loop applies only to its revision
    _auto_name = ""

    # -- what the rows and steps say -----------------------------------------------------------
    def on_field_row_changed(self, message: FieldRow.Changed) -> None:
        message.stop()
        path, value = message.path, message.value
        if path == "companyHandle":
            self.set_company(value or "")
        elif path == "execTime":
            self.set_timing(exec_time=value or "")
        elif path == "execSchedule":
            self.set_timing(schedule=value or "")
        else:
            self.set_value(path, value)
        self.show_field_check(path)

    def on_choice_box_chosen(self, message: ChoiceBox.Chosen) -> None:
        message.stop()
        if self.form.choices.get(message.key, "") != message.member:
            self.form.choices[message.key] = message.member
            self.changed()

    def on_job_type_chosen(self, message: msg.JobTypeChosen) -> None:
        message.stop()
        # after the next step's focus (deferred, or once its rows are mounted): the keys typed in the same
        # burst as Enter land in its first field
        with released_after(self.app, message.keys_held):
            self.choose_job_type(message.element)
            self.action_next()

    def on_timing_chosen(self, message: msg.TimingChosen) -> None:
        message.stop()
        self.set_timing(mode=message.mode)

    def on_company_chosen(self, message: msg.CompanyChosen) -> None:
        message.stop()
        with released_after(self.app, message.keys_held):  # as after a job type: they land in the next step
            self.set_company(message.handle)
            self.action_next()

    # -- changing the form ---------------------------------------------------------------------
    def set_value(self, path: str, value: Any) -> None:
        values = self.form.values
        if value is None:
            if path not in values:
                return
            values.pop(path, None)
        elif values.get(path) == value:
            return
        else:
            values[path] = value
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
        self.timing = new
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
        email = self.connection.default_email_setting if self.connection else None
        if email and catalog().job(element).child("emailSetting") is not None \
                and not values.get(f"{element}.emailSetting"):
            values[f"{element}.emailSetting"] = email
        self.form_replaced()

    def changed(self) -> None:
        """A change typed or chosen in a row (the row shows it already): check the request soon."""
        self.submit_state = self.submit_state.edited()
        self._stale = True
        self._revision += 1
        self._check_timer.start()  # moved back by each key
        self.schedule_draft()

    def form_replaced(self, *, typed: bool = True) -> None:
        """The form changed in a way the steps do not show yet (a type chosen, a draft, a new job): every
        mounted step reloads from it, and the request is checked now. ``typed=False``: the change came with
        the connection (its default company and locale), not from the operator: no result is cleared and
        no draft written."""
        if typed:
            self.submit_state = self.submit_state.edited()
        self._revision += 1
        f = self.form
        self.timing = (f.timing, f.exec_time, f.exec_schedule)  # what the timing step follows, kept true
        self.form_version += 1
        self.check_now()
        if typed:
            self.schedule_draft()

    # -- the whole-request check ---------------------------------------------------------------
    def show_field_check(self, path: str) -> None:
        """The field's own check, now (the whole request follows after the burst)."""
        if not self._stale or self.connection is None:
            return
        try:
            own = self.form.field_problems(path, now=self.app.clock())
        except Exception:  # a rule the field alone cannot judge: the whole check will
            return
        if own is None:
            return
        report = self.report
        kept = tuple((p, m) for p, m in report.problems if p != path)
        if kept + tuple(own) != report.problems:
            self.report = Report(kept + tuple(own), report.lines)

    @cached_property
    def _check_timer(self) -> TurnTimer:
        return TurnTimer(self, CHECK_DELAY, self._check_due)

    @property
    def check_pending(self) -> bool:
        """A whole-request check is waiting (for the keys to stop, or for its turn)."""
        return self._check_timer.pending

    def on_unmount(self) -> None:
        self._check_timer.cancel()

    def _check_due(self) -> None:
        if sum(v.count("\n") for v in self.form.values.values() if isinstance(v, str)) < BIG_FORM_LINES:
            self.check_now()
            return
        # a list of thousands of lines: checked in a thread on a copy, so the screen keeps answering keys;
        # the result counts only if nothing changed meanwhile (anything that needs it now checks at once)
        self._check_off_loop(FormState.from_dict(self.form.to_dict()), self._revision, self.reached <= {"start"},
                             self.app.clock())

    # (a description of its own: Textual's default is the repr of the arguments, a 10,000-line form per key)
    @work(thread=True, exclusive=True, exit_on_error=False, group="check", description="whole-request check")
    def _check_off_loop(self, form: FormState, revision: int, first_screen: bool, now) -> None:
        with fewer_collections():
            report = report_of(form, first_screen, now)
        self.app.call_from_thread(self._checked_off_loop, revision, report)

    def _checked_off_loop(self, revision: int, report: Report) -> None:
        if revision == self._revision and self._stale:
            self._stale = False
            self.report = report
            settle_big_form()

    def check_now(self) -> None:
        self._check_timer.cancel()  # (one waiting for its turn too: this is the check it would make)
        self._stale = False
        self.report = self.build_report()

    @property
    def problems(self) -> list[tuple[str, str]]:
        """The request's problems as they are now (checked first if a change is waiting)."""
        if self._stale:
            self.check_now()
        return list(self.report.problems)

    def payload(self) -> dict:
        """The SOAP payload the form builds now (raises what JobRequest raises)."""
        return self.form.request().to_payload(now=self.app.clock())

    def build_report(self) -> Report:
        return report_of(self.form, self.reached <= {"start"}, self.app.clock())

    # -- a new form ----------------------------------------------------------------------------
    def new_job(self) -> None:
        """After a success: a fresh form on the same profile and company."""
        company, profile = self.form.company, self.form.profile
        locale = self.form.values.get("locale", "")
        self.form = FormState(profile=profile, company=company, values={"locale": locale})
        self.submit_state = self.submit_state.fresh()
        self._auto_name = ""
        self.reached = {"start", "type"}
        self.form_replaced()
        self.goto("type")

    def resume(self, form: FormState, notice: str | None = None) -> None:
        keep_company = self.form.company
        self.form = form
        if not form.company:
            form.company = keep_company
        self._auto_name = ""
        self.reached = {"start"}
        self.show_env()
        self.form_replaced()
        self.notify(notice or _("Draft restored."))

    # -- going to a problem ----------------------------------------------------------------------
    def on_show_problem(self, message: msg.ShowProblem) -> None:
        message.stop()
        self.go_to_problem(message.path)

    def go_to_problem(self, path: str) -> None:
        """Show the step and the field where a problem is, opening folded groups on the way."""
        self.goto(step_of(path))
        base, _index, _rest = locate(path)
        self.call_after_refresh(self._focus_path, base, 6)

    def _focus_path(self, path: str, tries: int) -> None:
        from ips_tui.tui.widgets.fields import GroupBox
        from ips_tui.tui.widgets.rows import Row

        step = self.steps.ready(step_of(path))
        if step is None:
            return
        rows = list(step.query(Row))
        target = next((r for r in rows if r.path == path), None)
        if target is None and tries > 0:
            # open the deepest folded group on the way to the field, then look again
            closed = [r for r in rows if isinstance(r, GroupBox) and path.startswith(r.path + ".") and not r.is_open]
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


_gc_lock = threading.Lock()
_gc_holds = 0
_gc_threshold: tuple[int, ...] = ()


@contextmanager
def fewer_collections(young: int = 200_000):
    """While a big form is checked: young garbage collections only every ``young`` new objects. The check
    of 10,000 items makes some 40,000 short-lived tables, freed by their reference counts when it ends; at
    Python's usual threshold (700) that is about 40 young collections per key (a bare text area makes 4),
    each of which also brings the next full one nearer. Nested or concurrent checks share one hold."""
    global _gc_holds, _gc_threshold
    with _gc_lock:
        if _gc_holds == 0:
            _gc_threshold = gc.get_threshold()
            gc.set_threshold(max(young, _gc_threshold[0]), *_gc_threshold[1:])
        _gc_holds += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0:
                gc.set_threshold(*_gc_threshold)


def settle_big_form() -> None:
    """After a check of a big form has settled: what is alive now (the list's text, its items, the
    report) is set aside from the cyclic garbage collector. Otherwise each full collection walks those
    200,000 objects again, and the young collections a check makes bring one inside a keystroke every few
    keys (a 200–300 ms pause). Objects set aside are still freed when their last reference goes."""
    gc.freeze()


def report_of(form: FormState, first_screen: bool, now) -> Report:
    """The whole-request check of ``form`` (a pure function: it also runs in a thread, on a copy)."""
    if not form.job_type and first_screen:
        # Still on the first screen: the cheap checks only (the catalogue, babel and the
        # schedule rules load when the job is being built, not while the first screen paints).
        problems = [] if form.company else [("companyHandle", _("required: choose a company or type its handle."))]
        problems.append(("", _("choose a job type.")))
        return Report(tuple(problems), {})
    built = form.build()
    problems = built.all_problems(now=now)
    if not form.job_type:
        problems = [(p, m) if p else (p, _("choose a job type.")) for p, m in problems]
    return Report(tuple(problems), built.lines)


__all__ = ["BIG_FORM_LINES", "CHECK_DELAY", "Editing", "report_of"]
