"""The pickers of the handle fields, driven with keys at 80×24 against the real sandbox: each test asserts on
the submitJob the sandbox received (names picked, handles sent)."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from test_tui_wizard import only_job, submit
from schemas import every_request_matches_adobes_schema  # noqa: F401 (an autouse fixture)
from tui_helpers import make_app, new_job, pick, screen_text, settle, tab_to, type_text

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _fast(monkeypatch):
    from tui_helpers import fast_pilot

    fast_pilot(monkeypatch)


async def open_picker(pilot, app, path: str):
    from ips_tui.tui.pickers.base import Picker

    await tab_to(pilot, app, path)
    await pilot.press("f8")
    await settle(pilot, app)
    assert isinstance(app.screen, Picker), app.screen
    return app.screen


async def searched(pilot, app, picker, words: str) -> None:
    await type_text(pilot, words)
    for _i in range(200):  # the debounce, then the answer
        await pilot.pause(0.02)
        if picker.shown_generation == picker.generation and not picker.search_pending:
            break
    await settle(pilot, app)


async def test_export_of_50_assets_picked_by_a_search(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "exportJob")
        picker = await open_picker(pilot, app, "exportJob.assetHandleArray")
        await searched(pilot, app, picker, "10")
        assert picker.total > 50
        wanted = [a.handle for a in picker.items[:50]]
        await pilot.press("down", *(["space"] * 50))
        await settle(pilot, app)
        assert len(picker.chosen) == 50
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        form = app.screen.form
        lines = form.values["exportJob.assetHandleArray"].splitlines()
        assert len(lines) == 50 and all(line.startswith('{ path = "AcmeRetail/') for line in lines)  # names stay names
        await tab_to(pilot, app, "exportJob.fmt")
        await pick(pilot, 1)  # orig
        await tab_to(pilot, app, "exportJob.emailSetting")
        await pick(pilot, 2)  # Error
        await submit(pilot, app)
    job = only_job(sandbox)["job"]
    assert job["assetHandleArray"] == {"items": wanted}
    assert job["fmt"] == "orig"


async def tree_to(pilot, app, tree, *names: str) -> None:
    """In a focused folder tree: walk down to ``names`` (each opened, its level loaded, on the way)."""
    node = tree.root
    for i, name in enumerate(names):
        for _i in range(200):
            if node.children:
                break
            await pilot.pause(0.02)
        labels = [c.label.plain for c in node.children]
        assert name + "/" in labels, labels
        target = node.children[labels.index(name + "/")]
        while tree.cursor_node is not target:
            await pilot.press("down")
        if i < len(names) - 1:
            await pilot.press("space")  # open it: its children load now
        node = target
    await settle(pilot, app)


async def test_reprocess_of_a_folders_images(sandbox, tmp_path):
    from ips_tui.tui.pickers.tree import FolderTree

    lib = sandbox.catalog.library("c|101")
    men = {a.handle for a in lib.assets if a.folder == "AcmeRetail/spring/shoes/men/" and a.type == "Image"
           and a.trash_state == "NotInTrash"}  # what the search finds (the trash left out)
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "reprocessAssetsJob")
        picker = await open_picker(pilot, app, "reprocessAssetsJob.assetHandleArray")
        await pilot.press("tab")  # the type filter
        await pick(pilot, 1)  # Image
        await pilot.press("tab")  # the tree
        tree = picker.query_one(FolderTree)
        assert app.focused is tree
        await tree_to(pilot, app, tree, "spring", "shoes", "men")
        await pilot.press("enter")  # this folder: the results follow it
        await settle(pilot, app)
        assert picker.folder == "AcmeRetail/spring/shoes/men/" and picker.total == len(men)
        await pilot.press("ctrl+a")  # all results of this search
        await settle(pilot, app)
        line = app.screen.form.values["reprocessAssetsJob.assetHandleArray"]
        assert line == '{ search = "AcmeRetail/spring/shoes/men/", type = "Image" }'  # kept as the search
        assert f"all {len(men)} results of this search" in screen_text(app)
        await tab_to(pilot, app, "reprocessAssetsJob.emailSetting")
        await pick(pilot, 2)  # Error
        await submit(pilot, app)
    sent = only_job(sandbox)["job"]["assetHandleArray"]["items"]
    assert set(sent) == men and len(sent) == len(men) > 300


URLS = "https://supplier.example.com/img/1001.jpg\nhttps://supplier.example.com/img/x.jpg\told/1002.jpg"


async def test_upload_urls_into_a_folder_picked_from_the_tree(sandbox, tmp_path):
    from textual import events

    from ips_tui.tui.pickers.tree import FolderTree

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "uploadUrlsJob")
        app.post_message(events.Paste(URLS))
        await settle(pilot, app)
        picker = await open_picker(pilot, app, "uploadUrlsJob.urlArray")
        tree = picker.query_one(FolderTree)
        assert app.focused is tree
        await tree_to(pilot, app, tree, "summer", "bags")
        await pilot.press("enter")
        await settle(pilot, app)
        await tab_to(pilot, app, "uploadUrlsJob.emailSetting")
        await pick(pilot, 2)  # Error
        await submit(pilot, app)
    assert only_job(sandbox)["job"]["urlArray"] == {"items": [
        {"sourceUrl": "https://supplier.example.com/img/1001.jpg", "destPath": "AcmeRetail/summer/bags/1001.jpg"},
        {"sourceUrl": "https://supplier.example.com/img/x.jpg", "destPath": "AcmeRetail/summer/bags/1002.jpg"},
    ]}


async def test_user_handle_from_an_e_mail(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)  # emailSetting: Error
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        picker = await open_picker(pilot, app, "userHandle")
        assert "may not list the company's users" in screen_text(app)  # an IpsUser: by e-mail
        await type_text(pilot, "companyadmin@sandbox.ips")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is not picker
        assert app.screen.form.values["userHandle"] == '{ email = "companyadmin@sandbox.ips" }'
        await submit(pilot, app)
    assert only_job(sandbox)["userHandle"] == sandbox.directory.user_by_email("companyadmin@sandbox.ips").handle


async def test_an_icc_profile_by_path(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "reprocessAssetsJob")
        await type_text(pilot, "a|101|1001")
        await tab_to(pilot, app, "reprocessAssetsJob.colorManagementOptions")
        await pilot.press("enter")  # open the group
        await settle(pilot, app)
        await tab_to(pilot, app, "reprocessAssetsJob.colorManagementOptions.colorManagement")
        await pick(pilot, 3)  # Convert
        picker = await open_picker(pilot, app, "reprocessAssetsJob.colorManagementOptions.sourceProfileHandle")
        assert picker.type_filter == "IccProfile"  # fixed: this field takes ICC profiles only
        await searched(pilot, app, picker, "FOGRA39")
        assert [a.name for a in picker.items] == ["CoatedFOGRA39"]
        await pilot.press("down", "enter")
        await settle(pilot, app)
        path = "reprocessAssetsJob.colorManagementOptions.sourceProfileHandle"
        assert app.screen.form.values[path] == '{ path = "AcmeRetail/color-profiles/CoatedFOGRA39.icc" }'
        await tab_to(pilot, app, "reprocessAssetsJob.emailSetting")
        await pick(pilot, 2)  # Error
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        envelope = app.screen.query_one("#envelope", TextArea).text  # Review: what will be sent, handles in
        await submit(pilot, app)
    lib = sandbox.catalog.library("c|101")
    sent = only_job(sandbox)["job"]["colorManagementOptions"]["sourceProfileHandle"]
    assert f"<ns0:sourceProfileHandle>{sent}</ns0:sourceProfileHandle>" in envelope, envelope
    assert lib.by_handle[sent].file_name == "CoatedFOGRA39.icc" and lib.by_handle[sent].type == "IccProfile"


async def test_esc_leaves_the_field_as_it_was(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "exportJob")
        await type_text(pilot, "a|101|1001")
        await settle(pilot, app)
        wizard = app.screen
        picker = await open_picker(pilot, app, "exportJob.assetHandleArray")
        await searched(pilot, app, picker, "12")
        await pilot.press("down", "space", "space", "space")
        assert len(picker.chosen) == 3
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is wizard
        assert wizard.form.values["exportJob.assetHandleArray"] == "a|101|1001"
        assert "1 item" in screen_text(app)
    assert not sandbox.submitted_jobs()


async def test_a_stale_search_answer_does_not_overwrite_a_newer_one(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "exportJob")
        picker = await open_picker(pilot, app, "exportJob.assetHandleArray")
        everything = picker.total  # the first answer: no words yet, the whole company
        assert everything > 10_000, (str(picker.query_one("#picker-status").render()), picker.generation, picker.shown_generation)
        sandbox.inject("delay", operation="searchAssets", seconds=1.0)
        await type_text(pilot, "7")  # this search's answer is held back by the sandbox…
        for _i in range(100):
            await pilot.pause(0.02)
            if not picker.search_pending:
                break
        slow = picker.generation
        await pilot.press("backspace")  # …and the words go back to none: answered at once, from the session
        for _i in range(100):
            await pilot.pause(0.02)
            if picker.shown_generation > slow:
                break
        assert picker.shown_generation > slow and picker.total == everything
        await app.workers.wait_for_complete()  # the slow answer arrives now
        await settle(pilot, app)
        assert picker.words == "" and picker.total == everything and picker.shown_generation == picker.generation
        assert len({a.handle for a in picker.items}) == len(picker.items) == 50


async def test_a_pasted_block_of_names_and_paths(sandbox, tmp_path):
    from textual import events

    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "exportJob")
        picker = await open_picker(pilot, app, "exportJob.assetHandleArray")
        await pilot.press("ctrl+l")  # the paste pane
        await settle(pilot, app)
        assert app.focused is picker.query_one("#paste-text")
        app.post_message(events.Paste("spring/1001.jpg\nAcmeRetail/summer/bags/4400.jpg\na|101|20003\n"))
        await settle(pilot, app)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen.form.values["exportJob.assetHandleArray"].splitlines() == [
            '{ path = "spring/1001.jpg" }', '{ path = "AcmeRetail/summer/bags/4400.jpg" }', "a|101|20003"]
        await tab_to(pilot, app, "exportJob.fmt")
        await pick(pilot, 1)
        await tab_to(pilot, app, "exportJob.emailSetting")
        await pick(pilot, 2)
        await submit(pilot, app)
    lib = sandbox.catalog.library("c|101")
    by_path = {a.folder + a.file_name: a.handle for a in lib.assets}
    assert only_job(sandbox)["job"]["assetHandleArray"]["items"] == [
        by_path["AcmeRetail/spring/1001.jpg"], by_path["AcmeRetail/summer/bags/4400.jpg"], "a|101|20003"]


async def test_a_publish_context_from_its_list(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "imageServingPublishJob")
        picker = await open_picker(pilot, app, "imageServingPublishJob.contextHandle")
        names = [e.name for e in picker.entries]
        assert names and all(e.type == "ImageServing" for e in picker.entries)  # this job's kind only
        await pilot.press(*(["down"] * (len(names) - 1)), "enter")  # the last one
        await settle(pilot, app)
        assert app.screen.form.values["imageServingPublishJob.contextHandle"] == f'{{ name = "{names[-1]}" }}'
        await tab_to(pilot, app, "imageServingPublishJob.publishType")
        await pick(pilot, 1)
        await tab_to(pilot, app, "imageServingPublishJob.emailSetting")
        await pick(pilot, 2)
        await submit(pilot, app)
    context = next(e for e in picker.entries if e.name == names[-1])
    assert only_job(sandbox)["job"]["contextHandle"] == context.handle


async def test_projects_from_their_list(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "reprocessAssetsJob")
        await type_text(pilot, "a|101|1001")
        picker = await open_picker(pilot, app, "reprocessAssetsJob.projectHandleArray")
        assert [e.name for e in picker.entries] == ["Spring launch", "Agency export", "Catalog 2027"]
        await pilot.press("space", "down", "space", "enter")  # the first two
        await settle(pilot, app)
        assert app.screen.form.values["reprocessAssetsJob.projectHandleArray"].splitlines() == [
            '{ name = "Spring launch" }', '{ name = "Agency export" }']
        await tab_to(pilot, app, "reprocessAssetsJob.emailSetting")
        await pick(pilot, 2)
        await submit(pilot, app)
    assert only_job(sandbox)["job"]["projectHandleArray"] == {"items": ["p|101|1", "p|101|2"]}


async def test_the_next_page_loads_at_the_end_of_the_list(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "exportJob")
        picker = await open_picker(pilot, app, "exportJob.assetHandleArray")
        assert len(picker.items) == 50 and picker.total > 10_000
        await pilot.press("down", "end")  # to the results, then their end: page 2 is asked for
        await settle(pilot, app)
        assert len(picker.items) == 100 and picker.pages == 2
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        await settle(pilot, app)
        assert len(picker.items) == 150
        handles = [a.handle for a in picker.items]
        assert len(set(handles)) == 150  # each page once, in order
        first = picker.search_query()
        assert [a.handle for a in picker.session_of().search(first, 3, 50).items] == handles[100:]


async def test_an_administrator_picks_the_user_from_the_company(sandbox, tmp_path):
    from dataclasses import replace

    from ips_tui.connection import sandbox_profile
    from ips_tui.tui.pickers.users import UserPicker

    profile = replace(sandbox_profile(sandbox), user="ipsadmin@sandbox.ips")
    app = make_app(sandbox, state_dir=tmp_path, profile=profile, password="sandbox-ipsadmin")
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "optimizeImagesJob")
        await pick(pilot, 2)  # emailSetting: Error
        await pilot.press("ctrl+n")
        await settle(pilot, app)
        picker = await open_picker(pilot, app, "userHandle")
        assert isinstance(picker, UserPicker)
        emails = [m.user.email for m in picker.members]
        assert "companyadmin@sandbox.ips" in emails and "solo@sandbox.ips" not in emails  # c|101's users only
        await pilot.press("tab")  # the list of the company's users
        await pilot.press(*(["down"] * emails.index("companyadmin@sandbox.ips")), "enter")
        await settle(pilot, app)
        assert app.screen.form.values["userHandle"] == '{ email = "companyadmin@sandbox.ips" }'
        await submit(pilot, app)
    assert only_job(sandbox)["userHandle"] == sandbox.directory.user_by_email("companyadmin@sandbox.ips").handle
    assert "getCompanyMembers" in [r.operation for r in sandbox.received]


async def test_a_name_the_service_does_not_know_is_named_and_nothing_is_sent(sandbox, tmp_path):
    app = make_app(sandbox, state_dir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await new_job(pilot, app, "exportJob")
        await type_text(pilot, '{ path = "spring/no-such.jpg" }')
        await tab_to(pilot, app, "exportJob.fmt")
        await pick(pilot, 1)
        await tab_to(pilot, app, "exportJob.emailSetting")
        await pick(pilot, 2)
        await submit(pilot, app)
        said = " ".join(n.message for n in app._notifications)
        assert "exportJob.assetHandleArray[0]" in said and "no asset at AcmeRetail/spring/no-such.jpg" in said, said
        assert app.screen.form.values["exportJob.assetHandleArray"] == '{ path = "spring/no-such.jpg" }'  # kept
    assert not sandbox.submitted_jobs()
    assert "submitJob" not in [r.operation for r in sandbox.received]
