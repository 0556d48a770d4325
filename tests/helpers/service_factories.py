"""Factories for service tests: organizations, tokens, legs and events in a few lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from midcorridor.service import accounts

if TYPE_CHECKING:
    from midcorridor.service.db.engine import Database
    from midcorridor.service.demo import DemoResult

# A route through nodes of the packaged data set: Alashankou -> Poti via Aktau-Alat.
ROUTE = (("CNALS", "KZDST", "rail", 2), ("KZDST", "KZAAU", "rail", 108),
         ("KZAAU", "AZALT", "ferry", 22), ("AZALT", "GEPTI", "rail", 40))
DWELL_H = 6
START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

ROLES = ("admin", "shipper", "shipper_b", "forwarder", "operator", "operator_off",
         "coordinator")


def legs(start: datetime = START, route: tuple[Any, ...] = ROUTE) -> list[dict[str, Any]]:
    """Planned legs along ``route`` starting at ``start``, with a dwell between legs."""
    out, t = [], start
    for origin, destination, mode, hours in route:
        arrive = t + timedelta(hours=hours)
        out.append({"origin": origin, "destination": destination, "mode": mode,
                    "planned_depart": t.isoformat(), "planned_arrive": arrive.isoformat()})
        t = arrive + timedelta(hours=DWELL_H)
    return out


def shipment_body(start: datetime = START, **extra: Any) -> dict[str, Any]:
    """A valid shipment request along the minimal corridor."""
    body: dict[str, Any] = {
        "reference": "PO-1", "origin": "CNALS", "destination": "GEPTI",
        "cargo": {"units": 2, "weight_kg": 24000, "teu": 2, "containers": ["CSQU3054383"]},
        "legs": legs(start),
    }
    body.update(extra)
    return body


def event(event_id: str, shipment_id: int, code: str, location: str, when: datetime,
          **extra: Any) -> dict[str, Any]:
    """A transport event (ARRI/DEPA) unless ``event_type`` says otherwise."""
    body: dict[str, Any] = {
        "event_id": event_id, "shipment_id": shipment_id, "event_type": "TRANSPORT",
        "event_code": code, "classifier": "ACT", "event_time": when.isoformat(),
        "location": location, "vehicle": "train 1",
    }
    body.update(extra)
    return body


def post_at_once(client: Any, body: dict[str, Any], headers: dict[str, str],
                 n: int = 8) -> list[Any]:
    """The answers to ``n`` simultaneous ``POST /events`` of ``body``."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(lambda _: client.post("/events", json=body, headers=headers),
                             range(n)))


@dataclass
class World:
    """One organization and token per role, and a shipment of ``shipper`` on the route."""

    tokens: dict[str, str]
    org_ids: dict[str, int]
    shipment_id: int = 0
    other_shipment_id: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_world(db: Database) -> World:
    """Create the organizations, users and tokens of every role."""
    now = datetime.now(UTC)
    kinds = {"admin": "coordinator", "shipper": "shipper", "shipper_b": "shipper",
             "forwarder": "forwarder", "operator": "operator", "operator_off": "operator",
             "coordinator": "coordinator"}
    # The operator's segment is the whole route plus Kuryk (a diversion port off the route).
    places = {"operator": [*dict.fromkeys(p for leg in ROUTE for p in leg[:2]), "KZKUR"],
              "operator_off": ["TRIST"]}
    tokens, org_ids = {}, {}
    with db.write() as session:
        for role in ROLES:
            org = accounts.create_org(session=session, name=f"{role} org", kind=kinds[role],
                                      places=places.get(role, []), now=now)
            user = accounts.create_user(session=session, org_id=org.id,
                                        email=f"{role}@test.example", name=role,
                                        is_admin=role == "admin", now=now)
            tokens[role] = accounts.create_token(session=session, user_id=user.id, name="t",
                                                 now=now)[1]
            org_ids[role] = org.id
    return World(tokens, org_ids)


@dataclass(frozen=True)
class DemoData:
    """The demo data a service test's database starts with (tests marked ``demo_data``): what
    seeding wrote, the moment it was dated to end at, and the days it covers."""

    result: DemoResult
    now: datetime
    days: float
