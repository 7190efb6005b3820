"""What can be wrong with a profile or with ``profiles.toml``, each naming the profile and the key (re-exported
by :mod:`ips_tui.store.profiles`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ips_tui.i18n import _


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a profile: which profile (None: the file's top level), which key, why."""

    profile: str | None
    key: str
    message: str

    def __str__(self) -> str:
        if self.profile is None:
            return _("{key}: {message}").format(key=self.key, message=self.message)
        return _("profile '{profile}', {key}: {message}").format(
            profile=self.profile, key=self.key, message=self.message
        )


class ProfileError(ValueError):
    """A profile given to the store is not acceptable (nothing was written)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class SecretInProfileError(ProfileError):
    """Something tried to save a password into the profiles file."""


class ProfileNotFoundError(LookupError):
    def __init__(self, message: str, name: str | None = None) -> None:
        self.name = name
        super().__init__(message)

    def __str__(self) -> str:  # LookupError would quote it
        return self.args[0]


class ProfileFileError(Exception):
    """``profiles.toml`` cannot be used as it is. Nothing is written until it is fixed or moved away.

    For a file that does not parse: ``line``/``column`` (1-based; None at the end of the file),
    ``reason``, and ``backup`` (a copy of the bytes as found). For content that parses but is wrong:
    ``problems``, each naming the profile and the key.
    """

    def __init__(
        self,
        path: Path,
        *,
        reason: str = "",
        line: int | None = None,
        column: int | None = None,
        backup: Path | None = None,
        problems: list[Problem] | None = None,
    ) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.column = column
        self.backup = backup
        self.problems = problems or []
        super().__init__(self._message())

    def _message(self) -> str:
        if self.problems:
            head = _("{path} has errors; fix them there (ips-tui will not change the file until then):").format(
                path=self.path
            )
            return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        if self.line is not None:
            where = _("line {line}, column {column}").format(line=self.line, column=self.column)
        else:
            where = _("the end of the file")
        text = _("{path} is not valid TOML: {reason} at {where}.").format(
            path=self.path, reason=self.reason, where=where
        )
        text += " " + _(
            "ips-tui has not changed it and will not save profiles until it is fixed or moved away."
        )
        if self.backup is not None:
            text += " " + _("A copy of it as found is in {backup}.").format(backup=self.backup)
        return text
