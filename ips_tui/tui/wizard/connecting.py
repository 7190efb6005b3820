"""Where the wizard sends its job: the embedded sandbox, a saved profile or --url/--user; the companies;
and the password, looked up the one way the profile manager uses too (:func:`password_question`,
:meth:`Connecting.need_password`). IO runs in thread workers; results come back as messages."""

from __future__ import annotations

from textual import work

from ips_tui.i18n import _
from ips_tui.tui import messages as msg


def password_question(connection) -> str:
    return _("Password for {user} at {url}").format(user=connection.user, url=connection.shown_url())


def lookup_password(connection, env) -> str | None:
    """The password from the environment or the keyring (never a prompt; a worker: the keyring can be slow)."""
    return connection.stored_password(env)


class Connecting:
    """Mixin of the wizard screen (its message handlers go by name, ``on_…``: Textual's ``@on`` is only
    collected on message-pump classes) (needs ``form``, ``connection``, ``profiles`` and ``show_env``)."""

    def set_connection(self, connection) -> None:
        from ips_tui.tui.reconcile import reconcile_at_start

        self.connection = connection
        self.call_after_refresh(reconcile_at_start, self.app, connection)
        if not self.form.company and connection.company:
            self.form.company = connection.company
        if not self.form.values.get("locale") and connection.locale:
            # the profile's locale, else none (the service's default): never the interface language, so a
            # job goes out the same under --lang es and --lang en
            self.form.values["locale"] = connection.locale
        self.form.profile = connection.name
        self.show_env()
        self.form_replaced(typed=False)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sandbox")
    def start_sandbox(self) -> None:
        from ips_tui.connection import Connection, sandbox_profile
        from ips_tui.sandbox import Sandbox

        sandbox = Sandbox(port=0).start()
        self.app.sandbox = sandbox
        self.post_message(msg.SandboxReady(Connection.from_profile(sandbox_profile(sandbox),
                                                                   password=sandbox.password)))

    def on_sandbox_ready(self, message: msg.SandboxReady) -> None:
        self.set_connection(message.connection)

    def connect_command_line(self) -> None:
        from ips_tui.connection import Connection, command_line_profile

        opts = self.app.options
        if not (opts.url and opts.user):
            self.app.report_error(ValueError(_("--url and --user go together")))
            self.load_profiles()
            return
        profile = command_line_profile(opts.url, opts.user, opts.cacert)
        password = opts.env.get("IPS_PASSWORD") or None
        self.set_connection(Connection.from_profile(profile, password=password, command_line=True))
        if not self.connection.companies:
            self.fetch_companies()

    @work(thread=True, exclusive=True, exit_on_error=False, group="profiles")
    def load_profiles(self) -> None:
        from ips_tui.store.profiles import ProfileStore

        data = ProfileStore(self.app.options.config_dir).load()
        self.app.call_from_thread(self.profiles_loaded, list(data.profiles.values()), data.default_profile)

    def profiles_loaded(self, profiles: list, default: str | None) -> None:
        self.profiles = sorted(profiles, key=lambda p: p.name.lower())
        wanted = self.wanted_profile or self.app.options.profile or default
        chosen = next((p for p in profiles if p.name == wanted), profiles[0] if profiles else None)
        if self.app.options.profile and (chosen is None or chosen.name != self.app.options.profile):
            self.app.report_error(LookupError(_("no profile named {name}").format(name=self.app.options.profile)))
        if chosen is not None:
            self.use_profile(chosen)
        else:
            self.form_replaced(typed=False)
            self.show_env(status=_("no profiles yet: start with --sandbox, or --url URL --user EMAIL"))

    def on_profile_chosen(self, message: msg.ProfileChosen) -> None:
        profile = next((p for p in self.profiles if p.name == message.name), None)
        if profile is not None:
            self.use_profile(profile)

    def use_profile(self, profile) -> None:
        from ips_tui.connection import Connection

        if profile.environment == "sandbox" or getattr(profile, "sandbox", False):
            self.start_sandbox()
            return
        try:
            connection = Connection.from_profile(profile)
        except Exception as error:  # a profile without a usable URL: say so, keep the wizard
            self.app.report_error(error, _("Reading profiles"))
            return
        self.form.company = self.form.company if profile.name == self.form.profile else ""
        self.set_connection(connection)
        if not self.connection.companies:
            self.fetch_companies()  # asks for the password first when no variable or keyring has it

    # -- the password -----------------------------------------------------------------------------
    def need_password(self, then) -> bool:
        """True when the password is known; otherwise look it up (env, keyring) or ask, then call ``then``."""
        if self.connection is None:
            self.notify(_("Choose a profile first."), severity="warning")
            return False
        if self.connection.password:
            return True
        self.resolve_password(then)
        return False

    @work(thread=True, exclusive=True, exit_on_error=False, group="password")
    def resolve_password(self, then) -> None:
        password = lookup_password(self.connection, self.app.options.env)
        if password is None:
            self.post_message(msg.PasswordNeeded(password_question(self.connection), then))
        else:
            self.post_message(msg.PasswordResolved(password, then))

    def on_password_needed(self, message: msg.PasswordNeeded) -> None:
        from ips_tui.tui.screens.modals import PasswordScreen

        def done(password: str | None) -> None:
            if password:
                self.post_message(msg.PasswordResolved(password, message.then))
            else:
                self.notify(_("No password given: nothing was sent."), severity="warning")
                self.password_refused()  # (Submitting: the question is over)

        self.app.push_screen(PasswordScreen(message.question), done)

    def on_password_resolved(self, message: msg.PasswordResolved) -> None:
        self.connection.password = message.password
        message.then()

    # -- companies --------------------------------------------------------------------------------
    def fetch_companies(self) -> None:
        if self.need_password(self.fetch_companies):
            self._fetch_companies(self.connection)

    @work(thread=True, exclusive=True, exit_on_error=False, group="companies")
    def _fetch_companies(self, connection) -> None:
        from ips_tui.companies import fetch_companies

        client = connection.client(timeout=self.app.options.timeout, locale="")
        try:
            found = fetch_companies(client)
        finally:
            client.close()
        self.post_message(msg.CompaniesLoaded({c.name: c.handle for c in found}))

    def on_companies_loaded(self, message: msg.CompaniesLoaded) -> None:
        self.connection.companies.update(message.companies)
        if not self.form.company and message.companies:
            self.form.company = next(iter(message.companies.values()))
        self.show_env()
        self.form_replaced(typed=False)
