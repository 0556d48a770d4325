"""Alerts across the caller's shipments, and the silence scan."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import func, select

from midcorridor.service import alerts as alerting
from midcorridor.service.access import Action, Principal
from midcorridor.service.db.models import Alert
from midcorridor.service.deps import (
    SessionDep,
    SettingsDep,
    WriteSessionDep,
    require,
    utcnow,
)
from midcorridor.service.paging import Limit, Skip
from midcorridor.service.public import alert_public
from midcorridor.service.schemas import AlertsPublic
from midcorridor.service.shipments import visible_query
from midcorridor.service.strict_json import StrictJsonRoute

router = APIRouter(route_class=StrictJsonRoute, prefix="/alerts", tags=["alerts"])
Reader = require(Action.read_shipments)


@router.get("")
def list_alerts(
    session: SessionDep, principal: Principal = Reader,
    skip: Skip = 0, limit: Limit = 100,
) -> AlertsPublic:
    """A page of the alerts on the shipments the caller may read, newest first, and how many
    there are in all.
    """
    visible = visible_query(principal).with_only_columns(
        visible_query(principal).selected_columns.id
    )
    query = select(Alert).where(Alert.shipment_id.in_(visible))
    rows = session.scalars(query.order_by(Alert.id.desc()).offset(skip).limit(limit)).all()
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return AlertsPublic(data=[alert_public(a) for a in rows], count=total)


@router.post("/scan", dependencies=[require(Action.scan_alerts)])
def scan_alerts(session: WriteSessionDep, settings: SettingsDep) -> AlertsPublic:
    """Look for silent shipments now (the service also does this periodically)."""
    found = alerting.scan_silent(session, now=utcnow(), factor=settings.silence_factor)
    session.flush()
    return AlertsPublic(data=[alert_public(a) for a in found], count=len(found))
