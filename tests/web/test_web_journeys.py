"""The journeys of the issue, in Chromium: plan a route, an operator's delay reaching the
shipper, a coordinator's crossing plan, a shipper kept out of another's shipment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from helpers.a11y import serious_violations, tab_reaches
from midcorridor.network import load_network
from midcorridor.routing import Cargo, plan


def _api(server_url: str, token: str, method: str, path: str, **kw):  # type: ignore[no-untyped-def]
    r = httpx.request(method, server_url + path, headers={"Authorization": f"Bearer {token}"},
                      timeout=60, **kw)
    assert r.status_code < 300, r.text
    return r.json()


def _operator_at(demo, place: str) -> str:  # type: ignore[no-untyped-def]
    """An operator organization of the demo whose segment has ``place``."""
    return next(n for n, places in sorted(demo.places.items()) if place in places)


def test_plan_a_route_and_see_its_options_on_the_map_and_chart(visit, demo) -> None:
    visit.sign_in(demo.users["forwarder"][0])
    page = visit.page
    page.get_by_role("link", name="Routes").click()
    origin = page.get_by_label("From")
    origin.fill("")
    origin.press_sequentially("Xian", delay=20)  # an alias without the apostrophe
    expect(page.locator("#origin-list option[value=CNXIA]")).to_have_count(1)
    page.get_by_label("To").fill("Istanbul")
    depart = (datetime.now(UTC) + timedelta(days=1)).date()
    page.get_by_label("Departure date").fill(depart.isoformat())
    page.get_by_label("Cargo").fill("2")
    page.get_by_role("button", name="Find routes").click()
    rows = page.locator("table.options tbody tr")
    rows.first.wait_for()
    # Oracle: the planner called directly, not through the service.
    expected = plan(load_network(), "Xian", "Istanbul", cargo=Cargo(2),
                    depart=datetime(depart.year, depart.month, depart.day, tzinfo=UTC))
    options = expected.comparison()
    expect(rows).to_have_count(len(options))
    first_cells = rows.first.locator("td").all_inner_texts()
    assert first_cells[1].startswith(options[0].corridor)
    assert page.locator("path.route-option").count() == len(options)
    painted = page.evaluate("""() => {
        const c = document.querySelector('.chart canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
        return n; }""")
    assert painted > 1000  # the bubble chart is drawn
    # The second option's legs as a timeline, one table row per leg.
    rows.nth(1).get_by_role("button", name="Show legs").click()
    legs = page.locator("#legs table tbody tr")
    expect(legs).to_have_count(len(options[1].legs))
    visit.shot("routes")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export CSV").click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("rank,corridor")
    assert len(lines) == len(options) + 1
    assert serious_violations(page) == []
    assert tab_reaches(page, "#origin")


def test_unknown_place_shows_the_services_suggestions(visit, demo) -> None:
    visit.sign_in(demo.users["shipper"][0])
    page = visit.page
    page.goto("/#/routes")
    page.get_by_label("From").fill("Aktaw")
    page.get_by_label("To").fill("Baku")
    page.get_by_role("button", name="Find routes").click()
    expect(page.get_by_role("alert").filter(has_text="Aktau")).to_be_visible()
    visit.shot("unknown-place")


def test_operator_delay_moves_the_shippers_eta_and_raises_an_alert(visit, browser, demo,
                                                                    demo_server) -> None:
    server, _ = demo_server
    shipper_org = demo.users["shipper"][1]
    token = demo.tokens[shipper_org]
    shipments = _api(server.url, token, "GET", "/shipments")["data"]
    target = next(s for s in shipments if s["status"] == "in_transit")
    detail = _api(server.url, token, "GET", f"/shipments/{target['id']}")
    done = {(e["location"], e["event_code"]) for e in detail["events"]}
    leg = next(g for g in detail["legs"] if (g["destination"], "ARRI") not in done)
    place = leg["destination"]
    operator = _operator_at(demo, place)
    before = _api(server.url, token, "GET", f"/shipments/{target['id']}/eta")
    alerts_before = _api(server.url, token, "GET", f"/shipments/{target['id']}/alerts")["count"]
    late = datetime.fromisoformat(before["eta"]) + timedelta(days=4)
    late_at_place = datetime.fromisoformat(leg["planned_arrive"]) + timedelta(
        hours=before["delay_h"] + 96)

    visit.sign_in(demo.emails[operator])
    page = visit.page
    page.get_by_role("link", name="Operator's desk").click()
    page.get_by_label("Shipment").select_option(str(target["id"]))
    page.get_by_label("Event code").fill("ARRI")
    page.get_by_label("Classifier").select_option("EST")
    page.get_by_label("Event time (UTC)").fill(late_at_place.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill(place)
    page.get_by_label("Description").fill("held at the border: wagons short")
    page.get_by_role("button", name="Post event").click()
    expect(page.locator("#post-result")).to_contain_text("Event stored")
    visit.shot("operator-posted")
    assert serious_violations(page) == []
    # A bad time gets the API's own message.
    page.get_by_label("Classifier").select_option("ACT")
    page.get_by_label("Event time (UTC)").fill(late.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Post event").click()
    expect(page.locator("#post-result")).to_contain_text("cannot happen in the future")

    after = _api(server.url, token, "GET", f"/shipments/{target['id']}/eta")
    assert after["delay_h"] >= before["delay_h"] + 24
    shipper = browser.new_context(base_url=server.url, viewport={"width": 1360, "height": 900})
    try:
        page = shipper.new_page()
        page.goto("/")
        page.get_by_label("E-mail").fill(demo.users["shipper"][0])
        page.get_by_label("Password").fill("corridor-demo")
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("link", name="Tracking").click()
        page.get_by_role("link", name=target["reference"]).click()
        expect(page.locator("#delay")).to_have_text(f"{after['delay_h']:.1f}")
        alerts = page.locator("#alerts li")
        expect(alerts).to_have_count(alerts_before + 1)
        expect(alerts.first).to_contain_text("slip")
        page.screenshot(path=str(visit.shot("x").parent / f"{visit.name}-shipper.png"),
                        full_page=True)
        assert serious_violations(page) == []
    finally:
        shipper.close()


def test_coordinator_runs_a_plan_and_sees_its_sailings_per_vessel(visit, demo,
                                                                  demo_server) -> None:
    server, _ = demo_server
    token = demo.tokens[demo.users["coordinator"][1]]
    visit.sign_in(demo.users["coordinator"][0])
    page = visit.page
    page.get_by_role("link", name="Coordinator's desk").click()
    # The Caspian now: one row per port and per vessel of the live corridor state.
    state = _api(server.url, token, "GET", "/corridor/state")
    expect(page.locator("table.ports tbody tr")).to_have_count(len(state["ports"]))
    # Each port's waiting cargo as the API counts it; the demo has container trains waiting.
    assert any(p["waiting"]["teu"] for p in state["ports"])
    for port in state["ports"]:
        w = port["waiting"]
        row = page.locator("table.ports tbody tr", has_text=f"({port['place']})")
        expect(row.locator("td").nth(1)).to_have_text(
            f"{w['teu']} TEU · {w['railcar']} railcars · {w['truck']} trucks")
    expect(page.locator("table.vessels tbody tr")).to_have_count(len(state["vessels"]))
    before = httpx.get(server.url + "/crossing/plans/latest",
                       headers={"Authorization": f"Bearer {token}"})
    before_id = before.json()["id"] if before.status_code == 200 else 0
    page.get_by_label("Days ahead").fill("7")
    page.get_by_role("button", name="Run a new plan").click()
    expect(page.locator("#plan-progress")).to_be_visible()
    summary = page.locator("#plan-summary")
    expect(summary).to_contain_text(f"Plan {before_id + 1}", timeout=120_000)
    # Oracle: the published plan as the API serves it.
    plan = _api(server.url, token, "GET", "/crossing/plans/latest")
    assert plan["id"] == before_id + 1
    assert plan["horizon_h"] == 7 * 24
    vessels = {s["vessel"] for s in plan["sailings"]}
    expect(page.locator("#plan-timeline .tl-row[data-vessel]")).to_have_count(len(vessels))
    for sailing in plan["sailings"]:
        bar = page.locator(f'#plan-timeline .tl-row[data-vessel="{sailing["vessel"]}"] '
                           f'.tl-bar[data-sailing="{sailing["id"]}"]')
        expect(bar).to_have_text(f"{sailing['origin']}→{sailing['destination']} · "
                                 f"{sailing['units']:,} units")
    loaded = [s for s in plan["sailings"] if s["units"]]
    expect(page.locator("#plan-timeline .tl-bar:not(.empty)")).to_have_count(len(loaded))
    # Bars lie left to right in departure order within a row.
    row = page.locator(f'#plan-timeline .tl-row[data-vessel="{plan["sailings"][0]["vessel"]}"]')
    lefts = row.locator(".tl-bar").evaluate_all(
        "(bs) => bs.map((b) => b.getBoundingClientRect().x)")
    assert lefts == sorted(lefts)
    cells = page.locator("table.plan-vs-fifo tbody tr").first.locator("td").all_inner_texts()
    assert cells[1] == f"{plan['mean_wait_hours']:,.1f}"
    assert cells[2] == f"{plan['fifo']['mean_wait_hours']:,.1f}"
    expect(summary).to_contain_text(plan["status"])
    visit.shot("coordinator")
    assert serious_violations(page) == []
    assert tab_reaches(page, "#days")
    assert tab_reaches(page, "#plan-run")


def test_tracking_searches_on_the_server(visit, demo, demo_server) -> None:
    """The tracking page shows what GET /shipments answers for the same search, and its total."""
    server, _ = demo_server
    org = demo.users["forwarder"][1]
    token = demo.tokens[org]
    every = _api(server.url, token, "GET", "/shipments", params={"limit": 1000})
    with_box = every["data"][-1]
    # A part of its container number when it has one, else of its reference; in lower case.
    part = (with_box["cargo"]["containers"] or [with_box["reference"]])[0][-5:].lower()
    visit.sign_in(demo.users["forwarder"][0])
    page = visit.page
    page.get_by_role("link", name="Tracking").click()
    expect(page.locator("#total")).to_have_text(str(every["count"]))
    page.get_by_label("Search").fill(part)
    found = _api(server.url, token, "GET", "/shipments", params={"q": part})
    assert with_box["id"] in {s["id"] for s in found["data"]}
    expect(page.locator("#total")).to_have_text(str(found["count"]))
    refs = page.locator("table.shipments tbody tr td:first-child").all_inner_texts()
    assert refs == [s["reference"] or f"#{s['id']}" for s in found["data"]]
    page.get_by_label("Search").fill("")
    page.get_by_label("Corridor").select_option("Middle")
    middle = _api(server.url, token, "GET", "/shipments", params={"corridor": "Middle"})
    expect(page.locator("#total")).to_have_text(str(middle["count"]))
    expect(page.locator("table.shipments tbody tr")).to_have_count(min(50, middle["count"]))
    visit.shot("tracking-search")
    assert serious_violations(page) == []


def test_eta_history_draws_the_p10_p90_band_the_api_returns(visit, demo, demo_server) -> None:
    """The chart's band is drawn from the history's p10/p90: its fill colour is on the canvas
    when the rows carry them, and the table beside it lists them row for row."""
    server, _ = demo_server
    token = demo.tokens[demo.users["shipper"][1]]
    shipments = _api(server.url, token, "GET", "/shipments", params={"status": "in_transit"})
    target = shipments["data"][0]
    history = _api(server.url, token, "GET", f"/shipments/{target['id']}/eta/history")["data"]
    banded = [r for r in history if r["p10"] and r["p90"]]
    assert banded, "the ETA history carries no P10/P90"
    assert all(r["p10"] <= r["p50"] <= r["p90"] for r in banded)
    visit.sign_in(demo.users["shipper"][0])
    page = visit.page
    page.goto(f"/#/shipments/{target['id']}")
    page.locator("table.eta-history").wait_for(state="attached")
    expect(page.locator("table.eta-history tbody tr")).to_have_count(len(history))
    band_pixels = page.evaluate("""() => {
        const c = document.querySelector('#main .chart canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        // #0b5394 at 20 % opacity over white, within rounding.
        const want = [0x0b, 0x53, 0x94].map((c) => 0xff - 0.2 * (0xff - c));
        let n = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (d[i + 3] > 0 && Math.abs(d[i] * d[i + 3] / 255 + 255 - d[i + 3] - want[0]) < 6
              && Math.abs(d[i + 1] * d[i + 3] / 255 + 255 - d[i + 3] - want[1]) < 6
              && Math.abs(d[i + 2] * d[i + 3] / 255 + 255 - d[i + 3] - want[2]) < 6) n++;
        }
        return n; }""")
    assert band_pixels > 200
    visit.shot("eta-band")


def test_shipper_cannot_open_another_organizations_shipment_by_url(visit, demo,
                                                                    demo_server) -> None:
    server, _ = demo_server
    other = demo.tokens[demo.users["forwarder"][1]]
    theirs = _api(server.url, other, "GET", "/shipments")["data"][0]
    visit.sign_in(demo.users["shipper"][0])
    page = visit.page
    page.goto(f"/#/shipments/{theirs['id']}")
    expect(page.get_by_role("alert")).to_contain_text("Not found")
    assert theirs["reference"] not in page.content()
    visit.shot("refused")


@pytest.mark.parametrize(("role", "pages"), [
    ("shipper", ["#/map", "#/routes", "#/tracking", "#/shipments/{own}"]),
    ("operator", ["#/tracking", "#/operator"]),
    ("coordinator", ["#/coordinator", "#/map", "#/whatif", "#/experiments"]),
])
def test_every_page_loads_only_from_the_service_and_passes_axe(visit, demo, demo_server,
                                                               role: str, pages: list[str]
                                                               ) -> None:
    server, _ = demo_server
    visit.sign_in(demo.users[role][0])
    page = visit.page
    for hash_ in pages:
        if "{own}" in hash_:  # the first shipment the signed-in organization may see
            token = demo.tokens[demo.users[role][1]]
            own = _api(server.url, token, "GET", "/shipments")["data"][0]["id"]
            hash_ = hash_.replace("{own}", str(own))
        page.goto("/" + hash_)
        page.locator("main h1").first.wait_for()
        page.wait_for_load_state("networkidle")
        visit.shot(hash_.strip("#/").replace("/", "-"))
        assert serious_violations(page) == [], hash_
        resources = page.evaluate(
            "() => performance.getEntriesByType('resource').map((e) => e.name)")
        assert all(r.startswith(server.url) for r in resources), resources
    assert visit.console_errors == []


def test_operator_csv_upload_shows_the_apis_own_messages(visit, demo, demo_server,
                                                         tmp_path: Path) -> None:
    server, _ = demo_server
    org = _operator_at(demo, "KZAAU")
    token = demo.tokens[org]
    shipment = _api(server.url, token, "GET", "/shipments")["data"][0]
    when = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    header = "event_id,shipment_id,event_type,event_code,classifier,event_time,location"
    good = f"csv-ok-1,{shipment['id']},TRANSPORT,ARRI,EST,{when},KZAAU"
    bad = f"csv-bad-2,{shipment['id']},TRANSPORT,ARRI,EST,{when},aktau"
    path = tmp_path / "events.csv"
    path.write_text("\n".join([header, good, bad]) + "\n", encoding="utf-8")
    # The API's answer to the same rows, sent directly.
    keys = header.split(",")
    rows = [dict(zip(keys, line.split(","), strict=True)) for line in (good, bad)]
    for row in rows:
        row["shipment_id"] = int(row["shipment_id"])
    direct = httpx.post(server.url + "/events/bulk", json={"events": rows},
                        headers={"Authorization": f"Bearer {token}"})
    assert direct.status_code == 422
    problem = direct.json()["errors"][0]

    visit.sign_in(demo.emails[org])
    page = visit.page
    page.get_by_role("link", name="Operator's desk").click()
    page.get_by_label("Upload a CSV of events").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    alert = page.locator("#upload-result [role=alert]")
    expect(alert).to_contain_text(f"{problem['field']}: {problem['message']}")
    assert problem["field"] == "events.1.location"
    visit.shot("csv-rejected")
    path.write_text("\n".join([header, good]) + "\n", encoding="utf-8")
    page.get_by_label("Upload a CSV of events").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#upload-result")).to_contain_text("created: 1")


def test_map_draws_the_callers_shipments_and_the_vessels(visit, demo, demo_server) -> None:
    """The admin's map draws a point per shipment the API places and a mark per vessel with a
    known place, all on one canvas."""
    server, _ = demo_server
    token = demo.tokens["admin"]
    points = _api(server.url, token, "GET", "/shipments/positions")["data"]
    state = _api(server.url, token, "GET", "/corridor/state")
    nodes = {f["properties"]["id"] for f in _api(server.url, token, "GET",
                                                  "/network/geojson")["features"]
             if f["properties"]["feature"] == "node"}
    placed = [v for v in state["vessels"] if v["place"] in nodes]
    assert points
    assert placed
    visit.sign_in(demo.users["admin"][0])
    page = visit.page
    expect(page.locator("#live-count")).to_have_text(
        f"{len(points)} shipments on the map, {len(placed)} vessels on the map")
    # Ports, vessels and shipments share the overlay canvas: no SVG marker per point.
    assert page.locator(".leaflet-overlay-pane canvas").count() >= 1
    assert page.locator(".leaflet-overlay-pane path.leaflet-interactive").count() < 50
    visit.shot("map-shipments")
    assert serious_violations(page) == []
