"""The UI language: gettext catalogues shipped in ``ips_tui/locale``.

``_`` translates at call time, so switching the language takes effect on the next
string drawn. Module-level text is marked with ``N_`` and translated where shown.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "ips_tui"
LOCALE_DIR = Path(__file__).with_name("locale")
SUPPORTED = ("en", "es")

_current: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def language_from_env(env: dict[str, str] | None = None) -> str:
    """The first supported language named by LANGUAGE, LC_ALL, LC_MESSAGES or LANG."""
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in env.get(var, "").split(":"):
            code = part.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
            if code in SUPPORTED:
                return code
            if code in ("c", "posix"):
                return "en"
    return "en"


def set_language(code: str | None) -> str:
    """Switch the UI language (``None``: from the environment). Returns the one in force."""
    global _current, _language
    lang = (code or language_from_env()).replace("-", "_").split("_")[0].lower()
    if lang not in SUPPORTED:
        lang = "en"
    _current = gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)
    _language = lang
    return lang


def language() -> str:
    return _language


def _(message: str) -> str:
    return _current.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark for extraction; translate later with ``_``."""
    return message


set_language(None)
