"""The pickers of the handle fields: a modal screen per kind of thing, opened from the field's row (F8 or
its Pick… button), answering with :class:`~ips_tui.tui.pickers.base.Picker.Chosen`.

- assets (``assetHandleArray``), PDFs (``pdfHandleArray``), ICC profiles: :class:`assets.AssetPicker`;
- ``destFolder`` (and the folder of ``urlArray``'s destinations): :class:`lists.FolderPicker` (the tree); projects and publish contexts:
  :class:`lists.ListPicker`; ``userHandle``: :class:`users.UserPicker`.
"""

from __future__ import annotations

from ips_tui.i18n import _


def open_picker(row) -> None:
    """Open the picker of ``row``'s field over the wizard (asking for the password first if need be)."""
    from ips_tui.tui.pickers.session import session_getter
    from ips_tui.tui.widgets.rows import field_label, host_of

    wizard = host_of(row)
    if wizard is None or not hasattr(wizard, "need_password"):
        return
    if not wizard.form.company.strip():
        wizard.notify(_("Choose the company first (Start step)."), severity="warning")
        return
    if not wizard.need_password(lambda: open_picker(row)):
        return
    f = row.help_field
    title = _("Pick for {field}").format(field=field_label(f)) + f"  ({row.path})"
    wizard.app.push_screen(picker_for(row, f, session_getter(wizard), title))


def picker_for(row, f, session_of, title: str):
    from ips_tui.resolve.refs import CONTEXT_TYPES, KIND_TYPES

    kind = f.reference
    if f.kind == "urls":  # urlArray: the folder every URL's file goes to
        from ips_tui.tui.pickers.lists import FolderPicker

        return FolderPicker(row, session_of, title=title, plain=True)
    if kind in ("asset", "pdf", "icc"):
        from ips_tui.tui.pickers.assets import AssetPicker

        return AssetPicker(row, session_of, title=title, fixed_type=KIND_TYPES[kind])
    if kind == "folder":
        from ips_tui.tui.pickers.lists import FolderPicker

        return FolderPicker(row, session_of, title=title)
    if kind == "user":
        from ips_tui.tui.pickers.users import UserPicker

        return UserPicker(row, session_of, title=title)
    from ips_tui.tui.pickers.lists import ListPicker

    return ListPicker(row, session_of, title=title, what=kind, context_type=CONTEXT_TYPES.get(f.owner))
