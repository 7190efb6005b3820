"""Following jobs from the shell, against the sandbox over real sockets: submit --wait, many files at
once through the journal, jobs, job actions, logs, history, and a killed submit reconciled at restart."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ips_tui import cli
from ips_tui.store.journal import open_journal

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def conn_args(sb):
    return ["--url", sb.url, "--user", sb.user]


def export_job(tmp_path, name, company="c|101") -> Path:
    text = (EXAMPLES / "export-originals.toml").read_text()
    text = text.replace('jobName = "agency-export"', f'jobName = "{name}"')
    path = tmp_path / f"{name}.toml"
    path.write_text(f'companyHandle = "{company}"\n' + text if "companyHandle" not in text else text)
    return path


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture
def fast(sandbox_factory, monkeypatch):
    sb = sandbox_factory(speed=20)  # a run takes well under a second
    monkeypatch.setenv("IPS_PASSWORD", sb.password)
    return sb


def test_example_file_is_an_export_with_a_name(tmp_path):
    path = export_job(tmp_path, "x-1")
    assert 'jobName = "x-1"' in path.read_text() and "exportJob" in path.read_text()


def test_submit_wait_follows_the_job_to_done_and_gives_the_download_link(fast, tmp_path, capsys):
    job = export_job(tmp_path, "wait-export")
    code = cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2"] + conn_args(fast))
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Done: 3 of 3 succeeded" in out
    assert "https://sandbox.invalid/export/wait-export.zip" in out


def test_submit_wait_json_carries_the_final_status(fast, tmp_path, capsys):
    job = export_job(tmp_path, "wait-json")
    code = cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2", "--json"] + conn_args(fast))
    [line] = json_lines(capsys.readouterr().out)
    assert code == 0
    assert line["status"]["phase"] == "done" and line["status"]["progress"] == 100
    assert line["status"]["exportUrls"] == ["https://sandbox.invalid/export/wait-json.zip"]
    assert line["jobHandle"].startswith("j|101|wait-json")


def test_submit_wait_exits_5_when_the_job_is_stopped(sandbox_factory, monkeypatch, tmp_path, capsys):
    sb = sandbox_factory(speed=1)
    monkeypatch.setenv("IPS_PASSWORD", sb.password)
    job = export_job(tmp_path, "to-stop")
    import threading

    def stop_when_running():
        from ips_tui.ips.client import IpsClient

        with IpsClient(sb.url, sb.user, sb.password) as c:
            for _ in range(100):
                runs = c.get_active_jobs("c|101", original_name="to-stop")
                if runs and runs[0]["state"] == "Running":
                    c.stop_job("c|101", runs[0]["jobHandle"])
                    return
                time.sleep(0.1)

    t = threading.Thread(target=stop_when_running)
    t.start()
    code = cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2"] + conn_args(sb))
    t.join()
    assert code == 5
    assert "Stopped" in capsys.readouterr().out


def test_a_hundred_files_in_one_command(sandbox, monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    files = [str(export_job(tmp_path, f"batch-{i:03d}")) for i in range(100)]
    code = cli.main(["submit", *files, "--company", "c|101", "--concurrency", "8", "--json"] + conn_args(sandbox))
    lines = json_lines(capsys.readouterr().out)
    assert code == 0
    handles = [x["jobHandle"] for x in lines]
    assert len(handles) == 100 and len(set(handles)) == 100
    assert sorted(x["file"] for x in lines) == sorted(files)
    sent = [j["jobName"] for j in sandbox.submitted_jobs()]
    assert sorted(sent) == [f"batch-{i:03d}" for i in range(100)]  # each once
    with open_journal() as journal:
        rows = journal.entries(limit=None)
    assert len(rows) == 100 and {r.state for r in rows} == {"submitted"}
    assert {r.handle for r in rows} == set(handles)


def test_a_file_sent_twice_on_purpose_makes_two_jobs(sandbox, monkeypatch, tmp_path, capsys):
    """A rerun of a file whose earlier submission was answered is a new job (a nightly cron)."""
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    job = str(export_job(tmp_path, "nightly"))
    assert cli.main(["submit", job, "--company", "c|101"] + conn_args(sandbox)) == 0
    assert cli.main(["submit", job, "--company", "c|101"] + conn_args(sandbox)) == 0
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["nightly", "nightly"]


def test_jobs_lists_scheduled_with_next_fire_and_actions_work(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    job = str(EXAMPLES / "vendor-ftp-weekdays.toml")
    assert cli.main(["submit", job, "--json"] + conn_args(sandbox)) == 0
    handle = json_lines(capsys.readouterr().out)[0]["jobHandle"]

    assert cli.main(["jobs", "--company", "c|101", "--json"] + conn_args(sandbox)) == 0
    snap = json.loads(capsys.readouterr().out)
    [sched] = [j for j in snap["scheduled"] if j["originalName"] == "vendor-ftp-pickup"]
    assert sched["jobHandle"] == handle and sched["triggerState"] == "Normal" and sched["nextFireTime"]
    assert "uploadDirectoryJob" not in sched  # the echoed request is left out of listings

    assert cli.main(["jobs", "--company", "c|101"] + conn_args(sandbox)) == 0
    text = capsys.readouterr().out
    assert "vendor-ftp-pickup" in text and "(server)" in text and "(here)" in text

    def trigger():
        assert cli.main(["jobs", "--company", "c|101", "--json", "--logs", "0"] + conn_args(sandbox)) == 0
        snap = json.loads(capsys.readouterr().out)
        return [j["triggerState"] for j in snap["scheduled"] if j["jobHandle"] == handle]

    assert cli.main(["job", "pause", handle, "--company", "c|101"] + conn_args(sandbox)) == 0
    capsys.readouterr()
    assert trigger() == ["Paused"]
    assert cli.main(["job", "resume", handle, "--company", "c|101"] + conn_args(sandbox)) == 0
    capsys.readouterr()
    assert trigger() == ["Normal"]
    assert cli.main(["job", "run", handle, "--company", "c|101", "--yes"] + conn_args(sandbox)) == 0
    capsys.readouterr()
    assert cli.main(["jobs", "--company", "c|101", "--json"] + conn_args(sandbox)) == 0
    assert any(j["originalName"] == "vendor-ftp-pickup" for j in json.loads(capsys.readouterr().out)["active"])
    assert cli.main(["job", "delete", handle, "--company", "c|101", "--yes"] + conn_args(sandbox)) == 0
    capsys.readouterr()
    assert trigger() == []


def test_delete_without_a_terminal_needs_yes(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    code = cli.main(["job", "delete", "j|101|x||", "--company", "c|101"] + conn_args(sandbox))
    assert code == 2 and "--yes" in capsys.readouterr().err
    assert not [r for r in sandbox.received if r.operation == "deleteJob"]


def test_job_action_on_an_unknown_handle_is_a_fault_in_words(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    code = cli.main(["job", "stop", "j|101|nothing-here||", "--company", "c|101", "--yes"] + conn_args(sandbox))
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err and "nothing-here" in err


def test_logs_by_name_and_history_save(fast, tmp_path, capsys):
    job = export_job(tmp_path, "for-logs")
    assert cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2"] + conn_args(fast)) == 0
    capsys.readouterr()
    assert cli.main(["logs", "for-logs", "--company", "c|101"] + conn_args(fast)) == 0
    out = capsys.readouterr().out
    assert "download: https://sandbox.invalid/export/for-logs.zip" in out and "ExportSuccess" in out
    assert cli.main(["logs", "for-logs", "--company", "c|101", "--json"] + conn_args(fast)) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["logs"][0]["exportUrls"] == ["https://sandbox.invalid/export/for-logs.zip"]

    assert cli.main(["history", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["state"] == "submitted" and entry["job_name"] == "for-logs" and entry["source"] == str(job)
    saved = tmp_path / "again.toml"
    assert cli.main(["history", str(entry["id"]), "--save", str(saved)]) == 0
    capsys.readouterr()
    assert cli.main(["submit", str(saved), "--dry-run"]) == 0
    assert "for-logs" in capsys.readouterr().out
    before = saved.read_text()
    assert cli.main(["history", str(entry["id"]), "--save", str(saved)]) == 2  # never overwrites
    assert saved.read_text() == before


# --- a submit killed mid-flight ---------------------------------------------------------------


def _cli_env(sb) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    env["IPS_PASSWORD"] = sb.password
    return env


def _wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_killed_after_the_service_received_it_is_reconciled_not_resent(sandbox, tmp_path):
    """The sandbox keeps the job but holds the answer; the client is killed (SIGKILL) meanwhile. The next
    run of the same command finds the job by its name and sends nothing."""
    job = export_job(tmp_path, "killed-midway")
    sandbox.inject("slow_after_receive", operation="submitJob", seconds=30)
    cmd = [sys.executable, "-m", "ips_tui", "submit", str(job), "--company", "c|101", "--json"] + conn_args(sandbox)
    proc = subprocess.Popen(cmd, env=_cli_env(sandbox), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: len(sandbox.submitted_jobs()) == 1), "the sandbox never received the submit"
        with open_journal() as journal:
            [entry] = journal.entries()
        assert entry.state == "sent"  # on disk before the request left
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL

    again = subprocess.run(cmd, env=_cli_env(sandbox), capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    [line] = json_lines(again.stdout)
    assert line["alreadySubmitted"] is True and line["jobHandle"].startswith("j|101||killed-midway_")
    assert "Found on the service" in again.stderr
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["killed-midway"]  # no second submit
    with open_journal() as journal:
        [entry] = journal.entries()
    assert entry.state == "reconciled" and entry.handle == line["jobHandle"]


def test_killed_before_sending_is_marked_not_sent_and_the_retry_sends(sandbox, tmp_path, monkeypatch, capsys):
    """A row left ``pending`` by a dead process was never sent: reconciling says so, a rerun sends it."""
    from ips_tui.follow.submit import Submission
    from ips_tui.job.request import JobRequest

    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    job = export_job(tmp_path, "never-left")
    req = JobRequest.from_toml(job)
    req.data["companyHandle"] = "c|101"
    sub = Submission.from_request(req, req.to_payload(), source=str(job))
    with open_journal() as journal:
        entry = journal.record(sub.request_toml, url=sandbox.url, user=sandbox.user, company="c|101",
                               job_name=sub.job_name)
        gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                              text=True).stdout.strip()
        journal._update(entry.id, owner=f"{socket.gethostname()}:{gone}:1")  # a process that has ended
    assert cli.main(["submit", str(job), "--company", "c|101"] + conn_args(sandbox)) == 0
    captured = capsys.readouterr()
    assert "Never sent" in captured.err and "submitted never-left" in captured.out
    with open_journal() as journal:
        states = [e.state for e in journal.entries()]
    assert states == ["submitted", "failed"]
    assert [j["jobName"] for j in sandbox.submitted_jobs()] == ["never-left"]


def test_submit_wait_draws_a_progress_bar_on_a_terminal(sandbox_factory, tmp_path):
    """On a terminal (stderr is a pty) --wait redraws one bar per job in place until the job ends."""
    import pty

    sb = sandbox_factory(speed=4)
    job = export_job(tmp_path, "with-a-bar")
    cmd = [sys.executable, "-m", "ips_tui", "submit", str(job), "--company", "c|101", "--wait", "--poll", "0.1"]
    leader, follower = pty.openpty()
    proc = subprocess.Popen(cmd + conn_args(sb), env=_cli_env(sb), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=follower, text=True)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the pty closed: the process ended
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=60)
    os.close(leader)
    assert proc.returncode == 0, seen.decode(errors="replace")
    text = seen.decode("utf-8", errors="replace")
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)  # Rich draws the bar: its colours left out
    assert re.search("with-a-bar " + "━" * 24 + " 100% Done: 3 of 3 succeeded", plain), plain[-400:]
    assert "\x1b[2K" in text  # redrawn in place, not a scrolling log
    partial = [line for line in text.replace("\x1b[2K", "\n").splitlines() if "%" in line and "100%" not in line]
    assert partial, "no intermediate progress was drawn"
    assert "Done: 3 of 3 succeeded" in out


def test_wait_timeout_gives_up_with_exit_4_and_says_how_to_follow(sandbox_factory, monkeypatch, tmp_path, capsys):
    sb = sandbox_factory(speed=0)  # a still clock: the job never starts
    monkeypatch.setenv("IPS_PASSWORD", sb.password)
    job = export_job(tmp_path, "never-starts")
    started = time.monotonic()
    code = cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2", "--wait-timeout", "1",
                     "--json"] + conn_args(sb))
    captured = capsys.readouterr()
    assert code == 4 and time.monotonic() - started < 10
    assert "ips-tui jobs" in captured.err
    [line] = json_lines(captured.out)
    assert line["status"]["phase"] == "waiting" and line["jobHandle"].startswith("j|101|never-starts")


def test_jobs_watch_refreshes_until_interrupted(sandbox):
    cmd = [sys.executable, "-m", "ips_tui", "jobs", "--company", "c|101", "--watch", "--every", "0.5", "--json",
           "--logs", "0"] + conn_args(sandbox)
    # a run started in the background by a shell without job control inherits Ctrl+C ignored, and so
    # would the command: it gets the terminal's usual Ctrl+C (a handled signal is reset at exec)
    inherited = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        proc = subprocess.Popen(cmd, env=_cli_env(sandbox), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
    finally:
        signal.signal(signal.SIGINT, inherited)
    docs = []
    try:
        for _ in range(3):
            docs.append(json.loads(proc.stdout.readline()))
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert [d["company"] for d in docs] == ["c|101"] * 3
    assert len({d["takenAt"] for d in docs}) == 3  # three looks, not one printed thrice
    assert len([r for r in sandbox.received if r.operation == "getActiveJobs"]) >= 3


def test_wait_rides_out_a_dropped_connection_or_two(fast, tmp_path, capsys):
    fast.inject("drop", operation="getActiveJobs", times=2)
    job = export_job(tmp_path, "bumpy")
    code = cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2"] + conn_args(fast))
    assert code == 0
    assert "Done: 3 of 3 succeeded" in capsys.readouterr().out
    assert len([r for r in fast.received if r.injected == "drop"]) == 2


def test_wait_gives_up_when_the_service_stays_away(fast, tmp_path, capsys):
    fast.inject("drop", operation="getActiveJobs", times=10)
    job = export_job(tmp_path, "gone")
    code = cli.main(["submit", str(job), "--company", "c|101", "--wait", "--poll", "0.2"] + conn_args(fast))
    assert code == 4
    err = capsys.readouterr().err
    assert "gone.toml" in err and "Traceback" not in err
