"""Shipments: create (with planned legs, given or from the planner), list, read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from midcorridor.errors import InvalidFieldsError, UnknownPlaceError
from midcorridor.network import Network, node_by_id
from midcorridor.service import access, corridor, forecast, planning
from midcorridor.service.db.engine import database_of
from midcorridor.service.db.models import Alert, Container, EtaRecord, Event, Leg, Shipment
from midcorridor.service.schemas import (
    LegIn,
    ShipmentCreate,
)
from midcorridor.service.search import ShipmentSearch, where


def create_shipment(
    *, session: Session, org_id: int, shipment_in: ShipmentCreate, now: datetime
) -> Shipment:
    """Store a shipment of ``org_id`` with its planned legs and the first ETA record.

    Raises :class:`InvalidFieldsError` naming each place that is not a node of the service's
    network, and :class:`~midcorridor.service.planning.PlannerUnavailable` when that network
    cannot be loaded.
    """
    data = database_of(session).settings.data
    check_places(shipment_in, planning.network(data))
    legs: Sequence[LegIn]
    if shipment_in.plan:
        assert shipment_in.depart is not None
        legs = planning.plan_options(
            shipment_in.origin, shipment_in.destination, shipment_in.depart,
            shipment_in.cargo.teu or 1.0, limit=1, data=data,
        )[0]
    else:
        legs = shipment_in.legs or []
    planned_arrival = legs[-1].planned_arrive
    cargo = shipment_in.cargo
    shipment = Shipment(
        org_id=org_id, reference=shipment_in.reference, origin=legs[0].origin,
        destination=legs[-1].destination, cargo_units=cargo.units,
        cargo_weight_kg=cargo.weight_kg, cargo_teu=cargo.teu, created_at=now,
        planned_arrival=planned_arrival, eta=planned_arrival, delay_h=0.0, status="planned",
        alert_threshold_h=shipment_in.alert_threshold_h, priority=float(shipment_in.priority),
        legs=[
            Leg(seq=i, origin=leg.origin, destination=leg.destination, mode=leg.mode,
                planned_depart=leg.planned_depart, planned_arrive=leg.planned_arrive,
                distance_km=leg.distance_km, link_id=leg.link_id)
            for i, leg in enumerate(legs)
        ],
        containers=[Container(number=n) for n in dict.fromkeys(cargo.containers)],
    )
    corridor.set_up(shipment, corridor.caspian_ports(data))
    session.add(shipment)
    session.flush()
    forecast.refresh(shipment, now, forecast.Queues(session))
    session.add(EtaRecord(shipment_id=shipment.id, computed_at=now, eta=planned_arrival,
                          delay_h=0.0, event_id=None, p10=shipment.eta_p10,
                          p50=shipment.eta_p50, p90=shipment.eta_p90))
    return shipment


def check_places(shipment_in: ShipmentCreate, network: Network) -> None:
    """Refuse a shipment whose origin, destination or leg ends are not node ids of ``network``.

    Raises :class:`InvalidFieldsError` with one problem per field holding an unknown id, each
    with the place look-up's nearest names when there are close ones.
    """
    places = [("origin", shipment_in.origin), ("destination", shipment_in.destination)]
    for i, leg in enumerate(shipment_in.legs or ()):
        places += [(f"legs.{i}.origin", leg.origin), (f"legs.{i}.destination", leg.destination)]
    unknown: dict[str, str] = {}
    problems = []
    for field, place in places:
        if place in network.nodes:
            continue
        if place not in unknown:
            try:
                node_by_id(network, place)
            except UnknownPlaceError as exc:
                unknown[place] = f"{exc} (not a node of the network; GET /network/places " \
                                 "finds ids)"
        problems.append((field, unknown[place]))
    if problems:
        raise InvalidFieldsError(problems, code="unknown_place")


def visible_query(principal: access.Principal):  # type: ignore[no-untyped-def]
    """A select of the shipments the caller may read."""
    query = select(Shipment)
    if principal.role in (access.Role.shipper, access.Role.forwarder):
        query = query.where(Shipment.org_id == principal.org_id)
    elif principal.role is access.Role.operator:
        places = sorted(principal.places) or ["-"]
        on_route = select(Leg.shipment_id).where(
            or_(Leg.origin.in_(places), Leg.destination.in_(places))
        )
        query = query.where(Shipment.id.in_(on_route))
    elif principal.role is not access.Role.admin:
        query = query.where(Shipment.id < 0)
    return query


EVERYTHING = ShipmentSearch()


def list_shipments(
    *, session: Session, principal: access.Principal, skip: int, limit: int,
    search: ShipmentSearch = EVERYTHING,
) -> tuple[list[Shipment], int]:
    """A page of the caller's shipments that match ``search``, newest first, and how many
    match in all.
    """
    query = where(visible_query(principal), search, database_of(session).settings.data)
    count = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(
        query.options(selectinload(Shipment.containers))
        .order_by(Shipment.id.desc()).offset(skip).limit(limit)
    ).all()
    return list(rows), count


def get_visible(
    *, session: Session, principal: access.Principal, shipment_id: int
) -> Shipment | None:
    """The shipment if the caller may read it, else None (so that 404 leaks nothing)."""
    shipment = session.get(Shipment, shipment_id)
    if shipment is None or not access.can_see(principal, shipment):
        return None
    return shipment


def events_of(
    *, session: Session, shipment_id: int, skip: int = 0, limit: int = 1000
) -> tuple[list[Event], int]:
    """A page of a shipment's events in event-time order (late arrivals sort into place), and
    how many events it has in all.
    """
    rows = list(session.scalars(
        select(Event).where(Event.shipment_id == shipment_id)
        .order_by(Event.event_time, Event.id).offset(skip).limit(limit)
    ))
    total = session.scalar(select(func.count(Event.id)).where(Event.shipment_id == shipment_id))
    return rows, total or 0


def eta_history(*, session: Session, shipment_id: int) -> list[EtaRecord]:
    """Every ETA a shipment has had, oldest first."""
    return list(session.scalars(
        select(EtaRecord).where(EtaRecord.shipment_id == shipment_id).order_by(EtaRecord.id)
    ))


def alerts_of(*, session: Session, shipment_id: int) -> list[Alert]:
    """A shipment's alerts, newest first."""
    return list(session.scalars(
        select(Alert).where(Alert.shipment_id == shipment_id).order_by(Alert.id.desc())
    ))
