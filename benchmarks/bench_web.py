"""Web app benchmark: bundle size, time to interactive and the map's frame time while panning.

Everything runs on loopback: a real service process on SQLite with demo data, Debian's
Chromium headless through Playwright. Each figure is the median of repeated runs and is
compared with a named baseline measured in the same run:

* bundle: the page's JavaScript and CSS (raw and gzip) against Swagger UI's bundle, which the
  service also serves;
* time to interactive: from navigation until the map page has drawn the network and its
  controls answer, against Swagger UI's page on the same server until its title shows;
* frame time: rAF intervals while the mouse drags the map for 2 s, as a coordinator (ports
  and vessels drawn) with 1,000 shipments in the database, against the same drag on the same
  map with no shipments.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # helpers

from helpers.server_process import ServerProcess  # noqa: E402
from midcorridor.service.db.engine import Database  # noqa: E402
from midcorridor.service.demo import DEMO_PASSWORD, DemoResult, seed  # noqa: E402
from midcorridor.service.migrations import upgrade  # noqa: E402
from midcorridor.service.settings import Settings  # noqa: E402
from midcorridor.web import STATIC_DIR, is_built  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
console = Console()

_FRAMES = """async (ms) => {
  const times = [];
  let running = true;
  const tick = (t) => { times.push(t); if (running) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  await new Promise((r) => setTimeout(r, ms));
  running = false;
  const d = []; for (let i = 1; i < times.length; i++) d.push(times[i] - times[i - 1]);
  return d;
}"""


def _kb(n: int) -> str:
    return f"{n / 1024:,.0f} kB"


def bundle() -> list[tuple[str, str, str, str]]:
    assets = STATIC_DIR / "assets"
    own = [p for p in assets.iterdir() if p.suffix in (".js", ".css")]
    raw = sum(p.stat().st_size for p in own)
    gz = sum(len(gzip.compress(p.read_bytes())) for p in own)
    swagger = assets / "vendor" / "swagger-ui" / "swagger-ui-bundle.js"
    s_raw, s_gz = swagger.stat().st_size, len(gzip.compress(swagger.read_bytes()))
    basemap = next(assets.glob("countries-*.json"))
    b_gz = len(gzip.compress(basemap.read_bytes()))
    return [
        ("page JS + CSS", _kb(raw), _kb(gz), f"{gz / s_gz:.2f} x Swagger UI"),
        ("Swagger UI bundle (baseline)", _kb(s_raw), _kb(s_gz), "1.00"),
        ("basemap (Natural Earth 1:50m)", _kb(basemap.stat().st_size), _kb(b_gz), "fetched once"),
    ]


def _server(shipments: int, tmp: Path) -> tuple[ServerProcess, DemoResult]:
    url = f"sqlite:///{tmp}/bench-{shipments}.sqlite"
    db = Database(Settings(database_url=url))
    upgrade(db.engine)
    with db.write() as session:
        demo = seed(session, now=datetime.now(UTC), shipments=shipments)
    db.dispose()
    server = ServerProcess(url)
    server.start()
    return server, demo


def _signed_in(browser: Any, server: ServerProcess, email: str) -> Any:
    context = browser.new_context(base_url=server.url, viewport={"width": 1360, "height": 900})
    r = context.request.post("/auth/signin", data={"email": email, "password": DEMO_PASSWORD})
    assert r.ok, r.text()
    return context


def _tti(browser: Any, server: ServerProcess, email: str, runs: int) -> tuple[float, float]:
    page_ms, docs_ms = [], []
    for _ in range(runs):
        context = _signed_in(browser, server, email)
        page = context.new_page()
        started = time.perf_counter()
        page.goto("/#/map")
        page.locator("aside .muted", has_text="places").wait_for()
        page.locator("#scenarios input").first.click(trial=True)
        page_ms.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        page.goto("/docs")
        page.locator(".swagger-ui .info .title").wait_for()
        docs_ms.append(1000 * (time.perf_counter() - started))
        context.close()
    return statistics.median(page_ms), statistics.median(docs_ms)


def _frames(browser: Any, server: ServerProcess, email: str, runs: int) -> tuple[float, float]:
    medians, p95s = [], []
    for _ in range(runs):
        context = _signed_in(browser, server, email)
        page = context.new_page()
        page.goto("/#/map")
        page.locator("aside .muted", has_text="places").wait_for()
        page.wait_for_load_state("networkidle")
        box = page.locator("#corridor-map").bounding_box()
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        frames = page.evaluate_handle(_FRAMES, 2000)
        page.mouse.move(x, y)
        page.mouse.down()
        for i in range(80):
            dx = 150 * (1 if (i // 20) % 2 == 0 else -1)
            page.mouse.move(x + dx * ((i % 20) / 20), y, steps=1)
            page.wait_for_timeout(20)
        page.mouse.up()
        deltas = sorted(frames.json_value())
        medians.append(statistics.median(deltas))
        p95s.append(deltas[int(0.95 * (len(deltas) - 1))])
        context.close()
    return statistics.median(medians), statistics.median(p95s)


def run(quick: bool = False) -> None:
    if not is_built():
        console.print("the web app is not built: run `make web` first")
        return
    from playwright.sync_api import sync_playwright

    runs = 3 if quick else 5
    table = Table(title="Web app: bundle size")
    for col in ("asset", "raw", "gzip", "against baseline"):
        table.add_column(col)
    for row in bundle():
        table.add_row(*row)
    console.print(table)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        small, demo = _server(12, Path(tmp))
        try:
            email = demo.users["coordinator"][0]
            page_ms, docs_ms = _tti(browser, small, email, runs)
            empty = _frames(browser, small, email, runs)
        finally:
            small.stop()
        big, demo_big = _server(1000, Path(tmp))
        try:
            loaded = _frames(browser, big, demo_big.users["coordinator"][0], runs)
        finally:
            big.stop()
        browser.close()
    tti = Table(title=f"Web app on loopback (median of {runs})")
    for col in ("measure", "value", "baseline", "ratio"):
        tti.add_column(col)
    tti.add_row("time to interactive: map page (12 demo shipments)", f"{page_ms:,.0f} ms",
                f"Swagger UI page {docs_ms:,.0f} ms", f"{page_ms / docs_ms:.2f}")
    tti.add_row("map frame time while panning, median (1,000 shipments)",
                f"{loaded[0]:.1f} ms", f"12 shipments {empty[0]:.1f} ms",
                f"{loaded[0] / empty[0]:.2f}")
    tti.add_row("map frame time while panning, p95 (1,000 shipments)",
                f"{loaded[1]:.1f} ms", f"12 shipments {empty[1]:.1f} ms",
                f"{loaded[1] / empty[1]:.2f}")
    console.print(tti)
