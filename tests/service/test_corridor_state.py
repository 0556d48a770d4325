"""GET /corridor/state: cargo waiting at the Caspian ports, due there, vessels, legs in use."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from helpers.service_factories import START, World, event, make_world, shipment_body
from midcorridor.network import packaged_data_dir
from midcorridor.service import accounts
from midcorridor.service.main import create_app
from midcorridor.service.settings import Settings

# The factory route: CNALS -> KZDST (2 h) -> KZAAU (108 h) -> AZALT (ferry 22 h) -> GEPTI,
# with 6 h between legs, so the planned arrival at Aktau is START + 116 h.
AT_AKTAU = START + timedelta(hours=120)


def _post(client: TestClient, w: World, *events: dict[str, Any]) -> None:
    r = client.post("/events/bulk", json={"events": list(events)}, headers=w.auth("operator"))
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == 0, r.text


def _new(client: TestClient, w: World, **extra: Any) -> int:
    r = client.post("/shipments", json=shipment_body(**extra), headers=w.auth("shipper"))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _state(client: TestClient, w: World, role: str = "coordinator", **params: str) -> Any:
    r = client.get("/corridor/state", params=params, headers=w.auth(role))
    assert r.status_code == 200, r.text
    return r.json()


def _port(state: Any, place: str) -> Any:
    return next(p for p in state["ports"] if p["place"] == place)


def test_waiting_cargo_by_unit_type_and_vessel_status(client: TestClient, world: World) -> None:
    """Two container shipments at Aktau (one with 3 TEU) wait there until one departs; the
    ferry's own events give its status; the truck shipment counts in trucks."""
    sid, other = world.shipment_id, _new(client, world, cargo={"teu": 3})
    trucks = _new(client, world, cargo={"units": 4}, legs=[
        {**leg, "mode": "road"} if leg["mode"] == "rail" else leg
        for leg in shipment_body()["legs"]])
    _post(client, world,
          event("a1", sid, "ARRI", "KZAAU", AT_AKTAU),
          event("a2", other, "GTIN", "KZAAU", AT_AKTAU + timedelta(hours=3),
                event_type="EQUIPMENT", equipment_reference="CSQU3054383"),
          event("a3", trucks, "ARRI", "KZAAU", AT_AKTAU + timedelta(hours=1)),
          event("v1", sid, "ARRI", "KZAAU", AT_AKTAU, vehicle="Merkuriy-1", mode="ferry"))
    state = _state(client, world)
    aktau = _port(state, "KZAAU")
    assert aktau["waiting"] == {"railcar": 0, "teu": 5, "truck": 4}
    assert aktau["shipments"] == sorted([sid, other, trucks])
    assert aktau["oldest_wait_h"] is not None
    assert aktau["oldest_wait_h"] > 0
    assert {p["place"] for p in state["ports"]} >= {"KZAAU", "KZKUR", "AZALT"}
    merkuriy = next(v for v in state["vessels"] if v["name"] == "Merkuriy-1")
    assert (merkuriy["status"], merkuriy["place"]) == ("at_berth", "KZAAU")

    _post(client, world,
          event("d1", sid, "DEPA", "KZAAU", AT_AKTAU + timedelta(hours=10), mode="ferry"),
          event("v2", sid, "DEPA", "KZAAU", AT_AKTAU + timedelta(hours=10),
                vehicle="Merkuriy-1", mode="ferry"))
    state = _state(client, world)
    aktau = _port(state, "KZAAU")
    assert aktau["waiting"] == {"railcar": 0, "teu": 3, "truck": 4}
    assert aktau["shipments"] == sorted([other, trucks])
    merkuriy = next(v for v in state["vessels"] if v["name"] == "Merkuriy-1")
    assert merkuriy["status"] == "at_sea"
    assert [(s["origin"], s["destination"], s["shipments"], s["units"]["teu"])
            for s in state["segments"]] == [("KZAAU", "AZALT", 1, 2)]

    # the same corridor at an earlier moment, replayed from the stored events
    before = _state(client, world, at=(AT_AKTAU + timedelta(hours=2)).isoformat())
    aktau = _port(before, "KZAAU")
    assert aktau["waiting"] == {"railcar": 0, "teu": 2, "truck": 4}
    assert aktau["shipments"] == sorted([sid, trucks])


def test_arriving_within_72_hours_from_the_eta(client: TestClient, world: World) -> None:
    """A shipment is due at Aktau at its planned arrival plus its delay: one that left Dostyk
    40 h late is due at START + 156 h, the other (no events) at START + 116 h."""
    sid, other = world.shipment_id, world.other_shipment_id
    _post(client, world, event("x1", sid, "DEPA", "KZDST", START + timedelta(hours=48)))
    early = _port(_state(client, world, at=(START + timedelta(hours=50)).isoformat()), "KZAAU")
    assert early["arriving_shipments"] == [other]
    assert early["arriving_next_72h"]["teu"] == 2
    later = _state(client, world, at=(START + timedelta(hours=90)).isoformat())
    assert _port(later, "KZAAU")["arriving_shipments"] == [sid, other]
    assert [(s["origin"], s["shipments"]) for s in later["segments"]] == [("KZDST", 1)]
    # a little overdue and not there yet: still due; months overdue and silent: not due
    soon = _state(client, world, at=(START + timedelta(hours=180)).isoformat())
    assert _port(soon, "KZAAU")["arriving_shipments"] == [sid, other]
    assert _port(_state(client, world), "KZAAU")["arriving_shipments"] == []


def test_out_of_order_events_give_the_same_state(client: TestClient, world: World) -> None:
    """Events posted newest first build the same state as in event-time order."""
    other = _new(client, world)
    stream = [("DEPA", "CNALS", 0), ("ARRI", "KZDST", 2), ("DEPA", "KZDST", 8),
              ("ARRI", "KZAAU", 118)]
    _post(client, world, *[event(f"in-{i}", world.shipment_id, c, p, START + timedelta(hours=h))
                           for i, (c, p, h) in enumerate(stream)])
    _post(client, world, *[event(f"rev-{i}", other, c, p, START + timedelta(hours=h))
                           for i, (c, p, h) in reversed(list(enumerate(stream)))])
    aktau = _port(_state(client, world), "KZAAU")
    assert aktau["shipments"] == sorted([world.shipment_id, other])
    assert aktau["waiting"]["teu"] == 4


def test_operators_see_their_own_places(client: TestClient, world: World) -> None:
    """The test operator (its segment: the route, plus Kuryk) sees its three Caspian ports only;
    one elsewhere sees none."""
    _post(client, world, event("o1", world.shipment_id, "ARRI", "KZAAU", AT_AKTAU))
    mine = _state(client, world, role="operator")
    assert sorted(p["place"] for p in mine["ports"]) == ["AZALT", "KZAAU", "KZKUR"]
    assert _port(mine, "KZAAU")["shipments"] == [world.shipment_id]
    assert _state(client, world, role="operator_off")["ports"] == []


def _token(client: TestClient, places: list[str]) -> dict[str, str]:
    """A bearer header of a new operator whose places are ``places``."""
    db = client.app.state.db  # type: ignore[attr-defined]
    now = datetime.now(UTC)
    with db.write() as session:
        org = accounts.create_org(session=session, name=f"op {places}", kind="operator",
                                  places=places, now=now)
        user = accounts.create_user(session=session, org_id=org.id,
                                    email=f"op-{'-'.join(places)}@test.example", name="op",
                                    is_admin=False, now=now)
        token = accounts.create_token(session=session, user_id=user.id, name="t", now=now)[1]
    return {"Authorization": f"Bearer {token}"}


def _seen(state: Any) -> Any:
    """What a state says of ports and legs, without the moment it was taken at."""
    return ([(p["place"], p["waiting"], p["shipments"], p["arriving_next_72h"],
              p["arriving_shipments"]) for p in state["ports"]],
            [(s["origin"], s["destination"], s["shipments"], s["units"])
             for s in state["segments"]])


def test_a_moment_just_past_shows_what_now_shows(client: TestClient, world: World) -> None:
    """The state replayed for a moment a minute ago, after the last event, is the state now,
    for the coordinator and for an operator of Aktau alone: a train on the way from Altynkol
    to Dostyk is due at Aktau but its leg is not one of Aktau's, so neither lists the leg."""
    now = datetime.now(UTC)
    start = now - timedelta(hours=60)  # due at Aktau 56 h from now
    on_way = _new(client, world, legs=shipment_body(start)["legs"])
    waiting = _new(client, world, legs=shipment_body(start)["legs"])
    _post(client, world,
          event("m1", on_way, "DEPA", "CNALS", start + timedelta(hours=1)),
          event("m2", waiting, "ARRI", "KZAAU", now - timedelta(hours=5)))
    aktau_only = _token(client, ["KZAAU"])
    minute_ago = (now - timedelta(minutes=1)).isoformat()
    for headers in (world.auth("coordinator"), aktau_only):
        states = [client.get("/corridor/state", params=params, headers=headers)
                  for params in ({}, {"at": minute_ago})]
        assert [r.status_code for r in states] == [200, 200]
        assert _seen(states[0].json()) == _seen(states[1].json())
    mine = client.get("/corridor/state", params={"at": minute_ago}, headers=aktau_only).json()
    assert [p["place"] for p in mine["ports"]] == ["KZAAU"]
    assert _port(mine, "KZAAU")["shipments"] == [waiting]
    assert on_way in _port(mine, "KZAAU")["arriving_shipments"]
    assert mine["segments"] == []


def test_bad_moment_is_a_422_naming_the_field(client: TestClient, world: World) -> None:
    """A moment without a time zone, or not a date, is refused naming ``at``."""
    for bad in ("2026-01-05T08:00:00", "yesterday"):
        r = client.get("/corridor/state", params={"at": bad}, headers=world.auth("admin"))
        assert r.status_code == 422
        assert r.json()["errors"][0]["field"] == "query.at"


def test_ports_come_from_the_apps_own_data_folder(settings: Settings, tmp_path: Path) -> None:
    """The live corridor's Caspian ports come from the app's Settings.data, not the
    environment: two apps in one process, one with a folder adding a Caspian harbour, each
    show their own ports."""
    folder = tmp_path / "data"
    folder.mkdir()
    header = {name: (packaged_data_dir() / name).read_text(encoding="utf-8").splitlines()[0]
              for name in ("nodes.csv", "links.csv")}
    (folder / "nodes.csv").write_text(
        header["nodes.csv"] + "\nKZTST,no,Test harbour,,KZ,43.70,51.30,assumption: test place,"
        "seaport,1520,20,assumption: test,,,,yes,caspian,\n", encoding="utf-8")
    (folder / "links.csv").write_text(
        header["links.csv"] + "\nKZTST-KZAAU-road,KZTST,KZAAU,road,12,assumption: test,1,1,2,"
        "assumption: test,,,,,no,no,,,,,,,,,yes,\n", encoding="utf-8")
    places = {}
    world = None
    for name, app_settings in (("plain", settings), ("extended", settings.replace(
            data=str(folder)))):
        with TestClient(create_app(app_settings)) as app_client:
            world = world or make_world(app_client.app.state.db)  # type: ignore[attr-defined]
            places[name] = {p["place"] for p in _state(app_client, world)["ports"]}
    assert "KZTST" in places["extended"]
    assert "KZTST" not in places["plain"]
    assert places["extended"] - places["plain"] == {"KZTST"}
