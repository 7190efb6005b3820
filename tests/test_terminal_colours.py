"""The real app in a real pseudo-terminal at 80×24: with 16 colours it sends only the 16 standard colour
codes, with NO_COLOR only greys, and the first screen says which environment it is on either way."""

from __future__ import annotations

import os
import pty
import re
import select
import struct
import subprocess
import sys
import time

import pytest

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _run_app(extra_env: dict, seconds: float = 6.0) -> str:
    import fcntl
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL_COLOR_SYSTEM")}
    env.update(TERM="xterm", **extra_env)
    proc = subprocess.Popen([sys.executable, "-m", "ips_tui", "--sandbox"], stdin=follower, stdout=follower,
                            stderr=follower, env=env, close_fds=True, start_new_session=True)
    os.close(follower)
    out = b""
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    out += os.read(leader, 65536)
                except OSError:
                    break
            if b"SANDBOX" in out and time.monotonic() > deadline - seconds / 2:
                break
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        os.close(leader)
    return out.decode("utf-8", errors="replace")


def _colour_params(text: str) -> list[list[int]]:
    found = []
    for m in SGR.finditer(text):
        params = [int(p) for p in m.group(1).split(";") if p != ""]
        found.append(params)
    return found


def _extended(params: list[int]) -> bool:
    """38;5;n / 48;5;n (256 colours) or 38;2;r;g;b / 48;2;… (truecolor)."""
    return any(p in (38, 48, 58) and i + 1 < len(params) and params[i + 1] in (2, 5) for i, p in enumerate(params))


@pytest.mark.timeout(60)
def test_sixteen_colours_use_only_the_standard_codes():
    text = _run_app({"TEXTUAL_COLOR_SYSTEM": "standard"})
    assert "SANDBOX" in text, text[-2000:]
    params = _colour_params(text)
    colours = {p for ps in params for p in ps if 30 <= p <= 49 or 90 <= p <= 107}
    assert colours, "no colour at all was sent"
    assert not [ps for ps in params if _extended(ps)], "256-colour or truecolor codes were sent"


@pytest.mark.timeout(60)
def test_no_color_sends_no_hue():
    """Textual renders NO_COLOR as greys (black, white and their bright forms): no hue carries meaning."""
    text = _run_app({"NO_COLOR": "1"})
    assert "SANDBOX" in text, text[-2000:]
    greys = {30, 37, 40, 47, 90, 97, 100, 107, 39, 49}
    hues = [ps for ps in _colour_params(text)
            if _extended(ps) or any((30 <= p <= 49 or 90 <= p <= 107) and p not in greys for p in ps)]
    assert not hues, hues[:5]
