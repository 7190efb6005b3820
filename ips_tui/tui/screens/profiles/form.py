"""The profile manager's form: add or edit one profile, every field checked as it is typed."""

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
from ips_tui.tui.text import error_text, translate_bindings
from ips_tui.tui.widgets.chrome import KeyFooter, short_url
from ips_tui.tui.screens.profiles.base import *  # noqa: F403
from ips_tui.tui.screens.profiles.base import _ManagerBase
from ips_tui.tui.screens.profiles.form_actions import FormActions

# --- the form -------------------------------------------------------------------------------------


class ProfileFormScreen(FormActions, _ManagerBase):
    """Add (``profile=None``) or edit a profile. Dismisses with the saved Profile, or None."""

    DEFAULT_CSS = """
    ProfileFormScreen { layout: vertical; }
    ProfileFormScreen #pm-title { height: 1; padding: 0 1; background: $boost; text-style: bold; }
    ProfileFormScreen VerticalScroll { height: 1fr; padding: 0 1; }
    ProfileFormScreen .pm-row { height: auto; }
    ProfileFormScreen .pm-label { width: 19; padding-right: 1; }
    ProfileFormScreen .pm-row.-focus > .pm-label { text-style: bold reverse; }
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
        # the focused field's label is marked (Textual's :focus-within is not reapplied to the children of
        # the row the focus leaves)
        for row in self.query(".pm-row"):
            row.set_class(row in event.widget.ancestors, "-focus")

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
