"""The corridor now, as the database counts it in one statement, equals the same stored columns
and events folded one by one in Python (:func:`~midcorridor.live.state.corridor_state`), on
randomized shipments and vessel events, on both backends.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from helpers.service_factories import make_world
from midcorridor.crossing.model import UnitType
from midcorridor.live import fleet as live_fleet
from midcorridor.live.fleet import VesselMark
from midcorridor.live.position import Mark
from midcorridor.live.state import OVERDUE_LIMIT_H, CorridorState, corridor_state
from midcorridor.service import corridor
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event, Shipment
from midcorridor.service.settings import Settings

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
WINDOW_H = 72.0
INLAND = ("KZDST", "CNALS", "GEPTI")
CODES = ("ARRI", "DEPA", "LOAD", "DISC", "GTIN", "GTOT", "INSP")


def _shipments(rng: random.Random, org_id: int, ports: list[str], n: int) -> list[dict]:
    """Shipments standing at a port or inland, on a leg, or nowhere; due at a port at times
    around the window's ends (its edges included), or at none.
    """
    edges = [NOW - timedelta(hours=OVERDUE_LIMIT_H), NOW + timedelta(hours=WINDOW_H)]
    rows = []
    for sid in range(1, n + 1):
        place = rng.choice([*ports, *INLAND, ""])
        following = rng.choice([*ports, *INLAND]) if place and rng.random() < 0.4 else ""
        due = rng.choice([*ports, ""])
        eta = (rng.choice([*edges, NOW + timedelta(hours=rng.randint(-3000, 300))])
               if due else None)
        rows.append({
            "id": sid, "org_id": org_id, "reference": f"R{sid}", "origin": "CNALS",
            "destination": "GEPTI", "cargo_units": 1, "cargo_weight_kg": 1.0, "cargo_teu": 1.0,
            "created_at": NOW, "planned_arrival": NOW, "eta": NOW, "delay_h": 0.0,
            "status": "in_transit", "progress_rank": 0, "progress_weight": 0,
            "progress_delay_h": 0.0, "position_rank": 1 if place else -1,
            "position_at": NOW - timedelta(hours=rng.randint(0, 500)) if place else None,
            "position_place": place, "position_next": following,
            "unit_type": rng.choice(list(UnitType)).value, "unit_count": rng.randint(1, 60),
            "next_port": due, "next_port_eta": eta})
    return rows


def _vessel_events(rng: random.Random, org_id: int, names: list[str], ports: list[str],
                   n: int, shipments: int) -> list[dict]:
    """Events naming the fleet's vessels by id or name (and other vehicles), of every type and
    classifier, at a few moments so that several share one; a third of them the vessels' own
    calls (no shipment), arrivals at an anchorage or a berth or neither told."""
    moments = [NOW - timedelta(hours=h) for h in range(0, 200, 7)]
    return [{"shipment_id": rng.choice([rng.randint(1, shipments)] * 2 + [None]),
             "facility": rng.choice([None, "anchorage", "berth"]), "org_id": org_id,
             "client_event_id": f"v{i}", "payload_hash": f"v{i}",
             "event_type": rng.choice(["TRANSPORT", "TRANSPORT", "EQUIPMENT"]),
             "event_code": rng.choice(CODES), "classifier": rng.choice(["ACT", "ACT", "EST"]),
             "event_time": rng.choice(moments), "received_at": NOW,
             "location": rng.choice(ports), "vehicle": rng.choice([*names, "train 7", ""])}
            for i in range(n)]


def _marks_one_by_one(db: Database, data: str, at: datetime | None) -> dict[str, Mark]:
    """Each vessel's last actual transport event by id or name, up to ``at``, read event by
    event (the latest time, then the latest stored)."""
    with db.read() as session:
        events = session.scalars(select(Event).order_by(Event.id)).all()
        last: dict[str, Mark] = {}
        for vessel in corridor.fleet(data):
            mine = [e for e in events if e.vehicle in (vessel.id, vessel.name)
                    and e.event_type == "TRANSPORT" and e.classifier == "ACT"
                    and (at is None or e.event_time <= at)]
            if mine:
                e = max(mine, key=lambda e: (e.event_time, e.id))
                last[vessel.id] = VesselMark(e.event_code, e.location, e.event_time,
                                             e.facility or "")
        return last


def _folded(db: Database, data: str, places: frozenset[str] | None) -> CorridorState:
    """The state from each stored shipment's columns folded in Python; with ``places``, the
    ports among them, the vessels there, and the legs from or to one of them."""
    ports = corridor.caspian_ports(data)
    if places is not None:
        ports = frozenset(p for p in ports if p in places)
    vessels = live_fleet.vessel_states(corridor.fleet(data), _marks_one_by_one(db, data, None))
    with db.read() as session:
        found = corridor.now_whereabouts(session)
    if places is not None:
        vessels = tuple(v for v in vessels if v.place in places)
        found = [w for w in found if w.place in places or w.next_port in places
                 or (w.segment is not None and not places.isdisjoint(w.segment))]
    state = corridor_state(found, ports=ports, at=NOW, window_h=WINDOW_H, vessels=vessels)
    if places is None:
        return state
    return replace(state, segments=tuple(s for s in state.segments
                                         if s.origin in places or s.destination in places))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_counted_state_is_the_folded_state(database_url: str, seed: int) -> None:
    """Waiting, due and on-leg counts with their shipments, the oldest wait and each vessel's
    status agree with the one-by-one fold, for everyone and for an operator's places; so do
    the vessels' last events up to earlier moments."""
    rng = random.Random(seed)
    db = Database(Settings(database_url=database_url))
    try:
        world = make_world(db)
        data = db.settings.data
        ports = sorted(corridor.caspian_ports(data))
        names = sorted({n for v in corridor.fleet(data) for n in (v.id, v.name)})
        org = world.org_ids["operator"]
        with db.write() as session:
            session.execute(insert(Shipment), _shipments(rng, org, ports, 400))
            session.execute(insert(Event), _vessel_events(rng, org, names, ports, 600, 400))
        for places in (None, frozenset({"KZAAU", "KZDST"}), frozenset({"AZALT", "GEPTI"}),
                       frozenset()):
            with db.read() as session:
                counted = corridor.state(session, now=NOW, window_h=WINDOW_H, places=places)
            assert counted == _folded(db, data, places), places
            if places is None:  # the example is not empty
                assert all(p.shipments and p.arriving_shipments for p in counted.ports)
                assert len(counted.segments) > 5
                assert {v.status for v in counted.vessels} >= {"at_berth", "anchored",
                                                               "at_sea"}
        for hours in (0, 7, 50, 300):
            at = NOW - timedelta(hours=hours)
            with db.read() as session:
                assert corridor.vessel_marks(session, at) == _marks_one_by_one(db, data, at)
    finally:
        db.dispose()
