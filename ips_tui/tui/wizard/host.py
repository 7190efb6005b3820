"""The one place steps are mounted: a step is built on its first visit and then kept for the wizard's life
(a new job or a restored draft reloads it, never removes it). Nothing else mounts, removes or looks up a step,
so no step is ever updated before it is mounted or after it is gone."""

from __future__ import annotations

import importlib

from textual.widgets import ContentSwitcher

from ips_tui.tui.wizard.flow import STEP_CLASSES


class StepHost(ContentSwitcher):
    """Shows one step at a time; :meth:`ready` is the only way to reach a step."""

    def __init__(self, first, **kwargs) -> None:
        super().__init__(first, initial=first.id, **kwargs)
        self._steps = {first.id.removeprefix("step-"): first}

    def ready(self, key: str):
        """The step ``key`` when it is mounted (its widgets can be queried), else None."""
        step = self._steps.get(key)
        return step if step is not None and step.is_mounted else None

    def mounted_steps(self) -> list:
        return [s for s in self._steps.values() if s.is_mounted]

    def show(self, key: str) -> None:
        """Show ``key``, building it on its first visit; the step takes the focus as soon as it can. Keys
        typed while it is being built wait for it (the app holds them), so they land in the step."""
        step = self._steps.get(key)
        if step is None:
            module, name = STEP_CLASSES[key]
            step = getattr(importlib.import_module(module), name)(id=f"step-{key}")
            self._steps[key] = step
            self.app.hold_keys()
            self.mount(step)
            self.current = step.id
            step.focus_on_mount = True  # Step.on_mount focuses it and lets the held keys go
            return
        self.current = step.id
        if step.is_mounted:
            step.entered()
        else:
            step.focus_on_mount = True
