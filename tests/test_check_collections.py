"""The whole-request check of a big form holds young garbage collections back while it runs, and gives
Python's thresholds back afterwards (also when checks overlap, or one raises)."""

from __future__ import annotations

import gc
import threading

import pytest

from ips_tui.tui.wizard.editing import fewer_collections, settle_big_form


def test_threshold_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections(young=123_456):
        assert gc.get_threshold()[0] == max(123_456, before[0])
        assert gc.get_threshold()[1:] == before[1:]
    assert gc.get_threshold() == before


def test_overlapping_holds_restore_the_first_threshold():
    before = gc.get_threshold()
    outer = fewer_collections(young=50_000)
    inner = fewer_collections(young=60_000)
    outer.__enter__()
    inner.__enter__()
    outer.__exit__(None, None, None)  # the first to start ends first: the other still holds
    assert gc.get_threshold()[0] >= 50_000
    inner.__exit__(None, None, None)
    assert gc.get_threshold() == before


def test_restored_when_the_check_raises_in_a_thread():
    before = gc.get_threshold()
    seen = []

    def check():
        with pytest.raises(ValueError), fewer_collections(young=70_000):
            seen.append(gc.get_threshold()[0])
            raise ValueError("a broken rule")

    t = threading.Thread(target=check)
    t.start()
    t.join(10)
    assert seen == [max(70_000, before[0])]
    assert gc.get_threshold() == before


def test_settled_form_is_set_aside_from_the_collector():
    frozen = gc.get_freeze_count()
    kept = [{"n": i} for i in range(1000)]  # tracked tables, alive after the check
    settle_big_form()
    try:
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()
        if frozen:
            gc.freeze()  # (the app froze its start-up objects; leave the process as it was, roughly)
