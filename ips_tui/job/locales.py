"""The job locale: IPS wants ``ll`` or ``ll-CC`` (ISO 639 language in lower case, ISO 3166 country
in upper case, joined by ``-``), e.g. ``en`` or ``en-US``.

``check_locale`` says whether a typed code is acceptable and, when it is not, why and what to type
instead. A code is accepted when CLDR (through babel) knows that language, or that language in that
country: ``en-US`` and ``sr-RS`` yes, ``en-ZZ``, ``und`` and ``xx`` no. The check is cached and
cheap enough to run on every keystroke.

babel's own parser is lenient in ways that would let mistakes through (``Locale.parse("en-ZZ",
sep="-")`` and ``"und"`` both give ``en_US``; ``"en-UK"`` gives ``en_GB``), so the set of accepted
codes is built from ``locale_identifiers()`` and a parsed locale must round-trip to what was typed.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from ips_tui import i18n
from ips_tui.i18n import _

_SEP = re.compile(r"[-_]")
_LANG = re.compile(r"[A-Za-z]{2,3}")
_SCRIPT = re.compile(r"[A-Za-z]{4}")
_REGION = re.compile(r"[A-Za-z]{2}")
_REGION_NUMBER = re.compile(r"[0-9]{3}")
# ISO 639 codes that name no language (undetermined, multiple, missing, no content): no near misses
_SPECIAL_LANGUAGES = frozenset({"und", "mul", "mis", "zxx"})


@dataclass(frozen=True)
class LocaleCheck:
    ok: bool
    value: str | None = None  # the accepted code, e.g. "en-US" (only when ok)
    display_name: str | None = None  # e.g. "English (United States)", in the display language
    error: str | None = None  # why it is not accepted, in the UI language
    suggestion: str | None = None  # the best code to use instead
    suggestions: tuple[str, ...] = ()  # all did-you-mean candidates, best first


# --- what babel knows ------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    """Every ``ll`` and ``ll-CC`` code CLDR has data for (scripts and variants dropped) and babel
    parses back to itself."""
    from babel.localedata import locale_identifiers

    codes: set[str] = set()
    for ident in locale_identifiers():
        parts = ident.split("_")
        lang, rest = parts[0], parts[1:]
        if rest and _SCRIPT.fullmatch(rest[0]):
            rest = rest[1:]
        if not _LANG.fullmatch(lang) or len(rest) > 1:
            continue
        if not rest:
            codes.add(lang)
        elif _REGION.fullmatch(rest[0]):
            codes.add(f"{lang}-{rest[0]}")
    # az_Arab_TR exists but az-TR does not parse: keep only what round-trips (~20 ms, once)
    return frozenset(code for code in codes if _parse(code) is not None)


@lru_cache(maxsize=1)
def _sorted_codes() -> tuple[str, ...]:
    return tuple(sorted(_known()))


@lru_cache(maxsize=4096)
def _parse(code: str):
    """babel's Locale for a known code, or None when babel does not round-trip it."""
    from babel import Locale, UnknownLocaleError

    try:
        loc = Locale.parse(code, sep="-")
    except (UnknownLocaleError, ValueError):
        return None
    lang, _sep, region = code.partition("-")
    if loc.language != lang or (loc.territory or "") != region:
        return None
    return loc


@lru_cache(maxsize=4096)
def display_name(code: str, display_lang: str = "en") -> str | None:
    """``"en-US"`` → ``"English (United States)"`` in ``display_lang`` (``"es"``: ``"inglés (Estados Unidos)"``)."""
    if code not in _known():
        return None
    name = _parse(code).get_display_name(_display_locale(display_lang))
    return name or None


@lru_cache(maxsize=16)
def _display_locale(display_lang: str):
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(display_lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


@lru_cache(maxsize=1)
def _globals() -> tuple[dict, dict, dict]:
    from babel.core import get_global

    return get_global("language_aliases"), get_global("territory_aliases"), get_global("likely_subtags")


@lru_cache(maxsize=16)
def _names(display_lang: str) -> tuple[tuple[str, str], ...]:
    """(code, casefolded display name) for every known code, in English and in ``display_lang``."""
    out: list[tuple[str, str]] = []
    for lang in {"en", display_lang}:
        for code in _sorted_codes():
            name = display_name(code, lang)
            if name:
                out.append((code, name.casefold()))
    return tuple(out)


# --- did you mean ------------------------------------------------------------------------------


def _likely_region(lang: str, script: str = "") -> str | None:
    """The country CLDR considers most likely for a language (and script): en → US, zh_Hant → TW."""
    _la, _ta, likely = _globals()
    full = likely.get(f"{lang}_{script}" if script else lang)
    if not full:
        return None
    region = full.split("_")[-1]
    return region if f"{lang}-{region}" in _known() else None


def _territory_initials(name: str) -> str:
    words = re.findall(r"[A-Za-z]+", name)
    return "".join(w[0] for w in words if w[0].isupper()).upper()


def _candidates(lang: str, region: str) -> list[str]:
    """Known codes close to ``lang[-region]`` (already lower/upper-cased), best first."""
    known = _known()
    lang_aliases, territory_aliases, _likely = _globals()
    out: list[str] = []

    def add(code: str) -> None:
        if code in known and code not in out:
            out.append(code)

    # 1. Deprecated or three-letter codes with a known replacement: iw → he, eng → en, UK → GB.
    langs = [lang]
    alias = lang_aliases.get(lang)
    if alias:
        langs.insert(0, alias.split("_")[0])
    for candidate_lang in langs:
        if not region:
            add(candidate_lang)
            continue
        for target in territory_aliases.get(region, []):
            add(f"{candidate_lang}-{target}")
        add(f"{candidate_lang}-{region}")
        # 2. A country typed by its name rather than its code: SP → Spain (ES), UK → United Kingdom.
        if candidate_lang in known:
            en = _display_locale("en")
            for code in _sorted_codes():
                if not code.startswith(candidate_lang + "-"):
                    continue
                name = en.territories.get(code.partition("-")[2], "")
                if name[:2].upper() == region or _territory_initials(name) == region:
                    add(code)
    # 3. The language with its most likely country: en-ZZ → en-US.
    if region:
        for candidate_lang in langs:
            likely = _likely_region(candidate_lang)
            if likely:
                add(f"{candidate_lang}-{likely}")
    # 4. Spelling: close strings among all known codes.
    typed = f"{lang}-{region}" if region else lang
    if lang not in _SPECIAL_LANGUAGES:
        for code in difflib.get_close_matches(typed, _sorted_codes(), n=5, cutoff=0.6):
            add(code)
    # 5. The language on its own.
    for candidate_lang in langs:
        add(candidate_lang)
    return [code for code in out if code != typed]


def _by_name(text: str, display_lang: str) -> list[str]:
    """Codes whose display name is what was typed ("english", "Spanish", "español")."""
    folded = text.strip().casefold()
    return [code for code, name in _names(display_lang) if name == folded]


# --- the check ---------------------------------------------------------------------------------


def check_locale(text: str | None, display_lang: str = "en") -> LocaleCheck:
    """Is ``text`` a locale IPS accepts? See :class:`LocaleCheck`.

    ``en-US`` is accepted; ``en_US``, ``EN-us`` and ``en-us`` are not (suggestion ``en-US``);
    ``zh-Hant-TW`` gets its own message (scripts are not accepted: ``zh-TW``); unknown codes such as
    ``xx``, ``en-ZZ`` or ``und`` are rejected, with did-you-mean suggestions for near misses
    (``en-UK`` → ``en-GB``, ``es-SP`` → ``es-ES``).
    """
    return _check(text or "", display_lang, i18n.language())


@lru_cache(maxsize=2048)
def _check(text: str, display_lang: str, _ui_language: str) -> LocaleCheck:
    typed = text.strip()
    if not typed:
        return LocaleCheck(False, error=_("Enter a locale such as en-US, or leave it empty."))
    parts = _SEP.split(typed)
    lang = parts[0]
    script = region = ""
    rest = parts[1:]
    if rest and _SCRIPT.fullmatch(rest[0]):
        script, rest = rest[0], rest[1:]
    if len(rest) == 1 and (_REGION.fullmatch(rest[0]) or _REGION_NUMBER.fullmatch(rest[0])):
        region, rest = rest[0], []
    if not _LANG.fullmatch(lang) or rest:
        return _not_a_code(typed, display_lang)

    lang = lang.lower()
    region = region.upper()

    if script:
        script = script.title()
        options = []
        if region:
            options.append(f"{lang}-{region}")
        likely = _likely_region(lang, script)
        if likely:
            options.append(f"{lang}-{likely}")
        options.append(lang)
        options = [code for code in dict.fromkeys(options) if code in _known()]
        best = options[0] if options else None
        message = _(
            "IPS does not accept a script ({script}) in the locale: give only a language and a country, "
            "like en-US."
        ).format(script=script)
        if best:
            message += " " + _("Use {code}.").format(code=best)
        return LocaleCheck(False, error=message, suggestion=best, suggestions=tuple(options))

    if region and region.isdigit():
        best = lang if lang in _known() else None
        message = _(
            "IPS wants a two-letter country code (ISO 3166), not a region number such as {region}."
        ).format(region=region)
        if best:
            message += " " + _("Use {code}, or {code} with a country, like {example}.").format(
                code=best, example=f"{lang}-{_likely_region(lang) or 'US'}"
            )
        return LocaleCheck(False, error=message, suggestion=best, suggestions=(best,) if best else ())

    canonical = f"{lang}-{region}" if region else lang
    if canonical in _known():
        if canonical == typed:
            return LocaleCheck(True, value=canonical, display_name=display_name(canonical, display_lang))
        if region:
            message = _("Use {code}: language in lower case, country in upper case, joined by '-'.")
        else:
            message = _("Use {code}: the language in lower case.")
        return LocaleCheck(False, error=message.format(code=canonical), suggestion=canonical, suggestions=(canonical,))

    options = tuple(_candidates(lang, region))
    best = options[0] if options else None
    if lang not in _known():
        message = _("{code} is not a language code IPS knows (ISO 639, e.g. en, es, de).").format(code=lang)
    else:
        message = _("{code} is not a known locale.").format(code=typed)
    if best:
        message += " " + _("Did you mean {code}?").format(code=best)
    return LocaleCheck(False, error=message, suggestion=best, suggestions=options)


def _not_a_code(typed: str, display_lang: str) -> LocaleCheck:
    options = tuple(_by_name(typed, display_lang))
    parts = _SEP.split(typed)
    if not options and len(parts) > 2:  # a variant or extension after the country: en-US-POSIX
        leading = _canonical_case("-".join(parts[:2]))
        if leading in _known():
            options = (leading,)
    if not options:
        normalised = _SEP.sub("-", typed.lower())
        options = tuple(difflib.get_close_matches(normalised, [c.lower() for c in _sorted_codes()], n=3, cutoff=0.7))
        options = tuple(_canonical_case(code) for code in options)
    best = options[0] if options else None
    message = _("{text} is not a locale code: use a language (en) or a language and a country (en-US).").format(
        text=typed
    )
    if best:
        message += " " + _("Did you mean {code}?").format(code=best)
    return LocaleCheck(False, error=message, suggestion=best, suggestions=options)


def _canonical_case(code: str) -> str:
    lang, sep, region = code.partition("-")
    return lang.lower() + sep + region.upper()


# --- completion --------------------------------------------------------------------------------


def locale_suggestions(prefix: str, limit: int = 10, display_lang: str = "en") -> list[str]:
    """Known codes for a completion list: those starting with ``prefix`` (any case, ``_`` or ``-``),
    the bare language and its most likely country first; failing that, codes whose name starts with
    ``prefix`` ("span" → es, es-ES, …)."""
    return list(_suggest(prefix.strip(), limit, display_lang))


@lru_cache(maxsize=512)
def _suggest(prefix: str, limit: int, display_lang: str) -> tuple[str, ...]:
    if limit <= 0:
        return ()
    folded = _SEP.sub("-", prefix).casefold()
    matches = [code for code in _sorted_codes() if code.casefold().startswith(folded)]
    if matches:
        def rank(code: str) -> tuple[int, str]:
            lang, _sep, region = code.partition("-")
            if not region:
                return (0, code)
            if region == _likely_region(lang):
                return (1, code)
            return (2, code)

        matches.sort(key=rank)
        return tuple(matches[:limit])
    if len(folded) < 2:
        return ()
    named: list[str] = []
    for code, name in _names(display_lang):
        if code not in named and name.startswith(folded):
            named.append(code)
    return tuple(sorted(named, key=lambda c: ("-" in c, c))[:limit])
