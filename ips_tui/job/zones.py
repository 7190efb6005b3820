"""The machine's own time zone, named where it can be (schedules are shown in it beside the server's)."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo


def machine_zone() -> tzinfo:
    """The machine's zone as a ZoneInfo when it can be named (``TZ``, ``/etc/localtime``), else its offset."""
    from zoneinfo import ZoneInfo

    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        try:
            link = os.path.realpath("/etc/localtime")
            name = link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else ""
        except OSError:
            name = ""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except Exception:
        return datetime.now().astimezone().tzinfo
