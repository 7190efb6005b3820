"""Shared fixtures: a real sandbox IPS server on loopback (HTTP and HTTPS).

- ``sandbox``: a started HTTP sandbox (clock at speed 1), stopped after the test.
- ``sandbox_tls``: the same over HTTPS; ``sandbox_tls.ca_path`` is the CA that verifies it.
- ``sandbox_factory(**kwargs)``: start one with other settings (``speed=0`` freezes the clock so a test
  drives it with ``sb.clock.advance()``; ``tls=True``; ``clock=``…); all are stopped after the test.
- every test gets its own config, state, data and cache folders (``IPS_TUI_*_DIR``), so nothing a
  test submits or saves reaches the real user folders or another test's journal.
- ``clean_ca_env``: removes REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE (requests prefers them over
  ``session.verify``); the TLS fixtures and the factory use it.
- every test runs in English whatever the machine's language (``pinned_language``): the environment's
  LANGUAGE / LC_ALL / LC_MESSAGES / LANG say English (subprocesses inherit it) and the UI language is set
  back to English before each test. A test about Spanish sets it itself; ``tests/test_language_neutral.py``
  proves that JSON, exit codes and envelopes are the same in both languages.
"""

from __future__ import annotations

import pytest

from ips_tui.sandbox import Sandbox


@pytest.fixture(autouse=True)
def private_dirs(tmp_path_factory, monkeypatch):
    root = tmp_path_factory.mktemp("dirs")
    for kind in ("CONFIG", "STATE", "DATA", "CACHE"):
        monkeypatch.setenv(f"IPS_TUI_{kind}_DIR", str(root / kind.lower()))
    return root


@pytest.fixture(autouse=True)
def pinned_language(monkeypatch):
    from ips_tui import i18n

    for var in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANGUAGE", "en")
    monkeypatch.setenv("LANG", "C.UTF-8")
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def clean_ca_env(monkeypatch):
    for var in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def sandbox_factory(clean_ca_env):
    started: list[Sandbox] = []

    def make(**kwargs) -> Sandbox:
        sb = Sandbox(**kwargs)
        sb.start()
        started.append(sb)
        return sb

    yield make
    for sb in started:
        sb.stop()


@pytest.fixture
def sandbox():
    with Sandbox() as sb:
        yield sb


@pytest.fixture
def sandbox_tls(clean_ca_env):
    with Sandbox(tls=True) as sb:
        yield sb


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues():
    """The .mo files the app loads, compiled from the .po sources (as ./dev and the wheel build do)."""
    from ips_tui.i18n_build import compile_catalogues

    compile_catalogues()
