"""Messages: worker results back to the screen (workers never touch widgets), and what a step asks of the
wizard (steps never call the screen: they post one of these and the wizard decides)."""

from __future__ import annotations

from textual.message import Message


class SandboxReady(Message):
    def __init__(self, connection) -> None:
        super().__init__()
        self.connection = connection


class CompaniesLoaded(Message):
    def __init__(self, companies: dict[str, str]) -> None:
        super().__init__()
        self.companies = companies


class PasswordNeeded(Message):
    """No password from the environment or keyring: ask for it, then call ``then``."""

    def __init__(self, question: str, then) -> None:
        super().__init__()
        self.question = question
        self.then = then


class PasswordResolved(Message):
    def __init__(self, password: str, then) -> None:
        super().__init__()
        self.password = password
        self.then = then


class ZeepLoaded(Message):
    pass


# -- from the steps up to the wizard ----------------------------------------------------------------
class JobTypeChosen(Message):
    def __init__(self, element: str, *, keys_held: bool = False) -> None:
        super().__init__()
        self.element = element
        self.keys_held = keys_held  # the list holds the keys typed after Enter: let them go once moved on


class TimingChosen(Message):
    def __init__(self, mode: str) -> None:
        super().__init__()
        self.mode = mode


class ProfileChosen(Message):
    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name


class CompanyChosen(Message):
    """A company picked from the list: it becomes the form's, and the wizard moves on."""

    def __init__(self, handle: str, *, keys_held: bool = False) -> None:
        super().__init__()
        self.handle = handle
        self.keys_held = keys_held  # as JobTypeChosen's


class ShowProblem(Message):
    """Go to the step and the field where the problem at ``path`` is."""

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class Command(Message):
    """One of the wizard's actions, asked for by a button: ``next``, ``submit``, ``cancel_submit``,
    ``new_job``, ``follow``."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
