"""Step 3: the chosen job type's fields, generated from the catalogue."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from ips_tui.i18n import _
from ips_tui.tui.keys import released_after
from ips_tui.tui.wizard.steps.base import Step, Title
from ips_tui.tui.widgets.fields import build_rows


class FieldsStep(Step):
    DEFAULT_CSS = "FieldsStep #form { height: auto; }"

    def compose(self) -> ComposeResult:
        yield Title(id="fields-title")
        yield Static(_("* required · Tab: next field · Enter: open a group · F1: help"),
                     classes="note")
        yield Vertical(id="form")

    _shown = None  # (the form, its job type) the rows were built for

    def on_mount(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        again = self._shown is not None
        self._shown = (id(self.wizard.form), self.wizard.form.job_type)
        from ips_tui.ips.catalog import catalog

        form = self.query_one("#form", Vertical)
        form.remove_children()
        w = self.wizard
        element = w.form.job_type
        title = self.query_one("#fields-title", Title)
        if not element:
            title.update(_("No job type yet: press Esc to go back and choose one."))
            return
        job = catalog().job(element)
        title.update(f"{job.label} ({element})")
        mounted = self._mounting = form.mount_all(build_rows(job.fields, element, w.form.values, w.form.choices))
        if again:
            # new rows in a kept step (another type chosen): keys typed meanwhile wait for them, not for
            # the rows being removed (the first build is covered by the step host the same way)
            self.app.hold_keys()
            self.call_later(self._enter_when_mounted, mounted)

    _mounting = None  # the rows of the last build (the step is entered once they are mounted)

    def _enter_and_release(self) -> None:
        # the first build: a row composes its controls only once it is mounted, which on a busy machine can
        # come after the step's first refresh; entered earlier, the step found nothing to focus
        if self._mounting is None:
            super()._enter_and_release()
        else:
            self.call_later(self._enter_when_mounted, self._mounting)

    async def _enter_when_mounted(self, mounted) -> None:
        with released_after(self.app):
            await mounted
            if self.shown:
                self.entered()

    def load(self) -> None:
        # rebuilt only for another form or job type: a connection or companies arriving while the operator
        # types here leave the rows (and the focus) alone; the rows show what is typed already
        if self._shown != (id(self.wizard.form), self.wizard.form.job_type):
            self.rebuild()
