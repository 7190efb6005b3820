"""What the service sends is printed safe: a job name carrying a bidi override, a C1 control or a line break
(all legal in XML) is shown escaped on one line by `ips-tui jobs` and `ips-tui logs`."""

from __future__ import annotations

from ips_tui import cli
from ips_tui.safe_text import visible
from ips_tui.sandbox.raw import Caller

HOSTILE = "evil\u202egnp.exe\u009b2J\nFAKE LINE"
EXPORT = ("<exportJob><assetHandleArray><items>a|101|1001</items></assetHandleArray><fmt>orig</fmt>"
          "<emailSetting>Error</emailSetting></exportJob>")


def test_safe_lines_keeps_the_lines_and_escapes_the_rest():
    assert visible("a\u202eb\nc\x1b[0m", one_line=False) == "a\\u202eb\nc\\x1b[0m"
    assert visible(HOSTILE) == "evil\\u202egnp.exe\\x9b2J\\nFAKE LINE"


def test_jobs_and_logs_print_a_hostile_job_name_escaped(sandbox_factory, capsys, monkeypatch):
    sb = sandbox_factory(speed=0)
    caller = Caller(sb)
    try:
        reply = caller("submitJob", f"<companyHandle>c|101</companyHandle><jobName>{HOSTILE}</jobName>{EXPORT}")
        assert reply.fault is None, reply.fault
    finally:
        caller.close()
    monkeypatch.setenv("IPS_PASSWORD", sb.password)
    assert cli.main(["jobs", "--company", "c|101", "--url", sb.url, "--user", sb.user]) == 0
    out = capsys.readouterr().out
    assert "evil\\u202egnp.exe\\x9b2J\\nFAKE LINE" in out
    assert "\u202e" not in out and "\u009b" not in out
    assert not any(line.startswith("FAKE LINE") for line in out.splitlines())
    assert cli.main(["logs", HOSTILE, "--company", "c|101", "--url", sb.url, "--user", sb.user]) == 0
    out = capsys.readouterr().out
    assert "\u202e" not in out and "evil\\u202egnp.exe" in out
