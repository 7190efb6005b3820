"""Write SVG screenshots of the wizard's pickers into ``screenshots/`` (80×24), as scripts/screenshots.py does
for the steps: headless, on an in-process sandbox, a fixed clock.

    python scripts/screenshots_pickers.py [--lang es] [--print]

picker-assets.svg: the exportJob's assets, a search in a folder with three chosen; picker-tree.svg: the
destination folder from the tree; picker-chosen.svg: the field after the pick (name and folder, the handle
after); picker-user.svg: a user by e-mail.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SIZE = (80, 24)


async def shoot(app, pilot, out: Path, name: str, show: bool) -> None:
    from tui_helpers import screen_text, settle, still_cursors

    await settle(pilot, app)
    await still_cursors(pilot, app)
    path = out / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"ips-tui — {name}"), encoding="utf-8")
    print(path.relative_to(ROOT))
    if show:
        print(screen_text(app))


async def wait_answer(pilot, picker) -> None:
    for _i in range(300):
        await pilot.pause(0.02)
        if picker.shown_generation == picker.generation and not picker.search_pending:
            return


async def run(out: Path, show: bool) -> None:
    from ips_tui.sandbox import Sandbox
    from tui_helpers import NOW, SHOWN_URL, make_app, new_job, pick, settle, tab_to, type_text

    with Sandbox(speed=0, clock=NOW) as sandbox:
        app = make_app(sandbox, drafts=False, display_url=SHOWN_URL)
        async with app.run_test(size=SIZE) as pilot:
            await new_job(pilot, app, "exportJob")
            await pilot.press("f8")
            await settle(pilot, app)
            picker = app.screen
            await wait_answer(pilot, picker)
            await pilot.press("tab")
            await pick(pilot, 1)  # Image
            await pilot.press("tab")
            tree = picker.query_one("#tree")
            for name in ("spring/",):
                for _i in range(200):
                    if tree.root.children:
                        break
                    await pilot.pause(0.02)
                target = next(c for c in tree.root.children if c.label.plain == name)
                while tree.cursor_node is not target:
                    await pilot.press("down")
                await pilot.press("enter")
            await settle(pilot, app)
            await wait_answer(pilot, picker)
            await pilot.press("ctrl+f")
            await type_text(pilot, "10")
            await wait_answer(pilot, picker)
            await pilot.press("down", "space", "space", "down", "space")
            await shoot(app, pilot, out, "picker-assets", show)
            await pilot.press("ctrl+s")
            await settle(pilot, app)
            await shoot(app, pilot, out, "picker-chosen", show)
            await pilot.press("ctrl+n")  # Details: the user
            await settle(pilot, app)
            await tab_to(pilot, app, "userHandle")
            await pilot.press("f8")
            await settle(pilot, app)
            await type_text(pilot, "companyadmin@sandbox.ips")
            await shoot(app, pilot, out, "picker-user", show)
            await pilot.press("escape")
            await settle(pilot, app)
            await pilot.press("ctrl+p")  # back to the job type, via the palette's step list, is long: start anew
        app = make_app(sandbox, drafts=False, display_url=SHOWN_URL)
        async with app.run_test(size=SIZE) as pilot:
            await new_job(pilot, app, "uploadDirectoryJob")
            await tab_to(pilot, app, "uploadDirectoryJob.destFolder")
            await pilot.press("f8")
            await settle(pilot, app)
            tree = app.screen.query_one("#tree")
            for _i in range(200):
                if tree.root.children:
                    break
                await pilot.pause(0.02)
            target = next(c for c in tree.root.children if c.label.plain == "spring/")
            while tree.cursor_node is not target:
                await pilot.press("down")
            await pilot.press("space")
            await settle(pilot, app)
            await pilot.press("down", "down")
            await shoot(app, pilot, out, "picker-tree", show)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="UI language (en, es)")
    parser.add_argument("--print", action="store_true", help="also print each screen as text")
    args = parser.parse_args(argv)
    from ips_tui import i18n

    lang = i18n.set_language(args.lang)
    out = ROOT / "screenshots" if lang == "en" else ROOT / "screenshots" / lang
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(run(out, args.print))
    return 0


if __name__ == "__main__":
    sys.exit(main())
