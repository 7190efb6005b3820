"""The server's zone in the TUI is the one ``ips-tui jobs`` names: a sandbox whose server runs on
America/Los_Angeles, reached as a plain ``--url`` (no profile, no zone configured). Before anything is
listed the Start step says the zone is unknown (never UTC); once the scheduled jobs are listed the service's
``timeZone`` names it, and the jobs screen, the Start step and the follow screen show the same zone label and
next-run time as the CLI."""

from __future__ import annotations

import pytest

from ips_tui.ips.client import IpsClient
from ips_tui.job.request import JobRequest
from tui_helpers import LOCAL, NOW, screen_text, settle

COMPANY = "c|101"
SIZE = (120, 40)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


@pytest.fixture
def pacific(sandbox_factory):
    """A sandbox on Los Angeles time whose clock stands still at the tests' instant."""
    return sandbox_factory(speed=0, clock=NOW, zone="America/Los_Angeles")


def schedule_weekday_publish(sb) -> None:
    data = {"companyHandle": COMPANY, "jobName": "weekday-publish", "execSchedule": "0 30 6 ? * MON-FRI",
            "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"}}
    with IpsClient(sb.url, sb.user, sb.password) as client:
        client.submit_job(JobRequest(data).to_payload(now=sb.clock.now()))


def cli_jobs(sb, capsys, monkeypatch) -> tuple[str, str]:
    """(the zone label, the weekday-publish job's next run in the server's zone) as ``ips-tui jobs`` prints them."""
    from ips_tui import cli

    monkeypatch.setenv("IPS_PASSWORD", sb.password)
    assert cli.main(["jobs", "--company", COMPANY, "--url", sb.url, "--user", sb.user, "--logs", "0"]) == 0
    lines = capsys.readouterr().out.splitlines()
    zone = next(line for line in lines if line.startswith("Server time zone: "))
    zone = zone.removeprefix("Server time zone: ").split(" · ")[0]
    at = lines.index(next(line for line in lines if "weekday-publish" in line))
    next_run = lines[at + 1].strip()
    assert next_run.startswith("next: ") and " (server) · " in next_run, lines
    return zone, next_run.removeprefix("next: ").split(" (server)")[0]


def url_app(sb, tmp_path):
    """The app as ``ips-tui --url URL --user USER`` starts it (the password from IPS_PASSWORD)."""
    from ips_tui.tui.app import IpsApp, Options

    options = Options(url=sb.url, user=sb.user, config_dir=str(tmp_path / "config"),
                      state_dir=str(tmp_path / "state"), now=NOW, local_tz=LOCAL, timeout=10.0,
                      env={"IPS_PASSWORD": sb.password})
    app = IpsApp(options)
    app.animation_level = "none"
    return app


async def until(pilot, app, condition, tries: int = 30) -> None:
    for _i in range(tries):
        await settle(pilot, app)
        if condition():
            return
        await pilot.press("ctrl+r")
    raise AssertionError(screen_text(app))


async def test_url_sandbox_zone_and_next_run_match_the_cli(pacific, tmp_path, capsys, monkeypatch):
    from ips_tui.tui.screens.follow import FollowScreen
    from ips_tui.tui.screens.jobs import JobsScreen

    schedule_weekday_publish(pacific)
    zone, next_run = cli_jobs(pacific, capsys, monkeypatch)
    assert zone == "America/Los_Angeles (UTC-08:00)" and "06:30:00 PST" in next_run  # what the CLI says
    app = url_app(pacific, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        start = screen_text(app)
        assert "Server time zone: unknown" in start and "Server time zone: UTC" not in start  # nothing listed yet
        await pilot.press("f3")
        await until(pilot, app, lambda: isinstance(app.screen, JobsScreen) and app.screen.snapshot is not None)
        screen = app.screen
        await pilot.press("2")  # the scheduled tab, its only job selected
        await until(pilot, app, lambda: screen.selected_job("scheduled") is not None)
        text = screen_text(app)
        assert f"server time {zone}" in text, text
        assert f"{next_run} (server) · " in text, text  # the detail panel's next run
        row = screen.query_one("#scheduled").get_row_at(0)
        assert str(row[2]) == next_run[5:16]  # the table's "Next (server)": 11-30 06:30 (the zone in the head)
        job = screen.selected_job("scheduled")
        await pilot.press("escape")  # back on the wizard: the Start step now names the zone the service told
        await settle(pilot, app)
        assert not isinstance(app.screen, JobsScreen)
        assert f"Server time zone: {zone}" in screen_text(app)
        app.push_screen(FollowScreen(app.screen.connection, COMPANY, job["jobHandle"], "weekday-publish", since=NOW,
                                     timed=True))
        await until(pilot, app, lambda: getattr(app.screen, "status", None) is not None)
        assert f"{next_run} (server) · " in screen_text(app), screen_text(app)  # the follow screen: the same


def test_a_time_with_an_unknown_server_zone_says_so_and_is_never_shown_as_utc():
    from datetime import datetime, timezone

    from ips_tui.ips.server_zone import server_zone
    from ips_tui.tui.text import in_both_zones

    at = datetime(2026, 11, 30, 14, 30, tzinfo=timezone.utc)
    unknown = server_zone("https://ips.example.test/ips-api/services/IpsApiService")
    text = in_both_zones(at, unknown, LOCAL)
    assert text == "2026-11-30 15:30:00 CET (here) · server time zone unknown"
    told = server_zone("https://ips.example.test/ips-api/services/IpsApiService", reported="PST")
    assert in_both_zones(at, told, LOCAL).startswith("2026-11-30 06:30:00 PST (server) · ")


def test_a_connection_remembers_the_zone_the_service_reported():
    from ips_tui.connection import Connection
    from ips_tui.ips.server_zone import zone_of_connection

    conn = Connection("https://ips.example.test/ips-api/services/IpsApiService", "u@example.test")
    assert not zone_of_connection(conn).known
    conn.reported_zone = "PST"  # what the jobs screen keeps once a listing carried it
    assert zone_of_connection(conn).label(NOW) == "America/Los_Angeles (UTC-08:00)"
    assert zone_of_connection(conn, reported="CET").name == "Europe/Berlin"  # an explicit report wins
