"""A model-based test: seeded random walks of operator actions through the real app on the embedded sandbox.

Each sequence starts a fresh app and does ``STEPS`` actions chosen at random (seeded): choose or change the
job type, fill, clear and break fields, Tab and Shift+Tab, next, back, jump to Review, submit (answering the
questions yes or no), stop waiting, new job, F2/F3/F4 and back, re-open from history, switch the language,
resize between 60×20 and 200×50. After every action:

* the app is alive and nothing was raised;
* every field on the step shown shows the form's value;
* on Review with no problems, the envelope shown is the one built from the form;
* the sandbox received exactly one submitJob per submission the wizard sent.

A failure names the seed and the actions so far; ``IPS_TUI_SEED=N`` replays one sequence. CI runs
``SEQUENCES`` sequences; ``IPS_TUI_SOAK=N`` runs N (and ``IPS_TUI_SOAK_STEPS`` actions each) for a soak.
"""

from __future__ import annotations

import os
import random

import pytest
from textual.widgets import Input, TextArea

from tui_helpers import make_app, settle

SEQUENCES = 4
STEPS = 22
TYPES = ("metadataPublishJob", "metadataPublishJob", "imageServingPublishJob", "exportJob", "optimizeImagesJob")
NAMES = ("night-run", "job two", "bad|name", "", "spring-2027", "x" * 40)


def seeds() -> list[int]:
    if os.environ.get("IPS_TUI_SEED"):
        return [int(os.environ["IPS_TUI_SEED"])]
    n = int(os.environ.get("IPS_TUI_SOAK") or SEQUENCES)
    base = int(os.environ.get("IPS_TUI_SEED_BASE") or 1200)
    return [base + i for i in range(n)]


def steps() -> int:
    return int(os.environ.get("IPS_TUI_SOAK_STEPS") or STEPS)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


class Walk:
    """The actions; each returns a short description for the replay log."""

    def __init__(self, pilot, app, rng: random.Random) -> None:
        self.pilot, self.app, self.rng = pilot, app, rng

    @property
    def w(self):
        from ips_tui.tui.wizard.screen import WizardScreen

        screen = self.app.screen
        return screen if isinstance(screen, WizardScreen) else None

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await settle(self.pilot, self.app)

    # -- the actions ------------------------------------------------------------------------------
    async def choose_type(self) -> str:
        from ips_tui.ips.catalog import catalog

        element = self.rng.choice(TYPES)
        self.w.goto("type")
        await settle(self.pilot, self.app)
        index = list(catalog().jobs).index(element)
        await self.keys("home", *(["down"] * index), "enter")
        return f"type {element}"

    async def name(self) -> str:
        name = self.rng.choice(NAMES)
        self.w.goto("details")
        await settle(self.pilot, self.app)
        await self.keys("ctrl+u", *[{" ": "space", "|": "vertical_line"}.get(c, c) for c in name])
        return f"name {name!r}"

    async def type_here(self) -> str:
        text = self.rng.choice(("12", "abc", "a|101|1", "0 0 2 * * ?", "61 * * * * ?", "Full"))
        if not isinstance(self.app.focused, (Input, TextArea)):
            return "type-here (no text field focused)"
        await self.keys(*[{" ": "space", "|": "vertical_line", "?": "question_mark", "*": "asterisk"}.get(c, c)
                          for c in text])
        return f"type-here {text!r}"

    async def clear(self) -> str:
        if isinstance(self.app.focused, Input):
            await self.keys("ctrl+u")
            return "clear"
        return "clear (no input)"

    async def move(self) -> str:
        key = self.rng.choice(("tab", "shift+tab", "ctrl+n", "escape", "ctrl+r", "tab", "ctrl+n"))
        await self.keys(key)
        return key

    async def timing(self) -> str:
        self.w.goto("timing")
        await settle(self.pilot, self.app)
        mode = self.rng.randrange(3)
        await self.keys("home", *(["down"] * mode), "enter")
        if mode == 2:
            await self.keys(*[{" ": "space", "?": "question_mark", "*": "asterisk"}.get(c, c)
                              for c in self.rng.choice(("0 0 2 * * ?", "0 61 2 * * ?"))])
        return f"timing {('now', 'at', 'recurring')[mode]}"

    async def submit(self) -> str:
        from ips_tui.tui.screens.modals import ConfirmScreen

        await self.keys("f5")
        said = []
        for _i in range(3):  # questions: sent before, production (not here), ...
            if not isinstance(self.app.screen, ConfirmScreen):
                break
            yes = self.rng.random() < 0.5
            said.append("yes" if yes else "no")
            await self.keys("y" if yes else "escape")
        return "submit" + (f" ({', '.join(said)})" if said else "")

    async def submit_and_stop(self) -> str:
        await self.pilot.press("f5", "f5")
        await settle(self.pilot, self.app)
        return "submit, stop waiting"

    async def new_job(self) -> str:
        if self.w.result:
            self.w.new_job()
            await settle(self.pilot, self.app)
            return "new job"
        return "new job (nothing submitted)"

    async def other_screen(self) -> str:
        key = self.rng.choice(("f2", "f3", "f4"))
        await self.keys(key)
        await self.keys("escape")
        if self.w is None:  # a screen that wants two (a form inside the profile manager)
            await self.keys("escape")
        return f"{key}, back"

    async def reopen(self) -> str:
        from ips_tui.tui.screens.history import HistoryScreen

        await self.keys("f4")
        if not isinstance(self.app.screen, HistoryScreen):
            return "f4 (no history screen)"
        await self.keys("enter")
        if self.w is None:
            await self.keys("escape")
            return "f4, nothing to re-open"
        return "f4, re-open"

    async def language(self) -> str:
        from ips_tui import i18n

        code = "es" if i18n.language() == "en" else "en"
        self.w.switch_language(code)
        await settle(self.pilot, self.app)
        return f"language {code}"

    async def resize(self) -> str:
        size = (self.rng.randint(60, 200), self.rng.randint(20, 50))
        await self.pilot.resize_terminal(*size)
        await settle(self.pilot, self.app)
        return f"resize {size[0]}x{size[1]}"

    ACTIONS = (("choose_type", 3), ("name", 2), ("type_here", 2), ("clear", 1), ("move", 4), ("timing", 1),
               ("submit", 3), ("submit_and_stop", 1), ("new_job", 2), ("other_screen", 1), ("reopen", 1),
               ("language", 1), ("resize", 1))

    async def step(self) -> str:
        closed = []
        for _i in range(3):  # a question left open (F5 twice: "submit again?"), a follow screen: Esc
            if self.w is not None:
                break
            closed.append(type(self.app.screen).__name__)
            await self.keys("escape")
        names = [n for n, weight in self.ACTIONS for _i in range(weight)]
        did = await getattr(self, self.rng.choice(names))()
        return f"(esc {', '.join(closed)}) {did}" if closed else did

    # -- what must hold -----------------------------------------------------------------------------
    async def check(self, sandbox) -> None:
        app = self.app
        assert app.is_running and app._exception is None, app._exception
        w = self.w
        if w is None:
            return
        await self.check_fields(w)
        await self.check_envelope(w)
        await self.check_sent(sandbox)

    async def check_fields(self, w) -> None:
        from ips_tui.tui.widgets.rows import FieldRow

        step = w.steps.ready(w.current)
        if step is None:
            return
        for row in step.query(FieldRow):
            if not row.display:
                continue
            control = row.query(Input).first() if row.query(Input) else None
            if control is None:
                continue
            path = row.path
            if path == "companyHandle":
                expected = w.form.company
            elif path == "execTime":
                expected = w.form.exec_time
            elif path == "execSchedule":
                expected = w.form.exec_schedule
            else:
                expected = w.form.values.get(path) or ""
            assert control.value == str(expected), f"{path}: shows {control.value!r}, the form has {expected!r}"

    async def check_envelope(self, w) -> None:
        if w.current != "review" or w.problems or w.submit_state.sending:
            return
        area = w.query_one("#envelope", TextArea)
        expected = self.expected_envelope(w)
        for _i in range(100):
            if area.text == expected:
                return
            await self.pilot.pause(0.02)
        assert area.text == expected, "Review's envelope is not the one the form builds"

    @staticmethod
    def expected_envelope(w) -> str:
        c = w.connection
        client = c.client(locale="", password=c.password or "")
        try:
            text = client.build_envelope("submitJob", w.payload(), mask_password=True).decode("utf-8")
        finally:
            client.close()
        return text.replace(c.url, c.display_url) if c.display_url else text

    async def check_sent(self, sandbox) -> None:
        await self.app.workers.wait_for_complete()
        sent = self.sends()
        received = len(sandbox.received.of("submitJob"))
        assert received == sent, f"the sandbox received {received} submitJob, the wizard sent {sent}"

    def sends(self) -> int:
        """Submissions sent so far, over every wizard screen (a language switch makes a new one that
        carries the submit state on)."""
        from ips_tui.tui.wizard.screen import WizardScreen

        return max((s.submit_state.token for s in self.app.screen_stack if isinstance(s, WizardScreen)),
                   default=0)


@pytest.mark.timeout(300)
@pytest.mark.parametrize("seed", seeds())
async def test_random_operator_sequences(sandbox, tmp_path, seed):
    from ips_tui import i18n

    rng = random.Random(seed)
    app = make_app(sandbox, state_dir=tmp_path / str(seed))
    done: list[str] = []
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            walk = Walk(pilot, app, rng)
            await settle(pilot, app)
            await walk.check(sandbox)
            for _i in range(steps()):
                try:
                    before = walk.sends()
                    done.append(await walk.step())
                    await walk.check(sandbox)
                    allowed = 1 if "submit" in done[-1] else 0  # one F5: one job at most
                    assert walk.sends() - before <= allowed, f"{walk.sends() - before} jobs sent by one action"
                except Exception as error:
                    raise AssertionError(f"seed {seed} (replay: IPS_TUI_SEED={seed}), after "
                                         f"{len(done)} actions {done}: {error!r}") from error
            print(f"\nseed {seed}: {walk.sends()} sent; {done}")  # (shown with -s: what the walk did)
    finally:
        i18n.set_language("en")
