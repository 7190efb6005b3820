"""From the command line's connection options to a :class:`Connection`: where to call, as whom, with
which password.

The rules (``args`` is the argparse namespace; only ``profile``, ``url``, ``user`` and ``cacert`` are
read, each optional):

* ``--profile NAME`` loads that profile; an unknown name is refused with the names there are.
  ``--url``, ``--user`` and ``--cacert`` given beside it override the profile's own.
* ``--url`` and ``--user`` without a profile still work: the password is ``IPS_PASSWORD`` or a prompt
  (never the keyring: there is no profile to file it under).
* With neither, the store's default profile, if one is set (and the caller is told so); else None.

The password (when ``need_password``) comes from :func:`ips_tui.store.secrets.resolve_password`: the
profile's variable (or ``IPS_PASSWORD``), the system keyring, then a prompt. The prompt is ``getpass``
when standard input is a terminal and never otherwise. When there is no keyring backend (a server
reached over SSH) that is said once per state folder, with the two other ways, and a marker file
remembers it was said.

Nothing here imports Textual, Rich or zeep.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ips_tui.environments import classify_url, profile_environment
from ips_tui.i18n import _

#: the marker file (in the state folder) that says the "no keyring" explanation was shown
KEYRING_NOTICE_FILE = "keyring-notice-shown"

#: passed as ``prompt``: never ask, even on a terminal
NO_PROMPT = False


class ConnectionSetupError(Exception):
    """The connection cannot be set up from what was given (exit 2 unless said otherwise)."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


@dataclass
class Connection:
    """Where and as whom: the one description of a connection, for the CLI and the TUI alike, and the only
    place an :class:`~ips_tui.ips.client.IpsClient` is built (:meth:`client`, :func:`offline_client`).

    ``password`` is None when it was not asked for (``need_password=False``) or not known yet (the TUI
    asks when it is first needed). It lives in memory only."""

    url: str
    user: str
    password: str | None = field(default=None, repr=False)
    cacert: str | None = None
    locale: str | None = None  # the profile's default job locale
    timezone: str | None = None  # the server's zone (IANA name) from the profile; None without one
    company: str | None = None  # the profile's default company handle
    profile: Any = None  # ips_tui.store.profiles.Profile, or None for --url/--user
    environment: str = "custom"  # production | staging | custom | sandbox
    password_source: str | None = None  # env | keyring | prompt (None: no password asked for)
    notes: list[str] = field(default_factory=list)  # what was said to the user (default profile, keyring)
    auth_header: str | None = None  # --auth-header: documented | dated (else the profile's, else learnt)
    companies: dict[str, str] = field(default_factory=dict)  # name -> handle, from the profile or fetched
    display_url: str | None = None  # what screens show instead of the real URL (screenshots)
    command_line: bool = False  # --url/--user: the password is IPS_PASSWORD or typed, never the keyring
    reported_zone: str | None = None  # getScheduledJobs' timeZone, once a listing carried one (ips.server_zone)

    def __repr__(self) -> str:
        shown = "'********'" if self.password else repr(self.password)
        name = getattr(self.profile, "name", None)
        return (f"Connection(url={self.url!r}, user={self.user!r}, password={shown}, profile={name!r}, "
                f"environment={self.environment!r})")

    @classmethod
    def from_profile(cls, profile, *, password: str | None = None, display_url: str | None = None,
                     command_line: bool = False) -> "Connection":
        """The connection a profile describes (no password lookup: see :meth:`stored_password`).
        Raises :class:`~ips_tui.store.profiles.ProfileError` when the profile has no usable URL."""
        environment = profile_environment(profile)
        url = profile.service_url
        companies = dict(getattr(profile, "companies", {}) or {})
        default = getattr(profile, "default_company", None)
        return cls(url, getattr(profile, "user", "") or "", password, cacert=getattr(profile, "cacert", None),
                   locale=getattr(profile, "locale", None), timezone=getattr(profile, "timezone", None),
                   company=companies.get(default) if default else None, profile=profile,
                   environment=environment, companies=companies, display_url=display_url,
                   command_line=command_line)

    @property
    def profile_name(self) -> str | None:
        return getattr(self.profile, "name", None)

    @property
    def name(self) -> str:
        return self.profile_name or ""

    @property
    def server_zone(self) -> str:
        return self.timezone or "UTC"

    @property
    def default_email_setting(self) -> str | None:
        return getattr(self.profile, "email_setting", None)

    def shown_url(self) -> str:
        return self.display_url or self.url or _("(no URL)")

    def stored_password(self, env: Mapping[str, str] | None = None) -> str | None:
        """The password from the environment (``env``) or the keyring, never a prompt; None when neither has
        it. (The keyring is not asked for --url/--user: there is no profile to file it under.) Can wait for
        a slow keyring: call it from a worker in the TUI."""
        from ips_tui.store.secrets import GENERAL_ENV

        env = os.environ if env is None else env
        if self.profile is None:
            return env.get(GENERAL_ENV) or None
        return stored_password(self.profile, env, use_keyring=not self.command_line)

    def client(self, *, timeout: float = 60.0, locale: str | None = None, password: str | None = None,
               auth_header: str | None = None):
        """An :class:`~ips_tui.ips.client.IpsClient` for this connection (imports zeep: in the TUI, call it
        from a worker). ``password`` overrides the connection's (a dry run passes "" to show where it goes,
        masked, without asking for it); ``locale`` "" sends no locale in the header."""
        from ips_tui.ips.client import IpsClient
        from ips_tui.store.profile_client import client_options

        options = client_options(self.profile, self.url)  # reply limits, authHeader namespace (remembered when learnt)
        if auth_header or self.auth_header:
            options["auth_header"] = auth_header or self.auth_header
        return IpsClient(self.url, self.user, self.password if password is None else password, cacert=self.cacert,
                         timeout=timeout, locale=locale if locale is not None else self.locale, **options)


def stored_password(profile, env: Mapping[str, str] | None = None, *, use_keyring: bool = True) -> str | None:
    """The one password lookup without a prompt — the profile's variable (or IPS_PASSWORD), then the keyring —
    for the wizard and the profile manager alike; None when neither has it. Can wait for a slow keyring."""
    from ips_tui.store.secrets import MissingPasswordError, resolve_password

    try:
        return resolve_password(profile, None, env=os.environ if env is None else env,
                                use_keyring=use_keyring).value or None
    except MissingPasswordError:
        return None


def offline_client(*, auth_header: str | None = None):
    """A client that only builds envelopes (a dry run with no connection): it can send nothing."""
    from ips_tui.ips.client import IpsClient

    return IpsClient(None, None, None, auth_header=auth_header)


def command_line_profile(url: str, user: str, cacert: str | None = None):
    """A profile for ``--url/--user`` (never saved)."""
    from ips_tui.store.profiles import Profile

    return Profile(name=_("command line"), user=user, url=url, cacert=cacert)


def sandbox_profile(sandbox, *, timezone: str | None = None):
    """The ready-made profile of the embedded sandbox."""
    from ips_tui.store.profiles import Profile

    companies = {c["name"]: c["handle"] for c in getattr(sandbox, "companies", [])}
    zone = getattr(sandbox, "zone", None)
    tz = timezone or getattr(zone, "key", None) or "UTC"
    return Profile(name="sandbox", user=sandbox.user, url=sandbox.url, sandbox=True, timezone=tz,
                   companies=companies)


# --- the keyring notice, once -------------------------------------------------------------------


def keyring_notice(state_dir: str | os.PathLike[str] | None = None, *, force: bool = False) -> str | None:
    """The "no keyring here, and the two other ways" explanation, the first time only.

    Returns None when a keyring backend works, or when the explanation was already given (a marker
    file in the state folder remembers it; ``force`` ignores the marker). Writes the marker when it
    returns the text. Can wait up to the keyring timeout on a keyring that hangs: call it from a worker
    in the TUI.
    """
    from ips_tui.store import paths
    from ips_tui.store.secrets import keyring_status

    folder = Path(state_dir) if state_dir is not None else paths.state_dir(create=False)
    marker = folder / KEYRING_NOTICE_FILE
    if marker.exists() and not force:
        return None
    available, explanation = keyring_status()
    if available:
        return None
    _mark(marker)
    return explanation


def _mark(marker: Path) -> None:
    from ips_tui.store import paths
    from ips_tui.store.atomic import atomic_write_text

    try:
        paths.ensure_dir(marker.parent)
        atomic_write_text(marker, _("ips-tui told you once that there is no system keyring here. "
                                    "Delete this file to be told again.") + "\n")
    except OSError:
        pass  # being told twice is better than failing


# --- the resolution -----------------------------------------------------------------------------


def stderr_note(text: str) -> None:
    print(f"ips-tui: {text}", file=sys.stderr)


def _default_prompt() -> Callable[[str], str | None] | None:
    """getpass when a terminal is attached; never otherwise."""
    try:
        tty = sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):
        tty = False
    if not tty:
        return None
    import getpass

    return getpass.getpass


def resolve_connection(
    args: Any,
    *,
    need_password: bool,
    prompt: Callable[[str], str | None] | bool | None = None,
    store: Any = None,
    env: Mapping[str, str] | None = None,
    notify: Callable[[str], None] | None = None,
    state_dir: str | os.PathLike[str] | None = None,
) -> Connection | None:
    """The connection ``args`` names (see the module's docstring), or None when it names none and no
    default profile is set.

    ``prompt``: None asks with getpass on a terminal (never without one); a callable ``prompt(question)``
    is used instead; ``False`` never asks. ``store``: a ProfileStore (default: the config folder's).
    ``env``: where variables are read (default ``os.environ``). ``notify(text)``: how the user is told
    things (default: standard error). Raises :class:`ConnectionSetupError`.
    """
    from ips_tui.store.profiles import ProfileFileError, ProfileNotFoundError, ProfileStore

    env = os.environ if env is None else env
    notify = stderr_note if notify is None else notify
    if prompt is None:
        prompt = _default_prompt()
    elif prompt is False:
        prompt = None
    name = getattr(args, "profile", None) or None
    url = getattr(args, "url", None) or None
    user = getattr(args, "user", None) or None
    cacert = getattr(args, "cacert", None) or None

    notes: list[str] = []

    def say(text: str) -> None:
        notes.append(text)
        notify(text)

    if name is None and url is None and user is None:
        if store is None:
            store = ProfileStore()
        try:
            data = store.load()
        except ProfileFileError as error:
            # Nothing was asked for: say why the default profile cannot be used, and carry on without one.
            say(str(error))
            return None
        if data.default is None:
            return None
        profile = data.default
        say(_("Using the default profile '{name}' ({user}); --profile NAME chooses another.").format(
            name=profile.name, user=profile.user))
        return _from_profile(profile, None, None, None, need_password=need_password, prompt=prompt, env=env,
                             say=say, notes=notes, state_dir=state_dir)

    if name is not None:
        if store is None:
            store = ProfileStore()
        try:
            profile = store.get(name)
        except ProfileNotFoundError as error:
            raise ConnectionSetupError(str(error)) from None
        except ProfileFileError as error:
            raise ConnectionSetupError(str(error)) from None
        return _from_profile(profile, url, user, cacert, need_password=need_password, prompt=prompt, env=env,
                             say=say, notes=notes, state_dir=state_dir)

    if url is None or user is None:
        raise ConnectionSetupError(_("--url and --user go together (or use --profile NAME)"))
    password = source = None
    if need_password:
        from ips_tui.store.secrets import GENERAL_ENV

        password = env.get(GENERAL_ENV) or None
        source = "env" if password else None
        if password is None:
            if prompt is None:
                raise ConnectionSetupError(
                    _("No password for {user}: set {variable}, or run in a terminal to be asked for it.").format(
                        user=user, variable=GENERAL_ENV))
            typed = prompt(_("Password for {user} at {url}: ").format(user=user, url=url))
            if not typed:
                raise ConnectionSetupError(_("No password was given for {user}.").format(user=user))
            password, source = typed, "prompt"
    return Connection(url, user, password, cacert=cacert, environment=classify_url(url), password_source=source,
                      notes=notes)


def _from_profile(profile, url, user, cacert, *, need_password, prompt, env, say, notes, state_dir) -> Connection:
    from ips_tui.store.profiles import ProfileError

    if url or user:
        profile = profile.copy()  # the overrides apply to this run only, never to the file
        if user:
            profile.user = user
        if url:
            profile.url, profile.region, profile.staging = url, None, False
    try:
        service_url = profile.service_url
    except ProfileError as error:
        raise ConnectionSetupError(str(error)) from None
    password = source = None
    if need_password:
        secret = password_for(profile, prompt=prompt, env=env, say=say, state_dir=state_dir)
        password, source = secret.value, secret.source
    environment = profile_environment(profile)
    return Connection(
        service_url, profile.user, password, cacert=cacert or profile.cacert, locale=profile.locale,
        timezone=profile.timezone, company=profile.company_handle(), profile=profile, environment=environment,
        password_source=source, notes=notes, companies=dict(profile.companies or {}),
    )


def password_for(profile, *, prompt=None, env: Mapping[str, str] | None = None,
                 say: Callable[[str], None] | None = None, state_dir=None):
    """The profile's password as a :class:`~ips_tui.store.secrets.Secret`: its variable, the keyring,
    then ``prompt``. Says once (``say``) when there is no keyring. Raises :class:`ConnectionSetupError`."""
    from ips_tui.store.secrets import GENERAL_ENV, MissingPasswordError, keyring_status, resolve_password

    env = os.environ if env is None else env
    use_keyring = True
    if not env.get(profile.password_env or GENERAL_ENV):
        # The variable is not set, so the keyring is next: find out once whether there is one at all.
        available, explanation = keyring_status()
        if not available:
            use_keyring = False
            from ips_tui.store import paths

            folder = Path(state_dir) if state_dir is not None else paths.state_dir(create=False)
            marker = folder / KEYRING_NOTICE_FILE
            if not marker.exists():
                _mark(marker)
                if say is not None:
                    say(explanation)
    try:
        return resolve_password(profile, prompt, env=env, use_keyring=use_keyring)
    except MissingPasswordError as error:
        raise ConnectionSetupError(str(error)) from None


__all__ = [
    "Connection",
    "command_line_profile",
    "offline_client",
    "sandbox_profile",
    "stored_password",
    "ConnectionSetupError",
    "KEYRING_NOTICE_FILE",
    "NO_PROMPT",
    "keyring_notice",
    "password_for",
    "resolve_connection",
]
