"""Stored rows and computed states as the API's public models: one mapper each."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from midcorridor.live.closures import CASPIAN
from midcorridor.live.state import CorridorState, UnitCounts
from midcorridor.network import Node
from midcorridor.service.closures import status_of
from midcorridor.service.db.models import (
    Alert,
    Event,
    Job,
    PortClosureRecord,
    Shipment,
    Subscription,
)
from midcorridor.service.schemas import (
    AlertPublic,
    CargoPublic,
    ClosureInForcePublic,
    CorridorStatePublic,
    EventPublic,
    JobPublic,
    LegPublic,
    PortClosurePublic,
    PortStatePublic,
    SegmentStatePublic,
    ShipmentPublic,
    SubscriptionPublic,
    UnitsPublic,
    VesselStatePublic,
)
from midcorridor.service.search import family_of_legs


def shipment_public(shipment: Shipment, data: str) -> ShipmentPublic:
    """The API shape of a shipment; its corridor family on the places of the data folder
    ``data``.
    """
    return ShipmentPublic(
        id=shipment.id, org_id=shipment.org_id, reference=shipment.reference,
        origin=shipment.origin, destination=shipment.destination,
        cargo=CargoPublic(units=shipment.cargo_units, weight_kg=shipment.cargo_weight_kg,
                          teu=shipment.cargo_teu,
                          containers=[c.number for c in shipment.containers]),
        legs=[
            LegPublic(seq=leg.seq, origin=leg.origin, destination=leg.destination,
                      mode=leg.mode,  # type: ignore[arg-type]
                      planned_depart=leg.planned_depart, planned_arrive=leg.planned_arrive,
                      distance_km=leg.distance_km, link_id=leg.link_id)
            for leg in shipment.legs
        ],
        corridor=family_of_legs(shipment.legs, data),
        status=shipment.status, planned_arrival=shipment.planned_arrival, eta=shipment.eta,
        delay_h=shipment.delay_h, last_seen_at=shipment.last_seen_at,
        created_at=shipment.created_at,
    )


def event_public(event: Event) -> EventPublic:
    """The API shape of a stored event."""
    return EventPublic(
        id=event.id, event_id=event.client_event_id, shipment_id=event.shipment_id,
        reporting_org_id=event.org_id, event_type=event.event_type, event_code=event.event_code,
        classifier=event.classifier, event_time=event.event_time, received_at=event.received_at,
        location=event.location, vehicle=event.vehicle, mode=event.mode,
        equipment_reference=event.equipment_reference, document_type=event.document_type,
        description=event.description, off_route=event.off_route, facility=event.facility,
    )


def alert_public(alert: Alert) -> AlertPublic:
    """The API shape of an alert."""
    """An alert as the API shows it."""
    return AlertPublic(id=alert.id, shipment_id=alert.shipment_id, kind=alert.kind,  # type: ignore[arg-type]
                       created_at=alert.created_at, message=alert.message, slip_h=alert.slip_h)


def job_public(job: Job) -> JobPublic:
    """The API shape of a stored job."""
    return JobPublic(
        id=job.id, kind=job.kind, status=job.status,  # type: ignore[arg-type]
        progress=job.progress, progress_message=job.progress_message,
        organization_id=job.org_id, requested_by=job.requested_by, params=job.params,
        result=job.result, error=job.error or None, attempts=job.attempts,
        created_at=job.created_at, started_at=job.started_at, finished_at=job.finished_at,
    )


def subscription_public(sub: Subscription) -> SubscriptionPublic:
    """The API shape of a subscription (without its secret)."""
    return SubscriptionPublic(id=sub.id, shipment_id=sub.shipment_id,
                              callback_url=sub.callback_url, active=sub.active,
                              created_at=sub.created_at)


def _units(counts: UnitCounts) -> UnitsPublic:
    return UnitsPublic(**counts.to_dict())


def corridor_state_public(state: CorridorState, nodes: Mapping[str, Node]) -> CorridorStatePublic:
    """The API shape of a corridor state; ports are named from ``nodes``."""
    return CorridorStatePublic(
        as_of=state.as_of,
        ports=[PortStatePublic(place=p.place, name=nodes[p.place].name if p.place in nodes
                               else p.place, waiting=_units(p.waiting),
                               shipments=list(p.shipments), oldest_wait_h=p.oldest_wait_h,
                               arriving_next_72h=_units(p.arriving),
                               arriving_shipments=list(p.arriving_shipments),
                               closure=None if p.closure is None else ClosureInForcePublic(
                                   id=p.closure.id, place=p.closure.place,
                                   start=p.closure.start, end=p.closure.end,
                                   reason=p.closure.reason))
               for p in state.ports],
        vessels=[VesselStatePublic(id=v.id, name=v.name, status=v.status,  # type: ignore[arg-type]
                                   place=v.place, since=v.since) for v in state.vessels],
        segments=[SegmentStatePublic(origin=s.origin, destination=s.destination,
                                     units=_units(s.units), shipments=s.shipments)
                  for s in state.segments],
    )


def port_closure_public(record: PortClosureRecord, nodes: Mapping[str, Node],
                        now: datetime) -> PortClosurePublic:
    """The API shape of a posted closure, its status as of ``now``."""
    name = ("the whole Caspian" if record.place == CASPIAN
            else nodes[record.place].name if record.place in nodes else record.place)
    return PortClosurePublic(
        id=record.id, place=record.place, name=name, start=record.starts_at,
        end=record.ends_at, reason=record.reason,
        status=status_of(record, now),  # type: ignore[arg-type]
        organization_id=record.org_id, created_at=record.created_at,
        cancelled_at=record.cancelled_at)
