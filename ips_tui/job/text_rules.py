"""What a text field may hold, and the one normalisation it gets before it is checked and sent.

The rules per field are declared in :mod:`ips_tui.ips.catalog_text` (``TEXT_SPACES``, ``MAX_LENGTH``);
this module applies them.  Whatever it returns is both what the checks see and what the envelope
carries, so nothing is checked one way and sent another.

Refused in every text field: C0 and C1 control characters (U+0000–U+001F, U+007F–U+009F; tab and
newline included, except that a schedule's tabs are field separators, made spaces), text-direction embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069:
they make a name read differently from what it holds), and what XML 1.0 cannot carry (U+FFFE, U+FFFF,
unpaired surrogates).  Only the ASCII space is ever trimmed or collapsed; a field that trims refuses
other spaces (no-break, ideographic …) at either end, which the service would keep as part of the text.
"""

from __future__ import annotations

import re
import unicodedata

from ips_tui.i18n import _
from ips_tui.ips.catalog_text import MAX_LENGTH, TEXT_SPACES
from ips_tui.job.java_text import java_length

_CONTROL_NAMES = {"\t": "TAB", "\n": "LINE FEED", "\r": "CARRIAGE RETURN", "\x1b": "ESCAPE", "\x00": "NULL",
                  "\x7f": "DELETE", "\x85": "NEXT LINE", "\x9b": "CONTROL SEQUENCE INTRODUCER"}


def is_control(c: str) -> bool:
    o = ord(c)
    return o < 0x20 or 0x7F <= o <= 0x9F


def is_direction_control(c: str) -> bool:
    o = ord(c)
    return 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069


def _not_xml(c: str) -> bool:
    o = ord(c)
    return o in (0xFFFE, 0xFFFF) or 0xD800 <= o <= 0xDFFF


def describe_char(c: str) -> str:
    """``U+001B (ESCAPE)``: a character named so a person can find it, whatever it is."""
    name = _CONTROL_NAMES.get(c) or unicodedata.name(c, "")
    return f"U+{ord(c):04X} ({name})" if name else f"U+{ord(c):04X}"


#: every character the three tests below refuse, so a clean value (nearly all of them) costs one C-level scan:
#: a 10,000-line URL list is checked on every pause in typing
_ANY_BAD = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")


def forbidden(value: str) -> str | None:
    """Why ``value`` cannot be sent (translated, naming the first bad character), or None."""
    found = _ANY_BAD.search(value)
    if found is None:
        return None
    c = found.group()
    if is_control(c):
        return _("contains {char}, a control character, which is not allowed.").format(char=describe_char(c))
    if is_direction_control(c):
        return _("contains {char}, an invisible text-direction control, which is not allowed "
                 "(it can make the text read differently from what it holds).").format(char=describe_char(c))
    return _("contains {char}, which XML cannot carry.").format(char=describe_char(c))


def spaces_rule(name: str) -> str:
    """``exact``, ``trim``, ``refuse`` or ``collapse`` for a field (``TEXT_SPACES``; handles trim)."""
    rule = TEXT_SPACES.get(name)
    if rule:
        return rule
    return "trim" if name.endswith("Handle") else "exact"


def normalise(name: str, value: str, *, rule: str | None = None) -> tuple[str, list[str]]:
    """(the value to check and send, the problems with it) for a text field called ``name``."""
    rule = rule or spaces_rule(name)
    problems = []
    if rule == "collapse":
        value = value.replace("\t", " ")  # Quartz's own two field separators, space and tab
    bad = forbidden(value)
    if bad:
        problems.append(bad)
    if rule == "trim":
        value = value.strip(" ")
    elif rule == "collapse":
        value = " ".join(part for part in value.split(" ") if part)
    elif rule == "refuse" and value != value.strip(" "):
        problems.append(_("has spaces at the start or end."))
    inner = value.strip(" ")
    if rule != "exact" and not bad and inner != inner.strip():
        end = next(c for c in (inner[:1], inner[-1:]) if c.isspace())
        problems.append(_("starts or ends with {char}, a space that is not trimmed: the service would read it "
                          "as part of the text.").format(char=describe_char(end)))
    limit = MAX_LENGTH.get(name)
    if limit is not None and java_length(value) > limit:
        problems.append(_("is {n} characters long; the service takes at most {limit}.")
                        .format(n=java_length(value), limit=limit))
    return value, problems
