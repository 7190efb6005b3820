"""Bad job files: exit code 2, every problem named by its field on stderr, and nothing sent."""

from __future__ import annotations

import pytest

from ips_tui import cli

BASE = 'companyHandle = "c|101"\njobName = "t"\n'
ISP = '[imageServingPublishJob]\npublishType = "Full"\nemailSetting = "Error"\n'
URLS = ('[uploadUrlsJob]\noverwrite = true\nreadyForPublish = true\ncreateMask = false\nemailSetting = "Error"\n'
        'urlArray = [{ sourceUrl = "https://e.com/a.jpg", destPath = "a/a.jpg" }]\n')
REPRO = '[reprocessAssetsJob]\nassetHandleArray = ["a|1"]\ncreateMask = false\nemailSetting = "Error"\n'

CASES = [
    ("malformed-toml", BASE + "[imageServingPublishJob\n", "not valid TOML"),
    ("missing-company", 'jobName = "t"\n' + ISP, "companyHandle"),
    ("missing-jobname", 'companyHandle = "c|1"\n' + ISP, "jobName"),
    ("no-job-type", BASE, "no job type"),
    ("two-job-types", BASE + ISP + '[optimizeImagesJob]\nemailSetting = "None"\n', "several job types"),
    ("unknown-top", BASE + 'jobname = "x"\n' + ISP, "jobname: unknown field. Did you mean jobName"),
    ("unknown-job-field", BASE + ISP + 'publishtype = "Full"\n', "imageServingPublishJob.publishtype"),
    ("enum-case", BASE + '[imageServingPublishJob]\npublishType = "full"\nemailSetting = "Error"\n', "Did you mean Full"),
    ("enum-unknown", BASE + '[imageServingPublishJob]\npublishType = "Full"\nemailSetting = "Warning"\n', "imageServingPublishJob.emailSetting"),
    ("missing-required", BASE + '[imageServingPublishJob]\nemailSetting = "Error"\n', "imageServingPublishJob.publishType"),
    ("bool-as-text", BASE + URLS.replace("overwrite = true", 'overwrite = "yes"'), "uploadUrlsJob.overwrite"),
    ("int-as-text", BASE + REPRO + '[reprocessAssetsJob.manualCropOptions]\nleft = "10"\nright = 1\ntop = 1\nbottom = 1\n', "manualCropOptions.left"),
    ("double-range", BASE + REPRO + '[reprocessAssetsJob.autoTransparentCropOptions]\ntolerance = 1.5\n', "autoTransparentCropOptions.tolerance"),
    ("exectime-local", BASE + "execTime = 2030-01-01T02:00:00\n" + ISP, "execTime"),
    ("exectime-text-nozone", BASE + 'execTime = "2030-01-01T02:00:00"\n' + ISP, "execTime"),
    ("exectime-garbage", BASE + 'execTime = "tomorrow at two"\n' + ISP, "execTime"),
    ("exectime-past", BASE + "execTime = 2001-01-01T02:00:00Z\n" + ISP, "in the past"),
    ("time-and-schedule", BASE + 'execTime = 2030-01-01T02:00:00Z\nexecSchedule = "0 0 2 * * ?"\n' + ISP, "cannot both"),
    ("unix-cron", BASE + 'execSchedule = "30 6 * * 1-5"\n' + ISP, "0 30 6 ? * MON-FRI"),
    ("cron-both-days", BASE + 'execSchedule = "0 0 12 * * MON"\n' + ISP, "execSchedule"),
    ("cron-seconds", BASE + 'execSchedule = "60 0 12 * * ?"\n' + ISP, "execSchedule"),
    ("cron-dow", BASE + 'execSchedule = "0 0 12 ? * 8"\n' + ISP, "execSchedule"),
    ("cron-not-text", BASE + "execSchedule = 5\n" + ISP, "execSchedule"),
    ("locale-underscore", BASE + 'locale = "en_US"\n' + ISP, "en-US"),
    ("locale-unknown", BASE + 'locale = "xx"\n' + ISP, "locale"),
    ("urls-missing", BASE + URLS.split("urlArray")[0], "uploadUrlsJob.urlArray"),
    ("url-item-missing", BASE + URLS.replace('}]', '}, { sourceUrl = "https://e.com/b.jpg" }]'), "uploadUrlsJob.urlArray[1].destPath"),
    ("url-not-url", BASE + URLS.replace("https://e.com/a.jpg", "e.com/a.jpg"), "urlArray[0].sourceUrl"),
    ("urls-not-list", BASE + URLS.split("urlArray")[0] + 'urlArray = "https://e.com/a.jpg"\n', "uploadUrlsJob.urlArray"),
    ("handles-empty", BASE + REPRO.replace('["a|1"]', "[]"), "reprocessAssetsJob.assetHandleArray"),
    ("handle-blank", BASE + REPRO.replace('["a|1"]', '["a|1", " "]'), "assetHandleArray[1]"),
    ("two-crops", BASE + REPRO + '[reprocessAssetsJob.manualCropOptions]\nleft = 1\nright = 1\ntop = 1\nbottom = 1\n'
     '[reprocessAssetsJob.autoTransparentCropOptions]\ntolerance = 0.5\n', "only one crop"),
    ("two-followons", BASE + REPRO + '[reprocessAssetsJob.postImageServingPublishJob]\npublishType = "Full"\nemailSetting = "None"\n'
     '[reprocessAssetsJob.postVideoPublishJob]\nemailSetting = "None"\n', "only one follow-on publish"),
    ("nested-unknown", BASE + REPRO + '[reprocessAssetsJob.colorManagementOptions]\ncolourManagement = "Default"\n', "colorManagementOptions.colourManagement"),
    ("nested-enum", BASE + REPRO + '[reprocessAssetsJob.colorManagementOptions]\ncolorManagement = "Keep"\n', "colorManagementOptions.colorManagement"),
    ("jobname-pipe", 'companyHandle = "c|1"\njobName = "a|b"\n' + ISP, "jobName"),
    ("job-not-table", BASE + 'imageServingPublishJob = "Full"\n', "imageServingPublishJob"),
    ("export-no-fmt", BASE + '[exportJob]\nassetHandleArray = ["a|1"]\nemailSetting = "All"\n', "exportJob.fmt"),
    ("sets-no-options", BASE + '[automatedSetGenerationJob]\nassetHandleArray = ["a|1"]\nreadyForPublish = true\nemailSetting = "All"\n',
     "automatedSetGenerationJob.autoSetCreationOptions"),
    ("unsharp-range", BASE + REPRO + "[reprocessAssetsJob.unsharpMaskOptions]\nthreshold = 300\n", "unsharpMaskOptions.threshold"),
    ("rip-no-pdfs", BASE + '[ripPdfsJob]\ncreateMask = false\nemailSetting = "None"\n', "ripPdfsJob.pdfHandleArray"),
    ("company-int", 'companyHandle = 47\njobName = "t"\n' + ISP, "companyHandle"),
    ("description-int", BASE + "description = 5\n" + ISP, "description"),
    ("pdf-process", BASE + REPRO + '[reprocessAssetsJob.pdfOptions]\nprocess = "Render"\n', "pdfOptions.process"),
    ("reprocess-no-mask", BASE + '[reprocessAssetsJob]\nassetHandleArray = ["a|1"]\nemailSetting = "Error"\n', "reprocessAssetsJob.createMask"),
    ("knockout-no-corner", BASE + REPRO + '[reprocessAssetsJob.knockoutBackgroundOptions]\nfillMethod = "FloodFill"\n',
     "knockoutBackgroundOptions.corner"),
    ("int-float", BASE + URLS + "numUrls = 1.5\n", "uploadUrlsJob.numUrls"),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_job_file(tmp_path, capsys, sandbox, name, text, expected, monkeypatch):
    job = tmp_path / f"{name}.toml"
    job.write_text(text)
    before = job.read_bytes()
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)
    code = cli.main(["submit", str(job), "--url", sandbox.url, "--user", sandbox.user])
    err = capsys.readouterr().err
    assert code == 2, err
    assert expected in err
    assert str(job) in err
    assert "Traceback" not in err
    assert sandbox.received == [], "nothing may be sent for an invalid file"
    assert job.read_bytes() == before


def test_there_are_at_least_forty_cases():
    assert len(CASES) >= 40


def test_missing_and_binary_files(tmp_path, capsys):
    missing = tmp_path / "nope.toml"
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert cli.main(["submit", str(missing), "--dry-run"]) == 2
    assert cli.main(["submit", str(binary), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "nope.toml" in err and "bin.toml" in err and "UTF-8" in err


def test_all_problems_reported_at_once(tmp_path, capsys):
    job = tmp_path / "many.toml"
    job.write_text('jobName = "a|b"\nlocale = "en_US"\n[exportJob]\nfmt = "zip"\n')
    assert cli.main(["submit", str(job), "--dry-run"]) == 2
    err = capsys.readouterr().err
    for field in ("companyHandle", "jobName", "locale", "exportJob.fmt", "exportJob.assetHandleArray", "exportJob.emailSetting"):
        assert field in err


def test_the_app_start_builds_no_command_parsers_and_commands_still_parse():
    import subprocess
    import sys

    from ips_tui import cli

    assert not cli.names_a_command(["--sandbox"]) and not cli.names_a_command(["--profile", "p", "--lang", "es"])
    assert cli.names_a_command(["--profile", "p", "jobs"]) and cli.names_a_command(["-h"])
    # what each command module registers is what COMMAND_MODULES says it does
    full = cli.build_parser()
    sub = next(a for a in full._actions if a.dest == "command")
    assert set(sub.choices) == set(cli.COMMANDS)
    light = cli.build_parser(commands=False).parse_args(["--sandbox", "--lang", "en"])
    assert light.sandbox and light.command is None
    code = ("import sys; from ips_tui import cli; cli.build_parser(commands=cli.names_a_command(['--sandbox']));"
            "print(sorted(m for m in sys.modules if m.startswith('ips_tui.cli_') or m.startswith('ips_tui.follow')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_an_invalid_file_is_reported_before_any_password_is_asked_for(tmp_path, capsys, monkeypatch, sandbox):
    """Nothing valid to send: the problems are said, and no password is looked for (none is set here)."""
    import os
    import sys

    from ips_tui import cli

    monkeypatch.delenv("IPS_PASSWORD", raising=False)
    monkeypatch.setattr(sys, "stdin", open(os.devnull))
    bad = tmp_path / "bad.toml"
    bad.write_text('companyHandle = "c|101"\njobName = "x"\n[exportJob]\nfmt = "orig"\n')
    code = cli.main(["submit", str(bad), "--url", sandbox.url, "--user", sandbox.user])
    err = capsys.readouterr().err
    assert code == 2 and "assetHandleArray" in err and "IPS_PASSWORD" not in err
    assert sandbox.received == []
