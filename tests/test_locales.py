"""The job locale check: IPS wants ``ll`` or ``ll-CC``."""

from __future__ import annotations


import pytest

from ips_tui import i18n
from ips_tui.job.locales import LocaleCheck, check_locale, display_name, locale_suggestions


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("en-US", "English (United States)"),
        ("en", "English"),
        ("es-ES", "Spanish (Spain)"),
        ("de-DE", "German (Germany)"),
        ("pt-BR", "Portuguese (Brazil)"),
        ("ja-JP", "Japanese (Japan)"),
        ("sr-RS", "Serbian (Cyrillic, Serbia)"),
    ],
)
def test_accepted(code, name):
    result = check_locale(code)
    assert result == LocaleCheck(True, value=code, display_name=name)


def test_surrounding_spaces_are_ignored():
    assert check_locale("  fr-FR ").value == "fr-FR"


def test_display_name_in_the_ui_language():
    assert check_locale("en-US", display_lang="es").display_name == "inglés (Estados Unidos)"
    assert check_locale("es-ES", display_lang="es").display_name == "español (España)"
    assert check_locale("de", display_lang="es").display_name == "alemán"
    assert display_name("en-GB", "es") == "inglés (Reino Unido)"
    assert display_name("en-ZZ") is None


@pytest.mark.parametrize("typed", ["en_US", "EN-us", "en-us", "EN_US", "en-Us"])
def test_wrong_case_or_separator(typed):
    result = check_locale(typed)
    assert not result.ok and result.value is None
    assert result.suggestion == "en-US"
    assert result.error == "Use en-US: language in lower case, country in upper case, joined by '-'."


def test_language_only_in_upper_case():
    result = check_locale("EN")
    assert not result.ok and result.suggestion == "en"


@pytest.mark.parametrize(("typed", "suggestion"), [("zh-Hant-TW", "zh-TW"), ("zh-Hant", "zh-TW"), ("sr-Latn-RS", "sr-RS")])
def test_scripts_are_not_accepted(typed, suggestion):
    result = check_locale(typed)
    assert not result.ok
    assert result.suggestion == suggestion
    assert "script" in result.error and suggestion in result.error


@pytest.mark.parametrize("typed", ["xx", "en-ZZ", "und", "qq-QQ", "mul"])
def test_unknown_codes_are_rejected(typed):
    """babel's parser maps en-ZZ and und to en_US: the check must not."""
    result = check_locale(typed)
    assert not result.ok and result.value is None
    assert typed.split("-")[0] in result.error


def test_no_wild_guesses_for_codes_that_name_no_language():
    assert check_locale("und").suggestion is None
    assert check_locale("xx").suggestion is None


@pytest.mark.parametrize(
    ("typed", "suggestion"),
    [
        ("en-UK", "en-GB"),  # a territory alias
        ("es-SP", "es-ES"),  # a country typed by its name
        ("de-GE", "de-DE"),
        ("iw", "he"),  # a deprecated language code
        ("eng-US", "en-US"),  # ISO 639-2
        ("en-ZZ", "en-US"),  # the language's likely country
        ("EN-uk", "en-GB"),  # wrong case and an unknown country at once
        ("en-US-POSIX", "en-US"),
        ("english", "en"),
        ("Spanish", "es"),
    ],
)
def test_did_you_mean(typed, suggestion):
    result = check_locale(typed)
    assert not result.ok
    assert result.suggestion == suggestion
    assert result.suggestions[0] == suggestion
    assert f"Did you mean {suggestion}?" in result.error
    assert check_locale(suggestion).ok  # never suggest what would be refused


def test_language_name_in_the_display_language():
    assert check_locale("español", display_lang="es").suggestion == "es"


def test_region_numbers_are_refused():
    result = check_locale("es-419")
    assert not result.ok and result.suggestion == "es"
    assert "419" in result.error


@pytest.mark.parametrize("typed", ["", "   ", None])
def test_empty(typed):
    result = check_locale(typed)
    assert not result.ok and result.error and result.suggestion is None


@pytest.mark.parametrize("typed", ["e", "en-", "12", "en-US-x-private", "e n", "-", "en--US"])
def test_garbage_never_raises(typed):
    assert not check_locale(typed).ok


def test_messages_follow_the_ui_language():
    """The result is cached, but not across UI languages."""
    english = check_locale("en_US").error
    try:
        i18n.set_language("es")
        again = check_locale("en_US").error
    finally:
        i18n.set_language("en")
    assert english == "Use en-US: language in lower case, country in upper case, joined by '-'."
    # The Spanish catalogue may not have this message yet; the call must still go through gettext.
    assert "en-US" in again


def test_suggestions_for_completion():
    assert locale_suggestions("en")[:2] == ["en", "en-US"]
    assert locale_suggestions("es", limit=3) == ["es", "es-ES", "es-AR"]
    en_g = locale_suggestions("EN_g")
    assert en_g[0] == "en-GB" and en_g == sorted(en_g) and all(code.startswith("en-G") for code in en_g)
    assert len(locale_suggestions("e", limit=4)) == 4
    assert locale_suggestions("zz") == []
    assert locale_suggestions("en", limit=0) == []
    assert all(check_locale(code).ok for code in locale_suggestions("zh", limit=50))


def test_suggestions_by_name():
    assert locale_suggestions("span")[0] == "es"
    assert "es-ES" in locale_suggestions("span", limit=50)
    assert locale_suggestions("alem", display_lang="es")[0] == "de"


def test_every_prefix_of_a_typed_locale_gets_an_answer():
    """What the form asks on each keystroke (its cost is measured in bench/bench_checks.py)."""
    typed = "es-SP"
    answers = [(check_locale(typed[:i]), locale_suggestions(typed[:i])) for i in range(1, len(typed) + 1)]
    assert [a.ok for a, _ in answers] == [False, True, False, False, False]
    assert answers[-1][0].suggestion == "es-ES"



@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_short_date_and_time_is_babels_own(lang):
    """A schedule's next runs are written without babel's formatter (its names looked up once): every day
    of a year, at hours either side of midnight and in two zones, reads as babel's ``EEE d MMM, HH:mm``."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo

    from babel.dates import format_datetime

    from ips_tui import i18n
    from ips_tui.tui.text import _babel_locale, format_date_time

    i18n.set_language(lang)
    try:
        assert i18n.language() == lang
        locale = _babel_locale(lang)
        start = datetime(2026, 1, 1, 0, 7, tzinfo=timezone.utc)
        for n in range(0, 366 * 24, 7):
            when = start + timedelta(hours=n)
            for tz in (ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")):
                assert format_date_time(when, tz) == format_datetime(when.astimezone(tz), "EEE d MMM, HH:mm",
                                                                     tzinfo=tz, locale=locale)
    finally:
        i18n.set_language("en")
