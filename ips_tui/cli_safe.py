"""Text from outside (a job file, the service, the journal) made safe to print on a terminal: no terminal
control, no bidi overrides, one line. The rule is ips_tui.safe_text's (written in another change); until it
is there the same rule is applied here, and this is the one place to switch.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match) -> str:
    ch = match.group()
    return _NAMED.get(ch) or (f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}")


def safe(text: object) -> str:
    """``text`` (anything; None gives "") with control characters, bidi controls and line breaks as escapes."""
    try:
        from ips_tui.safe_text import visible
    except ImportError:
        return _UNSAFE.sub(_escape, "" if text is None else str(text))
    return visible(text)


def safe_lines(text: object) -> str:
    """:func:`safe` for text of several lines: each line made safe, the line breaks kept."""
    return "\n".join(safe(line) for line in ("" if text is None else str(text)).split("\n"))
