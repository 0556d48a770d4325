"""Caspian plans from live bookings: build the instance, solve it, store it, publish it.

A plan is made in a job (a worker process): the instance is built from the live state (cargo
waiting at the Caspian ports and due there within the horizon, the fleet where its last
events put it, the request's closures and the posted ones, vessels out of service), solved
with HiGHS beside FIFO, then stored and published in ONE transaction: each assigned
shipment's crossing leg takes its sailing's times (the legs after it move by as much), and its
ETA and spread are recomputed. A job that fails before that transaction commits leaves
nothing behind.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from midcorridor.crossing import optimize_crossing
from midcorridor.crossing.model import CrossingInstance, Sailing, UnitType
from midcorridor.crossing.result import CrossingPlan
from midcorridor.errors import InputError
from midcorridor.live import fleet as live_fleet
from midcorridor.live.closures import CASPIAN
from midcorridor.live.instance import PortClosure, ShipmentCargo, crossing_instance, shipment_of
from midcorridor.live.position import crossing_leg
from midcorridor.live.state import OVERDUE_LIMIT_H
from midcorridor.service import closures as port_closures
from midcorridor.service import corridor, forecast, ingest
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import CrossingPlanRecord, Shipment
from midcorridor.service.jobs import JobContext, parse_params, register_job_kind, utcnow
from midcorridor.service.planning import network
from midcorridor.service.schemas import CrossingPlanRequest

Progress = Callable[[float, str], None]


def live_cargo(session: Session, *, start: datetime, horizon_h: float) -> list[ShipmentCargo]:
    """Each shipment waiting at a Caspian port, or due at one within the horizon, as cargo."""
    ports = corridor.caspian_ports(corridor.data_of(session))
    end = start + timedelta(hours=horizon_h)
    s = Shipment
    rows = session.scalars(select(s).where(or_(
        and_(s.position_place.in_(ports), s.position_next == ""),
        and_(s.next_port.in_(ports), s.next_port_eta <= end,
             s.next_port_eta >= start - timedelta(hours=OVERDUE_LIMIT_H))))).all()
    out = []
    for shipment in rows:
        legs = shipment.legs
        j = crossing_leg(legs, ports, after=shipment.position_rank)
        if j is None:
            continue
        leg = legs[j]
        waiting = shipment.position_place == leg.origin and not shipment.position_next
        ready = shipment.position_at if waiting else shipment.next_port_eta
        if ready is None:
            continue
        out.append(ShipmentCargo(shipment.id, leg.origin, leg.destination,
                                 UnitType(shipment.unit_type), shipment.unit_count, ready,
                                 leg.planned_arrive, shipment.priority))
    return out


def build_instance(session: Session, request: CrossingPlanRequest, *,
                   now: datetime) -> CrossingInstance:
    """The optimizer's instance for ``request`` from the live state at ``now``."""
    start = now.replace(minute=0, second=0, microsecond=0)
    horizon_h = request.horizon_days * 24
    closures = []
    for i, c in enumerate(request.closures):
        begin = c.start or start
        if c.hours > horizon_h:
            raise InputError(f"closures[{i}].hours: {c.hours:g} h is longer than the horizon "
                             f"of {horizon_h:g} h; shorten it or lengthen horizon_days")
        closures.append(PortClosure(c.place, begin, begin + timedelta(hours=c.hours)))
    data = corridor.data_of(session)
    ports = corridor.caspian_ports(data)
    end = start + timedelta(hours=horizon_h)
    closures += [PortClosure(c.place, c.start, c.end)  # posted ones, after the request's
                 for c in port_closures.posted(session, start, end)
                 if c.place == CASPIAN or c.place in ports]
    fleet = corridor.fleet(data)
    states = live_fleet.vessel_states(fleet, corridor.vessel_marks(session, None))
    return crossing_instance(
        network(data), live_cargo(session, start=start, horizon_h=horizon_h), fleet=fleet,
        vessel_states=states, start=start, horizon_h=horizon_h, closures=closures,
        out_of_service=request.fleet.out_of_service, sailings=request.mode == "assignment")


def plan_document(plan: CrossingPlan, instance: CrossingInstance,
                  names: dict[str, str]) -> dict[str, Any]:
    """The stored (and served) plan: figures, FIFO beside them, assignments, sailings."""
    figures = plan.figures.to_dict()
    return {
        "solver": plan.solver, "mode": plan.mode, "status": plan.status,
        "objective": round(plan.objective, 3), "bound": round(plan.bound, 3),
        "gap": round(plan.gap, 6), "seconds": round(plan.seconds, 3),
        "mean_wait_hours": figures["mean_wait_hours"],
        "p95_wait_hours": figures["p95_wait_hours"],
        "left_behind_units": figures["left_behind_units"],
        "assigned_units": figures["assigned_units"],
        "mean_wait_reduction": round(plan.mean_wait_reduction, 4),
        "fifo": plan.fifo.to_dict(),
        "bookings": len(instance.bookings),
        "assignments": [{"shipment_id": shipment_of(a.booking), "sailing": a.sailing,
                         "units": a.units} for a in plan.assignments],
        "sailings": [{"id": s.id, "vessel": s.vessel, "vessel_name": names.get(s.vessel, ""),
                      "origin": s.origin, "destination": s.destination,
                      "departure": instance.at(s.departure).isoformat(),
                      "arrival": instance.at(s.arrival).isoformat()}
                     for s in sorted(plan.sailings, key=lambda s: (s.departure, s.id))],
        "notes": list(plan.notes),
    }


def publish(session: Session, instance: CrossingInstance, plan: CrossingPlan, *, now: datetime,
            org_id: int, user_id: int | None, job_id: int | None) -> int:
    """Store the plan and put each booked shipment's crossing leg on its sailing."""
    names = {v.id: v.name for v in instance.vessels}
    record = CrossingPlanRecord(
        created_at=now, org_id=org_id, user_id=user_id, job_id=job_id, mode=plan.mode,
        status=plan.status, start=instance.start, horizon_h=instance.horizon_h,
        document=json.dumps(plan_document(plan, instance, names), separators=(",", ":")))
    session.add(record)
    session.flush()
    sailings = {s.id: s for s in plan.sailings}
    first: dict[int, Sailing] = {}
    for a in plan.assignments:
        s = sailings[a.sailing]
        sid = shipment_of(a.booking)
        if sid not in first or (s.departure, s.id) < (first[sid].departure, first[sid].id):
            first[sid] = s
    ids = sorted(shipment_of(b.id) for b in instance.bookings)
    queues = forecast.Queues(session)
    ports = corridor.caspian_ports(queues.data)
    for shipment in session.scalars(select(Shipment).where(Shipment.id.in_(ids))
                                    .order_by(Shipment.id).with_for_update()):
        legs = shipment.legs
        j = crossing_leg(legs, ports, after=shipment.position_rank)
        if j is None:
            continue
        sailing = first.get(shipment.id)
        if sailing is None:  # left behind by this plan: no sailing for it any more
            legs[j].plan_id = legs[j].sailing = legs[j].vessel = None
        else:
            depart, arrive = instance.at(sailing.departure), instance.at(sailing.arrival)
            shift = arrive - legs[j].planned_arrive
            legs[j].planned_depart, legs[j].planned_arrive = depart, arrive
            legs[j].plan_id, legs[j].sailing = record.id, sailing.id
            legs[j].vessel = names.get(sailing.vessel, sailing.vessel)
            for later in legs[j + 1:]:
                later.planned_depart += shift
                later.planned_arrive += shift
        ingest.refresh_eta(session, shipment, now, queues, None, always=True)
    return record.id


def make_plan(db: Database, request: CrossingPlanRequest, *, now: datetime, org_id: int,
              user_id: int | None, job_id: int | None = None,
              progress: Progress = lambda _f, _m: None) -> int:
    """Build, solve, store and publish a plan; its id. Nothing is written if it fails."""
    progress(0.05, "building the instance from the live corridor")
    with db.read() as session:
        instance = build_instance(session, request, now=now)
    progress(0.15, f"solving: {len(instance.bookings)} bookings, {len(instance.vessels)} "
                   f"vessels, {request.mode} mode, up to {request.time_limit_s:g} s")
    plan = optimize_crossing(instance, mode=request.mode, time_limit=request.time_limit_s)
    progress(0.9, "publishing the plan")
    with db.write() as session:
        if job_id is not None:  # a job run again after its worker stopped publishes once
            done = session.scalar(select(CrossingPlanRecord.id)
                                  .where(CrossingPlanRecord.job_id == job_id))
            if done is not None:
                return int(done)
        return publish(session, instance, plan, now=now, org_id=org_id, user_id=user_id,
                       job_id=job_id)


PLAN_JOB = "crossing_plan"


def plan_job(params: dict[str, Any], progress: JobContext) -> dict[str, Any]:
    """The ``crossing_plan`` job: :func:`make_plan` for the request in ``params``."""
    request = parse_params(CrossingPlanRequest, params)
    plan_id = make_plan(progress.db, request, now=utcnow(), org_id=progress.org_id,
                        user_id=progress.user_id, job_id=progress.job_id, progress=progress)
    return {"plan_id": plan_id, "url": f"/crossing/plans/{plan_id}"}


register_job_kind(PLAN_JOB, plan_job)


def latest_id(session: Session) -> int | None:
    """The id of the newest crossing plan, or None when there is none."""
    return session.scalar(select(CrossingPlanRecord.id).order_by(
        CrossingPlanRecord.id.desc()).limit(1))


def document_of(record: CrossingPlanRecord) -> dict[str, Any]:
    """The plan as served: the stored document with its id, time and horizon; each sailing
    with the units and shipments assigned to it.
    """
    doc = json.loads(record.document)
    units: dict[str, int] = {}
    shipments: dict[str, set[int]] = {}
    for a in doc["assignments"]:
        units[a["sailing"]] = units.get(a["sailing"], 0) + a["units"]
        shipments.setdefault(a["sailing"], set()).add(a["shipment_id"])
    doc["sailings"] = [{**s, "units": units.get(s["id"], 0),
                        "shipments": len(shipments.get(s["id"], ()))} for s in doc["sailings"]]
    return {"id": record.id, "created_at": record.created_at, "start": record.start,
            "horizon_h": record.horizon_h, "job_id": record.job_id, **doc}


