"""The core never loads Textual or Rich: the CLI and the sandbox stay light, the boundary stays real."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import ips_tui

CORE = sorted(
    m.name for m in pkgutil.walk_packages(ips_tui.__path__, "ips_tui.")
    if not m.name.startswith("ips_tui.tui") and m.name != "ips_tui.__main__"
)


def test_core_modules_do_not_import_textual_or_rich():
    assert "ips_tui.cli" in CORE and "ips_tui.ips.client" in CORE and "ips_tui.job.request" in CORE
    code = (
        "import importlib, sys\n"
        f"for name in {CORE!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core pulled in: {out.stdout.strip()}"


def test_the_check_would_notice_textual():
    code = "import sys, ips_tui.tui.app; print(any(m.startswith('textual') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "True", out.stderr
