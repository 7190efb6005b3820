"""Array items already normalised or checked, remembered by what they hold.

A URL list of 10,000 lines is checked again after every pause in typing, though a key changes one line.
Each item's rules depend on the item alone (and on the language its messages are in), so an item seen
before gives back its earlier answer and only changed lines are worked out again: the whole check stays
the one the CLI runs, with the same answers, in the same order.

What is kept is tuples and tables of plain text (the item, its answer), which the garbage collector stops
tracking: thousands of remembered items do not make every full collection longer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ips_tui.i18n import language

#: items remembered at most per field, kind and language (about two of the longest lists); then it starts
#: again empty
MAX_ITEMS = 25_000
_SEEN: dict[tuple, tuple[Any, dict]] = {}  # (kind, language, id(field)) -> (the field, {item key: answer})


def each(kind: str, f: Any, items: list, compute: Callable[[Any], Any]) -> list:
    """``compute(item)`` for every item of ``items``, remembered per (``kind``, language, field, item).
    An item that cannot be a key (not a table, or holding a list) is worked out each time. An answer must not be changed by the
    caller (it is shared)."""
    slot = (kind, language(), id(f))
    kept = _SEEN.get(slot)
    if kept is None or kept[0] is not f:  # (the field itself, not another one at a reused address)
        kept = _SEEN[slot] = (f, {})
    seen = kept[1]
    out = []
    for item in items:
        try:
            key = tuple(item.items())
            answer = seen.get(key)
        except (AttributeError, TypeError):  # not a table, or a value that is no key (a list)
            out.append(compute(item))
            continue
        if answer is None:
            answer = compute(item)
            if len(seen) >= MAX_ITEMS:
                seen.clear()
            seen[key] = answer
        out.append(answer)
    return out


def forget() -> None:
    """Start again empty (tests, and a catalogue reloaded)."""
    _SEEN.clear()
