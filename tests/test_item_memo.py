"""A long URL list is checked item by item from memory (ips_tui.job.item_memo): the answers are the same as
a fresh check's, follow a changed line and the language, and what is remembered is bounded."""

from __future__ import annotations

import pytest

from ips_tui import i18n
from ips_tui.job import item_memo
from ips_tui.job.request import JobRequest


def request(items: list) -> JobRequest:
    return JobRequest({"companyHandle": "c|101", "jobName": "urls",
                       "uploadUrlsJob": {"urlArray": items, "overwrite": True, "readyForPublish": True,
                                         "createMask": False, "emailSetting": "Error"}})


def good(n: int) -> list[dict]:
    return [{"sourceUrl": f"https://img.example/{i}.jpg", "destPath": f"acme/{i}.jpg"} for i in range(n)]


def bad_items() -> list:
    items = good(8)
    items[1] = {"sourceUrl": "file:///etc/passwd", "destPath": "acme/1.jpg"}
    items[3] = {"sourceUrl": "https://img.example/3.jpg", "destPath": "acme/\x073.jpg"}
    items[4] = "not a table"
    items[5] = {"sourceUrl": "https://img.example/5.jpg", "destPath": ["a", "list"]}
    items[6] = {"sourceUrl": "https://img.example/6.jpg", "destPath": "acme/6.jpg", "colour": "red"}
    return items


@pytest.fixture(autouse=True)
def fresh():
    item_memo.forget()
    yield
    item_memo.forget()


def fresh_problems(items: list) -> list:
    item_memo.forget()
    return request(items).validate()


def test_remembered_answers_are_a_fresh_checks_answers():
    items = bad_items()
    expected = fresh_problems(items)
    assert {p.path for p in expected} >= {"uploadUrlsJob.urlArray[1].sourceUrl", "uploadUrlsJob.urlArray[3].destPath",
                                          "uploadUrlsJob.urlArray[4]", "uploadUrlsJob.urlArray[6].colour"}
    assert request(items).validate() == expected  # from memory, same words, same order
    assert request(items).validate() == expected
    # the same items at other places: the paths follow the place
    moved = items[4:] + items[:4]
    assert request(moved).validate() == fresh_problems(moved)


def test_a_changed_line_is_checked_again():
    items = good(50)
    assert request(items).validate() == []
    items[17] = {"sourceUrl": "gopher://img.example/17.jpg", "destPath": "acme/17.jpg"}
    [problem] = request(items).validate()
    assert problem.path == "uploadUrlsJob.urlArray[17].sourceUrl"
    items[17] = {"sourceUrl": "https://img.example/17.jpg", "destPath": "acme/17\x1b.jpg"}
    [problem] = request(items).validate()
    assert problem.path == "uploadUrlsJob.urlArray[17].destPath" and "U+001B" in problem.message


def test_answers_follow_the_language():
    items = bad_items()
    english = request(items).validate()
    i18n.set_language("es")
    try:
        spanish = request(items).validate()
        assert spanish == fresh_problems(items)
    finally:
        i18n.set_language("en")
    assert [p.path for p in spanish] == [p.path for p in english]
    assert [p.message for p in spanish] != [p.message for p in english]


def test_what_is_sent_is_not_shared_with_the_memory():
    items = good(3)
    first = request(items).to_payload()
    first["uploadUrlsJob"]["urlArray"]["items"][0]["destPath"] = "changed"
    data, _problems = request(items).normalised()
    data["uploadUrlsJob"]["urlArray"][1]["destPath"] = "changed too"
    again = request(items).to_payload()
    assert [i["destPath"] for i in again["uploadUrlsJob"]["urlArray"]["items"]] == ["acme/0.jpg", "acme/1.jpg",
                                                                                    "acme/2.jpg"]


def test_what_is_remembered_is_bounded(monkeypatch):
    monkeypatch.setattr(item_memo, "MAX_ITEMS", 100)
    items = bad_items() + good(400)
    expected = fresh_problems(items)
    for _i in range(3):
        assert request(items).validate() == expected
    assert all(len(seen) <= 100 for _f, seen in item_memo._SEEN.values())


def test_a_schedule_check_is_remembered_per_text_and_language():
    """A key in the schedule field asks three times about one text (its check, its explanation, the whole
    request): the answer is worked out once, and its words follow the language."""
    from ips_tui.job.timing import check_schedule

    english = check_schedule("0 61 * * * ?")
    assert not english.ok and check_schedule("0 61 * * * ?") is english
    assert check_schedule("0 1 * * * ?").ok
    i18n.set_language("es")
    try:
        spanish = check_schedule("0 61 * * * ?")
    finally:
        i18n.set_language("en")
    assert not spanish.ok and spanish.error.message != english.error.message


def test_url_lines_split_from_memory_are_split_lines():
    from ips_tui.tui.form import split_url_line, split_url_lines

    lines = ["https://a/1.jpg\tacme/1.jpg", "https://a/2.jpg acme/2.jpg", "https://a/3.jpg", "https://a/1.jpg\tacme/1.jpg"]
    first = split_url_lines(lines)
    again = split_url_lines(lines)
    assert first == again == [split_url_line(line) for line in lines]
    again[0]["destPath"] = "changed"  # each item is its own table: the next split is not changed by it
    assert split_url_lines(lines)[0]["destPath"] == "acme/1.jpg" and first[3]["destPath"] == "acme/1.jpg"
