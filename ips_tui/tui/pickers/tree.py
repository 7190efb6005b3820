"""The company's folders as a Tree that loads one level at a time: a folder's children are asked for
(``NameSession.children``, one getFolderTree of depth 1) the first time it is opened, in a worker."""

from __future__ import annotations

from textual.widgets import Tree

from ips_tui.i18n import _


class FolderTree(Tree):
    """``node.data`` is the folder's path as the service writes it ("" the root itself); children load on
    open."""

    DEFAULT_CSS = "FolderTree { width: 26; height: 1fr; border-right: solid $panel; }"

    def __init__(self, picker, **kwargs) -> None:
        super().__init__(_("(company root)"), data="", **kwargs)
        self.picker = picker
        self.loaded: set[str] = set()
        self.root_path = ""
        self.show_root = True
        self.guide_depth = 2

    def on_mount(self) -> None:
        self.root.expand()

    def on_tree_node_expanded(self, event: Tree.NodeExpanded) -> None:
        event.stop()
        self.load(event.node)

    def load(self, node) -> None:
        path = node.data
        if path in self.loaded:
            return
        self.loaded.add(path)
        node.set_label(node.label.plain + " …")

        def done(answer) -> None:
            root, children = answer
            if node is self.root:
                self.root_path = root
            node.set_label(root if node is self.root else node.label.plain.removesuffix(" …"))
            for folder in children:
                node.add(folder.name + "/", data=folder.path, allow_expand=folder.has_subfolders)
            if not children:
                node.allow_expand = False

        def failed(error) -> None:
            self.loaded.discard(path)  # opening it again asks again
            node.set_label(node.label.plain.removesuffix(" …"))
            self.picker.show_error(error)

        self.picker.lookup(lambda s: (s.root(), s.children(path)), done, group="tree", failed=failed)
