"""The bands around every step: which account and endpoint (coloured by environment, in words too),
and which step the wizard is on."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ips_tui.i18n import N_, _, language
from ips_tui.environments import ENVIRONMENT_WORDS

ENV_NOTES = {
    "production": N_("real jobs on Adobe's servers"),
    "staging": N_("Adobe staging"),
    "sandbox": N_("local sandbox, nothing goes to Adobe"),
    "custom": N_("custom endpoint"),
}


def short_url(url: str) -> str:
    """The host (and port) of an endpoint: what tells two endpoints apart at a glance."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url or "")
        return parts.netloc or url or ""
    except ValueError:
        return url or ""


def _cut(text: str, room: int) -> str:
    """``text`` in at most ``room`` columns, an ellipsis marking a cut (nothing when there is no room)."""
    if len(text) <= room:
        return text
    return text[:room - 1] + "…" if room > 1 else ""


def _fit_band(room: int, who: str, host: str, company_word: str, company: str) -> tuple[str, str, str, str]:
    """Who, host and company in ``room`` columns. What gives way, in turn: the word "company", the host
    (cut, then left out: the environment's word and the Start step say it), the user (cut), the company
    (cut), and last the company itself: which company a job is for matters more than who sends it."""
    def excess() -> int:
        return len(who) + (len(" @ ") + len(host) if host else 0) + len(company_word) + len(company) - room

    if excess() > 0 and company:
        company_word = "  │ "
    if excess() > 0 and host:
        host = _cut(host, max(10, len(host) - excess()))
    if excess() > 0:
        host = ""
    if excess() > 0:
        who = _cut(who, max(10, len(who) - excess()))
    if excess() > 0 and company:
        company = _cut(company, max(10, len(company) - excess()))
    if excess() > 0 and company and len(who) - excess() >= 4:
        who = _cut(who, len(who) - excess())
    if excess() > 0 and company:
        company_word, company = "", ""
    if excess() > 0:
        who = _cut(who, max(0, len(who) - excess()))
    return who, host, company_word, company


def env_bar_text(environment: str, user: str = "", url: str = "", company: str = "", status: str = "",
                 width: int | None = None) -> Text:
    """``[ PRODUCTION ] ops@acme.com @ s7sps1apissl.scene7.com │ company Acme (c|101) │ real jobs on …``
    in ``width`` columns: the environment's word and production's warning always show whole (see
    :func:`_fit_band` for what gives way); elsewhere the note gives way before the user and the company."""
    word = _(ENVIRONMENT_WORDS.get(environment, N_("CUSTOM")))
    note = ENV_NOTES.get(environment)
    note_text = "  │ " + _(note) if note and not status else ""
    company_word = "  │ " + _("company") + " " if company else ""
    who, host = (status, "") if status else (user or _("(no user)"), short_url(url))
    badge = f" {word} "
    if width is not None and environment != "production" and note_text:
        # away from production the note only reassures: it gives way before the user and the company
        room_all = width - len(badge) - 1
        needed = len(who) + len(company_word) + len(company)
        if needed + len(note_text) > room_all:
            note_text = ""  # whole or not at all: the environment's word says it too
    if width is not None:
        room = width - len(badge) - 1 - len(note_text)
        who, host, company_word, company = _fit_band(room, who, host, company_word, company)
        if len(badge) + 1 + len(note_text) > width:
            note_text = _cut(note_text, max(0, width - len(badge) - 1))
    text = Text()
    text.append(badge, style="bold reverse")
    text.append(" ")
    if status:
        text.append(who)
    else:
        text.append(who, style="bold")
        if host:
            text.append(" @ ")
            text.append(host)
    if company:
        text.append(company_word)
        text.append(company, style="bold")
    text.append(note_text)
    if width is not None and text.cell_len > width:
        text.truncate(width, overflow="ellipsis")  # (only a terminal too narrow for even the warning)
    return text


class EnvBar(Static):
    """``[ PRODUCTION ] ops@acme.com @ s7sps1apissl.scene7.com … company Acme (c|101)``, fitted to its width
    with the warning kept whole (:func:`env_bar_text`)."""

    DEFAULT_CSS = """
    EnvBar { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    _args: tuple | None = None

    def show(self, environment: str, user: str = "", url: str = "", company: str = "", status: str = "") -> None:
        for env in ENVIRONMENT_WORDS:
            self.set_class(env == environment, f"-{env}")
        self._args = (environment, user, url, company, status)
        self._render_bar()

    def on_resize(self) -> None:
        if self._args is not None:
            self._render_bar()

    def _render_bar(self) -> None:
        width = self.content_size.width or (self.app.size.width - 2 if self.is_attached else 0)
        self.update(env_bar_text(*self._args, width=width or None))


def step_bar_text(steps: list[tuple[str, str]], current: str, flagged: set[str], reached: set[str],
                  width: int | None = None) -> Text:
    """``1 Start › 2 Job type › [3 Fields !] › …`` in ``width`` columns: when the titles do not all fit,
    the steps farthest from the current one show their number only (flags kept), then the separators
    narrow, so the current step and every number always show."""
    titles = {key: _(title) for key, title in steps}
    index = {key: i for i, (key, _t) in enumerate(steps)}
    here = index.get(current, 0)
    # the order titles give way: farthest from the current step first, later steps before earlier ones
    order = sorted((k for k, _t in steps if k != current), key=lambda k: (-abs(index[k] - here), -index[k]))

    def build(short: set[str], separator: str) -> Text:
        text = Text()
        for i, (key, _title) in enumerate(steps, 1):
            if i > 1:
                text.append(separator, style="dim")
            label = f"{i}" if key in short else f"{i} {titles[key]}"
            if key in flagged:
                label += "!" if key in short else " !"
            if key == current:
                text.append(f"[{label}]", style="bold reverse")
            elif key in reached:
                text.append(label, style="bold" if key in flagged else "")
            else:
                text.append(label, style="dim")
        return text

    text = build(set(), " › ")
    if width is None or text.cell_len <= width:
        return text
    for n in range(1, len(order) + 1):
        text = build(set(order[:n]), " › ")
        if text.cell_len <= width:
            return text
    return build(set(order), " ")


class StepBar(Static):
    """``1 Start › 2 Job type › …`` with the current step marked and steps with problems flagged; narrow,
    the other steps give up their titles before the current one can be cut (:func:`step_bar_text`)."""

    DEFAULT_CSS = """
    StepBar { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    _args: tuple | None = None
    _key: tuple | None = None

    def show(self, steps: list[tuple[str, str]], current: str, flagged: set[str], reached: set[str]) -> None:
        self._args = (steps, current, flagged, reached)
        self._render_bar()

    def on_resize(self) -> None:
        if self._args is not None:
            self._render_bar()

    def _render_bar(self) -> None:
        width = self.content_size.width or (self.app.size.width - 2 if self.is_attached else None)
        steps, current, flagged, reached = self._args
        # the screen asks on every key: the same state, width and language give the same bar (fitting it
        # to the width builds it up to seven times)
        key = (tuple(steps), current, frozenset(flagged), frozenset(reached), width, language())
        if key == self._key:
            return
        self._key = key
        text = step_bar_text(*self._args, width=width or None)
        if text != getattr(self, "_shown", None):  # a key that flags no new step leaves the bar alone
            self._shown = text
            self.update(text, layout=False)  # one line, always (its CSS): a new text never moves anything


from textual.widgets import Footer  # noqa: E402

#: "▏^p palette": the palette key's border, key, a space and its word (docked right)
PALETTE_EXTRA = 2


def footer_layout(widths: list[int], width: int, palette: int) -> tuple[int, bool]:
    """(rows, palette shown) for footer keys of ``widths`` (in order, filling rows left to right, one column
    of gutter between) in ``width`` columns, the palette key taking ``palette`` more on the right: the
    fewest rows that hold every key; when two rows are not enough the palette key goes first (Ctrl+P
    still opens it), never a key of the step."""
    def fits(rows: int, with_palette: bool) -> bool:
        columns = max(1, -(-len(widths) // rows))
        need = sum(max(widths[c::columns], default=0) for c in range(columns)) + columns - 1
        return need + (palette + 1 if with_palette and palette else 0) <= width

    # the palette key is worth a second line (it is where the language and the rest are), not a third
    order = ((1, True), (2, True), (2, False), (3, False), (4, False)) if palette else ((1, False), (2, False),
                                                                                          (3, False), (4, False))
    for rows, with_palette in order:
        if fits(rows, with_palette):
            return rows, with_palette
    return 4, False


class KeyFooter(Footer):
    """Textual's footer, rebuilt at most once per frame however many times the bindings change in it
    (focus moves, steps switch): start-up and typing stay cheap. When its keys do not fit on one line
    (80 columns, a longer language) it takes two or more, in columns, so no key is ever cut off (the
    palette key gives way first). Every description is shown in the interface language, Textual's own
    widgets' too (a Select's "Dismiss menu")."""

    DEFAULT_CSS = """
    KeyFooter.-rows {
        layout: grid;
        grid-rows: 1;
        grid-columns: auto;
        grid-gutter: 0 1;
        FooterKey { margin: 0; }
    }
    """

    _pending = False

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    def _signature(self) -> tuple:
        return tuple((key, b.action, b.description, b.show, enabled)
                     for key, (_node, b, enabled, _tip) in self.screen.active_bindings.items())

    async def _rebuild(self) -> None:
        self._pending = False
        if not self.is_attached:
            return  # its screen went away (a language switch replaces the wizard) before this frame
        signature = (self._signature(), self.size.width)
        if signature == getattr(self, "_shown", None):
            return  # the same keys as on screen: nothing to rebuild
        self._shown = signature
        await self.recompose()

    def compose(self):
        from ips_tui.i18n import _

        self._fit()
        widgets = list(super().compose())  # (our screens use no binding groups, so no KeyGroup contexts)
        self.styles.grid_size_columns = getattr(self, "_columns", 1)  # (Footer.compose set one per key)
        for widget in widgets:
            if getattr(widget, "description", None):
                widget.description = _(widget.description)  # a built-in binding's words (ours: already)
        yield from widgets

    def on_resize(self) -> None:
        was = (self.styles.height, self.show_command_palette)
        self._fit()
        if (self.styles.height, self.show_command_palette) != was and not self._pending:
            self._pending = True
            self.call_after_refresh(self._rebuild)

    def shown_keys(self) -> list:
        shown = {}  # one key per action, as the footer shows them
        for _node, b, _enabled, _tip in self.screen.active_bindings.values():
            if b.show:
                shown.setdefault(b.action, b)
        return list(shown.values())

    def _fit(self) -> None:
        """As few rows as hold every shown key (see :func:`footer_layout`)."""
        from ips_tui.i18n import _

        if not self.is_attached or not self.size.width:
            return
        keys = self.shown_keys()
        widths = [len(self.app.get_key_display(b)) + 1 + len(_(b.description)) for b in keys]
        palette = 0
        if self.app.ENABLE_COMMAND_PALETTE:
            found = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                b = found[1]
                palette = len(self.app.get_key_display(b)) + 1 + len(_(b.description)) + PALETTE_EXTRA
        rows, with_palette = footer_layout(widths, self.size.width, palette)
        self.set_reactive(Footer.show_command_palette, with_palette)
        self.set_class(rows > 1, "-rows")
        self.styles.height = rows
        for rack in self.screen.query("#textual-toastrack"):  # toasts sit above the keys, never over F5
            rack.styles.margin = (0, 0, rows, 0)
        self._columns = max(1, -(-len(keys) // rows))
        self.styles.grid_size_columns = self._columns
