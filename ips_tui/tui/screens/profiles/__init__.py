"""The profile manager: list, add, edit, test the connection, fetch companies, delete with confirmation.

``ProfilesScreen(store=…, client_factory=…, env=…, state_dir=…)`` lists the profiles with their
environment in words and colour; ``ProfileFormScreen`` adds or edits one. Every read and write of the
store, every keyring call and every SOAP call runs in a thread worker; results come back as messages.
Passwords typed here are kept in memory for as long as the manager is open (and in the keyring if the
operator asks for that), never in a file.

The manager dismisses with the name of a profile to use (``u``), or None.
"""

from ips_tui.tui.screens.profiles.base import ENV_STYLES, default_client_factory, env_badge, environment_of
from ips_tui.tui.screens.profiles.form import ProfileFormScreen
from ips_tui.tui.screens.profiles.listing import ProfilesScreen

__all__ = ["ENV_STYLES", "ProfileFormScreen", "ProfilesScreen", "default_client_factory", "env_badge",
           "environment_of"]
