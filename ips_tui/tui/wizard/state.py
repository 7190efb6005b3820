"""The wizard's two values besides the form itself, immutable so a change is a new value the views can
watch: the whole-request check (:class:`Report`) and where a submission is (:class:`SubmitState`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

#: the phases of a submission: nothing yet | a question is open | sent, waiting | answered | refused
PHASES = ("idle", "confirming", "sending", "done", "failed")


@dataclass(frozen=True)
class Report:
    """The problems of the whole request, in order, and the line numbers of each array item."""

    problems: tuple[tuple[str, str], ...] = ()
    lines: dict[str, list[int]] = field(default_factory=dict, compare=True, hash=False)

    def at(self, path: str) -> list[str]:
        return [m for p, m in self.problems if p == path]


@dataclass(frozen=True)
class SubmitState:
    phase: str = "idle"
    token: int = 0  # the attempt sent last (each send gets a new one)
    question: str = ""  # the guard being asked while confirming
    handle: str | None = None  # after a success
    job_name: str = ""
    since: datetime | None = None  # when it was sent
    timed: bool = False  # sent with execTime/execSchedule
    error: str = ""  # after a refusal, or after stopping the wait
    abandoned: frozenset[int] = frozenset()  # attempts the operator stopped waiting for

    @property
    def sending(self) -> bool:
        return self.phase == "sending"

    @property
    def done(self) -> bool:
        return self.phase == "done" and self.handle is not None

    def result(self) -> dict[str, Any] | None:
        """{"handle", "job_name", "since", "timed"} after a success, else None."""
        if not self.done:
            return None
        return {"handle": self.handle, "job_name": self.job_name, "since": self.since, "timed": self.timed}

    # -- transitions (each returns the next state) --------------------------------------------
    def asking(self, question: str) -> "SubmitState":
        return replace(self, phase="confirming", question=question)

    def sent(self, since: datetime, timed: bool) -> "SubmitState":
        return replace(self, phase="sending", token=self.token + 1, question="", handle=None, job_name="",
                       since=since, timed=timed, error="")

    def answered(self, handle: str, job_name: str) -> "SubmitState":
        return replace(self, phase="done", question="", handle=handle, job_name=job_name, error="")

    def refused(self, error: str) -> "SubmitState":
        return replace(self, phase="failed", question="", error=error)

    def stopped_waiting(self, error: str) -> "SubmitState":
        return replace(self, phase="idle", abandoned=self.abandoned | {self.token}, error=error)

    def edited(self) -> "SubmitState":
        """The form changed: a result shown no longer describes it (an error stays until the next try)."""
        if self.phase == "done":
            return replace(self, phase="idle", handle=None, job_name="", error="")
        return self

    def fresh(self) -> "SubmitState":
        """A new job: nothing submitted yet (stopped attempts are still remembered)."""
        return SubmitState(token=self.token, abandoned=self.abandoned)
