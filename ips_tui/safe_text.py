"""Text that came from outside (a job file, the service, the journal) made safe to print on a terminal.

A job name or a fault reason may carry terminal control (ESC sequences, C1 CSI U+009B), NUL, DEL,
bidirectional overrides that reorder what is shown (U+202A–202E, U+2066–2069), or newlines that fake
extra output lines. :func:`visible` shows each such character as an escape (``\\x1b``, ``\\u202e``,
``\\n``) so what is printed is what was sent, on one line. The CLI applies it to everything from outside;
the TUI can call it the same way. Pure, cheap to import (no Textual, no Rich).
"""

from __future__ import annotations

import re

#: bidirectional embeddings, overrides and isolates, and the marks that steer them
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
#: characters that end a line (besides \n and \r, which are C0)
LINE_BREAKS = "\u2028\u2029"

_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}{LINE_BREAKS}]")
# where several lines are expected, newline and tab stay as they are
_MANY_LINES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI}{LINE_BREAKS}]")


def _escape(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\r":
        return "\\r"
    if ch == "\t":
        return "\\t"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, one_line: bool = True) -> str:
    """``text`` (anything; ``None`` gives ``""``) with control characters, bidi overrides and, when
    ``one_line``, line breaks and tabs shown as escapes."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    pattern = _ONE_LINE if one_line else _MANY_LINES
    return pattern.sub(_escape, text)


def is_clean(text: str, *, one_line: bool = True) -> bool:
    """Whether ``text`` prints as it is (nothing :func:`visible` would change)."""
    return not (_ONE_LINE if one_line else _MANY_LINES).search(text)


__all__ = ["BIDI", "LINE_BREAKS", "is_clean", "visible"]
