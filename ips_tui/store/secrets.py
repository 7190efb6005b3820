"""Where a profile's password comes from. Never from ``profiles.toml``.

In this order:

1. **An environment variable.** The one the profile names in ``password_env``; a profile that names
   none uses ``IPS_PASSWORD``. (A profile that names its own variable never falls back to
   ``IPS_PASSWORD``: that shell-wide password belongs to some other account, and sending it to this
   one only earns a failed login.)
2. **The system keyring** (service ``ips-tui``, user ``<profile name>:<user>``). It is optional: on a
   server reached over SSH there is usually no backend and keyring raises ``NoKeyringError`` even
   on reads, and a locked Secret Service can hang, so every call runs in a thread with a timeout and
   any failure counts as "no keyring". The plaintext-file backends of ``keyrings.alt`` are never used.
3. **A prompt**: a callable given by the caller (``getpass`` in the CLI, a masked input in the TUI).
   What it returns is kept in memory only.

:class:`Secret` holds the value; its ``repr`` and ``str`` never show it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ips_tui.i18n import _

KEYRING_SERVICE = "ips-tui"
KEYRING_TIMEOUT = 3.0  # seconds; a locked Secret Service can hang for ever
GENERAL_ENV = "IPS_PASSWORD"
SOURCES = ("env", "keyring", "prompt")


class Secret:
    """A password and where it came from (``source`` in ``SOURCES``; ``origin`` names the variable,
    the keyring backend, or "prompt"). Printing it never shows the value."""

    __slots__ = ("_value", "source", "origin")

    def __init__(self, value: str, source: str, origin: str = "") -> None:
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        self._value = value
        self.source = source
        self.origin = origin or source

    @property
    def value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret(source={self.source!r}, origin={self.origin!r}, value='********')"

    def __str__(self) -> str:
        return "********"

    def __format__(self, spec: str) -> str:
        return str(self)

    def __reduce__(self):  # keep it out of pickles (journals, worker queues)
        raise TypeError("a Secret cannot be pickled")


class MissingPasswordError(LookupError):
    """No environment variable, no keyring entry, and no prompt (or the prompt was cancelled)."""

    def __init__(self, message: str, cancelled: bool = False) -> None:
        self.cancelled = cancelled
        super().__init__(message)

    def __str__(self) -> str:
        return self.args[0]


class KeyringResult:
    """The outcome of a keyring write: true when it worked; ``reason`` says why not."""

    __slots__ = ("ok", "reason")

    def __init__(self, ok: bool, reason: str = "") -> None:
        self.ok = ok
        self.reason = reason

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"KeyringResult(ok={self.ok!r}, reason={self.reason!r})"


# --- the keyring, at arm's length --------------------------------------------------------------


class _NoBackend(Exception):
    """No usable keyring backend (message: why, in words)."""


_state_lock = threading.Lock()
_busy: tuple[threading.Thread | None, float] = (None, 0.0)  # the last keyring call, and its deadline


def _refused(backend: Any) -> bool:
    from keyring.backends import fail

    module = type(backend).__module__
    return (
        isinstance(backend, fail.Keyring)
        or module == "keyring.backends.null"
        or _is_alt(module)
    )


def _is_alt(module: str) -> bool:
    """keyrings.alt: plaintext (base64) or weakly encrypted files that a pip install switches on silently."""
    return module == "keyrings.alt" or module.startswith("keyrings.alt.")


def _backends() -> list[Any]:
    """The usable backends, best first. Raises :class:`_NoBackend`."""
    import keyring
    from keyring.backends.chainer import ChainerBackend

    chosen = keyring.get_keyring()
    candidates = list(chosen.backends) if isinstance(chosen, ChainerBackend) else [chosen]
    usable = [b for b in candidates if not _refused(b)]
    if not usable:
        if any(_is_alt(type(b).__module__) for b in candidates):
            raise _NoBackend(_("only a plaintext file keyring (keyrings.alt) is installed, and ips-tui does not use it"))
        raise _NoBackend(_("there is no system keyring on this machine (usual on a server reached over SSH)"))
    return usable


def _backend_name(backend: Any) -> str:
    return str(getattr(backend, "name", "") or type(backend).__name__)


def _with_keyring(work: Callable[[list[Any]], Any], timeout: float) -> Any:
    """Run ``work(backends)`` in a daemon thread. Raises :class:`_NoBackend` on any failure or timeout."""
    global _busy
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = work(_backends())
        except _NoBackend as error:
            box["error"] = str(error)
        except Exception as error:  # KeyringError, NoKeyringError, D-Bus and SecretStorage errors
            from keyring.errors import KeyringLocked, NoKeyringError

            if isinstance(error, NoKeyringError):
                box["error"] = _("there is no system keyring on this machine (usual on a server reached over SSH)")
            elif isinstance(error, KeyringLocked):
                box["error"] = _("the system keyring is locked")
            else:
                box["error"] = _("the system keyring failed: {error}").format(error=type(error).__name__)

    deadline = time.monotonic() + timeout
    thread = threading.Thread(target=run, name="ips-tui-keyring", daemon=True)
    with _state_lock:
        previous, hung_after = _busy
    if previous is not None and previous.is_alive():
        # One call at a time. One that outlived its own timeout is hung: do not queue behind it.
        if time.monotonic() >= hung_after:
            raise _NoBackend(_("the system keyring has not answered an earlier request (it may be locked)"))
        previous.join(max(0.0, deadline - time.monotonic()))
        if previous.is_alive():
            raise _NoBackend(_("the system keyring did not answer within {seconds:g} s (it may be locked)").format(
                seconds=timeout))
    with _state_lock:
        _busy = (thread, deadline)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        raise _NoBackend(
            _("the system keyring did not answer within {seconds:g} s (it may be locked)").format(seconds=timeout)
        )
    if "error" in box:
        raise _NoBackend(box["error"])
    return box.get("value")


def keyring_busy() -> bool:
    """True while an earlier keyring call has not come back (calls are refused meanwhile)."""
    thread = _busy[0]
    return thread is not None and thread.is_alive()


def _other_ways() -> str:
    return _(
        "Two other ways work: set password_env in the profile to the name of an environment variable "
        "that holds the password (or set {general} for a profile that names none), or type the password "
        "when ips-tui asks; it is then kept in memory only, until ips-tui exits."
    ).format(general=GENERAL_ENV)


def keyring_status(timeout: float = KEYRING_TIMEOUT) -> tuple[bool, str]:
    """(available, explanation): whether passwords can be kept in the system keyring, in words."""
    try:
        name = _with_keyring(lambda backends: _backend_name(backends[0]), timeout)
    except _NoBackend as why:
        reason = str(why)
        return False, _("The keyring cannot be used: {reason}, so ips-tui cannot remember passwords.").format(
            reason=reason
        ) + " " + _other_ways()
    return True, _("Passwords can be kept in the system keyring ({backend}).").format(backend=name)


def store_password(profile: Any, password: str | Secret, timeout: float = KEYRING_TIMEOUT) -> KeyringResult:
    """Keep ``password`` in the system keyring for ``profile``. False (with ``reason``) without a keyring."""
    value = password.value if isinstance(password, Secret) else password
    if not value:
        return KeyringResult(False, _("an empty password is not stored"))

    def work(backends: list[Any]) -> None:
        backends[0].set_password(KEYRING_SERVICE, profile.keyring_username, value)

    try:
        _with_keyring(work, timeout)
    except _NoBackend as why:
        return KeyringResult(False, str(why))
    return KeyringResult(True)


def delete_password(profile: Any, timeout: float = KEYRING_TIMEOUT) -> KeyringResult:
    """Forget the keyring entry of ``profile`` (e.g. when the profile is removed or renamed)."""

    def work(backends: list[Any]) -> bool:
        from keyring.errors import PasswordDeleteError

        found = False
        for backend in backends:
            try:
                backend.delete_password(KEYRING_SERVICE, profile.keyring_username)
                found = True
            except (PasswordDeleteError, NotImplementedError):
                pass
        return found

    try:
        found = _with_keyring(work, timeout)
    except _NoBackend as why:
        return KeyringResult(False, str(why))
    return KeyringResult(True) if found else KeyringResult(False, _("no password was stored for this profile"))


def _from_keyring(profile: Any, timeout: float) -> Secret | None:
    def work(backends: list[Any]) -> Secret | None:
        for backend in backends:
            value = backend.get_password(KEYRING_SERVICE, profile.keyring_username)
            if value:
                return Secret(value, "keyring", _backend_name(backend))
        return None

    return _with_keyring(work, timeout)


# --- the chain ---------------------------------------------------------------------------------


def resolve_password(
    profile: Any,
    prompt: Callable[[str], str | None] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    use_keyring: bool = True,
    timeout: float = KEYRING_TIMEOUT,
) -> Secret:
    """The password for ``profile``: environment variable, then keyring, then ``prompt(text)``.

    ``prompt`` gets the question to show and returns the password (None or "" cancels). Raises
    :class:`MissingPasswordError` when nothing yields one. Blocks for up to ``timeout`` seconds on a
    keyring that does not answer: call it from a worker thread in the TUI.
    """
    env = os.environ if env is None else env
    variable = profile.password_env or GENERAL_ENV
    value = env.get(variable)
    if value:
        return Secret(value, "env", variable)

    keyring_reason = ""
    keyring_works = False
    if use_keyring:
        try:
            found = _from_keyring(profile, timeout)
        except _NoBackend as why:
            keyring_reason = str(why)
        else:
            keyring_works = True
            if found is not None:
                return found
            keyring_reason = _("the keyring has no password for {entry}").format(entry=profile.keyring_username)

    who = _("{user} (profile {profile})").format(user=profile.user, profile=profile.name)
    if prompt is not None:
        typed = prompt(_("Password for {who}: ").format(who=who))
        if typed:
            return Secret(typed, "prompt", "prompt")
        raise MissingPasswordError(_("No password was given for {who}.").format(who=who), cancelled=True)

    message = _("No password for {who}: {variable} is not set").format(who=who, variable=variable)
    if keyring_reason:
        message += _(", and {reason}").format(reason=keyring_reason)
    if keyring_works:
        advice = _("Set {variable}, store the password in the keyring, or run interactively to be asked for it.")
    else:
        advice = _("Set {variable}, or run interactively to be asked for the password.")
    message += ". " + advice.format(variable=variable)
    raise MissingPasswordError(message)


def move_keyring_entry(old, new) -> bool:
    """After a rename: move the keyring entry of profile ``old`` to ``new`` (best effort, no prompt).

    True when a password was moved. The password is held in memory for the move only.
    """
    if old.keyring_username == new.keyring_username:
        return False
    try:
        secret = resolve_password(old, None, env={}, use_keyring=True)
    except MissingPasswordError:
        return False
    if secret.source != "keyring":
        return False
    if store_password(new, secret).ok:
        delete_password(old)
        return True
    return False
