"""The profile manager's list: every profile with its environment in words and colour; add, edit, test,
fetch companies, delete with confirmation, use one (``u``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label, OptionList, Select, Static, Switch
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from ips_tui.i18n import N_, _
from ips_tui.environments import ENVIRONMENT_WORDS
from ips_tui.tui.text import error_text, translate_bindings
from ips_tui.tui.widgets.chrome import KeyFooter, short_url
from ips_tui.tui.screens.profiles.base import *  # noqa: F403
from ips_tui.tui.screens.profiles.base import _ManagerBase

# --- the list -------------------------------------------------------------------------------------


class ProfilesScreen(_ManagerBase):
    """Every saved profile; keys for add, edit, test, fetch companies, delete, make default, use."""

    DEFAULT_CSS = """
    ProfilesScreen { layout: vertical; }
    ProfilesScreen #pm-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ProfilesScreen #pm-list { height: 1fr; min-height: 4; }
    ProfilesScreen #pm-detail { height: auto; max-height: 9; padding: 0 1; border-top: solid $panel; }
    ProfilesScreen #pm-status { height: auto; max-height: 5; padding: 0 1; }
    ProfilesScreen #pm-status.-error { color: $text-error; }
    ProfilesScreen #pm-status.-ok { color: $text-success; }
    """

    BINDINGS = [
        Binding("a", "add", N_("Add"), id="pm-add"),
        Binding("e", "edit", N_("Edit"), id="pm-edit"),
        Binding("t", "test", N_("Test"), id="pm-test"),
        Binding("f", "fetch", N_("Companies"), id="pm-fetch"),
        Binding("d,delete", "delete", N_("Delete"), id="pm-delete"),
        Binding("s", "make_default", N_("Default"), id="pm-default"),
        Binding("u", "use", N_("Use"), id="pm-use"),
        Binding("escape", "close", N_("Close"), id="pm-close"),
    ]

    def __init__(self, store=None, client_factory=None, *, env=None, state_dir=None, timeout: float = 30.0,
                 select: str | None = None) -> None:
        super().__init__(store=store, client_factory=client_factory, env=env, state_dir=state_dir,
                         timeout=timeout)
        self.profiles: list = []
        self.default: str | None = None
        self.load_error = ""
        self._select = select
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Static(_("Profiles"), id="pm-title")
        yield OptionList(id="pm-list", compact=True)
        yield Static(id="pm-detail")
        yield Static(id="pm-status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.say(_("Reading profiles…"))
        self._reading = True
        self.load()
        self.check_keyring(True)
        self.query_one("#pm-list", OptionList).focus()

    # -- loading --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-load")
    def load(self) -> None:
        from ips_tui.store.profiles import ProfileFileError

        try:
            data = self.store.load()
        except ProfileFileError as error:
            self.post_message(ProfilesLoaded([], None, str(self.store.path), str(error)))
            return
        profiles = sorted(data.profiles.values(), key=lambda p: p.name.casefold())
        self.post_message(ProfilesLoaded(profiles, data.default_profile, str(data.path)))

    def on_profiles_loaded(self, message: ProfilesLoaded) -> None:
        self.profiles, self.default, self.load_error = message.profiles, message.default, message.error
        self.query_one("#pm-title", Static).update(
            Text.assemble((_("Profiles"), "bold"), "  ", (message.path, "dim")))
        listing = self.query_one("#pm-list", OptionList)
        wanted = self._select or (self.current.name if self.current is not None else None)
        listing.clear_options()
        for p in self.profiles:
            listing.add_option(Option(self.label(p), id=p.name))
        if not self.profiles:
            listing.add_option(Option(_("(no profiles yet: press a to add one)"), disabled=True))
        names = [p.name for p in self.profiles]
        if names:
            listing.highlighted = names.index(wanted) if wanted in names else 0
        self._select = None
        if message.error:
            self.say(message.error, ok=False)
        elif self._reading:
            self.say("")
        self._reading = False
        self.show_detail()
        self.refresh_bindings()

    def label(self, p) -> Text:
        star = "★ " if p.name == self.default else "  "
        companies = len(p.companies)
        name_width = min(24, max(len(q.name) for q in self.profiles))
        user_width = min(32, max(len(q.user) for q in self.profiles))
        host_width = min(32, max(len(short_url(q.service_url)) for q in self.profiles))
        env_width = max(len(_(w)) for w in ENVIRONMENT_WORDS.values()) + 2
        badge = env_badge(environment_of(p))
        badge.pad_right(env_width - len(badge))
        text = Text.assemble(
            star, (p.name.ljust(name_width), "bold"), " ", badge, " ", p.user.ljust(user_width), "  ",
            (short_url(p.service_url).ljust(host_width), "dim"), "  ",
            _("{n} companies").format(n=companies) if companies != 1 else _("1 company"),
        )
        width = self.query_one("#pm-list", OptionList).content_size.width or 78
        text.truncate(max(20, width - 1), overflow="ellipsis")  # one line per profile, whatever the width
        return text

    @property
    def current(self):
        listing = self.query_one("#pm-list", OptionList)
        option = listing.highlighted_option if listing.highlighted is not None else None
        if option is None or option.id is None:
            return None
        return next((p for p in self.profiles if p.name == option.id), None)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_detail()

    def on_resize(self) -> None:
        listing = self.query_one("#pm-list", OptionList)
        for p in self.profiles:
            listing.replace_option_prompt(p.name, self.label(p))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_edit()

    def show_detail(self) -> None:
        from ips_tui.store.secrets import GENERAL_ENV

        p = self.current
        detail = self.query_one("#pm-detail", Static)
        if p is None:
            detail.update(self.load_error and _("The profiles file cannot be used until it is fixed.") or "")
            return
        env = environment_of(p)
        password = ("$" + p.password_env) if p.password_env else _("${variable}, the keyring or a prompt").format(
            variable=GENERAL_ENV)
        lines = Text.assemble(
            (p.name, "bold"), " ", env_badge(env), ("  " + _("default profile") if p.name == self.default else ""),
            "\n", _("Endpoint: {url}").format(url=p.service_url),
            "\n", _("User: {user}   Password from: {where}").format(user=p.user, where=password),
            "\n", _("Server time zone: {zone}   Locale: {locale}   Email: {email}").format(
                zone=p.timezone, locale=p.locale or "-", email=p.email_setting or "-"),
        )
        if p.companies:
            shown = ", ".join(("★" if n == p.default_company else "") + f"{n} ({h})" for n, h in p.companies.items())
            lines.append("\n" + _("Companies: {list}").format(list=shown))
        else:
            lines.append("\n" + _("Companies: none yet (f fetches them from the service)"))
        detail.update(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("edit", "test", "fetch", "delete", "make_default", "use"):
            return self.current is not None
        if action == "add":
            return not self.load_error
        return True

    # -- actions --------------------------------------------------------------------------
    def form(self, profile=None) -> ProfileFormScreen:
        from ips_tui.tui.screens.profiles.form import ProfileFormScreen

        return ProfileFormScreen(profile, store=self.store, client_factory=self.client_factory, env=self.env,
                                 state_dir=self.state_dir, passwords=self.passwords, keyring_state=self.keyring,
                                 timeout=self.timeout)

    def action_add(self) -> None:
        self.app.push_screen(self.form(), self.form_closed)

    def action_edit(self) -> None:
        if self.current is not None:
            self.app.push_screen(self.form(self.current.copy()), self.form_closed)

    def form_closed(self, saved) -> None:
        if saved is not None:
            self._select = saved.name
            self.say(_("Saved profile '{name}'.").format(name=saved.name), ok=True)
        self.load()

    def action_test(self) -> None:
        if self.current is not None:
            self.start_test(self.current.copy())

    def action_fetch(self) -> None:
        p = self.current
        if p is None:
            return
        p = p.copy()
        self.say(_("Fetching the companies of {user}…").format(user=p.user))
        self.with_password(p, lambda pw: self._fetch(p, pw))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-companies")
    def _fetch(self, profile, password: str) -> None:
        from ips_tui.companies import fetch_companies, merge_companies

        client = self._client(profile, password)
        try:
            found = fetch_companies(client)
        finally:
            client.close()

        def change(p):
            merge_companies(p, found)
            return p

        saved = self.store.update(profile.name, change)
        self.post_message(CompaniesFound(found, saved))

    def on_companies_found(self, message: CompaniesFound) -> None:
        saved = message.saved
        n = len(message.found)
        self.say(_("{n} companies found and saved in '{name}' (default: {default}).").format(
            n=n, name=saved.name, default=saved.default_company or "-"), ok=True)
        self._select = saved.name
        self.load()

    def action_delete(self) -> None:
        from ips_tui.tui.screens.modals import ConfirmScreen

        p = self.current
        if p is None:
            return
        word = _(ENVIRONMENT_WORDS.get(environment_of(p), N_("CUSTOM")))

        def answer(yes: bool | None) -> None:
            if yes:
                self._delete(p.copy())
            else:
                self.say(_("Nothing was deleted."))

        self.app.push_screen(ConfirmScreen(
            _("Delete profile '{name}'?").format(name=p.name),
            _("{word}: {user} at {url}. Its saved settings and companies go, and its password leaves the "
              "system keyring if it is there. Jobs already submitted are not affected.").format(
                word=word, user=p.user, url=p.service_url),
            _("Delete"), _("Keep it"), danger=True), answer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-delete")
    def _delete(self, profile) -> None:
        from ips_tui.store.secrets import delete_password

        self.store.remove(profile.name)
        text = _("Deleted profile '{name}'.").format(name=profile.name)
        if self.keyring.get("available") and delete_password(profile).ok:
            text += " " + _("Its password left the keyring.")
        self.post_message(StoreChanged(text))

    def action_make_default(self) -> None:
        if self.current is not None:
            self._make_default(self.current.name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-save")
    def _make_default(self, name: str) -> None:
        self.store.set_default(name)
        self.post_message(StoreChanged(_("'{name}' is now the default profile.").format(name=name), select=name))

    def on_store_changed(self, message: StoreChanged) -> None:
        if message.select is None:  # a profile was deleted: forget what was typed for it
            self.passwords.clear()
        self._select = message.select
        self.say(message.text, ok=True)
        self.load()

    def action_use(self) -> None:
        if self.current is not None:
            self.dismiss(self.current.name)

    def action_close(self) -> None:
        self.dismiss(None)


