"""The profile manager's shared parts: the environment in words and colour, the worker messages, and the
base both its screens stand on (the password, remembered while the manager is open; the client; errors)."""

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
from ips_tui.tui.compositor import NarrowRepaints

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
    from ips_tui.environments import profile_environment

    return profile_environment(profile)


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


class _ManagerBase(NarrowRepaints, Screen):
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
        if message.notice:  # said in place, once: a toast of this length would cover the list for seconds
            status = self.query_one("#pm-status", Static)
            before = str(status.render()).strip()
            notice = _("No keyring") + ": " + message.notice
            if before:  # what the status line already says (a broken file, say) stays first
                status.update(before + "\n" + notice)
            else:
                self.say(notice)
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
        from ips_tui.connection import stored_password  # the wizard's lookup too

        password = stored_password(profile, self.env, use_keyring=self.keyring.get("available") is not False)
        if password is None:
            question = _("Password for {user} at {url} (kept in memory only)").format(
                user=profile.user, url=short_url(profile.service_url))
            self.post_message(PasswordMissing(key, question, then))
            return
        self.post_message(PasswordFound(key, password, then))

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


# --- the form's own widgets ------------------------------------------------------------------------


class CompanyList(OptionList):
    """The profile's companies: Enter makes the highlighted one the default, Delete forgets it."""

    BINDINGS = [
        Binding("delete,backspace", "forget", N_("Remove company"), id="pm-company-remove"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        translate_bindings(self)

    class Forget(Message):
        """Drop the company ``name`` from the profile (the form decides)."""

        def __init__(self, name: str | None) -> None:
            super().__init__()
            self.name = name

    def action_forget(self) -> None:
        if self.highlighted_option is not None:
            self.post_message(self.Forget(self.highlighted_option.id))


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
