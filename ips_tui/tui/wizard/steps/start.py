"""Step 1: the profile (account and endpoint) and the company."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ips_tui.i18n import N_, _
from ips_tui.environments import ENVIRONMENT_WORDS
from ips_tui.tui.keys import released_after
from ips_tui.tui.messages import CompanyChosen, ProfileChosen
from ips_tui.tui.wizard.steps.base import HoldingList, SimpleField, Step, Title, take_hold
from ips_tui.tui.widgets.rows import FieldRow

COMPANY = SimpleField(
    "companyHandle", N_("Company handle"), required=True,
    help=N_("The company the job runs for, as a handle such as c|101. Pick one from the list, or type it."))


class CompanyRow(FieldRow):
    def __init__(self, value: str) -> None:
        super().__init__("companyHandle", COMPANY, value, label=_(COMPANY.label))

    def label_text(self) -> str:
        return _(COMPANY.label) + " *"

    def store(self, value) -> None:
        super().store(value.strip())


class StartStep(Step):
    DEFAULT_CSS = """
    StartStep OptionList { height: auto; max-height: 8; }
    StartStep #profiles { max-height: 6; }
    """

    def compose(self) -> ComposeResult:
        yield Title(_("Where does the job go?"))
        yield Static(_("Profile"), classes="section")
        yield Static(id="profile-info")
        if self.wizard.profiles:  # else mounted when saved profiles turn up: one widget less to paint first
            yield HoldingList(id="profiles", compact=True)
        yield Static(_("Company"), classes="section")
        yield HoldingList(id="companies", compact=True)  # Enter moves on: keys typed with it wait
        yield CompanyRow(self.wizard.form.company)
        yield Static(_("Enter picks a company and moves on; Ctrl+N goes to the next step."), classes="note")

    def on_mount(self) -> None:
        self.load()
        self.entered()  # now, so the first frame already has the cursor in the list

    def load(self) -> None:
        w = self.wizard
        c = w.connection
        self.load_profiles()
        self.show_info()
        companies = self.query_one("#companies", OptionList)
        companies.clear_options()
        items = list(c.companies.items()) if c is not None else []
        for name, handle in items:
            companies.add_option(Option(Text.assemble((name, "bold"), f"  {handle}"), id=handle))
        if not items and c is None:
            companies.add_option(Option(_("(waiting for the connection…)"), disabled=True))
        elif not items:
            companies.add_option(Option(_("(no companies known: type a handle below, or Ctrl+P → "
                                          "Fetch companies)"), disabled=True))
        handles = [h for _n, h in items]
        if w.form.company in handles:
            companies.highlighted = handles.index(w.form.company)
        row_input = self.query_one(CompanyRow).query_one(Input)
        if row_input.value != w.form.company:
            row_input.value = w.form.company

    def load_profiles(self) -> None:
        w = self.wizard
        options = []
        from ips_tui.environments import profile_environment  # one rule with the detail and the CLI

        for p in w.profiles:
            env = _(ENVIRONMENT_WORDS.get(profile_environment(p), N_("CUSTOM")))
            options.append(Option(Text.assemble((p.name, "bold"), f"  [{env}]  {p.user}"), id=p.name))
        found = self.query_children("#profiles")
        if found:
            profiles = found.first(OptionList)
            profiles.clear_options()
            profiles.add_options(options)
            profiles.display = bool(options)
        elif options:
            profiles = HoldingList(*options, id="profiles", compact=True)
            self.mount(profiles, after="#profile-info")
        else:
            return
        names = [p.name for p in w.profiles]
        if w.connection is not None and w.connection.name in names:
            profiles.highlighted = names.index(w.connection.name)

    def show_info(self) -> None:
        """The profile, endpoint and server's zone; again when the service has told the zone (jobs listed)."""
        from ips_tui.ips.server_zone import zone_of_connection  # the one answer, as `ips-tui jobs` gives it

        w = self.wizard
        c = w.connection
        info = self.query_one("#profile-info", Static)
        if c is None:
            info.update(_("Connecting…") if w.app.options.sandbox else _("No profile chosen yet."))
            return
        env = _(ENVIRONMENT_WORDS.get(c.environment, N_("CUSTOM")))
        zone = zone_of_connection(c).label(w.app.clock())
        info.update(Text.assemble((f"{c.name or '-'}", "bold"), f"  [{env}]  {c.user}\n",
                                  _("Endpoint: {url}").format(url=c.shown_url()), "\n",
                                  _("Server time zone: {zone}").format(zone=zone)))

    def entered(self) -> None:
        companies = self.query_one("#companies", OptionList)
        if self.wizard.profiles and self.wizard.connection is None:
            self.query_one("#profiles", OptionList).focus()
        else:
            companies.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        w = self.wizard
        held = take_hold(event.option_list)
        if event.option_list.id == "profiles":
            with released_after(self.app, held):
                if any(p.name == event.option.id for p in w.profiles):
                    self.post_message(ProfileChosen(event.option.id))
                    self.query_one("#companies", OptionList).focus()
            return
        if event.option.id:
            self.query_one(CompanyRow).query_one(Input).value = event.option.id
            self.post_message(CompanyChosen(event.option.id, keys_held=held))
        elif held:
            self.app.release_keys()
