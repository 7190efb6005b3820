"""The wizard's main steps in Spanish at 80×24: snapshots, and the words on screen checked."""

from __future__ import annotations

import pytest

from ips_tui import i18n
from test_tui_snapshots import STEPS, app_for
from tui_helpers import choose_job_type, pick, screen_text, settle, type_text


@pytest.fixture(autouse=True)
def spanish(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)
    i18n.set_language("es")
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("name", list(STEPS))
def test_step_in_spanish(snap_compare, name):
    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=STEPS[name])


async def test_the_words_on_screen_are_spanish():
    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        start = screen_text(app)
        assert "Siguiente" in start and "Empresa" in start, start
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        assert "Exportar recursos" in screen_text(app) or "Publicación de Image Serving" in screen_text(app)
        await choose_job_type(pilot, app, "imageServingPublishJob")
        await settle(pilot, app)
        fields = screen_text(app)
        assert "Tipo de publicación" in fields and "obligatorio" in fields.lower(), fields
        await pick(pilot, 1)
        await pilot.press("ctrl+n", "ctrl+n")
        await settle(pilot, app)
        timing = screen_text(app)
        assert "Ejecutar ahora" in timing and "Periódico" in timing, timing
        await pilot.press("down", "down", "enter")
        await type_text(pilot, "0 30 6 ? * MON-FRI")
        await settle(pilot, app)
        words = screen_text(app)
        assert "lunes" in words.lower() or "lun" in words.lower(), words
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        review = screen_text(app)
        assert "Resumen" in review or "problema" in review, review


async def test_a_pickers_keys_are_spanish(sandbox, tmp_path):
    """The picker's footer speaks the language in force, as every other screen's does (its bindings are
    declared with N_ and were shown untranslated), and takes two rows rather than cut a key off."""
    from ips_tui.tui.pickers.base import Picker
    from tui_helpers import make_app, new_job, tab_to

    app = make_app(sandbox, state_dir=tmp_path, drafts=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await new_job(pilot, app, "exportJob")
        await tab_to(pilot, app, "exportJob.assetHandleArray")
        await pilot.press("f8")
        await settle(pilot, app)
        assert isinstance(app.screen, Picker), app.screen
        footer = "\n".join(screen_text(app).splitlines()[-2:])
        assert "Cancelar" in footer and "Usar lo elegido" in footer and "Pegar nombres" in footer, footer
        await pilot.press("down")  # to the results: Space chooses
        await settle(pilot, app)
        footer = "\n".join(screen_text(app).splitlines()[-2:])
        assert "Elegir" in footer and "Pegar nombres" in footer, footer
