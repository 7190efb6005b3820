"""Step 2: one of the 13 job types, each with a line saying what it does."""

from __future__ import annotations

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ips_tui.i18n import _
from ips_tui.tui.messages import JobTypeChosen
from ips_tui.tui.wizard.steps.base import HoldingList, Step, Title, take_hold
from ips_tui.tui.widgets.rows import ProblemsView, Row


class TypeRow(Row):
    """Shows the whole-request problem (no job type)."""

    DEFAULT_CSS = "TypeRow { height: auto; }"

    def compose(self) -> ComposeResult:
        yield ProblemsView()


class JobTypeStep(Step):
    DEFAULT_CSS = """
    JobTypeStep { overflow-y: hidden; }
    JobTypeStep OptionList { height: 1fr; }
    JobTypeStep #deprecated { height: auto; }
    """

    def compose(self) -> ComposeResult:
        yield Title(_("What should the job do?"))
        yield HoldingList(id="types", compact=True)  # Enter moves on: keys typed with it wait
        yield Static(id="deprecated", classes="note")
        yield TypeRow("")

    def on_mount(self) -> None:
        self.load()

    def load(self) -> None:
        from ips_tui.ips.catalog import catalog

        cat = catalog()
        chosen = self.wizard.form.job_type
        options = self.query_one("#types", OptionList)
        highlighted = options.highlighted
        options.clear_options()
        for element, job in cat.jobs.items():
            mark = "(•) " if element == chosen else "( ) "
            title = Text(mark)
            title.append(job.label, style="bold")
            title.append(f"  {element}", style="dim")
            about = Text(job.description)
            if job.replaced_by:
                about.append("\n" + _("Deprecated: use {name} instead.").format(
                    name=cat.job(job.replaced_by).label), style="italic")
            options.add_option(Option(Group(title, Padding(about, (0, 0, 0, 4))), id=element))
        elements = list(cat.jobs)
        if chosen in elements:
            options.highlighted = elements.index(chosen)
        elif highlighted is not None:
            options.highlighted = highlighted
        else:
            options.highlighted = 0
        self.show_note()

    def show_note(self) -> None:
        from ips_tui.ips.catalog import catalog

        chosen = self.wizard.form.job_type
        note = ""
        if chosen:
            job = catalog().job(chosen)
            note = _("Chosen: {label}.").format(label=job.label)
            if job.replaced_by:
                note += " " + _("It is deprecated: {other} does the same and more.").format(
                    other=catalog().job(job.replaced_by).label)
        self.query_one("#deprecated", Static).update(note)

    def entered(self) -> None:
        self.query_one("#types", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        from ips_tui.ips.catalog import catalog

        element = event.option.id
        held = take_hold(event.option_list)
        self.post_message(JobTypeChosen(element, keys_held=held))  # the wizard takes it, reloads the steps and moves on
        job = catalog().job(element)
        if job.replaced_by:
            self.app.notify(_("{label} is deprecated: use {other} instead.").format(
                label=job.label, other=catalog().job(job.replaced_by).label), severity="warning")
