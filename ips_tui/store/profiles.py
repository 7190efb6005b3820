"""Connection profiles: which IPS account, where, and the defaults for its jobs.

One TOML file, ``profiles.toml`` in the config folder, that a person can read and edit::

    default_profile = "acme-prod"

    [profiles.acme-prod]
    user = "ops@acme.com"
    region = "na"                       # na | emea | apac  (or url = "https://…" for a custom host)
    staging = false
    timezone = "America/Los_Angeles"    # the server's zone, used for schedules
    locale = "en-US"
    email_setting = "Error"
    default_company = "Acme"
    password_env = "ACME_IPS_PASSWORD"
    auth_header = "documented"          # or "dated": where the service reads authHeader (learnt by itself)
    max_reply_mib = 16                  # reply limits: on the wire, and unpacked (see docs/reliability.md)
    max_inflated_mib = 32

    [profiles.acme-prod.companies]
    Acme = "c|1234"

Passwords are never in the file (see :mod:`ips_tui.store.secrets`). Every change is a
read-modify-write under a lock, re-reading the file after the lock is taken, and the file is
replaced atomically (mode 0600), so two ips-tui processes cannot lose each other's changes. A symlinked
``profiles.toml`` is written through to its target (the link stays). A config folder or file that others
may read is tightened to 0700/0600 and that is said (:func:`take_notices`). A UTF-8 BOM is accepted. A file
that does not parse is never overwritten: :class:`ProfileFileError` says where and why, a copy is
kept beside it, and every later save raises the same error until the file is fixed or moved away.
"""

from __future__ import annotations

import dataclasses
import os
import re
import time
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ips_tui.i18n import _
from ips_tui.store import paths
from ips_tui.store.atomic import LOCK_TIMEOUT, atomic_write_bytes, atomic_write_text, locked
from ips_tui.store.permissions import take_notices, tighten  # noqa: F401  (take_notices: for callers)
from ips_tui.store.profile_errors import (  # noqa: F401  (re-exported: callers import them from here)
    Problem, ProfileError, ProfileFileError, ProfileNotFoundError, SecretInProfileError,
)
from ips_tui.store.profile import (  # noqa: F401  (re-exported: callers import them from here)
    AUTH_HEADERS, CUSTOM_TIMEZONE, DEFAULT_TIMEZONES, EMAIL_SETTINGS, ENVIRONMENTS, LIMIT_RANGE, Profile,
    _check_storable, _FILE_KEYS, _SECRET_KEYS, _secret_message,
)

PROFILES_FILE = "profiles.toml"
#: the most of profiles.toml ever read (a hundred profiles with their companies are a few KiB)
MAX_FILE = 1024 * 1024

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_TOML_END = re.compile(r"\s*\(at end of document\)$")

_HEADER = """\
# ips-tui profiles: one [profiles.NAME] table per IPS account, edited by ips-tui or by hand.
# Passwords are never kept here: name an environment variable with password_env, use the
# system keyring, or type the password when asked. ips-tui rewrites this file when profiles
# change, and comments are not kept.

"""


# --- the file ----------------------------------------------------------------------------------


@dataclass
class StoreData:
    """What ``profiles.toml`` holds."""

    path: Path
    profiles: dict[str, Profile] = field(default_factory=dict)
    default_profile: str | None = None

    @property
    def default(self) -> Profile | None:
        return self.profiles.get(self.default_profile or "")

    def to_toml(self) -> str:
        import tomli_w

        doc: dict[str, Any] = {}
        if self.default_profile is not None:
            doc["default_profile"] = self.default_profile
        doc["profiles"] = {name: profile.to_dict() for name, profile in self.profiles.items()}
        return _HEADER + tomli_w.dumps(doc)


def _profile_from_file(name: str, table: object) -> tuple[Profile | None, list[Problem]]:
    if not isinstance(table, dict):
        return None, [Problem(None, f"profiles.{name}", _("must be a table: [profiles.{name}]").format(name=name))]
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key.lower() in _SECRET_KEYS:
            problems.append(Problem(name, key, _secret_message()))
            continue
        expected = _FILE_KEYS.get(key)
        if expected is None:
            problems.append(Problem(name, key, _("unknown key (known keys: {keys})").format(
                keys=", ".join(_FILE_KEYS))))
            continue
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            kind = {str: _("a string"), bool: _("true or false"), dict: _("a table"),
                    int: _("a whole number")}[expected]
            problems.append(Problem(name, key, _("must be {kind}").format(kind=kind)))
            continue
        values[key] = value
    if problems:
        return None, problems
    profile = Profile(name=name, **values)
    return profile, profile.problems()


def _split_toml_error(error: tomllib.TOMLDecodeError) -> tuple[str, int | None, int | None]:
    message = str(error)
    match = _TOML_POSITION.search(message)
    if match:
        return message[: match.start()], int(match.group(1)), int(match.group(2))
    match = _TOML_END.search(message)
    if match:
        return message[: match.start()], None, None
    return message, None, None


class ProfileStore:
    """``profiles.toml`` in ``config_dir`` (default: :func:`ips_tui.store.paths.config_dir`)."""

    def __init__(self, config_dir: str | os.PathLike[str] | None = None, lock_timeout: float = LOCK_TIMEOUT) -> None:
        folder = Path(config_dir) if config_dir is not None else paths.config_dir(create=False)
        self.path = folder / PROFILES_FILE
        self.lock_timeout = lock_timeout

    # -- reading ----------------------------------------------------------------------------

    def load(self) -> StoreData:
        """The whole file. Missing file: an empty store. Unusable file: :class:`ProfileFileError`."""
        import stat

        try:
            with open(self.path, "rb") as fh:
                regular = stat.S_ISREG(os.fstat(fh.fileno()).st_mode)
                raw = fh.read(MAX_FILE + 1) if regular else b""
        except FileNotFoundError:
            return StoreData(self.path)
        if not regular or len(raw) > MAX_FILE:
            reason = _("it is not a regular file") if not regular else _("it is larger than {size} KiB").format(
                size=MAX_FILE // 1024)
            raise ProfileFileError(self.path, problems=[Problem(None, PROFILES_FILE, reason)])
        tighten(self.path.parent, 0o700)
        tighten(self._target(), 0o600)
        return self._parse(raw)

    def _target(self) -> Path:
        """The file written: ``profiles.toml`` itself, or what it links to (the link is kept)."""
        return Path(os.path.realpath(self.path)) if self.path.is_symlink() else self.path

    def list(self) -> list[Profile]:
        """All profiles, by name."""
        return sorted(self.load().profiles.values(), key=lambda p: p.name.casefold())

    def names(self) -> list[str]:
        return [p.name for p in self.list()]

    def get(self, name: str | None = None) -> Profile:
        """The profile called ``name``; with None, the default profile (or the only one)."""
        data = self.load()
        if name is None:
            if data.default is not None:
                return data.default
            if len(data.profiles) == 1:
                return next(iter(data.profiles.values()))
            if not data.profiles:
                raise ProfileNotFoundError(_("There are no profiles yet in {path}.").format(path=self.path))
            raise ProfileNotFoundError(
                _("No default profile is set; choose one of: {names}.").format(names=", ".join(sorted(data.profiles)))
            )
        if name not in data.profiles:
            raise self._not_found(name, data)
        return data.profiles[name]

    # -- changing ---------------------------------------------------------------------------

    def save_profile(self, profile: Profile | Mapping[str, Any]) -> Profile:
        """Add ``profile``, or replace the one with its name. Returns what was stored."""
        if isinstance(profile, Mapping):
            profile = Profile.from_dict(profile)
        _check_storable(profile)
        stored = profile.copy()

        def change(data: StoreData) -> None:
            data.profiles[stored.name] = stored

        self._modify(change)
        return stored.copy()

    def update(self, name: str, fn: Callable[[Profile], Profile | None]) -> Profile:
        """Read-modify-write one profile under the lock: ``fn`` gets a copy of the current profile and
        changes it in place or returns a new one. A changed ``name`` renames the profile (the
        default follows). Returns what was stored."""
        result: list[Profile] = []

        def change(data: StoreData) -> None:
            if name not in data.profiles:
                raise self._not_found(name, data)
            current = data.profiles[name].copy()
            new = fn(current)
            new = current if new is None else new
            if not isinstance(new, Profile):
                raise TypeError("update(): fn must change the profile in place or return a Profile")
            if new.name != name and new.name in data.profiles:
                raise ProfileError([Problem(new.name, "name", _("a profile with this name exists already"))])
            _check_storable(new)
            stored = new.copy()
            if new.name == name:
                data.profiles[name] = stored
            else:  # keep the file's order
                data.profiles = {(stored.name if k == name else k): (stored if k == name else v)
                                 for k, v in data.profiles.items()}
                if data.default_profile == name:
                    data.default_profile = stored.name
            result.append(stored.copy())

        self._modify(change)
        return result[0]

    def remove(self, name: str) -> None:
        """Delete a profile (its keyring entry, if any, is the caller's: see secrets.delete_password)."""

        def change(data: StoreData) -> None:
            if name not in data.profiles:
                raise self._not_found(name, data)
            del data.profiles[name]
            if data.default_profile == name:
                data.default_profile = None

        self._modify(change)

    def set_default(self, name: str | None) -> None:
        """Make ``name`` the default profile (None: no default)."""

        def change(data: StoreData) -> None:
            if name is not None and name not in data.profiles:
                raise self._not_found(name, data)
            data.default_profile = name

        self._modify(change)

    # -- internals --------------------------------------------------------------------------

    def _not_found(self, name: str, data: StoreData) -> ProfileNotFoundError:
        known = ", ".join(sorted(data.profiles)) or _("none")
        return ProfileNotFoundError(
            _("There is no profile named '{name}' (profiles: {known}).").format(name=name, known=known), name
        )

    def _modify(self, change: Callable[[StoreData], None]) -> None:
        paths.ensure_dir(self.path.parent)
        tighten(self.path.parent, 0o700)
        with locked(self.path, timeout=self.lock_timeout):
            data = self.load()  # re-read under the lock: another process may have written
            change(data)
            atomic_write_text(self._target(), data.to_toml())

    def _parse(self, raw: bytes) -> StoreData:
        raw = raw.removeprefix(b"\xef\xbb\xbf")  # a BOM some editors write
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            before = raw[: error.start]
            line = before.count(b"\n") + 1
            column = error.start - (before.rfind(b"\n") + 1) + 1
            raise ProfileFileError(
                self.path, reason=_("it is not UTF-8 text"), line=line, column=column, backup=self._backup(raw)
            ) from None
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            reason, line, column = _split_toml_error(error)
            raise ProfileFileError(
                self.path, reason=reason, line=line, column=column, backup=self._backup(raw)
            ) from None
        return self._validate(doc)

    def _validate(self, doc: dict[str, Any]) -> StoreData:
        problems: list[Problem] = []
        data = StoreData(self.path)
        for key in doc:
            if key not in ("default_profile", "profiles"):
                problems.append(Problem(None, key, _("unknown key (known: default_profile, profiles)")))
        tables = doc.get("profiles", {})
        if not isinstance(tables, dict):
            problems.append(Problem(None, "profiles", _("must be a table: [profiles.NAME]")))
            tables = {}
        for name, table in tables.items():
            profile, found = _profile_from_file(name, table)
            problems.extend(found)
            if profile is not None:
                data.profiles[name] = profile
        default = doc.get("default_profile")
        if default is not None:
            if not isinstance(default, str):
                problems.append(Problem(None, "default_profile", _("must be the name of a profile")))
            elif default not in tables:
                problems.append(Problem(None, "default_profile", _("there is no profile named '{name}'").format(
                    name=default)))
            else:
                data.default_profile = default
        if problems:
            raise ProfileFileError(self.path, problems=problems)
        return data

    def _backup(self, raw: bytes) -> Path:
        """Keep a copy of an unreadable file, once per distinct content."""
        prefix = self.path.name + ".bad-"
        try:
            for existing in sorted(self.path.parent.glob(prefix + "*")):
                if existing.stat().st_size == len(raw) and existing.read_bytes() == raw:
                    return existing
        except OSError:
            pass
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(prefix + stamp)
        n = 1
        while target.exists():
            target = self.path.with_name(f"{prefix}{stamp}-{n}")
            n += 1
        atomic_write_bytes(target, raw)
        return target
