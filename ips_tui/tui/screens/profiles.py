"""The profile manager: list, add, edit, test the connection, fetch companies, delete with confirmation.

``ProfilesScreen(store=…, client_factory=…, env=…, state_dir=…)`` lists the profiles with their
environment in words and colour; ``ProfileFormScreen`` adds or edits one. Every read and write of the
store, every keyring call and every SOAP call runs in a thread worker; results come back as messages.
Passwords typed here are kept in memory for as long as the manager is open (and in the keyring if the
operator asks for that), never in a file.

The manager dismisses with the name of a profile to use (``u``), or None.
"""

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
from ips_tui.connection import ENVIRONMENT_WORDS
from ips_tui.tui.text import error_text, translate_bindings
from ips_tui.tui.widgets.chrome import KeyFooter, short_url

#: the environment's colours (the words are always there too, for NO_COLOR and screen readers)
ENV_STYLES = {
    "production": "bold white on dark_red",
    "staging": "bold black on yellow",
    "sandbox": "bold white on dark_green",
    "custom": "bold white on dark_blue",
}

ENDPOINT_CHOICES = (
    ("na", N_("North America (na)")),
    ("emea", N_("Europe, Middle East, Asia (emea)")),
    ("apac", N_("Japan / Asia-Pacific (apac)")),
    ("custom", N_("Custom URL")),
)


def environment_of(profile) -> str:
    from ips_tui.connection import classify_url

    env = profile.environment
    return classify_url(profile.url) if env == "custom" else env


def env_badge(env: str) -> Text:
    word = _(ENVIRONMENT_WORDS.get(env, N_("CUSTOM")))
    return Text(f" {word} ", style=ENV_STYLES.get(env, ENV_STYLES["custom"]))


def default_client_factory(url, user, password, *, cacert=None, timeout=30.0):
    from ips_tui.connection import Connection

    return Connection(url, user, password, cacert=cacert).client(timeout=timeout, locale="")


# --- messages (workers never touch widgets) ------------------------------------------------------


class ProfilesLoaded(Message):
    def __init__(self, profiles: list, default: str | None, path: str, error: str = "") -> None:
        super().__init__()
        self.profiles, self.default, self.path, self.error = profiles, default, path, error


class KeyringChecked(Message):
    def __init__(self, available: bool, explanation: str, notice: str | None) -> None:
        super().__init__()
        self.available, self.explanation, self.notice = available, explanation, notice


class PasswordFound(Message):
    def __init__(self, key: tuple, password: str, then: Callable[[str], None]) -> None:
        super().__init__()
        self.key, self.password, self.then = key, password, then


class PasswordMissing(Message):
    def __init__(self, key: tuple, question: str, then: Callable[[str], None]) -> None:
        super().__init__()
        self.key, self.question, self.then = key, question, then


class LoginChecked(Message):
    def __init__(self, key: tuple, ok: bool, text: str) -> None:
        super().__init__()
        self.key, self.ok, self.text = key, ok, text


class CompaniesFound(Message):
    def __init__(self, found: list, saved: Any = None) -> None:
        super().__init__()
        self.found, self.saved = found, saved


class StoreChanged(Message):
    """A profile was saved, deleted or made the default; ``text`` says what happened."""

    def __init__(self, text: str, profile: Any = None, select: str | None = None) -> None:
        super().__init__()
        self.text, self.profile, self.select = text, profile, select


# --- what both screens share: the password, the client, errors ------------------------------------


class _ManagerBase(Screen):
    """Password lookup (variable → keyring → a masked prompt), remembered while the manager is open."""

    def __init__(self, *, store=None, client_factory=None, env=None, state_dir=None, passwords=None,
                 keyring_state: dict | None = None, timeout: float = 30.0) -> None:
        super().__init__()
        translate_bindings(self)
        if store is None:
            from ips_tui.store.profiles import ProfileStore

            store = ProfileStore()
        self.store = store
        self.client_factory = client_factory or default_client_factory
        if env is None:
            import os

            env = dict(os.environ)
        self.env = env
        self.state_dir = state_dir
        self.passwords: dict[tuple, str] = passwords if passwords is not None else {}
        # {"available": bool | None, "explanation": str}: shared with the form
        self.keyring = keyring_state if keyring_state is not None else {"available": None, "explanation": ""}
        self.timeout = timeout

    # -- status line ----------------------------------------------------------------------
    def say(self, text: str, *, ok: bool | None = None) -> None:
        status = self.query_one("#pm-status", Static)
        mark = "" if ok is None else ("✓ " if ok else "✗ ")
        status.update(mark + text)
        status.set_class(ok is False, "-error")
        status.set_class(ok is True, "-ok")

    def fail(self, error: BaseException, context: str = "") -> None:
        text = error_text(error)
        if context:
            text = f"{context}: {text}"
        self.say(text, ok=False)
        self.notify(text, title=_("Error"), severity="error", timeout=12)

    # -- keyring --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-keyring")
    def check_keyring(self, notice: bool) -> None:
        from ips_tui.connection import keyring_notice
        from ips_tui.store.secrets import keyring_status

        available, explanation = keyring_status()
        said = keyring_notice(self.state_dir) if (notice and not available) else None
        self.post_message(KeyringChecked(available, explanation, said))

    def on_keyring_checked(self, message: KeyringChecked) -> None:
        self.keyring["available"] = message.available
        self.keyring["explanation"] = message.explanation
        if message.notice:
            self.notify(message.notice, title=_("No keyring"), severity="warning", timeout=20)
        self.keyring_known()

    def keyring_known(self) -> None:
        """The keyring's state is known (hook)."""

    # -- password -------------------------------------------------------------------------
    @staticmethod
    def password_key(profile) -> tuple:
        return (profile.name, profile.user, profile.service_url)

    def with_password(self, profile, then: Callable[[str], None], typed: str = "") -> None:
        """Call ``then(password)`` on the UI thread once the password is known (asking if need be)."""
        key = self.password_key(profile)
        if typed:
            self.passwords[key] = typed
        if key in self.passwords:
            then(self.passwords[key])
            return
        self._look_up_password(profile.copy(), key, then)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-password")
    def _look_up_password(self, profile, key: tuple, then) -> None:
        from ips_tui.store.secrets import MissingPasswordError, resolve_password

        use_keyring = self.keyring.get("available") is not False
        try:
            secret = resolve_password(profile, None, env=self.env, use_keyring=use_keyring)
        except MissingPasswordError:
            question = _("Password for {user} at {url} (kept in memory only)").format(
                user=profile.user, url=short_url(profile.service_url))
            self.post_message(PasswordMissing(key, question, then))
            return
        self.post_message(PasswordFound(key, secret.value, then))

    def on_password_found(self, message: PasswordFound) -> None:
        self.passwords[message.key] = message.password
        message.then(message.password)

    def on_password_missing(self, message: PasswordMissing) -> None:
        from ips_tui.tui.screens.modals import PasswordScreen

        def answered(password: str | None) -> None:
            if password:
                self.passwords[message.key] = password
                message.then(password)
            else:
                self.say(_("No password given: nothing was sent."), ok=False)

        self.app.push_screen(PasswordScreen(message.question), answered)

    def forget_password(self, key: tuple) -> None:
        self.passwords.pop(key, None)

    # -- calls ----------------------------------------------------------------------------
    def _client(self, profile, password: str):
        return self.client_factory(profile.service_url, profile.user, password, cacert=profile.cacert,
                                   timeout=self.timeout)

    def start_test(self, profile) -> None:
        self.say(_("Testing {user} at {url}…").format(user=profile.user, url=short_url(profile.service_url)))
        self.with_password(profile, lambda pw: self._check_login(profile.copy(), pw))

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-test")
    def _check_login(self, profile, password: str) -> None:
        from ips_tui.ips.faults import AuthenticationFault

        key = self.password_key(profile)
        client = self._client(profile, password)
        try:
            ok = client.check_login(profile.user, password)
        except AuthenticationFault as error:
            self.post_message(LoginChecked(key, False, error.message))
            return
        finally:
            client.close()
        if ok:
            text = _("Login OK: {user} at {url}.").format(user=profile.user, url=short_url(profile.service_url))
        else:
            text = _("The service says the login of {user} is not valid.").format(user=profile.user)
        self.post_message(LoginChecked(key, ok, text))

    def on_login_checked(self, message: LoginChecked) -> None:
        if not message.ok:
            self.forget_password(message.key)  # a wrong password is asked for again next time
        self.say(message.text, ok=message.ok)
        self.notify(message.text, severity="information" if message.ok else "error")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        context = {
            "pm-load": _("Reading profiles"),
            "pm-test": _("Testing the connection"),
            "pm-companies": _("Fetching companies"),
            "pm-save": _("Saving the profile"),
            "pm-delete": _("Deleting the profile"),
            "pm-password": _("Looking up the password"),
            "pm-keyring": _("Asking the keyring"),
        }.get(event.worker.group or "", "")
        error = event.worker.error
        from ips_tui.ips.faults import AuthenticationFault

        if isinstance(error, AuthenticationFault):
            self.passwords.clear()
        self.fail(error, context)


# --- the list -------------------------------------------------------------------------------------


class ProfilesScreen(_ManagerBase):
    """Every saved profile; keys for add, edit, test, fetch companies, delete, make default, use."""

    DEFAULT_CSS = """
    ProfilesScreen { layout: vertical; }
    ProfilesScreen #pm-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ProfilesScreen #pm-list { height: 1fr; min-height: 4; }
    ProfilesScreen #pm-detail { height: auto; max-height: 9; padding: 0 1; border-top: solid $panel; }
    ProfilesScreen #pm-status { height: auto; max-height: 3; padding: 0 1; }
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
        from ips_tui.connection import fetch_companies, merge_companies

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


# --- the form -------------------------------------------------------------------------------------


class CompanyList(OptionList):
    """The profile's companies: Enter makes the highlighted one the default, Delete forgets it."""

    BINDINGS = [
        Binding("delete,backspace", "forget", N_("Remove company"), id="pm-company-remove"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    def action_forget(self) -> None:
        screen = self.screen
        if isinstance(screen, ProfileFormScreen) and self.highlighted_option is not None:
            screen.remove_company(self.highlighted_option.id)


class FieldNote(Static):
    """The line under a field: a problem (✗) or a hint."""

    DEFAULT_CSS = """
    FieldNote { height: auto; padding-left: 20; color: $text-muted; }
    FieldNote.-error { color: $text-error; }
    FieldNote.-empty { display: none; }
    """

    def show(self, text: str = "", *, error: bool = False) -> None:
        self.set_class(not text, "-empty")
        self.set_class(error, "-error")
        self.update(("✗ " if error and text else "") + text)


class ProfileFormScreen(_ManagerBase):
    """Add (``profile=None``) or edit a profile. Dismisses with the saved Profile, or None."""

    DEFAULT_CSS = """
    ProfileFormScreen { layout: vertical; }
    ProfileFormScreen #pm-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ProfileFormScreen VerticalScroll { height: 1fr; padding: 0 1; }
    ProfileFormScreen .pm-row { height: auto; }
    ProfileFormScreen .pm-label { width: 19; padding-right: 1; }
    ProfileFormScreen .pm-row:focus-within > .pm-label { text-style: bold reverse; }
    ProfileFormScreen Input, ProfileFormScreen Select { width: 1fr; }
    ProfileFormScreen Switch { border: none; height: 1; width: 6; padding: 0; }
    ProfileFormScreen #pm-staging-words { width: 1fr; padding-left: 1; }
    ProfileFormScreen #pm-where { height: auto; padding-left: 20; }
    ProfileFormScreen #pm-companies { height: auto; max-height: 6; width: 1fr; }
    ProfileFormScreen #pm-keyring-note { height: auto; padding-left: 20; color: $text-muted; }
    ProfileFormScreen #pm-status { height: auto; max-height: 3; padding: 0 1; }
    ProfileFormScreen #pm-status.-error { color: $text-error; }
    ProfileFormScreen #pm-status.-ok { color: $text-success; }
    ProfileFormScreen .-hidden { display: none; }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save"), id="pm-save"),
        Binding("ctrl+t", "test", N_("Test connection"), id="pm-form-test"),
        Binding("ctrl+f", "fetch", N_("Fetch companies"), id="pm-form-fetch"),
        Binding("escape", "cancel", N_("Cancel"), id="pm-cancel"),
    ]

    #: Problem.key -> the widget that shows it
    FIELD_WIDGETS = {
        "name": "name", "user": "user", "url": "url", "region": "endpoint", "staging": "staging",
        "timezone": "timezone", "locale": "locale", "email_setting": "email", "password_env": "password_env",
        "cacert": "cacert", "companies": "companies", "default_company": "companies",
    }

    def __init__(self, profile=None, *, store=None, client_factory=None, env=None, state_dir=None, passwords=None,
                 keyring_state=None, timeout: float = 30.0) -> None:
        super().__init__(store=store, client_factory=client_factory, env=env, state_dir=state_dir,
                         passwords=passwords, keyring_state=keyring_state, timeout=timeout)
        from ips_tui.store.profiles import Profile

        self.original = profile.copy() if profile is not None else None
        self.profile = profile.copy() if profile is not None else Profile(name="", region="na")
        self.companies: dict[str, str] = dict(self.profile.companies)
        self.default_company: str | None = self.profile.default_company
        self._zones: list[str] | None = None
        self._initial: dict | None = None

    # -- layout ---------------------------------------------------------------------------
    def row(self, label: str, widget, key: str):
        with Horizontal(classes="pm-row", id=f"pm-row-{key}"):
            yield Label(label, classes="pm-label")
            yield widget
        yield FieldNote(id=f"pm-note-{key}", classes="-empty")

    def compose(self) -> ComposeResult:
        from ips_tui.store.profiles import EMAIL_SETTINGS

        p = self.profile
        title = _("New profile") if self.original is None else _("Edit profile '{name}'").format(name=p.name)
        yield Static(title, id="pm-title")
        endpoint = "custom" if p.url else (p.region or "na")
        with VerticalScroll():
            yield from self.row(_("Name"), Input(p.name, id="name", compact=True,
                                                 placeholder=_("e.g. acme-prod")), "name")
            yield from self.row(_("Endpoint"), Select([(_(label), key) for key, label in ENDPOINT_CHOICES],
                                                      value=endpoint, allow_blank=False, id="endpoint",
                                                      compact=True), "endpoint")
            with Horizontal(classes="pm-row", id="pm-row-staging"):
                yield Label(_("Adobe staging"), classes="pm-label")
                yield Switch(p.staging, id="staging", animate=False)
                yield Static(id="pm-staging-words")
            yield FieldNote(id="pm-note-staging", classes="-empty")
            yield from self.row(_("Service URL"), Input(p.url or "", id="url", compact=True,
                                                        placeholder="https://…/IpsApiService"), "url")
            yield Static(id="pm-where")
            yield from self.row(_("User (e-mail)"), Input(p.user, id="user", compact=True,
                                                          placeholder="ops@example.com"), "user")
            yield from self.row(_("Server time zone"), Input(p.timezone or "", id="timezone", compact=True,
                                                             placeholder="America/Los_Angeles"), "timezone")
            yield from self.row(_("Default locale"), Input(p.locale or "", id="locale", compact=True,
                                                           placeholder=_("e.g. en-US (optional)")), "locale")
            yield from self.row(_("Default email"), Select([(s, s) for s in EMAIL_SETTINGS],
                                                           value=p.email_setting or Select.NULL, allow_blank=True,
                                                           prompt=_("(none)"), id="email", compact=True), "email")
            yield from self.row(_("Password variable"), Input(p.password_env or "", id="password_env", compact=True,
                                                              placeholder=_("e.g. ACME_IPS_PASSWORD (optional)")),
                                "password_env")
            yield from self.row(_("CA file"), Input(p.cacert or "", id="cacert", compact=True,
                                                    placeholder=_("only for a private CA (optional)")), "cacert")
            yield from self.row(_("Companies"), CompanyList(id="companies", compact=True), "companies")
            yield from self.row(_("Add company"), Input(id="company-add", compact=True,
                                                        placeholder=_("Name=c|123, or a name to look up")),
                                "company-add")
            yield from self.row(_("Keyring password"), Input(id="password", password=True, compact=True,
                                                             placeholder=_("stored in the keyring on save "
                                                                           "(optional)")), "password")
            yield Static(id="pm-keyring-note")
        yield Static(id="pm-status")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.refresh_companies()
        self.endpoint_changed()
        self.keyring_known()
        if self.keyring.get("available") is None:
            self.check_keyring(False)
        self.query_one("#name", Input).focus()
        self._initial = self.values()

    # -- the form's values ----------------------------------------------------------------
    def text(self, key: str) -> str:
        return self.query_one(f"#{key}", Input).value.strip()

    def values(self) -> dict:
        endpoint = self.query_one("#endpoint", Select).value
        email = self.query_one("#email", Select).value
        custom = endpoint == "custom"
        return {
            "name": self.text("name"),
            "user": self.text("user"),
            "region": None if custom else endpoint,
            "staging": False if custom else self.query_one("#staging", Switch).value,
            "url": (self.text("url") or None) if custom else None,
            "timezone": self.text("timezone") or None,
            "locale": self.text("locale") or None,
            "email_setting": None if email is Select.NULL else email,
            "password_env": self.text("password_env") or None,
            "cacert": self.text("cacert") or None,
            "companies": dict(self.companies),
            "default_company": self.default_company if self.default_company in self.companies else None,
        }

    def built(self):
        from ips_tui.store.profiles import Profile

        return Profile(**self.values())

    # -- reacting to typing ---------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "endpoint":
            self.endpoint_changed(follow_zone=True)

    def on_switch_changed(self, event: Switch.Changed) -> None:
        self.endpoint_changed()

    def endpoint_changed(self, follow_zone: bool = False) -> None:
        from ips_tui.store.profiles import CUSTOM_TIMEZONE, DEFAULT_TIMEZONES

        endpoint = self.query_one("#endpoint", Select).value
        custom = endpoint == "custom"
        self.query_one("#pm-row-staging").set_class(custom, "-hidden")
        self.query_one("#pm-row-url").set_class(not custom, "-hidden")
        staging = self.query_one("#staging", Switch).value
        self.query_one("#pm-staging-words", Static).update(
            _("yes: Adobe's staging (pre-production) hosts") if staging else _("no: production hosts"))
        if follow_zone:
            zone = self.query_one("#timezone", Input)
            defaults = set(DEFAULT_TIMEZONES.values()) | {CUSTOM_TIMEZONE, ""}
            if zone.value.strip() in defaults:
                zone.value = DEFAULT_TIMEZONES.get(endpoint, CUSTOM_TIMEZONE)
        self.show_where()

    def show_where(self) -> None:
        where = self.query_one("#pm-where", Static)
        try:
            profile = self.built()
            url = profile.service_url if (profile.url or profile.region) else ""
        except Exception:
            url = ""
        if not url:
            where.update(Text(_("(type the service URL)"), style="dim"))
            return
        where.update(Text.assemble(env_badge(environment_of(profile)), " ", short_url(url)))

    def on_input_changed(self, event: Input.Changed) -> None:
        key = event.input.id or ""
        if key == "url":
            self.show_where()
        elif key == "timezone":
            self.check_timezone()
        elif key == "locale":
            self.check_locale()
        elif key in ("name", "user", "password_env", "cacert"):
            self.note(key, "")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "company-add":
            event.stop()
            self.add_company(event.value)

    def note(self, key: str, text: str, *, error: bool = False) -> None:
        found = self.query(f"#pm-note-{key}")
        if found:
            found.first(FieldNote).show(text, error=error)

    def check_timezone(self) -> bool:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        value = self.text("timezone")
        if not value:
            self.note("timezone", _("empty: the region's zone is used"))
            return True
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            near = [z for z in self.zones() if value.casefold() in z.casefold()][:3]
            hint = (" " + _("Did you mean {names}?").format(names=", ".join(near))) if near else ""
            self.note("timezone", _("'{value}' is not a known time zone (an IANA name such as Europe/London).")
                      .format(value=value) + hint, error=True)
            return False
        self.note("timezone", "")
        return True

    def zones(self) -> list[str]:
        if self._zones is None:
            from zoneinfo import available_timezones

            self._zones = sorted(available_timezones())
            from textual.suggester import SuggestFromList

            self.query_one("#timezone", Input).suggester = SuggestFromList(self._zones, case_sensitive=False)
        return self._zones

    def on_descendant_focus(self, event) -> None:
        if getattr(event.widget, "id", None) == "timezone":
            self.zones()  # suggestions from the first visit on

    def check_locale(self) -> bool:
        from ips_tui.job.locales import check_locale

        value = self.text("locale")
        if not value:
            self.note("locale", "")
            return True
        result = check_locale(value)
        if result.ok:
            self.note("locale", result.display_name or "")
            return True
        self.note("locale", result.error or "", error=True)
        return False

    # -- companies ------------------------------------------------------------------------
    def refresh_companies(self) -> None:
        listing = self.query_one("#companies", CompanyList)
        keep = listing.highlighted
        listing.clear_options()
        if self.default_company not in self.companies:
            self.default_company = next(iter(self.companies), None)
        for name, handle in self.companies.items():
            star = "★ " if name == self.default_company else "  "
            listing.add_option(Option(Text.assemble(star, (name, "bold"), "  ", handle), id=name))
        if not self.companies:
            listing.add_option(Option(_("(none: Ctrl+F fetches them, or add one below)"), disabled=True))
        elif keep is not None:
            listing.highlighted = min(keep, len(self.companies) - 1)
        self.note("companies", _("Enter makes the highlighted company the default; Delete removes it.")
                  if self.companies else "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_list.id == "companies" and event.option.id:
            self.default_company = event.option.id
            self.refresh_companies()

    def remove_company(self, name: str | None) -> None:
        if name in self.companies:
            del self.companies[name]
            self.refresh_companies()

    def add_company(self, text: str) -> None:
        name, sep, handle = text.partition("=")
        name, handle = name.strip(), handle.strip()
        if not name:
            return
        if sep and handle:
            self.companies[name] = handle
            self.query_one("#company-add", Input).value = ""
            self.refresh_companies()
            return
        if sep:
            self.note("company-add", _("Give the handle after '=', or only the name to look it up."), error=True)
            return
        profile = self.connection_profile()
        if profile is None:
            return
        self.say(_("Looking up company '{name}'…").format(name=name))
        self.with_password(profile, lambda pw: self._fetch(profile, pw, [name]), typed=self.text_password())

    def merge_found(self, found: list) -> None:
        for company in found:
            self.companies[company.name] = company.handle
        self.refresh_companies()

    # -- the connection as typed ----------------------------------------------------------
    def text_password(self) -> str:
        return self.query_one("#password", Input).value

    def connection_profile(self):
        """The profile as typed, if it is enough to call the service (else the problems are shown)."""
        profile = self.built()
        if not profile.name:
            profile.name = _("new profile")
        problems = [p for p in profile.problems() if p.key in ("user", "url", "region", "cacert")]
        if problems:
            self.show_problems(problems)
            return None
        return profile

    def action_test(self) -> None:
        profile = self.connection_profile()
        if profile is not None:
            self.say(_("Testing {user} at {url}…").format(user=profile.user, url=short_url(profile.service_url)))
            self.with_password(profile, lambda pw: self._check_login(profile.copy(), pw), typed=self.text_password())

    def action_fetch(self) -> None:
        profile = self.connection_profile()
        if profile is not None:
            self.say(_("Fetching the companies of {user}…").format(user=profile.user))
            self.with_password(profile, lambda pw: self._fetch(profile, pw, []), typed=self.text_password())

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-companies")
    def _fetch(self, profile, password: str, names: list[str]) -> None:
        from ips_tui.connection import fetch_companies

        client = self._client(profile, password)
        try:
            found = fetch_companies(client, names)
        finally:
            client.close()
        self.post_message(CompaniesFound(found))

    def on_companies_found(self, message: CompaniesFound) -> None:
        self.merge_found(message.found)
        if message.found:
            self.query_one("#company-add", Input).value = ""
            self.note("company-add", "")
            self.say(_("{n} companies found; Ctrl+S saves them in the profile.").format(n=len(message.found)),
                     ok=True)
        else:
            self.say(_("No company found."), ok=False)

    # -- keyring --------------------------------------------------------------------------
    def keyring_known(self) -> None:
        available = self.keyring.get("available")
        note = self.query_one("#pm-keyring-note", Static)
        row = self.query_one("#pm-row-password")
        if available is None:
            row.add_class("-hidden")
            note.update(_("Checking the system keyring…"))
        elif available:
            row.remove_class("-hidden")
            note.update(_("Optional: typed here, the password goes to the system keyring when you save, never "
                          "to a file. Leave it empty to keep what the keyring has."))
        else:
            row.add_class("-hidden")
            note.update(_("No system keyring here, so no password is remembered: name a password variable "
                          "above, or type the password when asked (kept in memory only)."))

    # -- saving ---------------------------------------------------------------------------
    def show_problems(self, problems) -> None:
        shown: dict[str, list[str]] = {}
        for problem in problems:
            key = self.FIELD_WIDGETS.get(problem.key, "name")
            shown.setdefault(key, []).append(problem.message)
        for key in set(self.FIELD_WIDGETS.values()):
            if key in shown:
                self.note(key, "; ".join(shown[key]), error=True)
        first = next((k for k in ("name", "endpoint", "url", "user", "timezone", "locale", "email",
                                  "password_env", "cacert", "companies") if k in shown), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
        self.say(_("Not saved: fix the fields marked ✗."), ok=False)

    def action_save(self) -> None:
        from ips_tui.store.profiles import ProfileError

        profile = self.built()
        try:
            problems = profile.problems()
        except ProfileError as error:
            problems = error.problems
        if problems:
            self.show_problems(problems)
            return
        password = self.text_password() if self.keyring.get("available") else ""
        self.say(_("Saving…"))
        self._save(self.original, profile, password)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pm-save")
    def _save(self, original, profile, password: str) -> None:
        from ips_tui.connection import move_keyring_entry
        from ips_tui.store.profiles import Problem, ProfileError
        from ips_tui.store.secrets import store_password

        notes: list[str] = []
        if original is None:
            data = self.store.load()
            if profile.name in data.profiles:
                raise ProfileError([Problem(profile.name, "name", _("a profile with this name exists already"))])
            stored = self.store.save_profile(profile)
            if not data.profiles:  # the first profile is the default one
                self.store.set_default(stored.name)
        else:
            changes = _changes(original, profile)

            def change(current):
                _apply_changes(current, changes, original)
                return current

            stored = self.store.update(original.name, change)
            if stored.name != original.name and not password and self.keyring.get("available"):
                if move_keyring_entry(original, stored):
                    notes.append(_("The keyring entry moved with the profile."))
        if password:
            result = store_password(stored, password)
            notes.append(_("The password is in the system keyring.") if result.ok else
                         _("The password could not be kept in the keyring: {reason}").format(reason=result.reason))
        self.post_message(StoreChanged(" ".join(notes), profile=stored))

    def on_store_changed(self, message: StoreChanged) -> None:
        if message.text:
            self.notify(message.text)
        self.dismiss(message.profile)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from ips_tui.store.profiles import ProfileError

        if event.state == WorkerState.ERROR and isinstance(event.worker.error, ProfileError):
            self.show_problems(event.worker.error.problems)
            return
        super().on_worker_state_changed(event)

    def action_cancel(self) -> None:
        if self._initial is not None and self.values() != self._initial:
            from ips_tui.tui.screens.modals import ConfirmScreen

            def answer(yes: bool | None) -> None:
                if yes:
                    self.dismiss(None)

            self.app.push_screen(ConfirmScreen(_("Discard your changes?"),
                                               _("The profile stays as it was saved."),
                                               _("Discard"), _("Keep editing")), answer)
            return
        self.dismiss(None)


# --- field-level merge: a form edit never undoes another process's change to other keys -----------

_FIELDS = ("name", "user", "region", "staging", "url", "timezone", "locale", "email_setting", "password_env",
           "cacert", "default_company")


def _changes(original, edited) -> dict:
    changes = {k: getattr(edited, k) for k in _FIELDS if getattr(edited, k) != getattr(original, k)}
    if edited.companies != original.companies:
        changes["companies"] = dict(edited.companies)
    return changes


def _apply_changes(current, changes: dict, original) -> None:
    for key, value in changes.items():
        if key == "companies":
            merged = dict(current.companies)
            for name in original.companies:
                if name not in value:
                    merged.pop(name, None)
            merged.update({n: h for n, h in value.items() if original.companies.get(n) != h})
            current.companies = merged
        else:
            setattr(current, key, value)
    if current.url:
        current.region, current.staging = None, False
    if current.default_company not in current.companies:
        current.default_company = next(iter(current.companies), None)


__all__ = ["ProfileFormScreen", "ProfilesScreen", "default_client_factory"]
