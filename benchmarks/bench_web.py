"""Web app benchmark: bundle size, time to interactive and the map's frame time while panning.

Everything runs on loopback: a real service process on SQLite with demo data, Debian's
Chromium headless through Playwright. Each figure is the median of repeated runs and is
compared with a named baseline measured in the same run:

* bundle: the page's JavaScript and CSS (raw and gzip) against Swagger UI's bundle, which the
  service also serves;
* time to interactive: from navigation until the map page has drawn the network and its
  controls answer, against Swagger UI's page on the same server until its title shows;
* frame time: rAF intervals while the mouse drags the map for 2 s, as the admin (every
  shipment that has not arrived, the Caspian ports and the vessels drawn on one canvas), with
  1,000 demo shipments and 100 vessels, against the same drag with 12 demo shipments and the
  data set's own vessels. The 100 vessels are the data set's fleet and a benchmark-only
  service of made-up container ships (a data folder beside the packaged data set), each
  placed by one arrival event at Aktau or Alat.
"""

from __future__ import annotations

import gzip
import itertools
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))  # helpers

from helpers.server_process import ServerProcess  # noqa: E402
from midcorridor.live.fleet import dataset_fleet  # noqa: E402
from midcorridor.network import load_network  # noqa: E402
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


VESSELS = 100
DEMO_SHIPMENTS = 12
_BENCH_SERVICE = """services:
- id: BENCH-AKTAU-ALAT
  name: Benchmark container line (made up)
  operator: benchmark
  kind: container_ship
  route: [KZAAU, AZALT]
  bidirectional: true
  headway_h: {{value: 24, source: 'assumption: benchmark load only, not a real service'}}
  crossing_h: {{min: 20, typ: 22, max: 24, source: 'assumption: as the Aktau-Alat feeders'}}
  vessels:
{vessels}
"""


def _fleet_folder(tmp: Path, extra: int) -> Path:
    """A data folder adding ``extra`` made-up container ships to the packaged data set."""
    folder = tmp / "bench-data"
    folder.mkdir(exist_ok=True)
    vessels = "\n".join(
        f"  - {{name: Bench ship {i + 1:03d}, kind: container_ship, "
        f"teu: {{value: 300, source: 'assumption: benchmark load only'}}}}"
        for i in range(extra))
    (folder / "services.yaml").write_text(_BENCH_SERVICE.format(vessels=vessels),
                                          encoding="utf-8")
    return folder


def _place_vessels(server: ServerProcess, demo: DemoResult, names: list[str]) -> None:
    """One actual arrival at Aktau or Alat per vessel, reported by the port's operator."""
    org = next(n for n, places in demo.places.items() if {"KZAAU", "AZALT"} <= set(places))
    auth = {"Authorization": f"Bearer {demo.tokens[org]}"}
    listed = httpx.get(f"{server.url}/shipments", params={"limit": 1000}, headers=auth,
                       timeout=60).json()["data"]
    calls = [(s["id"], port) for s in listed for port in ("KZAAU", "AZALT")
             if any(leg["destination"] == port for leg in s["legs"])]
    now = datetime.now(UTC)
    events = [{"event_id": f"bench-vessel-{i}", "shipment_id": sid, "event_type": "TRANSPORT",
               "event_code": "ARRI", "classifier": "ACT", "location": port, "vehicle": name,
               "event_time": (now - timedelta(minutes=30 + i)).isoformat()}
              for i, (name, (sid, port)) in enumerate(zip(names, itertools.cycle(calls)))]
    r = httpx.post(f"{server.url}/events/bulk", json={"events": events}, headers=auth,
                   timeout=120)
    assert r.status_code < 300, r.text


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def _add_shipments(server: ServerProcess, demo: DemoResult, count: int) -> None:
    """``count`` more shipments under way: the demo's routes, each set off at a different
    time in the past so they spread along the corridor, and each one's last departure
    reported by the operator of that place."""
    admin = {"Authorization": f"Bearer {demo.tokens['admin']}"}
    owner = demo.users["forwarder"][1]
    auth = {"Authorization": f"Bearer {demo.tokens[owner]}"}
    routes = httpx.get(f"{server.url}/shipments", params={"limit": 1000}, headers=admin,
                       timeout=60).json()["data"]
    at_place = {p: name for name, places in sorted(demo.places.items()) for p in places}
    now = datetime.now(UTC)
    events: dict[str, list[dict[str, Any]]] = {}
    with httpx.Client(base_url=server.url, headers=auth, timeout=60) as client:
        for i in range(count):
            route = routes[i % len(routes)]
            legs = route["legs"]
            start = datetime.fromisoformat(legs[0]["planned_depart"])
            span = datetime.fromisoformat(legs[-1]["planned_arrive"]) - start
            shift = now - span * ((0.05 + 0.618 * i) % 0.9) - start
            moved = [{**g, "planned_depart": _iso(datetime.fromisoformat(g["planned_depart"])
                                                  + shift),
                      "planned_arrive": _iso(datetime.fromisoformat(g["planned_arrive"])
                                             + shift)} for g in legs]
            r = client.post("/shipments", json={
                "reference": f"BENCH-{i:04d}", "origin": route["origin"],
                "destination": route["destination"], "legs": moved,
                "cargo": {"units": route["cargo"]["units"], "teu": route["cargo"]["teu"]}})
            assert r.status_code == 201, r.text
            gone = [g for g in moved if datetime.fromisoformat(g["planned_depart"]) < now]
            operator = at_place.get(gone[-1]["origin"]) if gone else None
            if operator:
                events.setdefault(operator, []).append({
                    "event_id": f"bench-depa-{i}", "shipment_id": r.json()["id"],
                    "event_type": "TRANSPORT", "event_code": "DEPA", "classifier": "ACT",
                    "location": gone[-1]["origin"], "event_time": gone[-1]["planned_depart"]})
    for operator, batch in events.items():
        for k in range(0, len(batch), 1000):
            r = httpx.post(f"{server.url}/events/bulk", json={"events": batch[k:k + 1000]},
                           headers={"Authorization": f"Bearer {demo.tokens[operator]}"},
                           timeout=300)
            assert r.status_code < 300, r.text


def _server(shipments: int, tmp: Path, vessels: int = 0) -> tuple[ServerProcess, DemoResult]:
    """The service on the demo data, with ``shipments`` in all (more added under way) and
    ``vessels`` placed."""
    url = f"sqlite:///{tmp}/bench-{shipments}.sqlite"
    db = Database(Settings(database_url=url))
    upgrade(db.engine)
    with db.write() as session:
        demo = seed(session, now=datetime.now(UTC), shipments=DEMO_SHIPMENTS)
    db.dispose()
    own = [v.name for v in dataset_fleet(load_network())]
    extra = max(0, vessels - len(own))
    env = {"MIDCORRIDOR_DATA": str(_fleet_folder(tmp, extra))} if extra else {}
    server = ServerProcess(url, env=env)
    server.start()
    if vessels:
        _place_vessels(server, demo, [*own, *(f"Bench ship {i + 1:03d}" for i in range(extra))])
    if shipments > DEMO_SHIPMENTS:
        _add_shipments(server, demo, shipments - DEMO_SHIPMENTS)
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
        page.locator("#network-count", has_text="places").wait_for()
        page.locator("#scenarios input").first.click(trial=True)
        page_ms.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        page.goto("/docs")
        page.locator(".swagger-ui .info .title").wait_for()
        docs_ms.append(1000 * (time.perf_counter() - started))
        context.close()
    return statistics.median(page_ms), statistics.median(docs_ms)


def _frames(browser: Any, server: ServerProcess, email: str,
            runs: int) -> tuple[float, float, str]:
    medians, p95s = [], []
    drawn = ""
    for _ in range(runs):
        context = _signed_in(browser, server, email)
        page = context.new_page()
        page.goto("/#/map")
        page.locator("#network-count", has_text="places").wait_for()
        page.locator("#live-count", has_text="vessels").wait_for()
        page.wait_for_load_state("networkidle")
        drawn = page.locator("#live-count").inner_text()
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
    return statistics.median(medians), statistics.median(p95s), drawn


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
            page_ms, docs_ms = _tti(browser, small, demo.users["coordinator"][0], runs)
            empty = _frames(browser, small, demo.users["admin"][0], runs)
        finally:
            small.stop()
        big, demo_big = _server(1000, Path(tmp), vessels=VESSELS)
        try:
            loaded = _frames(browser, big, demo_big.users["admin"][0], runs)
        finally:
            big.stop()
        browser.close()
    tti = Table(title=f"Web app on loopback (median of {runs})")
    for col in ("measure", "value", "baseline", "ratio"):
        tti.add_column(col)
    tti.add_row("time to interactive: map page (12 demo shipments)", f"{page_ms:,.0f} ms",
                f"Swagger UI page {docs_ms:,.0f} ms", f"{page_ms / docs_ms:.2f}")
    tti.add_row("map frame time while panning, median (1,000 shipments, 100 vessels)",
                f"{loaded[0]:.1f} ms", f"12 shipments {empty[0]:.1f} ms",
                f"{loaded[0] / empty[0]:.2f}")
    tti.add_row("map frame time while panning, p95 (1,000 shipments, 100 vessels)",
                f"{loaded[1]:.1f} ms", f"12 shipments {empty[1]:.1f} ms",
                f"{loaded[1] / empty[1]:.2f}")
    console.print(tti)
    console.print(f"drawn on the loaded map: {loaded[2]}; on the baseline map: {empty[2]} "
                  "(shipments not yet arrived; vessels with a known place)")
