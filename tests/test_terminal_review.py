"""The real app in a real pseudo-terminal, driven by keys: Review's envelope reaches the terminal's clipboard
as an OSC 52 sequence (Ctrl+Y) and ``$PAGER`` (Ctrl+O), which a headless pilot cannot show."""

from __future__ import annotations

import base64
import os
import pty
import re
import select
import shlex
import struct
import subprocess
import sys
import time

import pytest

OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)\x07")
DOWN, ENTER = "\x1b[B", "\r"
CTRL = {k: chr(ord(k) - 96) for k in "noqry"}  # ^N ^O ^Q ^R ^Y


class Terminal:
    """ips-tui --sandbox at 80×24 on a pty: type keys, wait for what reaches the screen."""

    def __init__(self, env: dict) -> None:
        import fcntl
        import termios

        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PAGER")}
        full.update(TERM="xterm-256color", **env)
        self.proc = subprocess.Popen([sys.executable, "-m", "ips_tui", "--sandbox"], stdin=follower,
                                     stdout=follower, stderr=follower, env=full, close_fds=True,
                                     start_new_session=True)
        os.close(follower)
        self.out = b""

    def read(self, seconds: float) -> None:
        ready, _, _ = select.select([self.leader], [], [], seconds)
        if ready:
            try:
                self.out += os.read(self.leader, 1 << 16)
            except OSError:
                pass

    def wait_for(self, pattern: bytes | re.Pattern, since: int = 0, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = pattern.search(self.out, since) if isinstance(pattern, re.Pattern) else \
                (pattern if self.out.find(pattern, since) >= 0 else None)
            if found:
                return found
            self.read(0.1)
        raise AssertionError(f"never saw {pattern!r}; the screen ended with {self.out[-1500:]!r}")

    def keys(self, *keys: str, gap: float = 0.15) -> int:
        """Send ``keys`` one by one; the output offset before them (to wait for what they cause)."""
        mark = len(self.out)
        for key in keys:
            os.write(self.leader, key.encode())
            self.read(gap)
        return mark

    def close(self) -> int:
        try:
            self.proc.terminate()
            return self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait()
        finally:
            os.close(self.leader)


@pytest.mark.timeout(90)
def test_the_envelope_goes_to_the_clipboard_and_the_pager_masked(tmp_path):
    paged = tmp_path / "paged.xml"
    term = Terminal({"PAGER": "sh -c " + shlex.quote("cat > " + shlex.quote(str(paged)))})
    try:
        term.wait_for(b"demo@sandbox.ips")  # the embedded sandbox is serving
        term.wait_for(b"c|101")
        mark = term.keys(CTRL["n"])
        term.wait_for(b"What should the job do?", mark)
        mark = term.keys("\x1b[H", *[DOWN] * 4, ENTER)  # Home, then metadataPublishJob (nothing required)
        term.wait_for(b"metadataPublishJob", mark)
        mark = term.keys(CTRL["r"])
        term.wait_for(b"authHeader", mark)  # the envelope is built in a worker (zeep loads on first use)

        mark = term.keys(CTRL["y"])
        copied = base64.b64decode(term.wait_for(OSC52, mark).group(1)).decode("utf-8")
        assert "metadataPublishJob" in copied and "c|101" in copied
        assert "<ns0:password>********</ns0:password>" in copied or ">********<" in copied

        mark = term.keys(CTRL["o"])
        deadline = time.monotonic() + 20
        while not (paged.exists() and paged.read_text()) and time.monotonic() < deadline:
            term.read(0.1)
        assert paged.read_text() == copied  # the same masked envelope, whole
        term.wait_for(b"Review and submit", mark)  # back in the app after the pager
        term.keys(CTRL["q"])
        deadline = time.monotonic() + 10
        while term.proc.poll() is None and time.monotonic() < deadline:
            term.read(0.1)
        assert term.proc.poll() == 0
    finally:
        term.close()
