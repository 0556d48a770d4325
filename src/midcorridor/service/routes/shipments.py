"""Shipments: create, list, read with events, ETA and its history, alerts."""

from __future__ import annotations

import json
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from midcorridor.service import forecast, positions, search
from midcorridor.service import shipments as crud
from midcorridor.service.access import Action, Principal
from midcorridor.service.db.models import Shipment
from midcorridor.service.deps import (
    PathId,
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    require,
    utcnow,
)
from midcorridor.service.http_errors import found_or_404
from midcorridor.service.paging import Limit, Skip
from midcorridor.service.public import alert_public, event_public, shipment_public
from midcorridor.service.schemas import (
    AlertsPublic,
    EtaHistoryPublic,
    EtaPublic,
    EtaRecordPublic,
    EventsPublic,
    SearchText,
    ShipmentCreate,
    ShipmentDetail,
    ShipmentPositionsPublic,
    ShipmentPublic,
    ShipmentsPublic,
)
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/shipments", tags=["shipments"])
Reader = require(Action.read_shipments)
Creator = require(Action.create_shipment)


def visible_or_404(session: Session, principal: Principal, shipment_id: int) -> Shipment:
    """The shipment if the caller may see it; otherwise a 404."""
    return found_or_404(
        crud.get_visible(session=session, principal=principal, shipment_id=shipment_id),
        "shipment")


def _readable(shipment_id: PathId, session: SessionDep, principal: Principal = Reader) -> Shipment:
    """The shipment of the path if the caller may read it; otherwise a 404."""
    return visible_or_404(session, principal, shipment_id)


ReadableShipment = Annotated[Shipment, Depends(_readable)]


@router.post("", status_code=201)
def create_shipment(
    body: ShipmentCreate, session: WriteSessionDep, settings: SettingsDep,
    principal: Principal = Creator,
) -> ShipmentPublic:
    """Create a shipment with its planned legs (or ``plan: true`` to ask the planner)."""
    shipment = crud.create_shipment(session=session, org_id=principal.org_id,
                                    shipment_in=body, now=utcnow())
    return shipment_public(shipment, settings.data)


@router.get("")
def list_shipments(
    session: SessionDep, settings: SettingsDep, principal: Principal = Reader,
    skip: Skip = 0, limit: Limit = 100,
    q: Annotated[SearchText, Query(description=(
        "Part of the reference or of a container number (any case)."))] = "",
    status: Literal["planned", "in_transit", "arrived"] | None = Query(None),
    corridor: Literal["Middle", "Northern", "Sea", "Direct"] | None = Query(
        None, description="The corridor family of the planned route (docs/glossary.md)."),
) -> ShipmentsPublic:
    """A page of the shipments the caller may read that match the search, newest first;
    ``count`` is how many match in all.
    """
    found = search.ShipmentSearch(q=q, status=status or "", corridor=corridor or "")
    rows, count = crud.list_shipments(session=session, principal=principal, skip=skip,
                                      limit=limit, search=found)
    return ShipmentsPublic(data=[shipment_public(s, settings.data) for s in rows], count=count)


@router.get("/positions")
def shipment_positions(
    session: SessionDep, principal: Principal = Reader,
    limit: int = Query(5000, ge=1, le=20_000),
    status: Literal["planned", "in_transit"] | None = Query(None),
    corridor: Literal["Middle", "Northern", "Sea", "Direct"] | None = Query(None),
) -> ShipmentPositionsPublic:
    """Where the caller's shipments that have not arrived are now, as points for a map:
    at the place of their last actual event, or along the leg they travel by the share of its
    planned hours gone (a shipment not yet seen stands at its origin); newest first.
    """
    found = search.ShipmentSearch(status=status or "", corridor=corridor or "")
    data, count = positions.positions(session, principal, found, now=utcnow(), limit=limit)
    return ShipmentPositionsPublic(data=data, count=count)


@router.get("/{shipment_id}")
def read_shipment(
    shipment: ReadableShipment, session: SessionDep, settings: SettingsDep,
) -> ShipmentDetail:
    """A shipment with its planned legs and its first 1000 events in event-time order;
    ``events_count`` says how many there are (page with ``/shipments/{id}/events``).
    """
    events, total = crud.events_of(session=session, shipment_id=shipment.id)
    return ShipmentDetail(**shipment_public(shipment, settings.data).model_dump(),
                          events=[event_public(e) for e in events], events_count=total)


@router.get("/{shipment_id}/events")
def read_shipment_events(
    shipment: ReadableShipment, session: SessionDep, skip: Skip = 0, limit: Limit = 100,
) -> EventsPublic:
    """A page of the shipment's events in event-time order, and how many there are in all."""
    events, total = crud.events_of(session=session, shipment_id=shipment.id, skip=skip,
                                   limit=limit)
    return EventsPublic(data=[event_public(e) for e in events], count=total)


@router.get("/{shipment_id}/eta")
def read_eta(s: ReadableShipment) -> EtaPublic:
    """The current ETA and the delay behind plan; P10/P50/P90 and the remaining steps."""
    segments = json.loads(s.eta_segments or "[]")
    note = forecast.before_p10(s.eta, s.eta_p10, segments)
    return EtaPublic(shipment_id=s.id, eta=s.eta, planned_arrival=s.planned_arrival,
                     delay_h=s.delay_h, status=s.status, eta_p10=s.eta_p10,
                     eta_p50=s.eta_p50, eta_p90=s.eta_p90, eta_before_p10=note is not None,
                     eta_note=note, segments=segments)


@router.get("/{shipment_id}/eta/history")
def read_eta_history(s: ReadableShipment, session: SessionDep) -> EtaHistoryPublic:
    """Every ETA the shipment has had, oldest first."""
    rows = crud.eta_history(session=session, shipment_id=s.id)
    data = [EtaRecordPublic(computed_at=r.computed_at, eta=r.eta, delay_h=r.delay_h,
                            event_id=r.event_id, p10=r.p10, p50=r.p50, p90=r.p90) for r in rows]
    return EtaHistoryPublic(data=data, count=len(data))


@router.get("/{shipment_id}/alerts")
def read_shipment_alerts(s: ReadableShipment, session: SessionDep) -> AlertsPublic:
    """The shipment's alerts, newest first."""
    rows = crud.alerts_of(session=session, shipment_id=s.id)
    return AlertsPublic(data=[alert_public(a) for a in rows], count=len(rows))
