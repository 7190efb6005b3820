"""Views that keep their height while what they show fits (the timing step's explanation and problem lines,
a list's problem lines): a keystroke that changes the text repaints them alone, instead of laying out the
step."""

from __future__ import annotations

from rich._wrap import divide_line  # what Textual's Content wraps with
from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from ips_tui.tui.widgets.rows import ProblemsView, Words, problem_text


def lines_needed(widget: Static, renderable) -> int:
    """How many lines ``renderable`` takes at the widget's content width, as Textual wraps it."""
    width = widget.content_size.width or max(1, widget.app.size.width - 2)
    styles = widget.styles
    if isinstance(renderable, Text) and "\t" not in renderable.plain and styles.text_wrap == "wrap":
        # Textual's own wrapping (Content._wrap_and_format), counted: a line that fits is one line, a longer
        # one is cut where Rich's divide_line cuts it (a render to measure costs about as much as the
        # repaint that follows)
        room = width - 2 * styles.line_pad
        fold = styles.text_overflow == "fold"
        return sum(1 if cell_len(line) <= room else len(divide_line(line, room, fold=fold)) + 1
                   for line in renderable.plain.split("\n"))
    console = widget.app.console
    return len(console.render_lines(renderable, console.options.update(width=width, height=None), pad=False))


class SteadyHeight:
    """For a Static that keeps its height while what it shows fits: a new text repaints it alone.

    Static.update lays out the whole screen (every row, the bands, the footer) in case the height changed.
    Here the height is the most lines a text has needed since the step was shown (never below ``MIN_LINES``):
    a text that fits (the usual keystroke) repaints this widget only; only a taller one moves what is below,
    once. The room is given back when the step is shown again."""

    MIN_LINES = 1
    _shown_key: object = None

    def show(self, renderable, key: object = None) -> None:
        """Show ``renderable``; ``key`` names what it says: the same key again leaves the widget alone."""
        if key is not None and key == self._shown_key:
            return
        self._shown_key = key
        try:
            lines = max(self.MIN_LINES, lines_needed(self, renderable))
        except Exception:  # measured wrongly at worst: fall back to Textual's own layout
            self.styles.height = "auto"
            self.update(renderable)
            return
        now = self.styles.height
        if now is not None and now.is_cells and now.value >= lines:
            self.update(renderable, layout=False)  # fits: kept as tall as it was, nothing below moves
        else:
            self.styles.height = lines
            self.update(renderable)

    def reset_height(self) -> None:
        """Back to the floor (a new visit of the step): the room kept while typing is given back."""
        now = self.styles.height
        if now is None or not now.is_cells or now.value != self.MIN_LINES:
            self.styles.height = self.MIN_LINES


class SteadyOut(SteadyHeight, Words):
    pass


class SteadyProblems(SteadyHeight, ProblemsView):
    """A field's problem lines, always shown (empty when valid) and never shorter while typing, so a key
    that changes a message, or makes the field valid or not, repaints these lines only."""

    DEFAULT_CSS = """
    SteadyProblems { display: block; height: 1; }
    """
    MIN_LINES = 1

    def show_messages(self, messages: list[str]) -> None:
        # valid: the lines stay, empty, until the step is shown again
        self.show(problem_text(messages))
