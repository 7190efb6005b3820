"""Just enough of a terminal to read what the app drew: cursor moves (CUP, CR, LF) and text, on a grid.

Textual repaints only what changed, cell by cell, so the raw output cannot be searched for a line's text;
replaying it on a grid gives the screen as the operator sees it. Colours and modes are ignored.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\x1b\[([0-9;?]*)([A-Za-z@`])|\x1b\][^\x07]*\x07|\x1b[()][0-9A-Za-z]|\x1b[=>78]|(\r)|(\n)|(\x08)"
                    r"|([^\x1b\r\n\x08]+)")


def replay(data: bytes, width: int = 80, height: int = 24) -> list[str]:
    """The screen after ``data`` (written from the top left of a blank screen), one string per row."""
    grid = [[" "] * width for _ in range(height)]
    row = col = 0
    for m in _TOKEN.finditer(data.decode("utf-8", "replace")):
        params, final, cr, lf, bs, text = m.groups()
        if final is not None:
            nums = [int(n) if n.isdigit() else 0 for n in params.lstrip("?").split(";")] if params else []
            if final in "Hf":
                row = max(1, nums[0] if nums else 1) - 1
                col = max(1, nums[1] if len(nums) > 1 else 1) - 1
            elif final == "J" and (nums[:1] or [0])[0] == 2:
                grid = [[" "] * width for _ in range(height)]
            elif final == "G":
                col = max(1, nums[0] if nums else 1) - 1
            elif final == "C":
                col += nums[0] if nums else 1
            elif final == "K":
                for c in range(col, width):
                    if 0 <= row < height:
                        grid[row][c] = " "
        elif cr:
            col = 0
        elif lf:
            row = min(height - 1, row + 1)
        elif bs:
            col = max(0, col - 1)
        elif text:
            for ch in text:
                if ch < " ":
                    continue
                if 0 <= row < height and 0 <= col < width:
                    grid[row][col] = ch
                col += 1
    return ["".join(r) for r in grid]
