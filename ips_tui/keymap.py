"""The operator's key bindings: a ``[keys]`` table in ``config.toml`` (the config folder, beside
``profiles.toml``) overrides bindings by their ids, the way posting does it::

    [keys]
    refresh = "f5"          # Ctrl+R on the jobs, follow and history screens becomes F5
    stop = "x"
    jobs = "f3,ctrl+j"      # several keys: comma-separated

What the file says is checked here, before anything is applied: an id no binding has, a value that is not
a key, or a key that would give one screen two bindings, is said in words naming the entry, and that entry
is left out (its binding keeps its default); every other entry is used. No UI here: the Textual shell gives
:func:`check` what its screens bind (:mod:`ips_tui.tui.keymap_apply`) and applies what comes back with
``App.set_keymap``.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ips_tui.i18n import _

CONFIG_FILE = "config.toml"
MAX_CONFIG = 256 * 1024  # a config file a person writes is a few hundred bytes
#: a key as Textual names it: a key name or one printable character, with modifiers (``ctrl+shift+f5``)
_KEY = re.compile(r"^(?:(?:ctrl|shift|alt|meta|super|hyper)\+)*(?:[a-z0-9_]+|[^\s,+])$")
_SHORT = {"?": "question_mark", "/": "slash", "!": "exclamation_mark", "#": "number_sign", "$": "dollar_sign",
          "%": "percent_sign", "&": "ampersand", "*": "asterisk", "-": "minus", "=": "equals_sign",
          ".": "full_stop", ",": "comma", ":": "colon", ";": "semicolon", "<": "less_than_sign",
          ">": "greater_than_sign", "@": "at", "[": "left_square_bracket", "]": "right_square_bracket",
          "^": "circumflex_accent", "`": "grave_accent", "{": "left_curly_bracket", "}": "right_curly_bracket",
          "|": "vertical_line", "~": "tilde", "'": "apostrophe", '"': "quotation_mark", "(": "left_parenthesis",
          ")": "right_parenthesis", "\\": "backslash", "+": "plus", "_": "underscore"}


@dataclass(frozen=True)
class Bound:
    """One binding a screen has: its id (None: it cannot be remapped) and its keys, as declared."""

    id: str | None
    keys: tuple[str, ...]
    description: str = ""
    own: bool = True  # declared by ips-tui (not Textual's own: Tab between fields, Ctrl+C)


@dataclass
class Keymap:
    """What to apply (id -> Textual key string) and what was wrong, one sentence each."""

    keys: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    path: Path | None = None


def normal_key(key: str) -> str:
    """A key as Textual compares it (``?`` is ``question_mark``; names lower-case)."""
    key = key.strip()
    *mods, last = key.split("+") if key != "+" else ["+"]
    # a lone character keeps its case ("R" is Shift+R); a name, or a key with modifiers, is lower-case
    last = _SHORT.get(last, last if len(last) == 1 and not mods else last.lower())
    return "+".join([m.lower() for m in mods] + [last])


def split_keys(text: str) -> tuple[str, ...]:
    return tuple(normal_key(k) for k in text.split(",") if k.strip())


def config_path(config_dir: str | os.PathLike[str] | None = None) -> Path:
    from ips_tui.store import paths

    folder = Path(config_dir) if config_dir is not None else paths.config_dir(create=False)
    return folder / CONFIG_FILE


def read_table(path: Path) -> tuple[dict, list[str]]:
    """The ``[keys]`` table of ``path`` (empty when the file or the table is absent) and what was wrong."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_CONFIG + 1)
    except FileNotFoundError:
        return {}, []
    except OSError as error:
        return {}, [_("{path}: cannot be read ({error}); the default keys are used.").format(
            path=path, error=error.strerror or error)]
    if len(data) > MAX_CONFIG:
        return {}, [_("{path}: larger than {n} KiB; the default keys are used.").format(
            path=path, n=MAX_CONFIG // 1024)]
    try:
        parsed = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return {}, [_("{path}: not valid TOML ({error}); the default keys are used.").format(path=path, error=error)]
    table = parsed.get("keys", {})
    if not isinstance(table, dict):
        return {}, [_("{path}: [keys] must be a table of binding id = \"key\"; the default keys are used.").format(
            path=path)]
    return table, []


def check(table: Mapping[str, object], screens: Mapping[str, list[Bound]], *,
          shared: list[Bound] = ()) -> Keymap:
    """Check ``table`` (binding id -> key string) against what each screen binds (``screens``: screen name ->
    its bindings; ``shared``: the app's own, active on every screen). Returns the entries that can be applied
    and a sentence for each that cannot: an unknown id, a value that is not a key, or a clash (after the
    remapping, two ids on one key in the same screen). A bad entry is left out; the others apply."""
    result = Keymap()
    known = {b.id for bound in (*screens.values(), shared) for b in bound if b.id}
    wanted: dict[str, tuple[str, ...]] = {}
    for binding_id, value in table.items():
        if binding_id not in known:
            result.problems.append(_("keys.{id}: no key binding has this id (known ids: {known}).").format(
                id=binding_id, known=", ".join(sorted(known))))
            continue
        keys = split_keys(value) if isinstance(value, str) else ()
        if not keys or not all(_KEY.match(k) for k in keys):
            result.problems.append(_("keys.{id}: {value!r} is not a key (write e.g. \"f5\", \"ctrl+r\" or "
                                     "\"x,ctrl+x\").").format(id=binding_id, value=value))
            continue
        wanted[binding_id] = keys
    # a clash makes its entry wrong; dropping it can undo another's clash, so look again until none is left
    while True:
        clash = _first_clash(wanted, screens, shared)
        if clash is None:
            break
        screen, key, binding_id, other = clash
        result.problems.append(_("keys.{id}: {key} is already {other} on the {screen} screen; {id} keeps its "
                                 "default key.").format(id=binding_id, key=key, other=other, screen=screen))
        del wanted[binding_id]
    result.keys = {binding_id: ",".join(keys) for binding_id, keys in wanted.items()}
    return result


def _first_clash(wanted: dict[str, tuple[str, ...]], screens: Mapping[str, list[Bound]],
                 shared: list[Bound]) -> tuple[str, str, str, str] | None:
    """(screen, key, a remapped id that clashes there, the id or description it clashes with), or None."""
    def by_key(bound: list[Bound], remap: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
        on_key: dict[str, list[str]] = {}
        for b in (*bound, *shared):
            keys = remap.get(b.id, b.keys) if b.id else b.keys
            label = b.id or b.description or "?"
            for key in keys:
                names = on_key.setdefault(key, [])
                if label not in names:
                    names.append(label)
        return on_key

    for screen, bound in screens.items():
        default = by_key(bound, {})
        for key, names in by_key(bound, wanted).items():
            remapped = [n for n in names if n in wanted and key in wanted[n]]
            before = default.get(key, ())
            for culprit in reversed(remapped):
                # the defaults' own shared keys (copy and copy_url on Ctrl+Y, told apart by the tab) are not
                # the file's doing: two names that shared the key before still may
                for other in names:
                    if other != culprit and not (culprit in before and other in before):
                        return screen, key, culprit, other
    return None


def load(config_dir: str | os.PathLike[str] | None, screens: Mapping[str, list[Bound]], *,
         shared: list[Bound] = ()) -> Keymap:
    """The checked keymap of the config folder (empty, without problems, when there is no ``[keys]``)."""
    path = config_path(config_dir)
    table, problems = read_table(path)
    result = check(table, screens, shared=shared) if table else Keymap()
    result.problems[:0] = problems
    result.path = path
    return result
