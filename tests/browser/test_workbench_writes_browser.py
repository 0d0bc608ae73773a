"""The planner's write paths in a real browser (Debian's chromium, 1366×768, Chinese), against
a live server that accepts writes: (a) sign in, home as of 2017-12-31 shows 21/50 deeply poor
villages paired, accept a suggested partner from 中界镇's gap list, home shows 22/50, the
history names the author, revert, 21/50 again; (b) upload a changed workbook, the dry-run
diff shows exactly the changed cells, confirm, revert. Screenshots of every page go to
``tests/screenshots/``; no console error, no request to another host."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest
import uvicorn

from pairnet.api.app import create_app
from pairnet.api.settings import Settings
from pairnet.imports import import_file
from pairnet.loaders.headers import chinese_name
from pairnet.people import Role, add_person
from pairnet.store.store import open_store
from tests.browser.test_maps_browser import SCREENSHOTS, browser  # noqa: F401 - fixture
from tests.browser.test_workbench_browser import _axe_violations
from tests.support.api import SAMPLE
from tests.support.workbench import CHANGED_CELLS, changed_workbook

pytestmark = pytest.mark.browser

DAY = "2017-12-31"
PLANNER = "王规划"


class WritingServer:
    """uvicorn serving a sample store that accepts writes, on a free loopback port."""

    def __init__(self, folder: Path):
        path = folder / "sample.db"
        with open_store(str(path)) as store:
            import_file(store, SAMPLE, source=SAMPLE.name)
            _, self.token = add_person(store, PLANNER, Role.ADMIN)
        self.store_path = str(path)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        settings = Settings(store=str(path), token="wbwrites-browser-test-7c1e9a4f2b6d", session_secret="s" * 40)
        self.server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> WritingServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def server(tmp_path):
    with WritingServer(tmp_path) as running:
        yield running


class Planner:
    """A planner's browser tab: Chinese, 1366×768, every console error and request recorded."""

    def __init__(self, browser, server: WritingServer, name: str):  # noqa: F811
        self.server = server
        self.name = name
        self.context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
        self.shots = 0
        self.inaccessible: list[tuple[str, str, list[str]]] = []

    def open(self, path: str) -> None:
        response = self.page.goto(self.server.url + path)
        assert response is not None and response.status == 200, path

    def shot(self, what: str) -> None:
        self.shots += 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"workbench-{self.name}-{self.shots:02d}-{what}.png"), full_page=True
        )
        # Every page the planner sees: no serious or critical accessibility problem (axe-core).
        self.inaccessible += [(what, v["id"], v["nodes"]) for v in _axe_violations(self.page)]

    def sign_in(self) -> None:
        self.open("/app/signin")
        self.page.fill("#token", self.server.token)
        self.submit()
        assert f"{PLANNER} · 管理员" in self.page.inner_text("header.bar .person")

    def submit(self) -> None:
        """Send the page's write form and wait for the page that answers it."""
        with self.page.expect_navigation():
            self.page.click("main form.write button[type=submit]")
        assert "未写入" not in self.page.inner_text("main h1")

    def deeply_poor(self) -> str:
        self.open(f"/app/?as_of={DAY}")
        return self.page.inner_text("li[data-figure=deeply_poor] .value").replace(" ", "")

    def assert_clean(self) -> None:
        assert self.errors == []
        assert self.inaccessible == []
        foreign = [u for u in self.requests if not u.startswith(self.server.url + "/") and not u.startswith("data:")]
        assert foreign == []


def test_a_planner_accepts_a_suggested_partner_and_reverts_it(browser, server):  # noqa: F811
    planner = Planner(browser, server, "accept")
    try:
        planner.sign_in()
        planner.open(f"/app/pairings/new?as_of={DAY}")
        planner.page.fill("#helper", "中港")  # the picker searches as /units?q= does
        planner.page.wait_for_selector("#helper-units option[value='320582001001']", state="attached")
        planner.shot("add-form")
        assert planner.deeply_poor() == "21/50"
        planner.shot("home")
        planner.open(f"/app/gaps?place=中界镇&poverty=deeply_poor&as_of={DAY}")
        planner.shot("gaps")
        planner.page.click("a.accept[href*='target=520627110201']")
        assert "中港社区" in planner.page.inner_text("main")
        planner.shot("suggestion")
        planner.submit()
        change = planner.page.inner_text("table.change")
        assert "21/50" in change and "22/50" in change
        planner.shot("written")
        assert planner.deeply_poor() == "22/50"
        planner.shot("home-after")
        planner.open("/app/imports")
        first = planner.page.locator("tbody tr").first
        assert PLANNER in first.inner_text() and "accept-suggestion" in first.inner_text()
        planner.shot("history")
        first.locator("a").click()
        planner.page.wait_for_url("**/app/imports/*")
        planner.shot("import")
        planner.submit()
        assert "撤销" in planner.page.inner_text("main p")
        planner.shot("reverted")
        assert planner.deeply_poor() == "21/50"
        planner.assert_clean()
    finally:
        planner.context.close()


def test_a_planner_uploads_a_changed_workbook_sees_the_changed_cells_and_reverts(browser, server, tmp_path):  # noqa: F811
    planner = Planner(browser, server, "upload")
    try:
        planner.sign_in()
        planner.open("/app/imports")
        planner.page.set_input_files("#file", str(changed_workbook(tmp_path / "changed")))
        planner.submit()
        rows = planner.page.locator("table.changed tbody tr").all_inner_texts()
        assert len(rows) == len(CHANGED_CELLS)
        for (_sheet, record_id, column, value), row in zip(
            sorted(CHANGED_CELLS, key=lambda c: c[0] != "units"), rows, strict=True
        ):
            assert record_id in row and chinese_name(column) in row and str(value)[:10] in row
        planner.shot("diff")
        with open_store(server.store_path) as store:
            assert next(u for u in store.snapshot().units if u.id == "320582001001").name == "中港社区"
        planner.submit()
        assert PLANNER in planner.page.inner_text("main")
        planner.shot("imported")
        with open_store(server.store_path) as store:
            assert next(u for u in store.snapshot().units if u.id == "320582001001").name == "中港社区（改）"
        planner.submit()
        assert "撤销" in planner.page.inner_text("main p")
        planner.shot("reverted")
        with open_store(server.store_path) as store:
            assert next(u for u in store.snapshot().units if u.id == "320582001001").name == "中港社区"
        planner.assert_clean()
    finally:
        planner.context.close()
