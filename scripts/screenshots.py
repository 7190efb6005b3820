"""Write SVG screenshots of the wizard's main steps and the jobs screen into ``screenshots/`` (120×40).

    python scripts/screenshots.py              # English: screenshots/*.svg
    python scripts/screenshots.py --lang es    # Spanish: screenshots/es/*.svg

The app runs headless on an in-process sandbox with a fixed clock and zones, so the pictures only
change when the screens do. The job in the last picture really is submitted to that sandbox.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SIZE = (120, 40)


async def shoot(app, pilot, out: Path, name: str) -> None:
    from tui_helpers import settle, still_cursors

    await settle(pilot, app)
    await still_cursors(pilot, app)
    path = out / f"{name}.svg"
    path.write_text(app.export_screenshot(title=f"ips-tui — {name[3:]}"), encoding="utf-8")
    print(path.relative_to(ROOT))


async def run(out: Path) -> None:
    from textual import events

    from ips_tui.sandbox import Sandbox
    from tui_helpers import SHOWN_URL, make_app, pick, settle, tab_to, type_text

    from tui_helpers import NOW

    with Sandbox(speed=0, clock=NOW) as sandbox:  # a still clock: the jobs screen shows the same runs every time
        jobs_to_follow(sandbox)
        app = make_app(sandbox, drafts=False, display_url=SHOWN_URL)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            await shoot(app, pilot, out, "01-start")
            await pilot.press("ctrl+n", *(["down"] * 6))
            await shoot(app, pilot, out, "02-job-type")
            await pilot.press("enter")  # Upload from URLs
            app.post_message(events.Paste(
                "https://supplier.example.com/img/1001.jpg\tacme/spring/1001.jpg\n"
                "https://supplier.example.com/img/1002.jpg\tacme/spring/1002.jpg\n"
                "supplier.example.com/img/1003.jpg\tacme/spring/1003.jpg\n"))
            await tab_to(pilot, app, "uploadUrlsJob.overwrite")
            await pilot.press("space")
            await tab_to(pilot, app, "uploadUrlsJob.emailSetting")
            await pick(pilot, 2)
            await tab_to(pilot, app, "uploadUrlsJob#follow-on publish")
            await pick(pilot, 1)
            await tab_to(pilot, app, "uploadUrlsJob.postImageServingPublishJob.publishType")
            await pick(pilot, 3)
            await tab_to(pilot, app, "uploadUrlsJob.postImageServingPublishJob.emailSetting")
            await pick(pilot, 2)
            await tab_to(pilot, app, "uploadUrlsJob.urlArray")
            await shoot(app, pilot, out, "03-fields")
            await pilot.press("ctrl+n")
            await tab_to(pilot, app, "jobName")
            await pilot.press("ctrl+u")
            await type_text(pilot, "spring-supplier-images")
            await tab_to(pilot, app, "locale")
            await pilot.press("ctrl+u")
            await type_text(pilot, "es-SP")
            await shoot(app, pilot, out, "04-details")
            await pilot.press("tab", "enter")  # take the suggestion
            await pilot.press("ctrl+n", "down", "down", "enter")
            await type_text(pilot, "0 30 6 ? * MON-FRI")
            await shoot(app, pilot, out, "05-timing")
            await pilot.press("ctrl+r")
            await shoot(app, pilot, out, "06-review-problems")
            # fix what Review lists: Enter on the problem goes to its field, line 3 gets its scheme
            await pilot.press("enter")
            await settle(pilot, app)
            await pilot.press("up", "home")
            await type_text(pilot, "https://")
            await pilot.press("ctrl+r")
            await shoot(app, pilot, out, "07-review")
            await pilot.press("f5")
            await shoot(app, pilot, out, "08-submitted")
            await pilot.press("f3", "1", "down")  # the jobs screen: what runs now (2: what is scheduled, 3: the job logs)
            await settle(pilot, app)
            await shoot(app, pilot, out, "09-jobs")
            await pilot.press("3", "down")  # the finished export's log, with its download link
            await settle(pilot, app)
            await shoot(app, pilot, out, "10-job-log")


def jobs_to_follow(sandbox) -> None:
    """An export that has finished and an optimisation still running, for the jobs screen."""
    from ips_tui.ips.client import IpsClient
    from ips_tui.job.request import JobRequest

    jobs = [
        {"jobName": "agency-export", "exportJob": {"assetHandleArray": ["a|101|1001", "a|101|1002"], "fmt": "orig",
                                                   "emailSetting": "JobCompletion"}},
        {"jobName": "spring-optimize", "optimizeImagesJob": {"emailSetting": "Error"}},
    ]
    with IpsClient(sandbox.url, sandbox.user, sandbox.password) as client:
        for job in jobs:
            client.submit_job(JobRequest({"companyHandle": "c|101", **job}).to_payload(now=sandbox.clock.now()))
            sandbox.clock.advance(12)
    sandbox.clock.advance(-10)  # the optimisation is two seconds in


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="UI language (en, es)")
    args = parser.parse_args(argv)
    from ips_tui import i18n

    lang = i18n.set_language(args.lang)
    out = ROOT / "screenshots" if lang == "en" else ROOT / "screenshots" / lang
    out.mkdir(parents=True, exist_ok=True)
    asyncio.run(run(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
