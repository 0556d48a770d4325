"""Browser tests: the built web app served by a real service process, driven by Debian's
Chromium through Playwright (the browser is never downloaded).

One server with demo data and one browser per test session; each test gets a fresh browser
context (no cookies) with every request to a host other than 127.0.0.1 refused and recorded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from helpers.server_process import ServerProcess
from helpers.worker_process import WorkerProcess
from midcorridor.service.db.engine import Database
from midcorridor.service.demo import DEMO_PASSWORD, DemoResult, seed
from midcorridor.service.migrations import upgrade
from midcorridor.service.settings import Settings
from midcorridor.web import STATIC_DIR, is_built

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = os.environ.get("MIDCORRIDOR_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
    # The network to the outside is cut: every name but loopback fails to resolve.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
ARTIFACTS = ROOT / "artifacts" / "web"


@pytest.fixture(scope="session")
def built_web() -> Path:
    """The built page; built once per session when missing (``make web``)."""
    if not is_built():
        subprocess.run(["make", "-s", "web"], cwd=ROOT, check=True)
    assert is_built(), "the web app did not build"
    return STATIC_DIR


@pytest.fixture(scope="session")
def demo_server(built_web: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[tuple[ServerProcess, DemoResult]]:
    """The service with demo data on a loopback port, and a job worker."""
    path = tmp_path_factory.mktemp("web-demo") / "demo.sqlite"
    url = f"sqlite:///{path}"
    db = Database(Settings(database_url=url))
    upgrade(db.engine)
    with db.write() as session:
        demo = seed(session, now=datetime.now(UTC), shipments=30)
    db.dispose()
    server = ServerProcess(url)
    server.start()
    with WorkerProcess(url, queue="jobs"):  # the crossing optimizer runs as a job
        yield server, demo
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists() and shutil.which("chromium") is None:
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium` (Debian package)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS,
                                     headless=True)
        yield browser
        browser.close()


class Visit:
    """A browser context on the demo server, recording requests that left loopback."""

    def __init__(self, browser: object, base_url: str, name: str) -> None:
        self.context = browser.new_context(base_url=base_url,  # type: ignore[attr-defined]
                                           viewport={"width": 1360, "height": 900})
        self.outside: list[str] = []
        self.console_errors: list[str] = []
        self.context.route("**/*", self._guard)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        self.page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        self.name = name

    def _guard(self, route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()  # type: ignore[attr-defined]
        else:
            self.outside.append(url)
            route.abort()  # type: ignore[attr-defined]

    def sign_in(self, email: str, password: str = DEMO_PASSWORD) -> None:
        page = self.page
        page.goto("/")
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("button", name="Sign out").wait_for()

    def shot(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: object, demo_server: tuple[ServerProcess, DemoResult],
          request: pytest.FixtureRequest) -> Iterator[Visit]:
    name = request.node.name.replace("[", "-").replace("]", "").replace("/", "_")
    v = Visit(browser, demo_server[0].url, name)
    yield v
    v.close()
    assert v.outside == [], f"the page tried to reach outside hosts: {v.outside}"


@pytest.fixture
def demo(demo_server: tuple[ServerProcess, DemoResult]) -> DemoResult:
    return demo_server[1]
