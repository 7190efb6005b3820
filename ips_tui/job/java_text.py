"""Strings as Java sees them: the service and its scheduler (Quartz) are Java, and where Java's rules and
Python's differ, what they accept differs too.

* ``String.trim()`` strips every character up to U+0020, not Python's whitespace;
* a ``String`` is UTF-16: a character beyond U+FFFF is two ``char`` s, so lengths and positions count it twice.
"""

from __future__ import annotations


def java_trim(s: str) -> str:
    """``String.trim()``: strips characters up to U+0020 at both ends (control characters too)."""
    start, stop = 0, len(s)
    while start < stop and s[start] <= " ":
        start += 1
    while stop > start and s[stop - 1] <= " ":
        stop -= 1
    return s[start:stop]


def java_upper(s: str) -> str:
    # Java's toUpperCase(Locale.US) and str.upper() agree on everything a cron expression can use.
    return s.upper()


def utf16_units(s: str) -> str:
    """``s`` as Java's ``char`` sequence: a character beyond U+FFFF becomes its two surrogates, so indexes
    and lengths count what Java counts (``?😀`` is three chars there)."""
    if s.isascii() or max(map(ord, s)) <= 0xFFFF:
        return s
    out = []
    for c in s:
        o = ord(c) - 0x10000
        out.append(c if o < 0 else chr(0xD800 + (o >> 10)) + chr(0xDC00 + (o & 0x3FF)))
    return "".join(out)


def from_utf16_units(s: str) -> str:
    """Pairs of surrogates joined back into characters (a lone one is kept, escaped as ``\\udXXX``)."""
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "backslashreplace")


def java_length(s: str) -> int:
    """``String.length()``: UTF-16 code units, so an emoji counts 2."""
    return len(utf16_units(s))
