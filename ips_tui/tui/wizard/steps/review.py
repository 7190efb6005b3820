"""Step 6: what will be sent — problems left, a summary, the exact envelope (password masked) — and Submit."""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ips_tui.i18n import _, ngettext
from ips_tui.tui.messages import Command, ShowProblem
from ips_tui.tui.wizard.flow import TITLES, step_of
from ips_tui.tui.wizard.steps.base import Step, Title


class ReviewStep(Step):
    DEFAULT_CSS = """
    ReviewStep #problems { height: auto; max-height: 8; }
    ReviewStep #summary { height: auto; }
    ReviewStep #envelope { height: 12; }
    ReviewStep .actions { height: auto; margin: 1 0; }
    ReviewStep .actions Button { margin-right: 1; }
    ReviewStep .actions.-narrow { layout: grid; grid-size: 2; grid-columns: auto auto; grid-rows: 1;
                                  grid-gutter: 0 1; }
    ReviewStep .actions.-narrow Button { margin-right: 0; }
    ReviewStep #result { height: auto; padding: 0 1; display: none; }
    ReviewStep #result.-shown { display: block; }
    ReviewStep #result.-ok { border: tall $success; }
    ReviewStep #result.-error { border: tall $error; }
    ReviewStep #result.-busy { border: tall $warning; }
    ReviewStep #result-actions { height: auto; display: none; }
    ReviewStep #result-actions.-shown { display: block; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.envelope_key = ""
        self.envelope = ""
        self._was_done = False

    def compose(self) -> ComposeResult:
        yield Title(_("Review and submit"))
        yield Static(id="result")
        with Horizontal(id="result-actions", classes="actions"):
            yield Button(_("Follow the job"), id="follow", compact=True)
            yield Button(_("Copy the handle"), id="copy-handle", compact=True)
            yield Button(_("New job"), id="new-job", compact=True)
        yield Static(id="problems-title", classes="section")
        yield OptionList(id="problems")
        with Horizontal(classes="actions"):
            yield Button(_("Submit F5"), id="submit", variant="primary", compact=True)
            yield Button(_("Save job file ^S"), id="save", compact=True)
            yield Button(_("Copy envelope ^Y"), id="copy", compact=True)
            yield Button(_("Pager ^O"), id="pager", compact=True)
        yield Static(_("Summary"), classes="section", id="summary-title")
        yield Static(id="summary")
        yield Static(_("Envelope (password masked)"), classes="section")
        yield TextArea("", id="envelope", read_only=True, soft_wrap=False, compact=True)

    def on_resize(self) -> None:
        self.fit_actions()

    def fit_actions(self) -> None:
        """A row of buttons too wide for the step goes to two columns, so no button is past the edge."""
        from rich.cells import cell_len

        room = self.content_size.width - 2  # (the step's scrollbar)
        for row in self.query(".actions"):
            labels = [str(b.label) for b in row.query(Button)]
            needed = sum(cell_len(label) + 3 for label in labels)  # its padding and the gap after it
            row.set_class(needed > room, "-narrow")

    def on_mount(self) -> None:
        self.refresh_view()
        # the views of the two values the wizard owns; built only while Review is on screen
        self.watch(self.screen, "report", self._changed, init=False)
        self.watch(self.screen, "submit_state", self._changed, init=False)

    def _changed(self, _value) -> None:
        if self.shown:
            self.refresh_view()
            done = self.wizard.submit_state.done
            if done and not self._was_done:
                self.query_one("#follow", Button).focus()  # what comes next: follow the job
            self._was_done = done

    def load(self) -> None:
        if self.shown:
            self.refresh_view()

    def entered(self) -> None:
        self.refresh_view()
        w = self.wizard
        if w.result:
            self.query_one("#follow", Button).focus()
        elif w.problems:
            # the list sits under the title; scrolling "to" it while the step still lays out could leave
            # the title and the problem count above the view, so the step starts at its top instead
            self.query_one("#problems", OptionList).focus(scroll_visible=False)
            self.scroll_home(animate=False)
        else:
            self.query_one("#submit", Button).focus()

    # -- what is shown --------------------------------------------------------------------
    def refresh_view(self) -> None:
        w = self.wizard
        state = w.submit_state
        problems = w.problems
        # result / error panel
        result = self.query_one("#result", Static)
        actions = self.query_one("#result-actions")
        if state.done:
            result.update(Text.assemble(("✓ " + _("Submitted."), "bold"), "  ",
                                        _("Job handle: {handle}").format(handle=state.handle)))
            result.set_classes("-shown -ok")
            actions.add_class("-shown")
        elif state.sending:
            result.update(Text(_("Submitting… the screen stays usable; F5 stops waiting (nothing is sent "
                                 "again).")))
            result.set_classes("-shown -busy")
            actions.remove_class("-shown")
        elif state.error:
            result.update(Text.assemble(("✗ " + _("Not submitted") + ": ", "bold"), state.error, "\n",
                                        _("Everything you typed is kept: fix it and press F5 again.")))
            result.set_classes("-shown -error")
            actions.remove_class("-shown")
        else:
            result.set_classes("")
            actions.remove_class("-shown")
        # problems
        title = self.query_one("#problems-title", Static)
        options = self.query_one("#problems", OptionList)
        options.clear_options()
        if problems:
            n = len(problems)
            title.update(ngettext("{n} problem: Submit is refused until it is fixed (Enter goes to it)",
                                  "{n} problems: Submit is refused until they are fixed (Enter goes to one)",
                                  n).format(n=n))
            for i, (path, message) in enumerate(problems):
                where = self.where(path) or _(TITLES[step_of(path)])
                options.add_option(Option(Text.assemble(("✗ ", "bold"), (where, "bold"), f": {message}"),
                                          id=str(i)))
            options.display = True
            options.highlighted = 0
        else:
            title.update(_("No problems: ready to submit."))
            options.display = False
        submit = self.query_one("#submit", Button)
        label = _("Cancel waiting F5") if state.sending else _("Submit F5")
        if str(submit.label) != label:  # a longer label may no longer fit the row
            submit.label = label
            self.fit_actions()
        submit.variant = "warning" if state.sending else "primary"
        submit.disabled = bool(problems) and not state.sending
        # summary: short labels, values that wrap
        from ips_tui.tui.wizard.summary import summary_grid, summary_rows

        built = w.form.build()
        rows = []
        c = w.connection
        if c is not None:
            from ips_tui.environments import ENVIRONMENT_WORDS

            rows.append((_("Send to"), f"{_(ENVIRONMENT_WORDS.get(c.environment, ''))} · {c.user} @ {c.shown_url()}"))
        if w.form.timing == "now":
            rows.append((_("When"), _("now")))
        rows += summary_rows(built.data, w.form.job_type)
        self.query_one("#summary", Static).update(summary_grid(rows))
        # envelope
        if problems:
            self.envelope_key = ""
            self.envelope = ""
            self.set_envelope_text(_("(the envelope is built when there are no problems left)"))
        else:
            from ips_tui.resolve.refs import UnresolvedReferences

            try:
                payload = w.payload()
            except UnresolvedReferences:  # names: the envelope's worker asks the service for the handles first
                payload = None
            except Exception as error:  # a rule the live check did not see
                self.set_envelope_text(str(error))
                return
            key = hashlib.sha256(json.dumps(payload if payload is not None else built.data, default=str,
                                            sort_keys=True).encode()).hexdigest()
            if key != self.envelope_key:
                self.envelope_key = key
                self.envelope = ""
                self.set_envelope_text(_("building the envelope…"))
                self.build_envelope(key, payload)

    @work(thread=True, exclusive=True, exit_on_error=False, group="envelope")
    def build_envelope(self, key: str, payload: dict) -> None:
        """The exact envelope, password masked (zeep loads on first use: off the event loop)."""
        from ips_tui.connection import offline_client

        c = self.wizard.connection
        if payload is None:  # names, paths, searches: the handles Submit will send (the pickers' session)
            from ips_tui.resolve.submit import resolved_payload
            from ips_tui.tui.pickers.session import session_getter

            payload, _steps = resolved_payload(self.wizard.form.request(), session_getter(self.wizard),
                                               now=self.app.clock())
        client = offline_client() if c is None else c.client(locale="", password=c.password or "")
        try:
            envelope = client.build_envelope("submitJob", payload, mask_password=True).decode("utf-8")
        finally:
            client.close()
        if c is not None and c.display_url:
            envelope = envelope.replace(c.url, c.display_url)
        self.app.call_from_thread(self.show_envelope, key, envelope)

    def on_worker_state_changed(self, event) -> None:
        from textual.worker import WorkerState

        if event.worker.group == "envelope" and event.state == WorkerState.ERROR:
            event.stop()
            self.show_envelope_error(self.app.report_error(event.worker.error, _("Building the envelope")))

    def where(self, path: str) -> str:
        """``uploadUrlsJob.urlArray[2].sourceUrl`` -> ``URLs line 3 sourceUrl`` (the form's label, the line
        numbers the list shows)."""
        from ips_tui.tui.form import locate
        from ips_tui.tui.wizard.summary import label_for

        base, index, rest = locate(path)
        if index is None:
            return label_for(path)
        numbers = self.wizard.report.lines.get(base, [])
        line = numbers[index] if index < len(numbers) else index + 1
        return f"{label_for(base)} " + _("line {n}").format(n=line) + (f" {rest}" if rest else "")

    def set_envelope_text(self, text: str) -> None:
        area = self.query_one("#envelope", TextArea)
        if area.text != text:
            area.load_text(text)

    def show_envelope(self, key: str, envelope: str) -> None:
        if key != self.envelope_key:
            return
        self.envelope = envelope
        self.set_envelope_text(envelope)

    def show_envelope_error(self, text: str) -> None:
        self.envelope_key = ""
        self.set_envelope_text(text)

    # -- actions --------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        try:
            path, _m = self.wizard.problems[int(event.option.id)]
        except (ValueError, IndexError):
            return
        self.post_message(ShowProblem(path))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        w = self.wizard
        bid = event.button.id
        if bid == "submit":
            self.post_message(Command("cancel_submit" if w.submit_state.sending else "submit"))
        elif bid == "save":
            self.save_job_file()
        elif bid == "copy":
            self.copy_envelope()
        elif bid == "pager":
            self.open_pager()
        elif bid == "copy-handle" and w.result:
            self.app.copy_to_clipboard(w.result["handle"])
            self.app.notify(_("Copied the job handle (OSC 52)."))
        elif bid == "new-job":
            self.post_message(Command("new_job"))
        elif bid == "follow" and w.result:
            self.post_message(Command("follow"))

    def save_job_file(self) -> None:
        from ips_tui.tui.screens.modals import PathScreen

        w = self.wizard
        name = (w.form.values.get("jobName") or "job").strip() or "job"
        default = str(Path.cwd() / f"{name}.toml")
        n = len(w.problems)
        note = _("A TOML job file: ips-tui submit FILE sends it.")
        if n:
            note += " " + ngettext("It still has {n} problem; the CLI will refuse it until fixed.",
                                   "It still has {n} problems; the CLI will refuse it until fixed.", n).format(n=n)

        def chosen(path: str | None) -> None:
            if path:
                self.write_job_file(Path(path).expanduser())

        self.app.push_screen(PathScreen(_("Save as job file"), default, note), chosen)

    def write_job_file(self, path: Path) -> None:
        from ips_tui.job.request import JobRequest
        from ips_tui.store.atomic import atomic_write_text

        w = self.wizard
        text = JobRequest(w.form.build().data).to_toml()
        try:
            atomic_write_text(path, text, mode=0o600)
        except OSError as error:
            self.app.report_error(error, _("Saving the job file"))
            return
        self.app.notify(_("Saved {path}").format(path=path))

    def copy_envelope(self) -> None:
        if not self.envelope:
            self.app.notify(_("No envelope yet: fix the problems listed first."), severity="warning")
            return
        self.app.copy_to_clipboard(self.envelope)
        self.app.notify(_("Copied the envelope to the clipboard (OSC 52; the terminal must allow it)."))

    def open_pager(self) -> None:
        import subprocess

        if not self.envelope:
            self.app.notify(_("No envelope yet: fix the problems listed first."), severity="warning")
            return
        command = shlex.split(os.environ.get("PAGER") or "less")
        try:
            with self.app.suspend():
                subprocess.run(command, input=self.envelope.encode("utf-8"), check=False)
        except Exception as error:  # no terminal to hand over (tests, textual-serve), no such pager
            self.app.report_error(error, _("Opening the pager"))
