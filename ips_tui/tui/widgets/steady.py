"""Views that keep their height while typing and repaint only the lines a key changed (the timing step's
problem lines and explanation, a list's problem lines).

A :class:`SteadyLines` draws itself with Textual's line API from lines it renders once per new text, the way
a Static renders them. A Static repaints all its lines for any change, and lays out the screen when its
height may have changed; here a key that changes one problem line repaints that line, and the height moves
only when a text needs more lines than any since the view was shown. Two texts that change on the same key
(a schedule turning valid clears its problem line and explains it) are one view: one repaint, not two."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.console import RenderableType
from rich.segment import Segment
from rich.style import Style as RichStyle
from rich.text import Text
from textual.geometry import Region
from textual.reactive import Reactive
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget

from ips_tui.tui.widgets.rows import problem_text


@dataclass(frozen=True)
class Section:
    """A band of a view's lines: at least ``floor`` lines, ``indent`` cells in, styled by ``component`` (a
    component class of the view; "" for the view's own style)."""

    floor: int = 1
    component: str = ""
    indent: int = 0


def problem_band(floor: int) -> Section:
    """A band of problem lines, as a :class:`ProblemsView` shows them: in the error colour, two cells in."""
    return Section(floor, "steady--problems", indent=2)


class SteadyLines(Widget):
    """A view of one text per :data:`SECTIONS` band, one band under the other; see the module."""

    DEFAULT_CSS = """
    SteadyLines { height: 1; }
    SteadyLines > .steady--problems { color: $text-error; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"steady--problems"}
    SECTIONS: ClassVar[tuple[Section, ...]] = (Section(),)
    # its lines are drawn once per text, not per frame: a mouse selection would not show (terminal selection works)
    ALLOW_SELECT = False
    auto_links = Reactive(False)  # words, never links: Textual's link pass is left out

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        n = len(self.SECTIONS)
        self._texts: list[RenderableType] = [Text()] * n
        self._keys: list[object] = [None] * n
        self._heights = [s.floor for s in self.SECTIONS]
        self._bands: list[list[Strip]] = [[] for _ in range(n)]
        self._lines: list[Strip] = []
        self._width = 0
        self._height = 0  # the height it was given (lines)

    def on_mount(self) -> None:
        self._redraw()

    # -- what it shows --------------------------------------------------------------------------
    def show(self, text: RenderableType, key: object = None, section: int = 0) -> None:
        """Show ``text`` in band ``section``; ``key`` names what it says: the same key again leaves it alone."""
        if key is not None and key == self._keys[section]:
            return
        self._keys[section] = key
        self._texts[section] = text
        if self.is_attached:
            self._bands[section] = self._render_band(section)
            self._draw(only=section)

    def show_messages(self, messages: list[str]) -> None:
        """A row's problems, in its first band (valid: the lines stay, empty, until the view is shown again)."""
        self.show(problem_text(messages))

    def reset_height(self) -> None:
        """Back to the floors (a new visit of the step): the room kept while typing is given back."""
        self._heights = [max(s.floor, len(b)) for s, b in zip(self.SECTIONS, self._bands)]
        if self.is_attached:
            self._draw()

    @property
    def lines(self) -> list[Strip]:
        """The lines it draws, band after band (the problem lines' room included)."""
        return list(self._lines)

    # -- drawing --------------------------------------------------------------------------------
    def _room(self) -> int:
        return self.content_size.width or max(1, self.app.size.width - 2)

    def _render_band(self, section: int) -> list[Strip]:
        band = self.SECTIONS[section]
        style = self.get_visual_style(band.component) if band.component else self.visual_style
        width = max(1, self._room() - band.indent)
        text = self._texts[section]
        if isinstance(text, Text) and not text.plain:
            return []
        strips = self._lines_that_fit(text, width, style.rich_style)
        if strips is None:  # as a Static renders it (Textual's own wrapping and styles)
            strips = Visual.to_strips(self, visualize(self, text, markup=False), width, None, style)
        if band.indent:  # as padding is drawn: the background only
            pad = Strip.blank(band.indent, RichStyle(bgcolor=style.rich_style.bgcolor))
            strips = [Strip.join([pad, s]) for s in strips]
        return strips

    def _lines_that_fit(self, text, width: int, base: RichStyle) -> list[Strip] | None:
        """A text whose every line fits, drawn line by line (what Textual's wrapping pass gives it, at a
        third of the cost: the explanation's seven lines on the key that makes a schedule valid); None
        for anything else, which goes through that pass."""
        styles = self.styles
        if not isinstance(text, Text) or "\t" in text.plain or styles.line_pad or styles.text_align not in (
                "left", "start") or any(cell_len(line) > width for line in text.plain.split("\n")):
            return None
        console = self.app.console
        strips = []
        for line in text.split("\n", allow_blank=True):
            own = base + console.get_style(line.style) if line.style else base
            # (a line without spans renders without its own style: Rich applies that around it)
            strips.append(Strip([Segment(seg.text, base + seg.style if seg.style else own)
                                 for seg in line.render(console)]))
        return strips

    def _draw(self, only: int | None = None) -> None:
        """Lay the bands out one under the other and repaint what changed (``only``: the one band that did)."""
        heights = [max(h, len(b)) for h, b in zip(self._heights, self._bands)]
        width = self._room()
        blank = Strip.blank(width, self.visual_style.rich_style)
        if only is not None and heights == self._heights and width == self._width and self._lines:
            # one band, the same heights: only its lines can differ
            top = sum(heights[:only])
            band = self._bands[only]
            new = band + [blank] * (heights[only] - len(band))
            old = self._lines[top:top + len(new)]
            self._lines[top:top + len(new)] = new
            self._repaint_changed(old, new, top)
            return
        self._heights, self._width = heights, width
        lines: list[Strip] = []
        for band, height in zip(self._bands, heights):
            lines += band + [blank] * (height - len(band))
        old, self._lines = self._lines, lines
        if len(lines) != self._height:
            self._height = len(lines)
            self.styles.height = len(lines)  # taller than any text since shown: what is below moves, once
            self.refresh()
            return
        self._repaint_changed(old, lines, 0)

    def _repaint_changed(self, old: list[Strip], new: list[Strip], top: int) -> None:
        changed = [y for y, (a, b) in enumerate(zip(old, new)) if a != b]
        if changed:  # the lines that differ, and no others
            self.refresh(Region(0, top + changed[0], self.size.width, changed[-1] - changed[0] + 1))

    def render_line(self, y: int) -> Strip:
        try:
            return self._lines[y]
        except IndexError:
            return Strip.blank(self.size.width, self.visual_style.rich_style)

    def _look(self) -> tuple:
        return tuple(self.get_visual_style(s.component) if s.component else self.visual_style
                     for s in self.SECTIONS)

    def _redraw(self) -> None:
        self._drawn_look = self._look()
        self._bands = [self._render_band(i) for i in range(len(self.SECTIONS))]
        self._draw()
        self.refresh()

    _drawn_look: tuple = ()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        # the colours are in the lines drawn: a new theme, or an ancestor's new background, draws them again
        if self.is_mounted and self._look() != self._drawn_look:
            self._redraw()

    def on_resize(self) -> None:
        if self._room() != self._width:  # wrapped at the new width
            self._redraw()
