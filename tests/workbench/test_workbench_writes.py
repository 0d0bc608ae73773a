"""The workbench's writes (issue 16, items 5 and 6): sign-in, accept a suggestion, add and end a
pairing, upload with a dry-run diff, confirm, revert; every refusal says so and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.imports import import_file
from pairnet.people import Role
from pairnet.revert import revert_import
from pairnet.workbench.pending import uploads_folder
from pairnet.workbench.signin import CSRF_COOKIE, SESSION_COOKIE
from tests.support.api import SAMPLE, TOKEN, client_for, tiny_units
from tests.support.pages import parse
from tests.support.workbench import CHANGED_CELLS, changed_workbook, csrf_of, sign_in

DAY = "2017-12-31"
ZHONGJIE = "520627110"
GAP = {"target": "520627110201", "poverty": "deeply_poor", "place": "520627110", "as_of": DAY}


@pytest.fixture
def sample(store):
    import_file(store, SAMPLE, source=SAMPLE.name)
    return store


def accept(client):
    page = client.get("/app/accept", params=GAP)
    assert page.status_code == 200, page.text
    form = {"csrf": csrf_of(page.text), "target": GAP["target"], "helper": "320582001001"}
    form |= {"poverty": "deeply_poor", "within": "520627110", "start": DAY}
    return client.post("/app/accept", params={"place": GAP["place"], "as_of": DAY}, data=form)


def test_sign_in_sets_a_strict_http_only_cookie_and_the_nav_names_the_person(sample):
    client = client_for(sample)
    page = client.get("/app/signin")
    bad = client.post("/app/signin", data={"token": "not-a-token", "csrf": csrf_of(page.text)})
    assert bad.status_code == 401 and "not valid" in bad.text
    sign_in(client, sample, "王规划", Role.EDITOR, ("520627",))
    home = client.get("/app/", headers={"Accept-Language": "zh-CN"})
    assert "王规划 · 编辑" in home.text
    cookies = [c for c in client.cookies.jar if c.name == SESSION_COOKIE]
    assert cookies and cookies[0].has_nonstandard_attr("HttpOnly")
    signin = client.post("/app/signin", data={"token": "x", "csrf": csrf_of(home.text)})
    assert signin.status_code == 401  # a wrong token never signs in, even when one is signed in
    out = client.post("/app/signout", data={"csrf": csrf_of(home.text)}, follow_redirects=False)
    assert out.status_code == 303 and "SameSite=strict" in out.headers["set-cookie"]
    assert "王规划" not in client.get("/app/").text


def test_accepting_a_suggestion_shows_the_coverage_change_and_the_history_its_author(sample):
    client = client_for(sample)
    sign_in(client, sample, "王规划", Role.ADMIN)
    gaps = client.get("/app/gaps", params={"place": "中界镇", "poverty": "deeply_poor", "as_of": DAY})
    assert "/app/accept?" in gaps.text and "target=520627110201" in gaps.text
    written = accept(client)
    assert written.status_code == 200, written.text
    assert "21/50" in written.text and "22/50" in written.text
    history = client.get("/app/imports")
    assert "accept-suggestion" in history.text and "王规划" in history.text
    last = sample.imports()[-1]
    detail = client.get(f"/app/imports/{last.import_id}")
    new_id = next(p.id for p in sample.snapshot().pairings if p.source.file == "accept-suggestion")
    assert new_id in detail.text and "王规划" in detail.text
    assert f"/app/imports/{last.import_id}/revert" in detail.text
    reverted = client.post(
        f"/app/imports/{last.import_id}/revert", data={"csrf": csrf_of(detail.text)}, follow_redirects=False
    )
    assert reverted.status_code == 303
    assert sample.imports()[-1].reverts == last.import_id
    assert new_id not in {p.id for p in sample.snapshot().pairings}


@pytest.mark.parametrize(
    ("who", "status", "says"), [(None, 401, "Sign in"), ("viewer", 403, "viewer"), ("outsider", 403, "scopes")]
)
def test_refused_page_writes_say_so_and_write_nothing(sample, who, status, says):
    client = client_for(sample)
    if who == "viewer":
        sign_in(client, sample, "看看", Role.VIEWER)
    elif who == "outsider":
        sign_in(client, sample, "杨舍", Role.EDITOR, ("320582100",))
    version = sample.version()
    answer = accept(client)
    assert answer.status_code == status and says in answer.text and "Not written" in answer.text
    paired = sample.snapshot().pairings[0]
    page = client.get(f"/app/pairings/{paired.id}/end")
    ended = client.post(f"/app/pairings/{paired.id}/end", data={"csrf": csrf_of(page.text), "end": "2020"})
    assert ended.status_code == status
    assert sample.version() == version


def test_a_form_without_its_csrf_token_writes_nothing(sample):
    client = client_for(sample)
    sign_in(client, sample, "王规划", Role.ADMIN)
    version = sample.version()
    answer = client.post("/app/accept", data={"csrf": "forged", "target": GAP["target"]})
    assert answer.status_code == 403 and "did not come from this site" in answer.text
    assert client.cookies.get(CSRF_COOKIE, path="/app") is not None
    assert sample.version() == version


def test_adding_and_ending_a_pairing_from_the_pages(sample):
    client = client_for(sample)
    sign_in(client, sample, "沿河编辑", Role.EDITOR, ("520627",))
    form = client.get("/app/pairings/new", params={"as_of": DAY})
    assert 'data-picker="helper"' in form.text and "/app/static/picker.js" in form.text
    fields = {"helper": "320582001001", "helped": "沿河县/中界镇/黄家洞村", "level": "village", "start": "2017年3月"}
    bad = client.post("/app/pairings/new", data={"csrf": csrf_of(form.text), **fields, "start": "2017-13-45"})
    assert bad.status_code == 422 and "start" in bad.text
    added = client.post("/app/pairings/new", params={"as_of": DAY}, data={"csrf": csrf_of(form.text), **fields})
    assert added.status_code == 200 and "22/50" in added.text, added.text
    pairing = next(p for p in sample.snapshot().pairings if p.source.file == "add-pairing")
    page = client.get(f"/app/pairings/{pairing.id}/end")
    ended = client.post(
        f"/app/pairings/{pairing.id}/end", params={"as_of": DAY}, data={"csrf": csrf_of(page.text), "end": "2017-06"}
    )
    assert ended.status_code == 200 and "22/50" in ended.text and "21/50" in ended.text
    assert next(p for p in sample.snapshot().pairings if p.id == pairing.id).end.isoformat() == "2017-06-30"


def test_an_upload_shows_the_changed_cells_then_confirm_and_revert(sample, tmp_path):
    client = client_for(sample)
    sign_in(client, sample, "王规划", Role.ADMIN)
    before = sample.snapshot()
    page = client.get("/app/imports")
    path = changed_workbook(tmp_path / "changed")
    with path.open("rb") as handle:
        diff = client.post("/app/imports", data={"csrf": csrf_of(page.text)}, files={"file": (path.name, handle)})
    assert diff.status_code == 200, diff.text
    assert sample.snapshot() == before  # a dry run
    for _sheet, record_id, _column, value in CHANGED_CELLS:
        assert record_id in diff.text and str(value)[:10] in diff.text
    assert diff.text.count('class="old"') == len(CHANGED_CELLS)
    key = diff.text.split('name="key" value="')[1].split('"')[0]
    done = client.post("/app/imports/confirm", data={"csrf": csrf_of(diff.text), "key": key}, follow_redirects=False)
    assert done.status_code == 303
    unit = next(u for u in sample.snapshot().units if u.id == "320582001001")
    assert unit.name == "中港社区（改）"
    detail = client.get(done.headers["location"])
    revert_url = detail.text.split('action="')[-1].split('"')[0].replace("&amp;", "&")
    assert client.post(revert_url, data={"csrf": csrf_of(detail.text)}).status_code == 200
    assert next(u for u in sample.snapshot().units if u.id == "320582001001").name == "中港社区"
    # The same confirmation cannot be used twice.
    again = client.post("/app/imports/confirm", data={"csrf": csrf_of(diff.text), "key": key})
    assert again.status_code == 404


def test_an_invalid_upload_lists_its_problems_by_row_and_column_and_writes_nothing(sample, tmp_path):
    client = client_for(sample)
    sign_in(client, sample, "王规划", Role.ADMIN)
    version = sample.version()
    path = tmp_path / "pairings.csv"
    path.write_text("helper,helped,level,start\n320582001001,无此村,village,2017-13-45\n", encoding="utf-8")
    page = client.get("/app/imports")
    with path.open("rb") as handle:
        answer = client.post("/app/imports", data={"csrf": csrf_of(page.text)}, files={"file": (path.name, handle)})
    assert answer.status_code == 422
    assert "<td>helped</td>" in answer.text and "<td>start</td>" in answer.text
    assert sample.version() == version


def end_links(html: str) -> list[str]:
    """The paths of the "End this pairing" links of a page."""
    return [a.attrs["href"] for a in parse(html).find_all("a") if "end-pairing" in a.attrs.get("class", "").split()]


def test_an_editor_follows_end_this_pairing_from_the_unit_page_and_the_table(sample):
    client = client_for(sample)
    assert end_links(client.get(f"/app/units/{ZHONGJIE}", params={"as_of": DAY}).text) == []  # signed out
    sign_in(client, sample, "高峰村编辑", Role.EDITOR, ("520627110201",))  # a village below: not its pairings
    assert end_links(client.get(f"/app/units/{ZHONGJIE}", params={"as_of": DAY}).text) == []
    assert end_links(client.get("/app/pairings", params={"unit": ZHONGJIE, "as_of": DAY}).text) == []
    client = client_for(sample)
    sign_in(client, sample, "沿河编辑", Role.EDITOR, ("520627",))
    unit_page = client.get(f"/app/units/{ZHONGJIE}", params={"as_of": DAY}).text
    open_ids = {p.id for p in sample.snapshot().pairings if ZHONGJIE in (p.helper_id, p.helped_id) and p.end is None}
    assert open_ids and {link.split("/")[3] for link in end_links(unit_page)} == open_ids
    table = client.get("/app/pairings", params={"unit": ZHONGJIE, "as_of": DAY})
    link = end_links(table.text)[0]
    assert link.split("?")[0] in {f"/app/pairings/{p}/end" for p in open_ids}
    form = client.get(link)
    assert form.status_code == 200
    action = parse(form.text).find("form", class_="write").attrs["action"]
    ended = client.post(action, data={"csrf": csrf_of(form.text), "end": "2025-12-31"})
    assert ended.status_code == 200, ended.text
    pairing_id = link.split("/")[3]
    assert next(p for p in sample.snapshot().pairings if p.id == pairing_id).end == dt.date(2025, 12, 31)
    later = client.get(f"/app/units/{ZHONGJIE}", params={"as_of": "2026-06-30"}).text
    assert pairing_id not in {link.split("/")[3] for link in end_links(later)}  # ended by then: no link


def test_the_unit_page_lists_every_import_that_touched_it_not_only_the_last(sample, tmp_path):
    first = sample.imports()[-1]
    second = import_file(sample, changed_workbook(tmp_path / "changed"), source="changed.xlsx", confirm=True)
    reverted = revert_import(sample, second.summary.import_id, confirm=True, author="王规划")
    import_file(sample, tiny_units(tmp_path), source="tiny.csv")  # touches none of its records
    client = client_for(sample)
    doc = parse(client.get("/app/units/320582001001").text)
    rows = {row.attrs["data-import"]: row for row in doc.find_all("tr") if "data-import" in row.attrs}
    assert set(rows) == {first.import_id, second.summary.import_id, reverted.summary.import_id}
    assert "1 unit" in rows[first.import_id].text and "changed.xlsx" in rows[second.summary.import_id].text
    assert "王规划" in rows[reverted.summary.import_id].text
    link = rows[first.import_id].find("a").attrs["href"]
    assert link.startswith(f"/app/imports/{first.import_id}") and client.get(link).status_code == 200


def test_an_upload_received_by_one_worker_is_confirmed_by_another(sample, tmp_path):
    settings = {"store": sample.uri, "token": TOKEN, "session_secret": "one-secret-for-every-worker-0123456789"}
    first, second = (TestClient(create_app(Settings(**settings))) for _ in range(2))
    sign_in(first, sample, "王规划", Role.ADMIN)
    second.cookies = first.cookies  # one browser: its requests reach either worker
    path = changed_workbook(tmp_path / "changed")
    page = first.get("/app/imports")
    with path.open("rb") as handle:
        diff = first.post("/app/imports", data={"csrf": csrf_of(page.text)}, files={"file": (path.name, handle)})
    assert diff.status_code == 200, diff.text
    key = diff.text.split('name="key" value="')[1].split('"')[0]
    done = second.post("/app/imports/confirm", data={"csrf": csrf_of(diff.text), "key": key}, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert next(u for u in sample.snapshot().units if u.id == "320582001001").name == "中港社区（改）"
    again = first.post("/app/imports/confirm", data={"csrf": csrf_of(diff.text), "key": key})
    assert again.status_code == 404  # taken once, by whichever worker got it first
    assert list(uploads_folder(sample.uri).iterdir()) == []  # nothing left waiting
