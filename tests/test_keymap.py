"""The operator's keymap: ``[keys]`` in config.toml, checked before it is applied (an unknown id, a value that
is not a key, a clash on one screen: said, and that entry left out), and applied to the running app (the new
key works, the old one no longer does)."""

from __future__ import annotations

import pytest

from ips_tui.keymap import Bound, check, load, normal_key, read_table

SCREENS = {
    "jobs": [Bound("back", ("escape",)), Bound("refresh", ("ctrl+r",)), Bound("stop", ("s",)),
             Bound("copy", ("ctrl+y",)), Bound("copy_url", ("ctrl+y",)), Bound(None, ("1",), "Active")],
    "follow": [Bound("back", ("escape",)), Bound("refresh", ("ctrl+r",)), Bound("copy", ("ctrl+y",)),
               Bound("copy_url", ("u",))],
}
APP = [Bound("quit", ("ctrl+q",))]


def test_entries_that_fit_are_kept_as_textual_key_strings():
    got = check({"refresh": "F5", "stop": "x, ctrl+x", "quit": "ctrl+w"}, SCREENS, shared=APP)
    assert got.problems == []
    assert got.keys == {"refresh": "f5", "stop": "x,ctrl+x", "quit": "ctrl+w"}


def test_an_unknown_id_is_named_and_left_out():
    got = check({"refersh": "f5", "stop": "x"}, SCREENS, shared=APP)
    assert got.keys == {"stop": "x"}
    [problem] = got.problems
    assert problem.startswith("keys.refersh: no key binding has this id") and "refresh" in problem


def test_a_value_that_is_not_a_key_is_named_and_left_out():
    got = check({"stop": "", "refresh": 5, "back": "ctrl +r"}, SCREENS, shared=APP)
    assert got.keys == {}
    assert [p.split(":")[0] for p in got.problems] == ["keys.stop", "keys.refresh", "keys.back"]
    assert all("is not a key" in p for p in got.problems)


def test_two_ids_on_one_key_in_one_screen_is_a_clash():
    got = check({"refresh": "s"}, SCREENS, shared=APP)  # s is Stop on the jobs screen
    assert got.keys == {}
    assert got.problems == ["keys.refresh: s is already stop on the jobs screen; refresh keeps its default key."]
    got = check({"stop": "1"}, SCREENS, shared=APP)  # a binding without an id is named by what it does
    assert got.keys == {} and "1 is already Active on the jobs screen" in got.problems[0]
    got = check({"refresh": "ctrl+q"}, SCREENS, shared=APP)  # the app's own keys count on every screen
    assert got.keys == {} and "ctrl+q is already quit" in got.problems[0]


def test_what_is_a_clash_on_one_screen_only_is_still_left_out_and_swaps_are_fine():
    got = check({"copy": "u"}, SCREENS, shared=APP)  # free on the jobs screen, copy_url on follow
    assert got.keys == {} and "on the follow screen" in got.problems[0]
    got = check({"stop": "ctrl+r", "refresh": "s"}, SCREENS, shared=APP)  # a swap: neither keeps the old key
    assert got.problems == [] and got.keys == {"stop": "ctrl+r", "refresh": "s"}
    got = check({"copy": "ctrl+y"}, SCREENS, shared=APP)  # the defaults' own shared key is not a clash
    assert got.problems == [] and got.keys == {"copy": "ctrl+y"}


def test_keys_are_compared_as_textual_names_them():
    assert normal_key("?") == "question_mark" and normal_key("Ctrl+R") == "ctrl+r" and normal_key("F5") == "f5"
    got = check({"stop": "Ctrl+R"}, SCREENS, shared=APP)
    assert got.keys == {} and "ctrl+r is already refresh" in got.problems[0]


def test_the_config_file_is_read_and_a_broken_one_says_why(tmp_path):
    assert load(tmp_path, SCREENS, shared=APP).problems == []  # no file: the defaults, silently
    (tmp_path / "config.toml").write_text('[keys]\nrefresh = "f5"\nnope = "x"\n', encoding="utf-8")
    got = load(tmp_path, SCREENS, shared=APP)
    assert got.keys == {"refresh": "f5"} and len(got.problems) == 1 and got.path == tmp_path / "config.toml"
    (tmp_path / "config.toml").write_text("[keys\n", encoding="utf-8")
    table, problems = read_table(tmp_path / "config.toml")
    assert table == {} and "not valid TOML" in problems[0] and "the default keys are used" in problems[0]
    (tmp_path / "config.toml").write_text('keys = "f5"\n', encoding="utf-8")
    assert "[keys] must be a table" in read_table(tmp_path / "config.toml")[1][0]


def test_the_bindings_that_matter_have_ids():
    """Every binding the screens show in their footers can be remapped."""
    from ips_tui.tui.keymap_apply import screens

    for name, bound in screens().items():
        missing = [b.description or b.keys for b in bound if b.id is None and b.own]
        assert missing == [], (name, missing)


# -- applied to the app -----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


async def test_a_remapped_key_works_and_the_old_one_does_not(sandbox, tmp_path, monkeypatch):
    from tui_helpers import make_app, settle

    from ips_tui.tui.screens.history import HistoryScreen
    from ips_tui.tui.screens.jobs import JobsScreen

    config = tmp_path / "config"
    config.mkdir()
    (config / "config.toml").write_text('[keys]\njobs = "f6"\nhistory = "f4"\nrefresh = "s"\nbogus = "x"\n',
                                        encoding="utf-8")
    monkeypatch.setenv("IPS_TUI_CONFIG_DIR", str(config))
    app = make_app(sandbox, state_dir=tmp_path / "state")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("keys.bogus: no key binding has this id") for n in notes), notes
        assert any(n.startswith("keys.refresh: s is already stop on the jobs screen") for n in notes), notes
        assert app.keymap.keys == {"jobs": "f6", "history": "f4"}
        await pilot.press("f3")  # the old key of the jobs screen: nothing
        await settle(pilot, app)
        assert not isinstance(app.screen, JobsScreen)
        await pilot.press("f6")  # the new one
        await settle(pilot, app)
        assert isinstance(app.screen, JobsScreen)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("f4")  # an entry given its default key is no change
        await settle(pilot, app)
        assert isinstance(app.screen, HistoryScreen)
