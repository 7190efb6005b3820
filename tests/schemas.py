"""Adobe's published WSDLs (../shared/reference), loaded for conformance checks.

Tests only: the reference files are read in place, never copied into the project.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ips_tui.ips.schema import envelope_problems, load_wsdl_schema

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


def reference_path(version: str = "2014-04-03") -> Path:
    return REFERENCE_DIR / f"IpsApi-{version}.wsdl"


@functools.lru_cache(maxsize=2)
def reference_schema(version: str = "2014-04-03"):
    return load_wsdl_schema(reference_path(version))


def reference_problems(envelope, version: str = "2014-04-03") -> list[str]:
    """What Adobe's schema finds wrong with an envelope's header and body (empty = valid)."""
    return envelope_problems(envelope, reference_schema(version))
