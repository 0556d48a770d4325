"""Alerts: the ETA slipped past a threshold, or a shipment is silent longer than it should be."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from midcorridor.service import eta
from midcorridor.service.db.models import Alert, Shipment


def slip_hours(shipment: Shipment) -> float:
    """How far the ETA is behind the planned arrival, in hours."""
    return (shipment.eta - shipment.planned_arrival).total_seconds() / 3600


def check_slip(
    session: Session, shipment: Shipment, *, now: datetime, threshold_h: float
) -> Alert | None:
    """Raise an ``eta_slip`` alert each time the slip grows by another ``threshold_h``."""
    threshold = shipment.alert_threshold_h or threshold_h
    slip = slip_hours(shipment)
    if slip < threshold or slip < shipment.alerted_slip_h + threshold:
        return None
    shipment.alerted_slip_h = slip
    alert = Alert(
        shipment_id=shipment.id, kind="eta_slip", created_at=now, slip_h=round(slip, 2),
        message=f"ETA {shipment.eta:%Y-%m-%d %H:%M} UTC is {slip:.1f} h behind plan "
        f"(threshold {threshold:g} h)",
    )
    session.add(alert)
    return alert


def is_silent(shipment: Shipment, *, now: datetime, factor: float) -> bool:
    """Whether nothing was heard for longer than ``factor`` x the current step should take."""
    if shipment.status == "arrived" or not shipment.legs:
        return False
    reference = shipment.last_seen_at or shipment.legs[0].planned_depart
    step = eta.step_hours(shipment.legs, shipment.progress_rank)
    return (now - reference).total_seconds() / 3600 > step * factor


def scan_silent(session: Session, *, now: datetime, factor: float) -> list[Alert]:
    """Raise a ``silent`` alert (once per progress point) on every silent shipment."""
    alerts = []
    shipments = session.scalars(select(Shipment).where(Shipment.status != "arrived"))
    for shipment in shipments:
        if shipment.alerted_silent_rank == shipment.progress_rank:
            continue
        if not is_silent(shipment, now=now, factor=factor):
            continue
        shipment.alerted_silent_rank = shipment.progress_rank
        reference = shipment.last_seen_at or shipment.legs[0].planned_depart
        hours = (now - reference).total_seconds() / 3600
        alert = Alert(
            shipment_id=shipment.id, kind="silent", created_at=now, slip_h=None,
            message=f"no event for {hours:.1f} h; the current step should take "
            f"{eta.step_hours(shipment.legs, shipment.progress_rank):.1f} h",
        )
        session.add(alert)
        alerts.append(alert)
    return alerts
