"""The pure parts of the pickers: a reference as one line and back, URL lines into a folder, the form keeping
what was picked (names stay names) and re-opening it."""

from __future__ import annotations

import pytest

from ips_tui.resolve.refs import from_line, inline
from ips_tui.tui.form import FormState
from ips_tui.tui.pickers.base import label, short_folder
from ips_tui.tui.widgets.handles import into_folder


@pytest.mark.parametrize("item", [
    {"path": "AcmeRetail/spring/1001.jpg"},
    {"search": "AcmeRetail/spring/shoes/men/", "type": "Image", "name_contains": 'say "hi" \\ back'},
    {"search": "", "type": ["Image", "Pdf"], "subfolders": False, "limit": 500},
    {"email": "ops@acme.example"},
    {"name": "Frühling — ñ"},
])
def test_a_reference_survives_one_line(item):
    line = inline(item)
    assert "\n" not in line and line.startswith("{ ")
    assert from_line(line) == item


@pytest.mark.parametrize("text", ["a|101|1001", "{ not toml", "{}x", "  ", "{ = }"])
def test_anything_else_stays_text(text):
    assert from_line(text) == text


def test_the_form_sends_references_and_keeps_handles():
    form = FormState(company="c|101", job_type="exportJob", values={
        "exportJob.assetHandleArray": 'a|101|1001\n{ path = "spring/1001.jpg" }\n\n{ search = "spring/", type = "Image" }',
        "exportJob.fmt": "orig", "exportJob.emailSetting": "Error", "jobName": "by-name",
        "userHandle": '{ email = "solo@sandbox.ips" }',
    })
    data = form.build().data
    assert data["exportJob"]["assetHandleArray"] == [
        "a|101|1001", {"path": "spring/1001.jpg"}, {"search": "spring/", "type": "Image"}]
    assert data["userHandle"] == {"email": "solo@sandbox.ips"}
    assert form.build().lines["exportJob.assetHandleArray"] == [1, 2, 4]
    assert form.build().all_problems() == []  # references are valid values of these fields


def test_a_field_that_takes_no_references_keeps_braces_as_text():
    form = FormState(company="c|101", job_type="exportJob", values={"jobName": '{ name = "x" }'})
    assert form.build().data["jobName"] == '{ name = "x" }'


def test_a_request_with_names_reopens_with_its_names():
    data = {"companyHandle": "c|101", "jobName": "by-name", "userHandle": {"email": "ops@acme.example"},
            "uploadDirectoryJob": {"destFolder": {"path": "AcmeRetail/spring/"}, "serverDir": "x",
                                   "projectHandleArray": ["p|101|1", {"name": "Spring launch"}]}}
    form = FormState.from_request(data)
    assert form.values["userHandle"] == '{ email = "ops@acme.example" }'
    assert form.values["uploadDirectoryJob.destFolder"] == '{ path = "AcmeRetail/spring/" }'
    assert form.values["uploadDirectoryJob.projectHandleArray"] == 'p|101|1\n{ name = "Spring launch" }'
    again = form.build().data
    assert again["userHandle"] == data["userHandle"]
    assert again["uploadDirectoryJob"]["destFolder"] == {"path": "AcmeRetail/spring/"}
    assert again["uploadDirectoryJob"]["projectHandleArray"] == data["uploadDirectoryJob"]["projectHandleArray"]


def test_url_lines_go_into_the_folder():
    text = ("https://x.example/img/1001.jpg\n"
            "https://x.example/img/a.jpg\told/b.jpg\n"
            "\n"
            "https://x.example/img/c.jpg?size=2#top other/d.jpg\n"
            "https://x.example/dir/")
    assert into_folder(text, "AcmeRetail/summer").splitlines() == [
        "https://x.example/img/1001.jpg\tAcmeRetail/summer/1001.jpg",
        "https://x.example/img/a.jpg\tAcmeRetail/summer/b.jpg",
        "",
        "https://x.example/img/c.jpg?size=2#top\tAcmeRetail/summer/d.jpg",
        "https://x.example/dir/\tAcmeRetail/summer/dir",
    ]


def test_words_shown_for_a_pick():
    assert short_folder("AcmeRetail/spring/shoes/") == "spring/shoes/"
    assert short_folder("AcmeRetail/") == "/"
    assert label("1001", "spring/", "a|101|20002") == "1001 · spring/\0a|101|20002"
    assert label("ops@acme.example", "") == "ops@acme.example"
