"""Signing in per role, the map page, the API docs offline, and what each role is offered."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import expect

from helpers.a11y import serious_violations, tab_reaches
from midcorridor.network import load_network

ROLES = ("admin", "shipper", "forwarder", "operator", "coordinator")
# What each role finds in the navigation (the access rules of the service, seen from the page).
NAV = {
    "admin": {"Map", "Routes", "Tracking", "Coordinator's desk", "What if", "Experiments"},
    "shipper": {"Map", "Routes", "Tracking"},
    "forwarder": {"Map", "Routes", "Tracking"},
    "operator": {"Map", "Routes", "Tracking", "Operator's desk"},
    "coordinator": {"Map", "Routes", "Coordinator's desk", "What if", "Experiments"},
}


@pytest.mark.parametrize("role", ROLES)
def test_sign_in_per_role_opens_the_map(visit, demo, role: str) -> None:
    email, org = demo.users[role]
    visit.sign_in(email)
    page = visit.page
    expect(page.get_by_text(f"{email} · {org} · {role}")).to_be_visible()
    nav = {t.strip() for t in page.locator("header nav a").all_inner_texts()}
    assert nav == NAV[role]
    network = load_network()
    status = page.locator("#network-count")
    status.filter(has_text="places").wait_for()
    assert status.inner_text() == f"{len(network.nodes)} places, {len(network.links)} links"
    # The basemap's country shapes and the network are drawn (Leaflet's canvas and paths).
    page.locator(".leaflet-pane canvas, .leaflet-pane svg path").first.wait_for()
    visit.shot("map")
    assert serious_violations(page) == []
    assert tab_reaches(page, "#scenarios input")
    assert visit.console_errors == []


def test_wrong_password_is_refused_with_a_message(visit, demo) -> None:
    page = visit.page
    page.goto("/")
    page.get_by_label("E-mail").fill(demo.users["shipper"][0])
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("wrong e-mail or password")
    visit.shot("refused")
    assert serious_violations(page) == []


def test_russian_is_one_switch_away(visit, demo) -> None:
    visit.sign_in(demo.users["shipper"][0])
    page = visit.page
    page.get_by_label("Language").select_option("ru")
    page.get_by_role("heading", name="Коридор").wait_for()
    assert page.locator("html").get_attribute("lang") == "ru"
    expect(page.get_by_role("link", name="Маршруты")).to_be_visible()
    visit.shot("russian")


def test_api_docs_load_from_the_service_itself(visit, demo) -> None:
    page = visit.page
    page.goto("/docs")
    page.locator(".swagger-ui .info .title").wait_for()
    visit.shot("swagger")
    page.goto("/redoc")
    page.locator("redoc-wrapper, .api-content, h1").first.wait_for()


def test_every_answer_has_security_headers_and_no_cors(demo_server) -> None:
    server, _ = demo_server
    for path in ("/", "/docs", "/redoc", "/health", "/shipments", "/assets/vendor/swagger-init.js"):
        r = httpx.get(server.url + path, headers={"Origin": "https://elsewhere.example"})
        csp = r.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in csp
        script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
        assert "unsafe-inline" not in script_src
        assert "unsafe-eval" not in script_src
        assert r.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in r.headers
    pre = httpx.options(server.url + "/shipments", headers={
        "Origin": "https://elsewhere.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers
