"""The headless twin end to end: dry runs, real submits to the sandbox, exit codes, schedules."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


from ips_tui import cli
from schemas import reference_problems

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = EXAMPLES / "seed-example.toml"


def test_dry_run_of_the_docs_example_validates_against_reference(capsys, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", "top-secret-pw")
    assert cli.main(["submit", str(SEED), "--dry-run", "--url", "https://127.0.0.1:9/x", "--user", "a@b.c"]) == 0
    out = capsys.readouterr().out
    assert reference_problems(out.encode()) == []
    assert "top-secret-pw" not in out and "********" in out
    assert "<ns0:jobName>My Test Job</ns0:jobName>" in out or "My Test Job" in out


def test_dry_run_needs_no_connection_and_sends_nothing(capsys, sandbox):
    assert cli.main(["submit", str(SEED), "--dry-run"]) == 0
    assert "submitJobParam" in capsys.readouterr().out
    assert sandbox.received == []


def test_submit_json_round_trip(capsys, sandbox, monkeypatch, tmp_path):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    company = sandbox.companies[0]["handle"]
    code = cli.main(["submit", str(EXAMPLES / "export-originals.toml"), str(EXAMPLES / "supplier-urls.toml"),
                     "--company", company, "--url", sandbox.url, "--user", sandbox.user, "--json"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert code == 0, lines
    # one line per file, in the order they were answered (they go out side by side)
    assert sorted(x["jobName"] for x in lines) == ["agency-export", "spring-supplier-images"]
    assert all(x["jobHandle"].startswith("j|") for x in lines)
    got = sandbox.submitted_jobs()
    assert {j["jobName"] for j in got} == {"agency-export", "spring-supplier-images"}


def test_wrong_password_exits_3_with_words(capsys, sandbox, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", "wrong")
    code = cli.main(["submit", str(SEED), "--company", sandbox.companies[0]["handle"],
                     "--url", sandbox.url, "--user", sandbox.user])
    err = capsys.readouterr().err
    assert code == 3
    assert "10001" in err and sandbox.user in err and "Traceback" not in err


def test_wrong_password_json(capsys, sandbox, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", "wrong")
    code = cli.main(["submit", str(SEED), "--company", sandbox.companies[0]["handle"],
                     "--url", sandbox.url, "--user", sandbox.user, "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 3 and out["error"]["kind"] == "authentication" and out["error"]["code"] == 10001


def test_unreachable_service_exits_4(capsys, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", "x")
    code = cli.main(["submit", str(SEED), "--url", "http://127.0.0.1:9/scene7/services/IpsApiService",
                     "--user", "a@b.c", "--timeout", "5"])
    assert code == 4
    assert "127.0.0.1" in capsys.readouterr().err


def test_no_password_without_terminal_is_invalid(capsys, monkeypatch, sandbox):
    monkeypatch.delenv("IPS_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    code = cli.main(["submit", str(SEED), "--url", sandbox.url, "--user", sandbox.user])
    assert code == 2 and "IPS_PASSWORD" in capsys.readouterr().err
    assert sandbox.received == []


def test_schedule_command(capsys):
    code = cli.main(["schedule", "0 30 6 ? * MON-FRI", "--count", "3", "--after", "2026-11-27T12:00:00Z",
                     "--tz", "America/New_York"])
    out = capsys.readouterr().out.split()
    assert code == 0
    assert out == ["2026-11-30T06:30:00-05:00", "2026-12-01T06:30:00-05:00", "2026-12-02T06:30:00-05:00"]


def test_schedule_sunday_is_one(capsys):
    assert cli.main(["schedule", "0 0 9 ? * 1", "--count", "1", "--after", "2026-11-27T00:00:00Z", "--tz", "UTC"]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-29T09:00:00+00:00"  # a Sunday


def test_schedule_invalid_and_unix(capsys):
    assert cli.main(["schedule", "30 6 * * 1-5"]) == 2
    err = capsys.readouterr().err
    assert "0 30 6 ? * MON-FRI" in err
    assert cli.main(["schedule", "0 0 12 ? * 9"]) == 2
    assert "day-of-week" in capsys.readouterr().err


def test_schedule_that_never_fires_again(capsys):
    assert cli.main(["schedule", "0 0 0 1 1 ? 2020", "--after", "2026-01-01T00:00:00Z", "--tz", "UTC"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "never" in captured.err


def test_schedule_bad_zone(capsys):
    assert cli.main(["schedule", "0 0 12 * * ?", "--tz", "Mars/Olympus"]) == 2
    assert "Mars/Olympus" in capsys.readouterr().err


def test_cli_round_trip_between_processes(tmp_path):
    """`ips-tui sandbox --port 0` in one process, `ips-tui submit --json` in another."""
    exe = [sys.executable, "-m", "ips_tui"]
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    server = subprocess.Popen(exe + ["sandbox", "--port", "0"], stdout=subprocess.PIPE, text=True, env=env)
    try:
        info = json.loads(server.stdout.readline())
        job = tmp_path / "job.toml"
        job.write_text(SEED.read_text().replace('"47"', json.dumps(info["companies"][0]["handle"])))
        ok = subprocess.run(exe + ["submit", str(job), "--url", info["url"], "--user", info["user"], "--json"],
                            env=dict(env, IPS_PASSWORD=info["password"]), capture_output=True, text=True, timeout=60)
        assert ok.returncode == 0, ok.stderr
        assert json.loads(ok.stdout)["jobHandle"].startswith("j|")
        bad = subprocess.run(exe + ["submit", str(job), "--url", info["url"], "--user", info["user"], "--json"],
                             env=dict(env, IPS_PASSWORD="nope"), capture_output=True, text=True, timeout=60)
        assert bad.returncode == 3, bad.stderr
        assert "Traceback" not in bad.stderr
    finally:
        server.send_signal(2)
        assert server.wait(timeout=10) == 0
