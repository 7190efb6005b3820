"""The server's zone: from --timezone, the profile, the region of Adobe's host, or the service; else unknown,
never UTC. One function, one way of naming it (IANA name and offset)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from ips_tui.ips.endpoints import region_of
from ips_tui.ips.server_zone import UnknownZone, agrees, reported_zone, server_zone, zone_for_report

NA = "https://s7sps1apissl.scene7.com/scene7/services/IpsApiService"
EMEA_STAGING = "https://s7sps3apissl-staging.scene7.com/scene7/services/IpsApiService"
CUSTOM = "https://ips.example.com/scene7/services/IpsApiService"
WINTER = datetime(2026, 1, 15, 12, tzinfo=timezone.utc)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=timezone.utc)


def test_adobes_hosts_give_their_region_whatever_the_path():
    assert region_of(NA) == ("na", "production")
    assert region_of("https://S7SPS3APISSL-STAGING.scene7.com/other/path") == ("emea", "staging")
    assert region_of(CUSTOM) is None and region_of("not a url") is None and region_of(None) is None


def test_a_custom_url_on_adobes_na_host_is_los_angeles_not_utc():
    # a profile with url = Adobe's NA host and the UTC older versions filled in by themselves
    zone = server_zone(NA, profile_zone="UTC", profile_has_url=True)
    assert (zone.name, zone.source) == ("America/Los_Angeles", "region")
    assert zone.label(WINTER) == "America/Los_Angeles (UTC-08:00)"
    assert zone.label(SUMMER) == "America/Los_Angeles (UTC-07:00)"


def test_an_unknown_host_without_a_word_is_unknown_never_utc():
    zone = server_zone(CUSTOM)
    assert not zone.known and zone.name is None and zone.source == "unknown"
    assert zone.label().startswith("unknown (") and zone.offset() is None
    assert server_zone(CUSTOM, profile_zone="UTC", profile_has_url=True).known is False
    assert json.dumps(zone.to_json()) == '{"name": null, "offset": null, "source": "unknown", "reported": null}'


def test_the_service_tells_where_nothing_else_does():
    zone = server_zone(CUSTOM, reported="PST")
    assert (zone.name, zone.source, zone.reported) == ("America/Los_Angeles", "service", "PST")
    assert server_zone(CUSTOM, reported="Europe/Madrid").name == "Europe/Madrid"


def test_a_configured_zone_the_service_agrees_with_is_kept():
    zone = server_zone(CUSTOM, profile_zone="America/Vancouver", reported="PST")
    assert (zone.name, zone.source) == ("America/Vancouver", "profile")
    assert server_zone(EMEA_STAGING, reported="GMT").source == "region"


def test_the_service_wins_over_a_configured_zone_it_contradicts():
    zone = server_zone(NA, reported="CET")
    assert (zone.name, zone.source) == ("Europe/Berlin", "service")


def test_an_abbreviation_nobody_can_place_keeps_what_is_configured_or_stays_unknown():
    assert server_zone(NA, reported="IST").name == "America/Los_Angeles"
    unknown = server_zone(CUSTOM, reported="IST")
    assert not unknown.known and unknown.label() == "unknown (the service says IST)"


def test_the_option_wins_and_a_bad_one_is_refused_by_name():
    assert server_zone(NA, option="Asia/Tokyo", reported="PST").source == "option"
    with pytest.raises(UnknownZone) as info:
        server_zone(NA, option="Mars/Olympus")
    assert "--timezone" in info.value.message and "Mars/Olympus" in info.value.message


def test_the_profiles_own_zone_comes_before_the_region():
    assert server_zone(NA, profile_zone="America/Phoenix").name == "America/Phoenix"
    # UTC given on purpose for a region profile is the operator's word
    assert server_zone(NA, profile_zone="UTC", profile_has_url=False).name == "UTC"


def test_abbreviations_and_reports():
    assert zone_for_report("pdt") == "America/Los_Angeles" and zone_for_report("XYZ") is None
    assert agrees("America/Los_Angeles", "PDT") and not agrees("America/Los_Angeles", "EST")
    assert reported_zone([{"timeZone": None}, {"timeZone": " PST "}]) == "PST"
    assert reported_zone([]) is None


def test_jobs_text_names_the_zone_and_says_when_it_is_unknown(sandbox, capsys, monkeypatch):
    from ips_tui import cli
    from ips_tui.ips.client import IpsClient

    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    monkeypatch.setenv("TZ", "Europe/Madrid")
    base = ["jobs", "--company", "c|101", "--url", sandbox.url, "--user", sandbox.user]
    assert cli.main(base) == 0  # nothing scheduled: the service says nothing, the host is no Adobe one
    out = capsys.readouterr().out
    assert "Server time zone: unknown" in out and "UTC" not in out.split("\n")[1]
    with IpsClient(sandbox.url, sandbox.user, sandbox.password) as client:
        client.submit_job({"companyHandle": "c|101", "jobName": "nightly", "execSchedule": "0 30 6 ? * MON-FRI",
                           "imageServingPublishJob": {"publishType": "Full", "emailSetting": "Error",
                                                      "contextHandle": "pc|10101"}})
    assert cli.main(base) == 0
    out = capsys.readouterr().out
    assert "Server time zone: America/Los_Angeles (UTC-0" in out and "as the service says" in out
    assert "06:30:00 P" in out and "(server)" in out and "(here)" in out
    assert cli.main(base + ["--timezone", "Asia/Tokyo"]) == 0
    assert "Server time zone: Asia/Tokyo (UTC+09:00) · from --timezone" in capsys.readouterr().out
