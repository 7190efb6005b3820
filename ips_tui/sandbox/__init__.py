"""A local IPS emulator: a real SOAP 1.1 server over HTTP/HTTPS on loopback, answering from our WSDL.

Used by every test as the real peer, embedded by the app (``ips-tui --sandbox``) and runnable standalone
(``ips-tui sandbox`` / ``python -m ips_tui.sandbox``). Imports neither textual nor rich.
"""

from ips_tui.sandbox.jobs import SandboxClock
from ips_tui.sandbox.server import Received, Sandbox, is_loopback, run_standalone

__all__ = ["Received", "Sandbox", "SandboxClock", "is_loopback", "run_standalone"]
