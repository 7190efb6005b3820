"""Applying the operator's keymap (``[keys]`` in ``config.toml``, checked by :mod:`ips_tui.keymap`) to the
app: what each screen binds is read from the screen classes, the checked entries go to ``App.set_keymap``,
and what was wrong is said once the first screen is up. Without a ``[keys]`` table nothing is imported."""

from __future__ import annotations

from ips_tui.keymap import Bound, Keymap, check, config_path, read_table, split_keys


def bindings_of(cls) -> list[Bound]:
    """The bindings a screen class has, its bases' included (as Textual merges them)."""
    from textual.binding import Binding

    out: list[Bound] = []
    for klass in reversed(cls.__mro__):
        for item in klass.__dict__.get("BINDINGS", ()):
            b = item if isinstance(item, Binding) else Binding(*item)
            out.append(Bound(b.id, split_keys(b.key), b.description, klass.__module__.startswith("ips_tui")))
    return out


def screens() -> dict[str, list[Bound]]:
    """Screen name (as messages say it) -> its bindings: every screen that has keys of its own."""
    from ips_tui.tui.screens.follow import FollowScreen
    from ips_tui.tui.screens.history import HistoryScreen
    from ips_tui.tui.screens.jobs import JobsScreen
    from ips_tui.tui.screens.modals import ConfirmScreen, HelpScreen
    from ips_tui.tui.screens.profiles.form import ProfileFormScreen
    from ips_tui.tui.screens.profiles.listing import ProfilesScreen
    from ips_tui.tui.widgets.fields import LinesRow
    from ips_tui.tui.wizard.screen import WizardScreen

    # a widget's own keys count on the screen it sits in (a list box's Ctrl+L on the wizard)
    return {"wizard": bindings_of(WizardScreen) + bindings_of(LinesRow), "jobs": bindings_of(JobsScreen),
            "follow": bindings_of(FollowScreen), "history": bindings_of(HistoryScreen),
            "profiles": bindings_of(ProfilesScreen), "profile form": bindings_of(ProfileFormScreen),
            "confirmation": bindings_of(ConfirmScreen), "help": bindings_of(HelpScreen)}


def load_for(app) -> Keymap:
    """The checked keymap for ``app`` (its config folder), applied; its problems are for the caller to say."""
    path = config_path(app.options.config_dir)
    table, problems = read_table(path)
    keymap = check(table, screens(), shared=bindings_of(type(app))) if table else Keymap()
    keymap.problems[:0] = problems
    keymap.path = path
    if keymap.keys:
        app.set_keymap(keymap.keys)
    return keymap
