"""Step 4: the job's name, description, locale (checked live, with its name and near misses) and user."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.suggester import Suggester
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ips_tui import i18n
from ips_tui.i18n import _
from ips_tui.tui.wizard.steps.base import Step, Title
from ips_tui.tui.widgets.rows import FieldInput, FieldRow, ProblemsView, field_label, row_label


class LocaleSuggester(Suggester):
    """Inline completion from the locales IPS accepts (Right arrow or End takes it)."""

    def __init__(self) -> None:
        super().__init__(use_cache=True, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        from ips_tui.job.locales import locale_suggestions

        if not value:
            return None
        for code in locale_suggestions(value, 5):
            if code.startswith(value) and code != value:
                return code
        return None


class LocaleRow(FieldRow):
    """The locale: its display name beside it, did-you-mean choices under it."""

    DEFAULT_CSS = """
    LocaleRow Input.control { width: 12; }
    LocaleRow .display { width: 1fr; padding-left: 1; }
    LocaleRow OptionList { height: auto; max-height: 4; margin-left: 31; display: none; }
    LocaleRow OptionList.-shown { display: block; }
    """

    def controls(self) -> ComposeResult:
        yield FieldInput(value=str(self.value or ""), compact=True, classes="control", suggester=LocaleSuggester(),
                    placeholder="en-US")
        yield Static(classes="display")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield row_label(self.label_text())
            yield from self.controls()
        yield ProblemsView()
        yield OptionList(id="locale-suggestions", compact=True)

    def on_mount(self) -> None:
        self.show_check(str(self.value or ""))

    def typed(self, value: str) -> None:
        self.show_check(value)
        self.store(value)

    def show_check(self, text: str) -> None:
        from ips_tui.job.locales import check_locale

        display = self.query_one(".display", Static)
        options = self.query_one(OptionList)
        options.clear_options()
        if not text.strip():
            display.update(_("(not set: the service's default)"))
            options.remove_class("-shown")
            return
        result = check_locale(text, i18n.language())
        if result.ok:
            display.update("= " + (result.display_name or ""))
            options.remove_class("-shown")
            return
        display.update("")
        suggestions = [s for s in result.suggestions if s][:4]
        for code in suggestions:
            name = check_locale(code, i18n.language()).display_name or ""
            options.add_option(Option(_("Use {code} — {name}").format(code=code, name=name), id=code))
        options.set_class(bool(suggestions), "-shown")
        if suggestions:
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.query_one(Input).value = event.option.id
            self.query_one(Input).focus()


class DetailsStep(Step):
    def compose(self) -> ComposeResult:
        from ips_tui.ips.catalog import catalog

        cat = catalog()
        values = self.wizard.form.values
        yield Title(_("Name and language of the job"))
        for name in ("jobName", "description", "locale", "userHandle"):
            f = cat.common_field(name)
            if name == "userHandle":  # a user is picked (F8): from the company, or by e-mail
                from ips_tui.tui.widgets.handles import HandleRow as cls
            else:
                cls = LocaleRow if name == "locale" else FieldRow
            yield cls(name, f, values.get(name, ""), label=field_label(f))
        yield Static(_("The locale sets the language of the job log and e-mails (ll or ll-CC, e.g. en-US). "
                       "Leave the user empty to submit for yourself."), classes="note")

    def load(self) -> None:
        values = self.wizard.form.values
        for row in self.query(FieldRow):
            box = row.query_one(Input)
            value = values.get(row.path, "")
            if box.value != value:
                box.value = value
