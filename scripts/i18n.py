"""Keep the gettext catalogues in step with the source (babel's own extractor and updater).

    python scripts/i18n.py extract   # write ips_tui/locale/ips_tui.pot from the source
    python scripts/i18n.py update    # merge the template into every language's .po (new entries empty)
    python scripts/i18n.py compile   # .po -> .mo (./dev and the wheel build do this too)
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ips_tui"
LOCALE_DIR = PACKAGE / "locale"
TEMPLATE = LOCALE_DIR / "ips_tui.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def extract() -> Catalog:
    catalog = Catalog(project="ips-tui", msgid_bugs_address="", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        catalog.add(message, None, [(f"ips_tui/{filename}", lineno)], auto_comments=comments, context=context)
    return catalog


def write_template() -> Catalog:
    catalog = extract()
    with TEMPLATE.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=True)
    return catalog


def update() -> None:
    template = write_template()
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/ips_tui.po")):
        with po_path.open("rb") as f:
            catalog = read_po(f)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path.open("wb") as f:
            write_po(f, catalog, width=100, sort_output=True, ignore_obsolete=True)
        print(po_path)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "update"
    if cmd == "extract":
        print(len(write_template()), "messages")
    elif cmd == "update":
        update()
    elif cmd == "compile":
        sys.path.insert(0, str(ROOT))
        from ips_tui.i18n_build import compile_catalogues

        for p in compile_catalogues():
            print(p)
    else:
        sys.exit(__doc__)
