"""Job files that name assets, folders, users and profiles instead of giving handles, through the CLI to the
sandbox: what the sandbox received, exit 2 naming the item with nothing sent, dry runs, assets and folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ips_tui import cli
from schemas import every_request_matches_adobes_schema, reference_problems  # noqa: F401 (an autouse fixture)

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ACME = "c|101"


@pytest.fixture
def run(sandbox, monkeypatch, capsys):
    monkeypatch.setenv("IPS_PASSWORD", sandbox.password)

    def go(*argv, user=None, password=None):
        if password:
            monkeypatch.setenv("IPS_PASSWORD", password)
        code = cli.main([*argv, "--url", sandbox.url, "--user", user or sandbox.user])
        out = capsys.readouterr()
        return code, out.out, out.err

    return go


def job_file(tmp_path, text: str, name: str = "job.toml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


EXPORT = """companyHandle = "c|101"
jobName = "agency-export-by-name"

[exportJob]
fmt = "orig"
emailSetting = "JobCompletion"
assetHandleArray = [
  "a|101|1001",
  {{ path = "spring/1001.jpg" }},
  {items}
]
"""


def sent(sandbox) -> list[dict]:
    return sandbox.submitted_jobs()


def test_paths_and_a_search_send_the_right_handles(run, sandbox, tmp_path):
    path = job_file(tmp_path, EXPORT.format(items='{ search = "spring/", type = "Image", name_starts_with = "10" }'))
    code, out, err = run("submit", path, "--json")
    assert code == 0, err
    [job] = sent(sandbox)
    handles = job["job"]["assetHandleArray"]["items"]
    # what the sandbox holds under those names, asked independently of the resolver
    lib = sandbox.catalog.library(ACME)
    spring = [a.handle for a in lib.assets if a.folder == "AcmeRetail/spring/" and a.name.startswith("10")
              and a.type == "Image" and a.trash_state == "NotInTrash"]
    assert handles[0] == "a|101|1001"
    assert handles[1] == next(a.handle for a in lib.by_name["1001"] if a.folder == "AcmeRetail/spring/")
    assert set(handles[1:]) == set(spring) and len(handles) == 1 + len(spring)
    assert json.loads(out)["jobHandle"] == job["jobHandle"]


@pytest.mark.parametrize("item,words", [
    ('{ path = "spring/no-such.jpg" }', ["exportJob.assetHandleArray[2]", "no asset at AcmeRetail/spring/no-such.jpg"]),
    ('{ name = "1001" }', ["exportJob.assetHandleArray[2]", "names 3 assets", "AcmeRetail/spring/1001.jpg",
                           "AcmeRetail/archive/2024/spring/1001.jpg", "AcmeRetail/archive/2025/spring/1001.jpg"]),
])
def test_unknown_path_and_ambiguous_name_exit_2_and_send_nothing(run, sandbox, tmp_path, item, words):
    code, out, err = run("submit", job_file(tmp_path, EXPORT.format(items=item)))
    assert code == 2
    for w in words:
        assert w in err
    assert sent(sandbox) == [] and "submitJob" not in {r.operation for r in sandbox.received}


def test_json_error_lists_the_problem_paths(run, sandbox, tmp_path):
    code, out, err = run("submit", job_file(tmp_path, EXPORT.format(items='{ name = "1001" }')), "--json")
    assert code == 2
    error = json.loads(out)["error"]
    assert error["kind"] == "invalid"
    assert [p["path"] for p in error["problems"]] == ["exportJob.assetHandleArray[2]"]


def test_dry_run_without_a_connection_names_the_items_that_need_the_service(capsys, sandbox, tmp_path, monkeypatch):
    monkeypatch.delenv("IPS_PASSWORD", raising=False)
    code = cli.main(["submit", "--dry-run", job_file(tmp_path, EXPORT.format(items='{ name = "1080" }'))])
    err = capsys.readouterr().err
    assert code == 2
    assert "exportJob.assetHandleArray[1]" in err and "exportJob.assetHandleArray[2]" in err
    assert "needs the service" in err and "exportJob.assetHandleArray[0]" not in err
    assert sandbox.received == []


def test_dry_run_with_a_connection_shows_what_became_what(run, sandbox, tmp_path):
    code, out, err = run("submit", "--dry-run", job_file(tmp_path, EXPORT.format(items='{ name = "1080" }')))
    assert code == 0, err
    assert "path spring/1001.jpg → a|101|20002" in err
    assert "name 1080 → a|101|20081" in err
    assert reference_problems(out.encode()) == []
    assert "<ns0:items>a|101|20081</ns0:items>" in out
    assert sent(sandbox) == []  # looked up, not submitted
    code, out, err = run("submit", "--dry-run", "--json", job_file(tmp_path, EXPORT.format(items='{ name = "1080" }')))
    resolved = json.loads(out)["resolved"]
    assert [(r["path"], r["handles"]) for r in resolved] == [
        ("exportJob.assetHandleArray[1]", ["a|101|20002"]), ("exportJob.assetHandleArray[2]", ["a|101|20081"])]


def test_user_handle_from_an_email(run, sandbox, tmp_path):
    path = job_file(tmp_path, EXPORT.format(items="") + '\n', "u.toml")
    text = Path(path).read_text().replace('jobName = "agency-export-by-name"',
                                          'jobName = "for-sol"\nuserHandle = { email = "solo@sandbox.ips" }')
    Path(path).write_text(text.replace("c|101", "c|103").replace('{ path = "spring/1001.jpg" },', ""))
    code, out, err = run("submit", path)
    assert code == 0, err
    [job] = sent(sandbox)
    assert job["userHandle"] == sandbox.directory.user_by_email("solo@sandbox.ips").handle


def test_an_icc_profile_by_path_and_a_folders_images_for_reprocess(run, sandbox, tmp_path):
    path = job_file(tmp_path, """companyHandle = "c|101"
jobName = "fix-colour"

[reprocessAssetsJob]
createMask = false
emailSetting = "Error"
assetHandleArray = [{ search = "spring/bags/", type = "Image", subfolders = false }]

[reprocessAssetsJob.colorManagementOptions]
colorManagement = "Convert"
outputProfileHandle = { path = "color-profiles/CoatedFOGRA39.icc" }
""")
    code, out, err = run("submit", path)
    assert code == 0, err
    [job] = sent(sandbox)
    lib = sandbox.catalog.library(ACME)
    bags = {a.handle for a in lib.assets if a.folder == "AcmeRetail/spring/bags/" and a.trash_state == "NotInTrash"}
    assert set(job["job"]["assetHandleArray"]["items"]) == bags and len(bags) > 300
    profile = job["job"]["colorManagementOptions"]["outputProfileHandle"]
    assert lib.by_handle[profile].file_name == "CoatedFOGRA39.icc" and lib.by_handle[profile].type == "IccProfile"


DIRECTORY = """companyHandle = "c|101"
jobName = "vendor-drop"

[uploadDirectoryJob]
serverDir = "vendor/drop"
destFolder = {{ path = "{folder}" }}
overwrite = true
readyForPublish = true
includeSubfolders = false
createMask = false
processMetadataFiles = false
emailSetting = "Error"
"""


def test_dest_folder_is_checked_against_the_tree(run, sandbox, tmp_path):
    code, out, err = run("submit", job_file(tmp_path, DIRECTORY.format(folder="spring/shoes/men")))
    assert code == 0, err
    assert sent(sandbox)[0]["job"]["destFolder"] == "AcmeRetail/spring/shoes/men/"
    code, out, err = run("submit", job_file(tmp_path, DIRECTORY.format(folder="spring/shoes/mens"), "b.toml"))
    assert code == 2
    assert "uploadDirectoryJob.destFolder: there is no folder AcmeRetail/spring/shoes/mens/" in err
    assert "Did you mean AcmeRetail/spring/shoes/men/?" in err
    assert len(sent(sandbox)) == 1


def test_a_role_that_may_not_look_up_is_told_so(run, sandbox, tmp_path):
    code, out, err = run("submit", job_file(tmp_path, EXPORT.format(items="")), user="webservice@sandbox.ips",
                         password="sandbox-ws")
    assert code == 2
    assert "exportJob.assetHandleArray[1]" in err and "your role may not look this up" in err
    assert sent(sandbox) == []


def test_history_save_keeps_names_or_writes_handles(run, sandbox, tmp_path):
    path = job_file(tmp_path, EXPORT.format(items='{ name = "1080" }'))
    assert run("submit", path)[0] == 0
    plain, resolved = tmp_path / "names.toml", tmp_path / "handles.toml"
    code, out, err = run("history", "1", "--save", str(plain))
    assert code == 0, err
    assert 'path = "spring/1001.jpg"' in plain.read_text()  # names stay names
    code, out, err = run("history", "1", "--save", str(resolved), "--resolved")
    assert code == 0, err
    text = resolved.read_text()
    assert "path =" not in text and "name =" not in text
    assert '"a|101|20002"' in text and '"a|101|20081"' in text
    assert len(sent(sandbox)) == 1  # saving sent nothing
    code, out, err = run("history", "1", "--resolved")
    assert code == 2 and "--save" in err


def test_assets_search_and_folders_json(run, sandbox):
    code, out, err = run("assets", "search", "spring/", "--type", "Image", "--name-starts-with", "10",
                         "--per-page", "10", "--company", ACME, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["total"] == 99 and len(doc["items"]) == 10
    assert all(i["folder"] == "AcmeRetail/spring/" and i["name"].startswith("10") for i in doc["items"])
    code, out, err = run("folders", "spring", "--company", ACME, "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["path"] == "AcmeRetail/spring/"
    assert [f["path"] for f in doc["folders"]] == ["AcmeRetail/spring/apparel/", "AcmeRetail/spring/bags/",
                                                  "AcmeRetail/spring/banners/", "AcmeRetail/spring/shoes/"]
    assert [f["hasSubfolders"] for f in doc["folders"]] == [False, False, False, True]
    code, out, err = run("folders", "nowhere", "--company", ACME)
    assert code == 3 and "nowhere" in err


def test_assets_search_text_is_made_safe(run, sandbox):
    code, out, err = run("assets", "search", "color-profiles/", "--company", ACME)
    assert code == 0
    assert "AcmeRetail/color-profiles/CoatedFOGRA39.icc" in out and "12 of 12 assets" in err


def test_the_names_example_resolves_and_validates(run, sandbox):
    code, out, err = run("submit", "--dry-run", str(EXAMPLES / "names" / "export-by-name.toml"))
    assert code == 0, err
    assert reference_problems(out.encode()) == []
    assert "→" in err


def test_outside_text_is_made_safe_for_the_terminal():
    from ips_tui.cli_assets import safe

    assert safe("AcmeRetail/spring/1001.jpg") == "AcmeRetail/spring/1001.jpg"
    shown = safe("evil\x1b[2J\u202egpj.exe\r")
    assert "\x1b" not in shown and "\u202e" not in shown and "\r" not in shown
    assert shown == "evil\\x1b[2J\\u202egpj.exe\\r"  # the one rule of ips_tui.safe_text


def test_assets_search_all_gives_every_handle(run, sandbox):
    code, out, err = run("assets", "search", "print/", "--type", "Pdf", "--all", "--company", ACME, "--json")
    assert code == 0, err
    doc = json.loads(out)
    lib = sandbox.catalog.library(ACME)
    want = {a.handle for a in lib.assets if a.type == "Pdf" and a.folder.startswith("AcmeRetail/print/")
            and a.trash_state == "NotInTrash"}
    assert doc["total"] == len(want) and {i["handle"] for i in doc["items"]} == want


def test_names_from_the_service_are_printed_safe(run, sandbox, tmp_path):
    """The sandbox holds two assets whose name carries a right-to-left override; the candidates are escaped."""
    code, out, err = run("submit", job_file(tmp_path, EXPORT.format(items='{ name = "invoice-\\u202egpj.exe" }')))
    assert code == 2
    assert "\u202e" not in err
    assert "AcmeRetail/incoming/invoice-\\u202egpj.exe.jpg" in err and "names 2 assets" in err
    assert sent(sandbox) == []


def test_folders_text_one_level_or_all(run, sandbox):
    code, out, err = run("folders", "--company", ACME)
    assert code == 0, err
    lines = out.splitlines()
    assert "AcmeRetail/spring/ +" in lines and "AcmeRetail/color-profiles/" in lines
    assert not any("shoes" in line for line in lines)  # one level only
    code, out, err = run("folders", "archive", "--all", "--company", ACME)
    assert out.splitlines() == ["AcmeRetail/archive/2024/", "AcmeRetail/archive/2024/spring/",
                                "AcmeRetail/archive/2024/spring/shoes/", "AcmeRetail/archive/2025/",
                                "AcmeRetail/archive/2025/spring/"]


def test_assets_search_by_project(run, sandbox):
    code, out, err = run("assets", "search", "--project", "Agency export", "--per-page", "1000", "--company", ACME,
                         "--json")
    assert code == 0, err
    lib = sandbox.catalog.library(ACME)
    want = {a.handle for a in lib.assets if a.project == "p|101|2" and a.trash_state == "NotInTrash"}
    assert {i["handle"] for i in json.loads(out)["items"]} == want and want
    code, out, err = run("assets", "search", "--project", "Nope", "--company", ACME)
    assert code == 2 and "Agency export" in err
