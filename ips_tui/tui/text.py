"""Words and times on screen: errors in words, dates with babel in the UI language, zones."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, tzinfo
from functools import lru_cache

from ips_tui import i18n
from ips_tui.i18n import _


def translate_bindings(node) -> None:
    """Translate a node's binding descriptions now (they are declared with ``N_`` at class level)."""
    bindings = getattr(node, "_bindings", None)
    if bindings is None:
        return
    table = bindings.key_to_bindings
    for key, items in table.items():
        table[key] = [replace(b, description=_(b.description)) if b.description else b for b in items]


def error_text(error: BaseException) -> str:
    """An error as a person reads it: the message, never a traceback, with any control characters the service
    or a file put in it made visible."""
    from ips_tui.safe_text import visible

    message = getattr(error, "message", None)
    if isinstance(message, str) and message:
        return visible(message, one_line=False)
    text = str(error).strip()
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return visible(f"{error.strerror}{where}", one_line=False)
    return visible(text, one_line=False) or type(error).__name__


def zone_label(tz: tzinfo) -> str:
    return getattr(tz, "key", None) or str(tz)


@lru_cache(maxsize=8)
def _babel_locale(lang: str):
    from babel import Locale

    return Locale.parse({"en": "en_US", "es": "es_ES"}.get(lang, lang))


def format_when(when: datetime, tz: tzinfo, *, seconds: bool = False) -> str:
    """``Thu, 24 Dec 2026, 02:00 (GMT-08:00)``-like, in the UI language (babel), in ``tz``."""
    from babel.dates import format_datetime, get_timezone_gmt

    locale = _babel_locale(i18n.language())
    local = when.astimezone(tz)
    text = format_datetime(local, "EEE d MMM y, HH:mm:ss" if seconds else "EEE d MMM y, HH:mm", tzinfo=tz,
                           locale=locale)
    return f"{text} ({get_timezone_gmt(local, width='long', locale=locale)})"


@lru_cache(maxsize=8)
def _short_names(lang: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The abbreviated day (Monday first) and month names babel's ``EEE`` and ``MMM`` give in ``lang``."""
    locale = _babel_locale(lang)
    days, months = locale.days["format"]["abbreviated"], locale.months["format"]["abbreviated"]
    return tuple(days[i] for i in range(7)), tuple(months[m] for m in range(1, 13))


def format_date_time(when: datetime, tz: tzinfo) -> str:
    """A shorter form for lists: ``Thu 24 Dec, 02:00`` (names in the UI language): babel's
    ``EEE d MMM, HH:mm``, its names looked up once (a schedule's next runs are ten of these on the key that
    makes it valid, and babel reads the pattern and the names again for each)."""
    local = when.astimezone(tz)
    days, months = _short_names(i18n.language())
    return f"{days[local.weekday()]} {local.day} {months[local.month - 1]}, {local.hour:02d}:{local.minute:02d}"


def label_grid():
    """Two columns: a bold label and its value (Review's summary, the jobs and follow details)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    return grid


def in_both_zones(value, server, local: tzinfo | None) -> str:
    """A service time in the server's zone and here, as the jobs and follow screens show it; ``server``: a
    :class:`~ips_tui.ips.server_zone.ServerZone`: when it is unknown, that is said (never shown as UTC)."""
    from ips_tui.follow.jobs import both_zones

    if not server.known:
        at_local = both_zones(value, None, local)[1]
        return _("{local} (here) · server time zone unknown").format(local=at_local or "—")
    at_server, at_local = both_zones(value, server.tz, local)
    return _("{server} (server) · {local} (here)").format(server=at_server or "—", local=at_local or "—")
