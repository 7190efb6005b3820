"""The bands around every step: which account and endpoint (coloured by environment, in words too),
and which step the wizard is on."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from ips_tui.i18n import N_, _
from ips_tui.connection import ENVIRONMENT_WORDS

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


class EnvBar(Static):
    """``[ PRODUCTION ] ops@acme.com @ s7sps1apissl.scene7.com … company Acme (c|101)``."""

    DEFAULT_CSS = """
    EnvBar { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def show(self, environment: str, user: str = "", url: str = "", company: str = "", status: str = "") -> None:
        for env in ENVIRONMENT_WORDS:
            self.set_class(env == environment, f"-{env}")
        word = _(ENVIRONMENT_WORDS.get(environment, N_("CUSTOM")))
        text = Text()
        text.append(f" {word} ", style="bold reverse")
        text.append(" ")
        if status:
            text.append(status)
        else:
            text.append(user or _("(no user)"), style="bold")
            text.append(" @ ")
            text.append(short_url(url))
        if company:
            text.append("  │ " + _("company") + " ")
            text.append(company, style="bold")
        note = ENV_NOTES.get(environment)
        if note and not status:
            text.append("  │ " + _(note))
        self.update(text)


class StepBar(Static):
    """``1 Start › 2 Job type › …`` with the current step marked and steps with problems flagged."""

    DEFAULT_CSS = """
    StepBar { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def show(self, steps: list[tuple[str, str]], current: str, flagged: set[str], reached: set[str]) -> None:
        text = Text()
        for i, (key, title) in enumerate(steps, 1):
            if i > 1:
                text.append(" › ", style="dim")
            label = f"{i} {_(title)}"
            if key in flagged:
                label += " !"
            if key == current:
                text.append(f"[{label}]", style="bold reverse")
            elif key in reached:
                text.append(label, style="bold" if key in flagged else "")
            else:
                text.append(label, style="dim")
        if text != getattr(self, "_shown", None):  # a key that flags no new step leaves the bar alone
            self._shown = text
            self.update(text, layout=False)  # one line, always (its CSS): a new text never moves anything


from textual.widgets import Footer  # noqa: E402


class KeyFooter(Footer):
    """Textual's footer, rebuilt at most once per frame however many times the bindings change in it
    (focus moves, steps switch): start-up and typing stay cheap. When its keys do not fit on one line
    (80 columns, a longer language) it takes two, in columns, so no key is ever cut off."""

    DEFAULT_CSS = """
    KeyFooter.-two-rows {
        height: 2;
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
        signature = self._signature()
        if signature == getattr(self, "_shown", None):
            return  # the same keys as on screen: nothing to rebuild
        self._shown = signature
        await self.recompose()

    def compose(self):
        widgets = list(super().compose())  # (our screens use no binding groups, so no KeyGroup contexts)
        self._fit()
        yield from widgets

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """One line when every shown key fits, else two (half the keys in each, in columns)."""
        if not self.is_attached or not self.size.width:
            return
        shown = {}  # one key per action, as the footer shows them
        for _node, b, _enabled, _tip in self.screen.active_bindings.values():
            if b.show:
                shown.setdefault(b.action, b)
        # compact: "key description" and a space between keys; the palette key, when shown, about 12 columns
        need = sum(len(self.app.get_key_display(b)) + len(b.description) + 2 for b in shown.values())
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            need += 12
        two = need > self.size.width
        self.set_class(two, "-two-rows")
        self.styles.grid_size_columns = max(1, (len(shown) + 1) // 2 if two else len(shown))
