"""Demo data: the corridor's organizations, shipments and their event streams, seeded.

Route templates use node ids of the packaged data set; the leg times are demo assumptions
(rail about 650 km/day, a Caspian ferry crossing of about a day plus port dwell), not figures.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from midcorridor.errors import InputError
from midcorridor.service import accounts, ingest
from midcorridor.service.access import Principal, Role
from midcorridor.service.db.models import Organization
from midcorridor.service.schemas import CargoIn, EventCreate, LegIn, ShipmentCreate
from midcorridor.service.shipments import create_shipment

# (name, kind, places) — operators cover the places of their segment.
ORGS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Corridor Coordination Committee", "coordinator", ()),
    ("Xi'an Export Trading", "shipper", ()),
    ("Caspian Forwarding Group", "forwarder", ()),
    ("China Railway Container Transport", "operator", ("CNXIA", "KZAKL")),
    ("Kazakhstan Temir Zholy", "operator", ("KZAKL", "KZDST", "KZAAU", "KZKUR")),
    ("Port of Aktau", "operator", ("KZAAU",)),
    ("Port of Kuryk", "operator", ("KZKUR",)),
    ("ASCO Caspian Shipping", "operator", ("KZAAU", "KZKUR", "AZALT")),
    ("Port of Baku (Alat)", "operator", ("AZALT",)),
    ("Azerbaijan Railways", "operator", ("AZALT", "GEBUS", "GETBS")),
    ("Georgian Railway", "operator", ("GETBS", "GEPTI", "GEAKK")),
    ("TCDD Transport", "operator", ("GEAKK", "TRKR0", "TRIST")),
)

# (origin, destination, mode, hours) per leg, with the dwell before the next leg in hours.
ROUTES: tuple[tuple[tuple[str, str, str, float, float], ...], ...] = (
    (("CNXIA", "KZAKL", "rail", 60, 12), ("KZAKL", "KZAAU", "rail", 110, 36),
     ("KZAAU", "AZALT", "ferry", 24, 12), ("AZALT", "GETBS", "rail", 30, 6),
     ("GETBS", "GEAKK", "rail", 10, 8), ("GEAKK", "TRKR0", "rail", 6, 10),
     ("TRKR0", "TRIST", "rail", 40, 0)),
    (("CNXIA", "KZAKL", "rail", 60, 12), ("KZAKL", "KZKUR", "rail", 115, 48),
     ("KZKUR", "AZALT", "ferry", 26, 12), ("AZALT", "GETBS", "rail", 30, 6),
     ("GETBS", "GEPTI", "rail", 8, 0)),
)
CONTAINER_OWNERS = ("CSQU", "MSKU", "TGHU", "CAIU")


@dataclass(frozen=True)
class DemoResult:
    organizations: int
    shipments: int
    events: int
    tokens: dict[str, str]


def _container(rng: random.Random) -> str:
    from midcorridor.iso6346 import check_digit

    first = rng.choice(CONTAINER_OWNERS) + f"{rng.randrange(10**6):06d}"
    return first + str(check_digit(first))


def _legs(route: tuple[tuple[str, str, str, float, float], ...], depart: datetime) -> list[LegIn]:
    legs, t = [], depart
    for origin, destination, mode, hours, dwell in route:
        arrive = t + timedelta(hours=hours)
        legs.append(LegIn(origin=origin, destination=destination, mode=mode,  # type: ignore[arg-type]
                          planned_depart=t, planned_arrive=arrive))
        t = arrive + timedelta(hours=dwell)
    return legs


def seed(session: Session, *, now: datetime, shipments: int = 12, seed: int = 7) -> DemoResult:
    """Create the demo organizations, one user and token each, shipments and their events."""
    if session.scalar(select(Organization.id).where(Organization.name == ORGS[0][0])):
        raise InputError("demo data is already loaded in this database; use a fresh one")
    rng = random.Random(seed)
    orgs, principals, tokens = {}, {}, {}
    admin_org = accounts.create_org(session=session, name="midcorridor platform",
                                    kind="coordinator", places=[], now=now)
    admin = accounts.create_user(session=session, org_id=admin_org.id, email="admin@demo.test",
                                 name="Platform admin", is_admin=True, now=now)
    tokens["admin"] = accounts.create_token(session=session, user_id=admin.id, name="demo",
                                            now=now)[1]
    for i, (name, kind, places) in enumerate(ORGS):
        org = accounts.create_org(session=session, name=name, kind=kind, places=list(places),
                                  now=now)
        user = accounts.create_user(session=session, org_id=org.id, email=f"user{i}@demo.test",
                                    name=f"{name} desk", is_admin=False, now=now)
        orgs[name] = org
        principals[name] = Principal(user.id, org.id, Role(kind), frozenset(places))
        tokens[name] = accounts.create_token(session=session, user_id=user.id, name="demo",
                                             now=now)[1]
    owners = [n for n, k, _ in ORGS if k in ("shipper", "forwarder")]
    operators = [(n, set(p)) for n, k, p in ORGS if k == "operator"]
    events = 0
    for k in range(shipments):
        route = ROUTES[k % len(ROUTES)]
        depart = now - timedelta(hours=rng.uniform(0, 20 * 24))
        legs = _legs(route, depart)
        owner = owners[k % len(owners)]
        body = ShipmentCreate(
            reference=f"DEMO-{k + 1:04d}", origin=legs[0].origin,
            destination=legs[-1].destination, legs=legs,
            cargo=CargoIn(units=rng.randint(1, 4), weight_kg=rng.randint(8, 40) * 1000.0,
                          teu=2.0, containers=[_container(rng)]),
        )
        shipment = create_shipment(session=session, org_id=orgs[owner].id, shipment_in=body,
                                   now=now)
        delay = 0.0
        for i, leg in enumerate(legs):
            delay += max(0.0, rng.gauss(3, 8)) if leg.mode != "ferry" else rng.expovariate(1 / 20)
            for code, place, planned in (("DEPA", leg.origin, leg.planned_depart),
                                         ("ARRI", leg.destination, leg.planned_arrive)):
                when = planned + timedelta(hours=delay)
                if when > now:
                    break
                reporter = next(n for n, places in operators if place in places)
                item = EventCreate(
                    event_id=f"demo-{k}-{i}-{code}", shipment_id=shipment.id,
                    event_type="TRANSPORT", event_code=code, classifier="ACT",  # type: ignore[arg-type]
                    event_time=when, location=place, vehicle=f"{leg.mode}-{k}-{i}",
                    mode=leg.mode,
                )
                ingest.ingest(session, principals[reporter], [item], now=now,
                              slip_threshold_h=24.0)
                events += 1
            else:
                continue
            break
    return DemoResult(len(orgs) + 1, shipments, events, tokens)
