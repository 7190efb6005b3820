"""Partial repaints that draw only the widgets under what changed.

When a widget changes, Textual repaints the changed lines, but it asks every widget whose *container*
overlaps the change to render itself whole: a key typed in the schedule field renders the footer, the
status line, the step bar and the step's twenty widgets (each from its cache, about 30 µs apiece) to
keep the one line it needs. :class:`NarrowCompositor` hands that render only the widgets whose visible
part meets one of the changed regions, and of those not the containers whose changed cells are all drawn by
a widget above them (the row, the panel, the step and the screen under an input). Nothing else can land in
a changed region (a widget draws inside its own region and its container's clip, and the one on top wins),
so what reaches the terminal is the same, which ``tests/test_compositor.py`` checks against Textual's own
compositor on real screens.

Textual keeps this in a private class; should a later version no longer have the parts used here, the
narrowing switches itself off and Textual's own rendering is used as it is.
"""

from __future__ import annotations

from textual._compositor import Compositor
from textual.geometry import Region

#: the parts of Textual's compositor this relies on (all present in Textual 8)
_NEEDED = ("_get_renders", "render_partial_update", "visible_widgets", "_visible_widgets", "_dirty_regions")


class NarrowCompositor(Compositor):
    #: False: exactly Textual's compositor (the tests compare the two)
    narrow = True
    _changed: list[Region] | None = None

    def render_partial_update(self):
        self._changed = list(self._dirty_regions)
        try:
            return super().render_partial_update()
        finally:
            self._changed = None

    def _get_renders(self, crop: Region | None = None):
        changed = self._changed
        if not (crop and changed and self.narrow):
            return super()._get_renders(crop)
        every = self.visible_widgets
        intersection = Region.intersection
        contains = Region.contains_region
        under = {}
        above: list[Region] = []  # what the widgets already taken show (the map runs from the top down)
        for widget, (region, clip) in every.items():
            shown = intersection(region, clip)  # what the widget can draw
            parts = [intersection(change, shown) for change in changed if change.overlaps(shown)]
            if not parts:
                continue
            above.append(shown)
            # a container under the input that changed: every changed cell it has is drawn by a widget
            # above it, so its lines would be rendered only to be thrown away
            if all(any(contains(top, part) for top in above[:-1]) for part in parts):
                continue
            under[widget] = (region, clip)
        # Textual's own loop, over the widgets under the change (in the same order); the map is put back
        # at once, unless something rebuilt it meanwhile
        self._visible_widgets = under
        try:
            return list(super()._get_renders(crop))
        finally:
            if self._visible_widgets is under:
                self._visible_widgets = every


NarrowCompositor.narrow = all(hasattr(NarrowCompositor(), name) for name in _NEEDED)


class NarrowRepaints:
    """Mixin for a Screen (before ``Screen`` in the bases): its repaints go through :class:`NarrowCompositor`."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if type(self._compositor) is Compositor:  # still empty: nothing has been laid out yet
            self._compositor = NarrowCompositor()
