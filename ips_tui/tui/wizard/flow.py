"""The wizard's steps, in order, and which step shows a problem at a path (no Textual here)."""

from __future__ import annotations

from ips_tui.i18n import N_

STEPS: list[tuple[str, str]] = [
    ("start", N_("Start")),
    ("type", N_("Job type")),
    ("fields", N_("Fields")),
    ("details", N_("Details")),
    ("timing", N_("Timing")),
    ("review", N_("Review")),
]
KEYS = [k for k, _t in STEPS]
TITLES = dict(STEPS)

#: where each step's class lives (imported on the step's first visit, not before the first paint)
STEP_CLASSES = {
    "start": ("ips_tui.tui.wizard.steps.start", "StartStep"),
    "type": ("ips_tui.tui.wizard.steps.jobtype", "JobTypeStep"),
    "fields": ("ips_tui.tui.wizard.steps.fields", "FieldsStep"),
    "details": ("ips_tui.tui.wizard.steps.details", "DetailsStep"),
    "timing": ("ips_tui.tui.wizard.steps.timing", "TimingStep"),
    "review": ("ips_tui.tui.wizard.steps.review", "ReviewStep"),
}


def step_of(path: str) -> str:
    """Which step shows a problem at ``path``."""
    if path == "":
        return "type"
    if path == "companyHandle":
        return "start"
    if path in ("execTime", "execSchedule"):
        return "timing"
    if path in ("jobName", "locale", "description", "userHandle"):
        return "details"
    return "fields"


def next_key(key: str) -> str | None:
    i = KEYS.index(key)
    return KEYS[i + 1] if i + 1 < len(KEYS) else None


def previous_key(key: str) -> str | None:
    i = KEYS.index(key)
    return KEYS[i - 1] if i > 0 else None
