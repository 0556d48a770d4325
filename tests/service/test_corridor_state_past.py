"""The corridor at a past moment, as the service reads it (only the shipments live then), equals
the state folded in Python from every stored shipment and only the events up to that moment,
on randomized routes and event streams ingested through the API, on both backends.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from helpers.service_factories import START, World, event, legs
from midcorridor.crossing.model import UnitType
from midcorridor.live.position import Mark, furthest, planned_time, whereabouts
from midcorridor.live.state import OVERDUE_LIMIT_H, CorridorState, corridor_state
from midcorridor.service import corridor
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event, Shipment

WINDOW_H = 72.0
# Routes through the packaged data set's places: by rail or road to Aktau or Kuryk, across
# to Alat and on; one starting at Aktau (never due there); one crossing twice. All among the
# test operator's places (the factory route and Kuryk).
ROUTES = (
    (("CNALS", "KZDST", "rail", 2), ("KZDST", "KZAAU", "rail", 108),
     ("KZAAU", "AZALT", "ferry", 22), ("AZALT", "GEPTI", "rail", 40)),
    (("CNALS", "KZDST", "road", 5), ("KZDST", "KZAAU", "road", 60),
     ("KZAAU", "AZALT", "ferry", 22), ("AZALT", "GEPTI", "road", 30)),
    (("CNALS", "KZDST", "rail", 2), ("KZDST", "KZKUR", "rail", 120),
     ("KZKUR", "AZALT", "ferry", 26), ("AZALT", "GEPTI", "rail", 40)),
    (("KZAAU", "AZALT", "ferry", 22), ("AZALT", "GEPTI", "rail", 40)),
    (("KZDST", "KZAAU", "rail", 100), ("KZAAU", "AZALT", "ferry", 22),
     ("AZALT", "KZKUR", "ferry", 26), ("KZKUR", "GEPTI", "road", 80)),
)
CODES = ("ARRI", "DEPA", "LOAD", "DISC", "GTIN", "GTOT", "INSP")


def _event(event_id: str, sid: int, code: str, place: str, when: datetime,
           **extra: Any) -> dict[str, Any]:
    """A transport event (arrival, departure) or an equipment event (the others)."""
    if code in ("ARRI", "DEPA"):
        return event(event_id, sid, code, place, when, **extra)
    return event(event_id, sid, code, place, when, event_type="EQUIPMENT",
                 equipment_reference="CSQU3054383", **extra)


def _stream(rng: random.Random, sid: int, route: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events of one shipment: its milestones so far, early or late, some estimated, some at
    places off its route, in shuffled order; a few shipments arrive at their end."""
    out = []
    reached = rng.randint(-1, 2 * len(route))
    for rank in range(-1, reached):
        leg = route[max(0, rank) // 2]
        arriving = rank % 2 == 1
        place = route[0]["origin"] if rank < 0 else leg["destination" if arriving else "origin"]
        planned = datetime.fromisoformat(leg["planned_arrive" if arriving else "planned_depart"])
        code = rng.choice(["ARRI", "GTIN", "DISC"] if arriving else ["DEPA", "LOAD", "GTOT"])
        when = planned + timedelta(hours=rng.choice([0, rng.uniform(-12, 60)]))
        out.append(_event(f"s{sid}-{rank}", sid, code, place, when,
                         classifier=rng.choice(["ACT"] * 5 + ["EST"])))
    for k in range(rng.randint(0, 2)):  # noise: another code or a place off the route
        out.append(_event(f"s{sid}-n{k}", sid, rng.choice(CODES), rng.choice(["KZKUR", "GEPTI"]),
                         START + timedelta(hours=rng.uniform(0, 300))))
    rng.shuffle(out)
    return out


class _Replay:
    """Every stored shipment with its legs and its actual events, read once."""

    def __init__(self, db: Database) -> None:
        with db.read() as session:
            self.ports = corridor.caspian_ports(corridor.data_of(session))
            self.shipments = session.scalars(
                select(Shipment).options(selectinload(Shipment.legs))).all()
            session.expunge_all()
            events = session.scalars(select(Event).where(Event.classifier == "ACT")).all()
        self.marks: dict[int, list[Mark]] = {}
        for e in events:
            self.marks.setdefault(e.shipment_id or 0, []).append(
                Mark(e.event_code, e.location, e.event_time))

    def state(self, at: datetime, places: frozenset[str] | None,
              counted: CorridorState) -> CorridorState:
        """Each shipment placed by its events up to ``at`` alone, folded one by one (the
        vessels taken as counted: their own test is elsewhere)."""
        found = []
        for s in self.shipments:
            position = furthest(s.legs, [m for m in self.marks.get(s.id, []) if m.time <= at])
            delay_h = (0.0 if position is None else
                       (position.at - planned_time(s.legs, position.rank)).total_seconds() / 3600)
            found.append(whereabouts(s.id, UnitType(s.unit_type), s.unit_count, s.legs,
                                     position, delay_h=delay_h, ports=self.ports))
        shown = (self.ports if places is None
                 else frozenset(p for p in self.ports if p in places))
        state = corridor_state(found, ports=shown, at=at, window_h=WINDOW_H,
                               vessels=counted.vessels)
        if places is None:
            return state
        return replace(state, segments=tuple(s for s in state.segments
                                             if s.origin in places or s.destination in places))


def test_the_past_state_is_the_replay_of_the_events_up_to_then(
        client: TestClient, world: World, db: Database) -> None:
    """At moments across the streams (the window's edges and event times among them), for
    everyone and for an operator's places: waiting, due and on-leg counts with their
    shipments and the oldest wait agree with the replay."""
    rng = random.Random(7)
    streams: list[dict[str, Any]] = []
    moments = [START + timedelta(hours=h) for h in (-200, 0, 60, 116, 130, 170, 400)]
    for i in range(36):
        start = START + timedelta(hours=rng.uniform(-80, 120))
        route = legs(start, ROUTES[i % len(ROUTES)])
        cargo = {**rng.choice([{"units": rng.randint(1, 5)}, {"teu": rng.randint(1, 4)}]),
                 "containers": ["CSQU3054383"]}
        body = {"reference": f"P{i}", "origin": route[0]["origin"],
                "destination": route[-1]["destination"], "cargo": cargo, "legs": route}
        r = client.post("/shipments", json=body, headers=world.auth("shipper"))
        assert r.status_code == 201, r.text
        sid = int(r.json()["id"])
        streams += _stream(rng, sid, route)
        crossing = next(j for j, leg in enumerate(route) if leg["mode"] == "ferry")
        if i % 3 == 0 and crossing > 0:  # the window's edges at the planned arrival at the port
            arrive = datetime.fromisoformat(route[crossing - 1]["planned_arrive"])
            moments += [arrive - timedelta(hours=WINDOW_H),
                        arrive + timedelta(hours=OVERDUE_LIMIT_H)]
    r = client.post("/events/bulk", json={"events": streams}, headers=world.auth("operator"))
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == 0, r.text
    moments += [datetime.fromisoformat(e["event_time"]) for e in rng.sample(streams, 12)]
    replay = _Replay(db)
    seen_waiting = seen_due = seen_moving = False
    for at in sorted(moments):
        for places in (None, frozenset({"KZAAU", "KZDST"}), frozenset({"AZALT", "KZKUR"})):
            with db.read() as session:
                counted = corridor.state(session, now=START + timedelta(days=30), at=at,
                                         window_h=WINDOW_H, places=places)
            assert counted == replay.state(at, places, counted), (at, places)
            seen_waiting |= any(p.shipments for p in counted.ports)
            seen_due |= any(p.arriving_shipments for p in counted.ports)
            seen_moving |= bool(counted.segments)
    assert (seen_waiting, seen_due, seen_moving) == (True, True, True)  # not an empty example
