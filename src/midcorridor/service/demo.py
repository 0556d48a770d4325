"""Demo data: the corridor of an ordinary day, simulated up to now and stored as events.

The baseline experiment is simulated for a warm-up (so the corridor is as full as on any day)
and then for ``days`` days up to an ordinary hour, which is dated now. The consignments of those
days become shipments, and their milestones the events the operators would have reported: trains
through the borders, cargo waiting at Aktau, Kuryk and Alat for a sailing (the trucks on the
Ro-Ro decks among it, those of the last week), the vessels' own calls at the Caspian ports
(laden or empty), storms that close the Caspian ports (a storm holding now is posted as its
ports' closure notices). Every organization that reports gets a user and a token.

Which hour is "now": cargo reaches a Caspian port a whole train at a time, so what waits there
at one moment swings from nothing to several trains (in the baseline, Alat has no containers
waiting about two hours in three). The window therefore ends at the hour, within four weeks after
``days``, at which the most of the Caspian queues (port and kind of cargo) hold cargo, none of
them beyond its usual length (:func:`ordinary_hour`).
"""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from midcorridor.errors import InputError
from midcorridor.service import accounts, closures, corridor, ingest
from midcorridor.service.access import Principal, Role
from midcorridor.service.db.models import Organization, Shipment
from midcorridor.service.feed import Feed, FeedEvent, FeedShipment, parse_feed
from midcorridor.service.shipments import create_shipment
from midcorridor.service.signin import hash_password
from midcorridor.sim.feed import FORWARDER, SHIPPER, reporting_places
from midcorridor.sim.model import CONTAINER, TRUCK, SimModel

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from midcorridor.sim.result import ConsignmentTrace

COORDINATOR = "Corridor Coordination Committee"
WARMUP_DAYS = 45.0  # long enough for the first trains of the window to be under way
CHOICE_DAYS = 28.0  # "now" is an ordinary hour within this many days after the window
USUAL_QUANTILE = 0.9  # a queue longer than this quantile of its hourly lengths is not usual
TRUCK_DAYS = 7.0
"""The demo's trucks on the Ro-Ro decks are those that set off in this many days before now:
enough for every truck still waiting or under way (a truck takes 2-4 days port to port) and a
week of their waits, without a month of single trucks (about 68 a day) to store."""
BOOKED_AHEAD = timedelta(days=2)  # assumption: a train is booked two days before it leaves
# The owners of the simulated cargo, created whatever the window's consignments are, so that
# a short window (or one without a train from China) still has a shipper and a forwarder.
OWNER_KINDS = {SHIPPER: "shipper", FORWARDER: "forwarder"}


# Every demo user signs in to the web app with this password (demo databases only).
DEMO_PASSWORD = "corridor-demo"


@dataclass(frozen=True)
class DemoResult:
    """What the demo seeding wrote: counts of organizations, shipments and events."""

    organizations: int
    shipments: int
    events: int
    tokens: dict[str, str]
    # One web sign-in per role: role -> (e-mail, organization); and every organization's
    # user e-mail and places.
    users: dict[str, tuple[str, str]] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    places: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=4)
def _model(experiment: Path | None) -> SimModel:
    from midcorridor.sim.simulate import BASELINE, prepare

    path = experiment or BASELINE
    if not path.is_file():
        raise InputError(f"{path}: no such experiment file for the demo data (give --experiment)")
    return prepare(path)


def simulated_feed(
    *, now: datetime, days: float = 30.0, seed: int = 7, experiment: Path | None = None
) -> Feed:
    """The feed of ``days`` days of the experiment (baseline by default) up to an ordinary
    hour (:func:`ordinary_hour`), dated so that the hour is ``now``.
    """
    from midcorridor.sim.feed import event_stream
    from midcorridor.sim.processes import simulate_replication

    first = (WARMUP_DAYS + days) * 24.0
    model = dataclasses.replace(_model(experiment), horizon_h=first + CHOICE_DAYS * 24.0,
                                warmup_h=WARMUP_DAYS * 24.0)
    run = simulate_replication(model, seed, 0, trace=True)
    end = ordinary_hour(model, run.traces, first)
    window = dataclasses.replace(model, horizon_h=end, warmup_h=end - days * 24.0)
    recent = end - TRUCK_DAYS * 24.0
    traces = (t.until(end) for t in run.traces
              if t.created_h <= end and (t.unit_kind != TRUCK or t.created_h >= recent))
    announced = [c for c in run.closures if c[1] <= end]
    moved = [m for m in run.movements if m[3] <= end]
    records = event_stream(window, traces, end=now, seed=seed, prefix=f"DEMO-{seed}",
                           closures=announced, movements=moved)
    return parse_feed((json.dumps(r) for r in records), f"demo feed of {model.name}")


def ordinary_hour(model: SimModel, traces: Sequence[ConsignmentTrace], first_h: float) -> float:
    """The hour from ``first_h`` to the end of the run at which the Caspian queues look like
    an ordinary day: none longer than usual, and as many of them holding cargo as at any such
    hour, container queues first (the corridor's main cargo); the latest of those hours.

    A queue is a Caspian port and a kind of cargo the event streams carry (containers in TEU,
    wagons; not the single trucks); its hourly lengths after the warm-up give its usual
    length: the :data:`USUAL_QUANTILE` quantile, or one consignment when that is longer.
    """
    from midcorridor.sim.feed import port_stays

    start, stop = math.ceil(model.warmup_h), math.floor(model.horizon_h)
    hours = stop - start + 1
    lengths: dict[tuple[str, str], list[float]] = {}
    largest: dict[tuple[str, str], float] = {}
    for stay in port_stays(model, traces):
        if not model.ports[stay.port].caspian or stay.unit_kind == TRUCK:
            continue
        key = (stay.port, stay.unit_kind)
        counts = lengths.setdefault(key, [0.0] * hours)
        largest[key] = max(largest.get(key, 0.0), stay.amount)
        lo = max(0, math.ceil(stay.arrived_h) - start)
        hi = hours if stay.left_h is None else min(hours, math.ceil(stay.left_h) - start)
        for h in range(lo, hi):
            counts[h] += stay.amount
    usual = {key: max(largest[key], sorted(c)[int(USUAL_QUANTILE * (len(c) - 1))])
             for key, c in lengths.items()}
    best: tuple[int, int, int] | None = None
    for h in range(max(0, math.ceil(first_h) - start), hours):
        if any(c[h] > usual[key] for key, c in lengths.items()):
            continue
        held = [kind for (_port, kind), c in lengths.items() if c[h] > 0]
        score = (held.count(CONTAINER), len(held), h)
        best = score if best is None or score > best else best
    return float(start + (best[-1] if best is not None else hours - 1))


def _crossing_ahead(shipment: FeedShipment, reported: set[str], ports: frozenset[str],
                   *, arrived: bool = False) -> bool:
    """True when the shipment still has to cross the Caspian: none of its events is at the
    far port of its crossing yet (and, with ``arrived``, one is at the near port).
    """
    for leg in shipment.body.legs or []:
        if leg.origin in ports and leg.destination in ports:
            return leg.destination not in reported and (not arrived or leg.origin in reported)
    return False


def _spread(items: list[FeedShipment], count: int) -> list[FeedShipment]:
    step = len(items) / count if count else 0.0
    return [items[int(i * step)] for i in range(min(count, len(items)))]


def _pick(feed: Feed, count: int | None, ports: frozenset[str]) -> Feed:
    """At most ``count`` shipments with their events: half of them (when there are so many)
    still to cross the Caspian, those waiting at its ports first, so that the coordinator has
    cargo to plan for, the rest spread evenly over the window.
    """
    if count is None or count >= len(feed.shipments):
        return feed
    reported: dict[str, set[str]] = {}
    for e in feed.events:
        reported.setdefault(e.shipment, set()).add(e.body["location"])
    ahead = [s for s in feed.shipments
             if _crossing_ahead(s, reported.get(s.reference, set()), ports)]
    waiting = [s for s in ahead
               if _crossing_ahead(s, reported.get(s.reference, set()), ports, arrived=True)]
    keep = {s.reference for s in waiting[:count // 2]}
    keep |= {s.reference for s in _spread([s for s in ahead if s.reference not in keep],
                                          count // 2 - len(keep))}
    rest = [s for s in feed.shipments if s.reference not in keep]
    keep |= {s.reference for s in _spread(rest, count - len(keep))}
    chosen = tuple(s for s in feed.shipments if s.reference in keep)
    return Feed(chosen, tuple(e for e in feed.events if not e.shipment or e.shipment in keep))


def _organizations(feed: Feed, model: SimModel) -> dict[str, tuple[str, set[str]]]:
    """Every organization: kind and the places it reports at (an operator's whole segment on
    the model's paths, so that it may report any day's events there).
    """
    orgs: dict[str, tuple[str, set[str]]] = {COORDINATOR: ("coordinator", set())}
    for owner, kind in OWNER_KINDS.items():
        orgs[owner] = (kind, set())
    for s in feed.shipments:
        orgs.setdefault(s.owner, ("forwarder", set()))
    for name, places in reporting_places(model).items():
        orgs.setdefault(name, ("operator", set()))[1].update(places)
    for e in feed.events:
        kind, places = orgs.setdefault(e.operator, ("operator", set()))
        if kind == "operator":
            places.add(e.body["location"])
    return orgs


def seed(
    session: Session,
    *,
    now: datetime,
    shipments: int | None = None,
    seed: int = 7,
    days: float = 30.0,
    experiment: Path | None = None,
) -> DemoResult:
    """Create the demo organizations (one user and token each), shipments and their events."""
    if session.scalar(select(Organization.id).where(Organization.name == COORDINATOR)):
        raise InputError("demo data is already loaded in this database; use a fresh one")
    full = simulated_feed(now=now, days=days, seed=seed, experiment=experiment)
    feed = _pick(full, shipments, corridor.caspian_ports(corridor.data_of(session)))
    tokens: dict[str, str] = {}
    principals: dict[str, Principal] = {}
    admin_org = accounts.create_org(session=session, name="midcorridor platform",
                                    kind="coordinator", places=[], now=now)
    admin = accounts.create_user(session=session, org_id=admin_org.id, email="admin@demo.test",
                                 name="Platform admin", is_admin=True, now=now)
    password_hash = hash_password(DEMO_PASSWORD)
    admin.password_hash = password_hash
    users = {"admin": (admin.email, admin_org.name)}
    emails: dict[str, str] = {}
    tokens["admin"] = accounts.create_token(session=session, user_id=admin.id, name="demo",
                                            now=now)[1]
    orgs = _organizations(full, _model(experiment))
    for i, (name, (kind, places)) in enumerate(sorted(orgs.items())):
        org = accounts.create_org(session=session, name=name, kind=kind,
                                  places=sorted(places), now=now)
        user = accounts.create_user(session=session, org_id=org.id, email=f"user{i}@demo.test",
                                    name=f"{name} desk", is_admin=False, now=now)
        user.password_hash = password_hash
        users.setdefault(kind, (user.email, name))
        emails[name] = user.email
        principals[name] = Principal(user.id, org.id, Role(kind), frozenset(places))
        tokens[name] = accounts.create_token(session=session, user_id=user.id, name="demo",
                                             now=now)[1]
    # Each shipment is booked before it sets off and each event received as it happens, so
    # the ETA history reads as it would have on those days.
    # The booked shipments stay referenced while the events are received, so the session
    # keeps them and their legs from one reporter's batch to the next instead of reading
    # them again for each.
    booked = _book(session, feed, principals, now)
    _receive(session, feed, principals, booked, now)
    _post_closures(session, full, principals, now)
    return DemoResult(len(principals) + 1, len(feed.shipments), len(feed.events), tokens,
                      users, emails, {n: tuple(sorted(p)) for n, (_, p) in orgs.items()})


def _book(session: Session, feed: Feed, principals: dict[str, Principal],
          now: datetime) -> dict[str, Shipment]:
    """Create the feed's shipments, each booked before its first event or departure; by
    reference.
    """
    first: dict[str, datetime] = {}
    for e in feed.events:
        first.setdefault(e.shipment, e.time)
    ids = {}
    for s in feed.shipments:
        legs = s.body.legs or []
        booked = min([now, *(t for t in (first.get(s.reference),) if t is not None),
                      *([legs[0].planned_depart] if legs else [])]) - BOOKED_AHEAD
        ids[s.reference] = create_shipment(session=session, org_id=principals[s.owner].org_id,
                                           shipment_in=s.body, now=booked)
    return ids


def _receive(session: Session, feed: Feed, principals: dict[str, Principal],
             booked: dict[str, Shipment], now: datetime) -> None:
    """Ingest the feed's events as they happened: consecutive events of one reporter together."""
    run: list[FeedEvent] = []
    for event in (*feed.events, None):
        if run and (event is None or event.operator != run[0].operator):
            received = min(now, max(e.time for e in run))
            ingest.ingest(session, principals[run[0].operator],
                          [e.create(booked[e.shipment].id if e.shipment else None)
                           for e in run], now=received,
                          slip_threshold_h=24.0)
            run = []
        if event is not None:
            run.append(event)


def _post_closures(session: Session, feed: Feed, principals: dict[str, Principal],
                   now: datetime) -> None:
    """Post the ports' notices of the closures holding now, each by its port's authority (a
    storm that ended before now needs no notice any more).
    """
    ports = corridor.caspian_ports(corridor.data_of(session))
    for notice in feed.closures:
        if notice.start <= now < notice.end:
            record = closures.post(session, notice.body, now=now, ports=ports,
                                   org_id=principals[notice.operator].org_id,
                                   user_id=principals[notice.operator].user_id)
            ingest.refresh_closed(session, record, now=now)
