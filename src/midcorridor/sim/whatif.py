"""What if, from now: the corridor as it is, a change, and the difference it makes.

:func:`whatif` runs the model from an :class:`~midcorridor.sim.initial.InitialState` for
``days`` twice per replication, once as it is ("doing nothing") and once with the
:class:`Changes`, with the same random streams (common random numbers), and returns the KPI
differences with 95% intervals and the shipments of the initial state whose median arrival
moves most.
"""

from __future__ import annotations

import dataclasses
import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from midcorridor.errors import InputError
from midcorridor.sim.estimate import Estimate, estimate, quantile
from midcorridor.sim.experiment import Checker, ShipSpec, added_ships
from midcorridor.sim.initial import Closure, InitialState
from midcorridor.sim.model import Dist, LandLeg, Line, SimModel, Stream, Variant
from midcorridor.sim.record import Record
from midcorridor.sim.run import Progress, run

if TYPE_CHECKING:
    from collections.abc import Mapping

    from midcorridor.sim.result import ReplicationResult

CASPIAN = "caspian"  # a closure of every Caspian port


@dataclass(frozen=True)
class ClosureChange:
    """A port (id or name) or the whole Caspian (``"caspian"``) closed for ``hours``."""

    place: str
    hours: float
    start_h: float = 0.0


@dataclass(frozen=True)
class Changes:
    """What a what-if changes in the corridor."""

    vessels_out: tuple[str, ...] = ()
    vessels_added: tuple[ShipSpec, ...] = ()
    closures: tuple[ClosureChange, ...] = ()
    berths: Mapping[str, int] = dataclasses.field(default_factory=dict)
    handling_h: Mapping[str, float] = dataclasses.field(default_factory=dict)
    border_dwell_h: Mapping[str, float] = dataclasses.field(default_factory=dict)


CHANGE_KEYS = ("vessels_out", "vessels_added", "closures", "berths", "handling_h", "border_dwell_h")


def parse_changes(doc: Any, where: str = "changes") -> Changes:
    """Read a changes document (JSON or YAML shape); :class:`InputError` names every field at
    fault.
    """
    ck = Checker(where)
    doc = ck.mapping(doc, where, CHANGE_KEYS)
    added = added_ships(ck, doc.get("vessels_added"), f"{where}.vessels_added")
    closures = []
    for i, c in enumerate(ck.items(doc.get("closures"), f"{where}.closures")):
        w = f"{where}.closures[{i}]"
        c = ck.mapping(c, w)
        hours = ck.number(c.get("hours"), f"{w}.hours")
        start_h = ck.number(c.get("start_h", 0.0), f"{w}.start_h")
        if not c.get("place"):
            ck.problem(f"{w}.place", "name a port, or 'caspian' for every Caspian port")
        else:
            closures.append(ClosureChange(str(c["place"]), hours, start_h))
    changes = Changes(
        vessels_out=tuple(str(v) for v in ck.items(doc.get("vessels_out"), f"{where}.vessels_out")),
        vessels_added=tuple(added),
        closures=tuple(closures),
        berths=_figures(ck, doc, where, "berths", low=1.0, whole=True),
        handling_h=_figures(ck, doc, where, "handling_h"),
        border_dwell_h=_figures(ck, doc, where, "border_dwell_h"),
    )
    ck.raise_input()
    return changes


def _figures(
    ck: Checker, doc: Mapping[str, Any], where: str, key: str, low: float = 0.0,
    whole: bool = False,
) -> dict[str, Any]:
    """A mapping of places to numbers of at least ``low`` (``whole``: cut to whole numbers)."""
    out: dict[str, Any] = {}
    for k, v in ck.mapping(doc.get(key), f"{where}.{key}").items():
        value = ck.number(v, f"{where}.{key}.{k}", low)
        out[str(k)] = int(value) if whole else value
    return out


def _port(model: SimModel, place: str, where: str) -> str:
    if place in model.ports:
        return place
    for pid, port in model.ports.items():
        if port.name.casefold() == place.casefold() or port.name.split(" (")[0].casefold() == (
            place.casefold()
        ):
            return pid
    known = ", ".join(sorted(f"{p} ({model.ports[p].name})" for p in model.ports))
    raise InputError(f"{where}: unknown port {place!r}; ports: {known}")


def _dwell_place(model: SimModel, place: str, where: str) -> str:
    kinds = ("border", "gauge", "dwell")
    places = {p for p, kind in model.places.items() if kind in kinds}
    if place in places:
        return place
    for p in places:
        if model.place_names.get(p, "").casefold() == place.casefold():
            return p
    known = ", ".join(sorted(model.place_names.get(p, p) for p in places))
    raise InputError(f"{where}: unknown border {place!r}; borders: {known}")


def _with_dwell(streams: tuple[Stream, ...], place: str, hours: float) -> tuple[Stream, ...]:
    def step(s: Any) -> Any:
        if isinstance(s, LandLeg) and s.place == place and s.dwell is not None:
            d = s.dwell
            dwell = d.scaled(hours / d.mode) if d.mode > 0 else Dist(hours, hours, hours)
            return dataclasses.replace(s, dwell=dwell)
        return s

    return tuple(
        dataclasses.replace(
            st,
            variants=tuple(
                Variant(v.label, tuple(step(x) for x in v.steps), v.share) for v in st.variants
            ),
        )
        for st in streams
    )


def _fleet(model: SimModel, changes: Changes) -> tuple[Line, ...]:
    """The lines with the vessels taken out and added; an unknown vessel or line is an error."""
    names = {s.name for line in model.lines for s in line.ships}
    for i, name in enumerate(changes.vessels_out):
        if name not in names:
            raise InputError(
                f"changes.vessels_out[{i}]: unknown vessel {name!r}; vessels: "
                + ", ".join(sorted(names))
            )
    line_ids = {line.id for line in model.lines}
    for i, added in enumerate(changes.vessels_added):
        if added.line not in line_ids:
            raise InputError(
                f"changes.vessels_added[{i}].line: unknown line {added.line!r}; lines: "
                + ", ".join(sorted(line_ids))
            )
    out = set(changes.vessels_out)
    lines: list[Line] = []
    for line in model.lines:
        ships = [s for s in line.ships if s.name not in out]
        ships += [
            a.ship()
            for a in changes.vessels_added
            if a.line == line.id
        ]
        lines.append(dataclasses.replace(line, ships=tuple(ships)))
    return tuple(lines)


def _closures(model: SimModel, changes: Changes) -> tuple[Closure, ...]:
    """The model's closures and the changes' (a closure of "caspian" closes every Caspian port)."""
    closures = list(model.closures)
    caspian = tuple(p for p, port in model.ports.items() if port.caspian)
    for i, c in enumerate(changes.closures):
        where = f"changes.closures[{i}]"
        if c.start_h + c.hours > model.horizon_h:
            raise InputError(
                f"{where}.hours: a closure of {c.hours:g} h from hour {c.start_h:g} runs past the "
                f"horizon ({model.horizon_h:g} h); shorten it or run more days"
            )
        closed = (
            caspian if c.place.casefold() == CASPIAN else (_port(model, c.place, f"{where}.place"),)
        )
        closures.append(Closure(closed, c.hours, c.start_h))
    return tuple(closures)


def apply_changes(model: SimModel, changes: Changes) -> SimModel:
    """The model with the changes made; :class:`InputError` names an unknown vessel or place
    or a closure longer than the horizon.
    """
    lines = _fleet(model, changes)
    closures = _closures(model, changes)
    ports = dict(model.ports)
    for place, berths in changes.berths.items():
        pid = _port(model, place, f"changes.berths.{place}")
        ports[pid] = dataclasses.replace(ports[pid], berths=berths)
    for place, hours in changes.handling_h.items():
        pid = _port(model, place, f"changes.handling_h.{place}")
        h = ports[pid].handling
        scaled = h.scaled(hours / h.mode) if h.mode > 0 else Dist(hours, hours, hours)
        ports[pid] = dataclasses.replace(ports[pid], handling=scaled, ferry_handling=None)
    streams = model.streams
    for place, hours in changes.border_dwell_h.items():
        streams = _with_dwell(
            streams, _dwell_place(model, place, f"changes.border_dwell_h.{place}"), hours
        )
    return dataclasses.replace(
        model,
        name=f"{model.name} changed",
        lines=lines,
        closures=closures,
        ports=ports,
        streams=streams,
    )


@dataclass(frozen=True)
class KpiDelta(Record):
    """A KPI as it is, with the change, and their paired difference (all over replications)."""

    name: str
    measures: str
    base: Estimate
    changed: Estimate
    delta: Estimate

    def to_dict(self) -> dict[str, Any]:
        """The delta as JSON-ready values."""
        values = super().to_dict()
        return {"kpi": values.pop("name"), **values}


@dataclass(frozen=True)
class ShipmentShift(Record):
    """A shipment of the initial state: its median arrival (hours from now) as it is and with
    the change; ``None`` when it arrives after the horizon in most replications.
    """

    shipment: str
    base_p50_h: float | None
    changed_p50_h: float | None
    shift_h: float | None


@dataclass(frozen=True)
class WhatIf(Record):
    """The answer of a what-if: KPI deltas with 95% intervals and the shipments moved most."""

    days: float
    replications: int
    seed: int
    kpis: tuple[KpiDelta, ...]
    shipments: tuple[ShipmentShift, ...]
    backend: str = "in-process"

    def kpi(self, name: str) -> KpiDelta:
        """The delta of the KPI called ``name``."""
        return next(k for k in self.kpis if k.name == name)


MEASURES = {
    "caspian_wait_hours": "hours a consignment waits at a Caspian port for a vessel, over the "
    "consignments that sailed within the horizon (the initial state's included)",
    "delivered_teu": "TEU delivered at their destination within the horizon",
    "waiting_at_caspian_ports_units": "units still waiting at the Caspian ports at the horizon",
    "waiting_at_caspian_ports_mean_units": "units waiting at the Caspian ports, averaged over "
    "the horizon",
    "initial_shipments_delivered": "shipments of the initial state delivered within the horizon",
}


def _kpis(model: SimModel, r: ReplicationResult) -> dict[str, float]:
    caspian = {p for p, port in model.ports.items() if port.caspian}
    waits = [h for _c, place, h in r.waits if place in caspian]
    waiting = sum(
        s["queued_units"] for p, s in r.places.items() if s.get("kind") == "port" and p in caspian
    )
    delivered = {d[0] for d in r.deliveries}
    return {
        "caspian_wait_hours": statistics.fmean(waits) if waits else float("nan"),
        "delivered_teu": float(sum(d[6] for d in r.deliveries)),
        "waiting_at_caspian_ports_units": float(waiting),
        "waiting_at_caspian_ports_mean_units": sum(
            s["queue_area"]
            for p, s in r.places.items()
            if s.get("kind") == "port" and p in caspian
        )
        / model.horizon_h,
        "initial_shipments_delivered": float(sum(1 for c in r.shipments if c in delivered)),
    }


def _arrivals(r: ReplicationResult) -> dict[str, float]:
    at = {d[0]: d[4] for d in r.deliveries}
    return {ship: at[c] for c, ship in r.shipments.items() if c in at}


def _p50(hours: list[float], n: int) -> float | None:
    """The median over ``n`` replications of arrivals (missing ones after the horizon)."""
    if len(hours) * 2 <= n:
        return None
    padded = sorted(hours) + [float("inf")] * (n - len(hours))
    return quantile(padded, 0.5)


def whatif(
    model: SimModel,
    start: InitialState,
    changes: Changes,
    *,
    days: float,
    replications: int = 10,
    seed: int = 0,
    top: int = 10,
    workers: int = 1,
    dask: Any = None,
    progress: Progress | None = None,
) -> WhatIf:
    """Run ``days`` from ``start`` as it is and with ``changes``, with common random numbers."""
    if days <= 0:
        raise InputError(f"days: {days:g} must be more than 0")
    base = dataclasses.replace(model, horizon_h=days * 24.0, warmup_h=0.0, start=start)
    changed = apply_changes(base, changes)
    half = (lambda done: progress(done)) if progress is not None else None
    a = run(base, replications=replications, seed=seed, workers=workers, dask=dask, progress=half)
    b = run(
        changed,
        replications=replications,
        seed=seed,
        workers=workers,
        dask=dask,
        progress=(lambda done: progress(replications + done)) if progress is not None else None,
    )
    ka = [_kpis(base, r) for r in a.replications]
    kb = [_kpis(changed, r) for r in b.replications]
    kpis = tuple(
        KpiDelta(
            name,
            measures,
            estimate([k[name] for k in ka]),
            estimate([k[name] for k in kb]),
            estimate([y[name] - x[name] for x, y in zip(ka, kb, strict=True)]),
        )
        for name, measures in MEASURES.items()
    )
    arr_a = [_arrivals(r) for r in a.replications]
    arr_b = [_arrivals(r) for r in b.replications]
    shifts = []
    for cargo in start.cargo:
        ref = cargo.shipment
        pa = _p50([x[ref] for x in arr_a if ref in x], replications)
        pb = _p50([x[ref] for x in arr_b if ref in x], replications)
        shift = pb - pa if pa is not None and pb is not None else None
        shifts.append(ShipmentShift(ref, pa, pb, shift))

    def size(s: ShipmentShift) -> float:
        if s.shift_h is not None:
            return abs(s.shift_h)
        return float("inf") if (s.base_p50_h is None) != (s.changed_p50_h is None) else -1.0

    shifts.sort(key=lambda s: (-size(s), s.shipment))
    return WhatIf(days, replications, seed, kpis, tuple(shifts[:top]), a.backend)
