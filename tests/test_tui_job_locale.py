"""The job's locale comes from the profile, else it is left out (the service's default): never from the
interface language, so the same job built under ``--lang es`` and ``--lang en`` is the same envelope."""

from __future__ import annotations

import re

import pytest

from ips_tui import i18n
from test_tui_snapshots import app_for, publish_job
from tui_helpers import fast_pilot, fixed_profile, make_app, settle


async def review_envelope(app) -> str:
    async with app.run_test(size=(100, 40)) as pilot:
        await publish_job(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        review = app.screen.query_one("#step-review")
        for _i in range(200):
            if review.envelope:
                break
            await pilot.pause(0.02)
        assert review.envelope, "the envelope was never built"
        return review.envelope


@pytest.fixture(autouse=True)
def quick(monkeypatch):
    fast_pilot(monkeypatch)


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_profile_without_a_locale_sends_none(lang):
    i18n.set_language(lang)
    envelope = await review_envelope(app_for())
    assert not re.search(r"<(\w+:)?locale>", envelope), envelope


async def test_the_same_job_in_either_language_is_the_same_envelope():
    i18n.set_language("en")
    english = await review_envelope(app_for())
    i18n.set_language("es")
    spanish = await review_envelope(app_for())
    assert english == spanish


async def test_the_profile_locale_is_the_default():
    profile = fixed_profile("sandbox")
    profile.locale = "fr-FR"
    i18n.set_language("es")
    envelope = await review_envelope(make_app(profile=profile, password="not-used", drafts=False))
    assert re.search(r"<(\w+:)?locale>fr-FR</(\w+:)?locale>", envelope), envelope
