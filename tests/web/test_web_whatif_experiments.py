"""The coordinator's what-if and experiments pages in Chromium: a what-if from now and a
comparison of the simulator's experiments, each shown as the API answers it."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import expect

from helpers.a11y import serious_violations, tab_reaches

_PAINTED = """(sel) => [...document.querySelectorAll(sel)].map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n; })"""


def _get(server_url: str, token: str, path: str) -> dict:
    r = httpx.get(server_url + path, headers={"Authorization": f"Bearer {token}"}, timeout=60)
    assert r.status_code == 200, r.text
    return r.json()


def _shows(cell: str, e: dict, digits: int = 1) -> bool:
    """Whether ``cell`` writes the estimate ``e`` (mean, then the interval) to ``digits``."""
    if e["mean"] is None:
        return cell == "—"
    numbers = [float(x.replace(",", "")) for x in re.findall(r"[-+−]?[\d,]+\.?\d*", cell)]
    want = [e["mean"], *([] if e["ci95"][0] is None else e["ci95"])]
    return len(numbers) == len(want) and all(
        abs(n - w) <= 0.5 * 10 ** -digits + 1e-9 for n, w in zip(numbers, want, strict=True))


def test_coordinator_runs_a_whatif_and_sees_the_deltas(visit, demo, demo_server) -> None:
    server, _ = demo_server
    token = demo.tokens[demo.users["coordinator"][1]]
    visit.sign_in(demo.users["coordinator"][0])
    page = visit.page
    page.get_by_role("link", name="What if").click()
    page.get_by_label("Merkuriy-1").check()
    # A closure longer than the horizon: the API's own message, nothing run.
    page.get_by_label("Days ahead").fill("1")
    page.get_by_role("button", name="Run the what-if").click()
    expect(page.locator("#whatif-status [role=alert]")).to_contain_text("changes.closures[0].hours")
    page.get_by_label("Days ahead").fill("5")
    page.get_by_label("Replications").fill("4")
    page.get_by_role("button", name="Run the what-if").click()
    summary = page.locator("#whatif-summary")
    summary.wait_for(timeout=120_000)
    job_id = page.locator("#whatif-result").get_attribute("data-job")
    job = _get(server.url, token, f"/jobs/{job_id}")
    # The request the page sent: the vessel ticked, the whole Caspian closed for 48 h.
    assert job["params"]["changes"]["vessels_out"] == ["Merkuriy-1"]
    assert job["params"]["changes"]["closures"] == [{"place": "caspian", "hours": 48,
                                                     "start_h": 0}]
    result = _get(server.url, token, f"/scenarios/whatif/{job_id}")
    assert result["replications"] == 4
    assert result["days"] == 5
    rows = page.locator("table.kpi-deltas tbody tr")
    expect(rows).to_have_count(len(result["kpis"]))
    for i, k in enumerate(result["kpis"]):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert _shows(cells[1], k["base"])
        assert _shows(cells[2], k["changed"]), (cells, k)
        assert _shows(cells[3], k["delta"]), (cells, k)
    expect(page.locator("table.moved tbody tr")).to_have_count(len(result["shipments"]))
    painted = page.evaluate(_PAINTED, "#whatif-result canvas")
    moved = [s for s in result["shipments"] if s["shift_h"] is not None]
    assert len(painted) == len(result["kpis"]) + (1 if moved else 0)
    assert min(painted) > 500
    visit.shot("whatif")
    assert serious_violations(page) == []
    assert tab_reaches(page, "#whatif-run")


def test_coordinator_compares_experiments_with_the_baseline(visit, demo, demo_server) -> None:
    server, _ = demo_server
    token = demo.tokens[demo.users["coordinator"][1]]
    listed = _get(server.url, token, "/experiments")
    visit.sign_in(demo.users["coordinator"][0])
    page = visit.page
    page.get_by_role("link", name="Experiments").click()
    expect(page).to_have_url(re.compile(r"#/experiments$"))
    boxes = page.locator("#cmp-experiments input[type=checkbox]")
    expect(boxes).to_have_count(len(listed["data"]) - 1)
    page.locator("#cmp-experiments input[value=storms]").check()
    page.get_by_label("Replications").fill("2")
    page.get_by_role("button", name="Compare").click()
    page.locator("#compare-summary").wait_for(timeout=180_000)
    job_id = page.locator("#compare-result").get_attribute("data-job")
    doc = _get(server.url, token, f"/experiments/compare/{job_id}")
    names = [s["experiment"] for s in doc["experiments"]]
    assert names[0] == "baseline"
    assert "storms" in names
    assert len(names) == 3
    headers = page.locator("table.compare-kpis thead th").all_inner_texts()
    assert headers[1:] == names
    first = page.locator("table.compare-kpis tbody tr").first.locator("td").all_inner_texts()
    for cell, s in zip(first[1:], doc["experiments"], strict=True):
        assert _shows(cell, s["kpis"]["transit_days"]["mean"]), (cell, s["experiment"])
    diffs = page.locator("table.compare-diffs tbody tr").first.locator("td").all_inner_texts()
    for cell, d in zip(diffs[1:], doc["differences"], strict=True):
        assert _shows(cell, d["transit_days_mean"]), (cell, d["experiment"])
    painted = page.evaluate(_PAINTED, "#compare-result canvas")
    assert len(painted) == 4
    assert min(painted) > 500
    visit.shot("compare")
    assert serious_violations(page) == []
    assert tab_reaches(page, "#compare-run")


def test_the_whatif_and_experiments_pages_in_russian(visit, demo) -> None:
    visit.sign_in(demo.users["coordinator"][0])
    page = visit.page
    page.get_by_label("Language").select_option("ru")
    page.goto("/#/whatif")
    expect(page.locator("main h1")).to_have_text("Что если — с текущего момента")
    expect(page.get_by_role("button", name="Рассчитать")).to_be_visible()
    page.goto("/#/experiments")
    expect(page.locator("main h1")).to_have_text("Сравнение экспериментов")
    visit.shot("compare-russian")
    page.get_by_label("Язык").select_option("en")
