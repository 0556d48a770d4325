"""GET /shipments searches on the server: reference or container, status, corridor, paged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from helpers.service_factories import ROUTE, World, event, legs, shipment_body

NOW = datetime.now(UTC).replace(microsecond=0)

# Routes classified by hand (the oracle): the corridor family each one belongs to.
ROUTES = {
    "Middle": ROUTE,
    "Northern": (("CNALS", "KZDST", "rail", 2), ("KZDST", "RUKRG", "rail", 60),
                 ("RUKRG", "BYBRS", "rail", 120)),
    "Sea": (("CNSHA", "GEPTI", "sea", 700),),
    "Direct": (("AZALT", "GEPTI", "rail", 40),),
}
CONTAINERS = {"Middle": "CSQU3054383", "Northern": "MSCU1234566", "Sea": "TGHU1234567",
              "Direct": "MAEU1234567"}


def _make(client: TestClient, w: World) -> dict[str, int]:
    ids = {}
    for family, route in ROUTES.items():
        body = shipment_body(NOW - timedelta(days=2), reference=f"SRCH-{family.upper()}-7",
                             origin=route[0][0], destination=route[-1][1],
                             legs=legs(NOW - timedelta(days=2), route))
        body["cargo"]["containers"] = [CONTAINERS[family]]
        r = client.post("/shipments", json=body, headers=w.auth("shipper"))
        assert r.status_code == 201, r.text
        assert r.json()["corridor"] == family
        ids[family] = r.json()["id"]
    return ids


def _find(client: TestClient, w: World, role: str = "shipper", **query: object) -> dict:
    r = client.get("/shipments", params=query, headers=w.auth(role))
    assert r.status_code == 200, r.text
    return r.json()


def test_search_by_reference_container_status_and_corridor(client: TestClient,
                                                           world: World) -> None:
    """Each filter narrows to the hand-worked set; ``count`` counts every match, not the page."""
    ids = _make(client, world)
    found = _find(client, world, q="srch-")
    assert found["count"] == 4
    assert {s["id"] for s in found["data"]} == set(ids.values())
    # A part of a container number, in any case.
    found = _find(client, world, q="tghu12345")
    assert [s["id"] for s in found["data"]] == [ids["Sea"]]
    for family, sid in ids.items():
        found = _find(client, world, q="SRCH", corridor=family)
        assert [s["id"] for s in found["data"]] == [sid], family
    # A departure event puts the Middle one in transit; the others stay planned.
    r = client.post("/events", json=event("s1", ids["Middle"], "DEPA", "CNALS",
                                          NOW - timedelta(days=2)),
                    headers=world.auth("operator"))
    assert r.status_code == 201, r.text
    in_transit = _find(client, world, q="SRCH", status="in_transit")
    assert [s["id"] for s in in_transit["data"]] == [ids["Middle"]]
    assert _find(client, world, q="SRCH", status="planned")["count"] == 3
    # Paged: one at a time, newest first, with the total of matches.
    pages = [_find(client, world, q="SRCH", limit=1, skip=k) for k in range(4)]
    assert all(p["count"] == 4 and len(p["data"]) == 1 for p in pages)
    assert [p["data"][0]["id"] for p in pages] == sorted(ids.values(), reverse=True)


def test_search_never_widens_what_a_caller_may_read(client: TestClient, world: World) -> None:
    """Another shipper's search for these references finds nothing; an unknown filter value is
    a 422 naming the parameter; wildcards in the text are taken literally."""
    _make(client, world)
    assert _find(client, world, role="shipper_b", q="SRCH")["count"] == 0
    assert _find(client, world, q="%")["count"] == 0
    assert _find(client, world, q="SRCH_")["count"] == 0
    r = client.get("/shipments", params={"corridor": "Arctic"}, headers=world.auth("shipper"))
    assert r.status_code == 422
    assert "corridor" in r.text


def test_a_nul_character_in_the_search_is_a_422_naming_q(client: TestClient,
                                                         world: World) -> None:
    """PostgreSQL text cannot hold NUL: the search refuses it instead of failing with a 500."""
    _make(client, world)
    r = client.get("/shipments", params={"q": "SRCH\x00"}, headers=world.auth("shipper"))
    assert r.status_code == 422, r.text
    assert "q" in r.text
    assert "NUL" in r.json()["detail"]
    assert _find(client, world, q="srch-")["count"] == 4


def test_positions_put_each_shipment_where_its_events_left_it(client: TestClient,
                                                               world: World) -> None:
    """A shipment not yet seen stands at its origin; one that left Alat 20 hours into a
    40-hour leg is drawn half way to Poti; every point stands at a place of the network."""
    from midcorridor.service.planning import network

    nodes = network("").nodes  # the service's own places (the packaged data set)
    ids = _make(client, world)
    left = datetime.now(UTC) - timedelta(hours=20)  # not the module's NOW: tests run later
    r = client.post("/events", json=event("p1", ids["Direct"], "DEPA", "AZALT", left),
                    headers=world.auth("operator"))
    assert r.status_code == 201, r.text
    found = client.get("/shipments/positions", headers=world.auth("shipper")).json()
    points = {p["id"]: p for p in found["data"]}
    assert all(p["place"] in nodes for p in points.values())
    a, b = nodes["AZALT"], nodes["GEPTI"]
    moving = points[ids["Direct"]]
    assert (moving["place"], moving["toward"], moving["status"]) == ("AZALT", "GEPTI",
                                                                     "in_transit")
    assert abs(moving["lat"] - (a.lat + 0.5 * (b.lat - a.lat))) < 2e-3
    assert abs(moving["lon"] - (a.lon + 0.5 * (b.lon - a.lon))) < 2e-3
    still = points[ids["Sea"]]
    origin = nodes["CNSHA"]
    assert (still["lat"], still["lon"], still["toward"]) == (
        round(origin.lat, 4), round(origin.lon, 4), None)
    only = client.get("/shipments/positions", params={"status": "in_transit"},
                      headers=world.auth("shipper")).json()
    assert [p["id"] for p in only["data"]] == [ids["Direct"]]
    theirs = client.get("/shipments/positions", headers=world.auth("shipper_b")).json()
    assert not set(ids.values()) & {p["id"] for p in theirs["data"]}
