"""What the profile form does besides showing its fields: companies, the connection as typed (test,
fetch), the keyring, saving (merged field by field with what another process saved meanwhile)."""

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


class FormActions:
    """Mixin of :class:`~ips_tui.tui.screens.profiles.form.ProfileFormScreen` (its handlers go by name)."""

    # -- companies ------------------------------------------------------------------------
    def on_company_list_forget(self, message) -> None:
        message.stop()
        self.remove_company(message.name)

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
        from ips_tui.companies import fetch_companies

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
        from ips_tui.store.secrets import move_keyring_entry
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
