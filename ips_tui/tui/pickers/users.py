"""userHandle: the company's members for a role that may list them (getCompanyMembers: administrators),
by e-mail for everyone else (getUserInfo). The field keeps ``{ email = "…" }``; Submit asks for the handle."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ips_tui.i18n import _, ngettext
from ips_tui.tui.pickers.base import Picker, label


class UserPicker(Picker):
    DEFAULT_CSS = """
    UserPicker #email { height: 1; margin-bottom: 1; }
    UserPicker #members, UserPicker #members:focus { height: 1fr; border: none; }
    UserPicker #members-note { height: auto; color: $text-muted; }
    """

    def body(self) -> ComposeResult:
        yield Input(placeholder=_("e-mail of the user, then Enter"), compact=True, id="email")
        yield Static("", id="members-note")
        yield OptionList(id="members")

    def on_mount(self) -> None:
        self.members: list = []
        self.query_one("#email", Input).focus()
        self.status(_("looking for the company's users…"))
        self.lookup(lambda s: s.members(), self.show_members, failed=self.no_members, group="members")

    def show_members(self, members) -> None:
        self.members = [m for m in members if m.active]
        self.query_one("#members", OptionList).set_options(
            [Option(f"{m.user.email}  {m.user.first_name} {m.user.last_name}  {m.role}") for m in self.members])
        if self.members:
            self.query_one("#members", OptionList).highlighted = 0
        self.status(ngettext("{n} user in this company: Tab to the list, Enter takes one",
                             "{n} users in this company: Tab to the list, Enter takes one",
                             len(self.members)).format(n=len(self.members)))

    def no_members(self, error) -> None:
        from ips_tui.resolve.session import refused

        if not refused(error):
            self.show_error(error)
            return
        self.query_one("#members", OptionList).display = False
        self.query_one("#members-note", Static).update(
            _("Your role may not list the company's users: type the e-mail of the user."))
        self.status("")

    @on(Input.Submitted, "#email")
    def email_given(self, event: Input.Submitted) -> None:
        event.stop()
        email = event.value.strip()
        if "@" not in email:
            self.status(_("'{value}' is not an e-mail address.").format(value=email), error=True)
            return
        self.status(_("looking up {email}…").format(email=email))
        self.lookup(lambda s: s.user(email), self.take, group="user")

    @on(OptionList.OptionSelected, "#members")
    def member_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.take(self.members[event.option_index].user)

    def take(self, user) -> None:
        from ips_tui.resolve.refs import inline

        line = inline({"email": user.email})
        name = f"{user.first_name} {user.last_name}".strip()
        self.choose([line], {line: label(f"{name} <{user.email}>" if name else user.email, "", user.handle)})
