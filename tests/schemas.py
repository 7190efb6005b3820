"""Adobe's published WSDLs, loaded for conformance checks.

Tests only: the reference files are read in place, never copied into the project. They live in
``$IPS_TUI_REFERENCE_DIR`` (default ``../shared/reference`` beside the checkout). Where that folder is
absent, the tests that need it are skipped and say why; in CI (``CI=true``) they fail instead, and
``.ci/run`` refuses to start without it.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from ips_tui.ips.schema import envelope_problems, load_wsdl_schema

DEFAULT_REFERENCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "reference"


def reference_dir() -> Path:
    return Path(os.environ.get("IPS_TUI_REFERENCE_DIR") or DEFAULT_REFERENCE_DIR)


def reference_path(version: str = "2014-04-03") -> Path:
    """The reference WSDL of ``version``; skips the calling test when it is not there (fails in CI)."""
    path = reference_dir() / f"IpsApi-{version}.wsdl"
    if not path.is_file():
        why = f"Adobe's reference WSDL {path.name} is not in {reference_dir()} (set IPS_TUI_REFERENCE_DIR)"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("CI: " + why)
        pytest.skip(why)
    return path


@functools.lru_cache(maxsize=2)
def _schema(path: Path):
    return load_wsdl_schema(path)


def reference_schema(version: str = "2014-04-03"):
    return _schema(reference_path(version))


def reference_problems(envelope, version: str = "2014-04-03") -> list[str]:
    """What Adobe's schema finds wrong with an envelope's header and body (empty = valid)."""
    return envelope_problems(envelope, reference_schema(version))


@pytest.fixture(autouse=True)
def every_request_matches_adobes_schema(request):
    """Whatever a test made ips-tui send to its sandbox (fallbacks and look-ups included) validates against
    Adobe's schema. A test module takes it with ``from schemas import every_request_matches_adobes_schema``."""
    sb = request.getfixturevalue("sandbox") if "sandbox" in request.fixturenames else None
    yield
    for r in (sb.received if sb is not None else ()):
        assert reference_problems(r.body) == [], r.operation
