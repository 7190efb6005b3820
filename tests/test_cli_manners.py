"""The command line's manners: each command's own usage, unknown commands, labelled dry runs, help for
every positional, and one job file sent to many companies."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ips_tui import cli
from ips_tui.job.per_company import CompanyChoiceError, for_company, label_for, resolve_companies
from ips_tui.store.journal import open_journal
from schemas import reference_problems

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SEED = EXAMPLES / "seed-example.toml"
EXPORT = EXAMPLES / "export-originals.toml"


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ips_tui", *argv], capture_output=True, text=True, timeout=60)


# -- usage -----------------------------------------------------------------------------------------


def test_a_bad_option_prints_the_commands_own_usage():
    done = run("submit", "--bogus", str(SEED))
    assert done.returncode == 2
    assert done.stderr.startswith("usage: ips-tui submit ")
    assert "ips-tui submit: error: unrecognized arguments: --bogus" in done.stderr


def test_a_bad_option_of_a_nested_command_prints_its_usage():
    done = run("profiles", "list", "--frob")
    assert done.returncode == 2
    assert done.stderr.startswith("usage: ips-tui profiles list ")


def test_an_unknown_command_lists_the_commands_and_the_nearest():
    done = run("jbos")
    assert done.returncode == 2
    assert "unrecognized arguments" not in done.stderr
    assert "unknown command 'jbos'" in done.stderr
    for command in sorted(cli.COMMANDS):
        assert command in done.stderr
    assert "Did you mean 'jobs'?" in done.stderr
    assert done.stdout == ""


def test_an_unknown_command_after_connection_options_is_still_named():
    done = run("--url", "http://127.0.0.1:9/", "frob", "--json")
    assert done.returncode == 2 and "unknown command 'frob'" in done.stderr


def _parsers(parser: argparse.ArgumentParser, path=("ips-tui",)):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, path + (name,))


def test_every_positional_of_every_command_has_help():
    missing = [(" ".join(path), a.dest) for path, p in _parsers(cli.build_parser())
               for a in p._actions if not a.option_strings and not isinstance(a, argparse._SubParsersAction)
               and not a.help]
    assert missing == []


# -- dry runs ---------------------------------------------------------------------------------------


def test_a_dry_run_of_several_files_labels_each_envelope(capsys):
    assert cli.main(["submit", str(SEED), str(EXPORT), "--dry-run"]) == 0
    out = capsys.readouterr().out
    parts = out.split("==> ")
    assert parts[0] == ""
    assert [p.split(" <==\n", 1)[0] for p in parts[1:]] == [str(SEED), str(EXPORT)]
    for part in parts[1:]:
        envelope = part.split(" <==\n", 1)[1]
        assert envelope.startswith("<?xml")
        assert reference_problems(envelope.strip().encode()) == []


def test_a_dry_run_of_one_file_is_the_envelope_alone(capsys):
    assert cli.main(["submit", str(SEED), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("<?xml") and "==>" not in out


def test_a_dry_run_without_a_connection_carries_no_credentials(capsys):
    assert cli.main(["submit", str(SEED), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "authHeader" in out and "appName" in out
    assert "<ns1:user>" not in out and "password" not in out


def test_a_dry_run_with_a_connection_masks_the_password(capsys, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", "top-secret-pw")
    assert cli.main(["submit", str(SEED), "--dry-run", "--url", "https://127.0.0.1:9/x", "--user", "a@b.c"]) == 0
    out = capsys.readouterr().out
    assert "a@b.c" in out and "********" in out and "top-secret-pw" not in out


# -- many companies, pure part ----------------------------------------------------------------------


def test_companies_by_handle_and_by_saved_name():
    known = {"Acme Retail": "c|101", "Brio Outdoor": "c|102"}
    got = resolve_companies(["c|101", "brio outdoor", "c|103", "Acme Retail"], known)
    assert [(c.handle, c.label) for c in got] == [("c|101", "Acme-Retail"), ("c|102", "Brio-Outdoor"),
                                                   ("c|103", "c103")]


def test_an_unknown_company_name_is_refused_with_the_names_there_are():
    with pytest.raises(CompanyChoiceError) as info:
        resolve_companies(["Zeta"], {"Acme Retail": "c|101"})
    assert "--company Zeta" in info.value.message and "Acme Retail" in info.value.message
    with pytest.raises(CompanyChoiceError):
        resolve_companies(["Zeta"], None)


def test_a_copy_per_company_says_which_company_it_is_for():
    data = {"companyHandle": "c|999", "jobName": "nightly", "exportJob": {"fmt": "orig"}}
    one = for_company(data, resolve_companies(["c|102"])[0], rename=True)
    assert one == {"companyHandle": "c|102", "jobName": "nightly-c102", "exportJob": {"fmt": "orig"}}
    assert data["companyHandle"] == "c|999"  # the original is left alone
    assert for_company(data, resolve_companies(["c|102"])[0], rename=False)["jobName"] == "nightly"
    assert label_for("c|1/0 1", None) == "c1-0-1"


# -- many companies, against the sandbox -------------------------------------------------------------


def _submit(sandbox, *extra):
    return cli.main(["submit", str(EXPORT), "--company", "c|101", "--company", "c|102", "--company", "c|103",
                     "--url", sandbox.url, "--user", sandbox.user, "--json", *extra])


def test_one_file_three_companies_makes_three_jobs_one_journal_entry_each(capsys, sandbox, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    assert _submit(sandbox) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert sorted((x["company"], x["jobName"]) for x in lines) == [
        ("c|101", "agency-export-c101"), ("c|102", "agency-export-c102"), ("c|103", "agency-export-c103")]
    assert all(x["jobHandle"].startswith("j|") and x["journalId"] for x in lines)
    got = sorted((j["companyHandle"], j["jobName"]) for j in sandbox.submitted_jobs())
    assert got == [("c|101", "agency-export-c101"), ("c|102", "agency-export-c102"),
                   ("c|103", "agency-export-c103")]
    with open_journal() as journal:
        entries = journal.entries()
    assert sorted((e.company, e.job_name, e.state) for e in entries) == [
        ("c|101", "agency-export-c101", "submitted"), ("c|102", "agency-export-c102", "submitted"),
        ("c|103", "agency-export-c103", "submitted")]
    assert {e.id for e in entries} == {x["journalId"] for x in lines}


def test_a_rerun_after_the_answers_were_lost_sends_none_again(capsys, sandbox, monkeypatch):
    """The service makes the three jobs but every answer is cut off; the same command again finds them
    on the service and sends nothing."""
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    sandbox.inject("truncated", operation="submitJob", times=3)
    assert _submit(sandbox) != 0
    capsys.readouterr()
    assert len(sandbox.submitted_jobs()) == 3
    assert _submit(sandbox) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert len(lines) == 3 and all(x.get("alreadySubmitted") for x in lines), lines
    assert len(sandbox.submitted_jobs()) == 3  # not one sent again
    with open_journal() as journal:
        assert sorted(e.state for e in journal.entries()) == ["reconciled"] * 3


def test_saved_company_names_from_the_profile(capsys, sandbox, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    assert cli.main(["profiles", "add", "sb", "--url", sandbox.url, "--user", sandbox.user,
                     "--company", "Acme Retail=c|101", "--company", "Brio Outdoor=c|102"]) == 0
    capsys.readouterr()
    assert cli.main(["submit", str(EXPORT), "--profile", "sb", "--company", "Acme Retail",
                     "--company", "Brio Outdoor", "--json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert sorted(x["jobName"] for x in lines) == ["agency-export-Acme-Retail", "agency-export-Brio-Outdoor"]
    assert cli.main(["submit", str(EXPORT), "--profile", "sb", "--company", "Nope", "--json"]) == 2
    assert "Acme Retail" in capsys.readouterr().err


def test_jobs_takes_a_saved_company_name_too(capsys, sandbox, monkeypatch):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    assert cli.main(["profiles", "add", "sb", "--url", sandbox.url, "--user", sandbox.user,
                     "--company", "Brio Outdoor=c|102"]) == 0
    capsys.readouterr()
    assert cli.main(["jobs", "--profile", "sb", "--company", "brio outdoor", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["company"] == "c|102"
    assert cli.main(["jobs", "--profile", "sb", "--company", "Nope", "--json"]) == 2
    assert "Brio Outdoor" in capsys.readouterr().err
