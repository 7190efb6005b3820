"""Messages that carry worker results back to the screen (workers never touch widgets)."""

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
    """No password from the environment or keyring: ask for it, then ``then``."""

    def __init__(self, question: str, then: str) -> None:
        super().__init__()
        self.question = question
        self.then = then


class PasswordResolved(Message):
    def __init__(self, password: str, then: str) -> None:
        super().__init__()
        self.password = password
        self.then = then


class EnvelopeReady(Message):
    def __init__(self, key: str, envelope: str) -> None:
        super().__init__()
        self.key = key
        self.envelope = envelope


class Submitted(Message):
    def __init__(self, token: int, handle: str, job_name: str) -> None:
        super().__init__()
        self.token = token
        self.handle = handle
        self.job_name = job_name


class ZeepLoaded(Message):
    pass
