"""Rotation mode: decide the sailings (which vessel leaves which port when) and the loading.

Each vessel is a unit of flow through the time-expanded network of :mod:`timegrid`: at every
reachable (port, step) what comes in goes out, by waiting a step or by a voyage (a 0/1
column). Berths limit how many vessels load or unload at a port in a step. The cargo part
(:mod:`cargo`) is shared with assignment mode, with each voyage's deck opened only when the
voyage is taken. The MILP is warm-started from first come, first served on the same grid.
"""

from __future__ import annotations

import time
from collections import deque

import numpy as np

from midcorridor.crossing.cargo import Arc, Slot, add_cargo
from midcorridor.crossing.fifo_rotation import fifo_rotation, voyage_sailing
from midcorridor.crossing.model import CrossingInstance, Vessel
from midcorridor.crossing.result import CrossingPlan, evaluate
from midcorridor.crossing.solver import INF, SparseModel, solve
from midcorridor.crossing.timegrid import TimeGrid, Voyage, berth_steps, make_grid, voyages_from


def _reachable(instance: CrossingInstance, grid: TimeGrid, vessel: Vessel
               ) -> tuple[list[tuple[str, int]], list[Voyage]]:
    start = (vessel.available_at, grid.first_step(vessel))
    seen = {start}
    todo = deque([start])
    voyages: list[Voyage] = []
    while todo:
        port, t = todo.popleft()
        nxt = [(port, t + 1)] if t + 1 < grid.steps else []
        for v in voyages_from(instance, grid, vessel, port, t):
            voyages.append(v)
            if v.free < grid.steps:
                nxt.append((v.destination, v.free))
        for node in nxt:
            if node not in seen:
                seen.add(node)
                todo.append(node)
    return sorted(seen, key=lambda n: (n[1], n[0])), voyages


def optimize_rotation(instance: CrossingInstance, *, step_h: float = 6.0,
                      time_limit: float = 60.0, mip_gap: float = 1e-3,
                      fifo_dwell_h: float = 24.0) -> CrossingPlan:
    """Plan vessel rotations and loading for ``instance`` over its horizon."""
    started = time.perf_counter()
    grid = make_grid(instance, step_h)
    fifo_voyages, fifo_sailings, fifo = fifo_rotation(instance, grid, fifo_dwell_h)
    fifo_figures = evaluate(instance, fifo_sailings, fifo, count_sailings=True)
    model = SparseModel()
    vessels = {v.id: v for v in instance.vessels}
    all_voyages: list[Voyage] = []
    node_cols: list[tuple[str, int, int, np.ndarray, np.ndarray]] = []  # per vessel
    wait_of: dict[tuple[str, str, int], int] = {}
    for vessel in instance.vessels:
        nodes, voyages = _reachable(instance, grid, vessel)
        index = {n: i for i, n in enumerate(nodes)}
        rows = model.add_rows(0.0, 0.0, len(nodes))
        supply = rows[index[(vessel.available_at, grid.first_step(vessel))]]
        model._rlo[-1][supply - rows[0]] = -1.0  # out - in = 1 at the start: in - out = -1
        model._rhi[-1][supply - rows[0]] = -1.0
        waits = [n for n in nodes]
        wcols = model.add_columns(np.zeros(len(waits)), 0.0, 1.0)
        for (port, t), c in zip(waits, wcols, strict=True):
            wait_of[(vessel.id, port, t)] = int(c)
            model.add_entries(np.array([rows[index[(port, t)]]]), np.array([c]), -1.0)
            if (port, t + 1) in index:
                model.add_entries(np.array([rows[index[(port, t + 1)]]]), np.array([c]), 1.0)
        zcols = model.add_columns(np.full(len(voyages), instance.costs.sailing_h), 0.0, 1.0)
        for v, c in zip(voyages, zcols, strict=True):
            model.add_entries(np.array([rows[index[(v.origin, v.start)]]]), np.array([c]), -1.0)
            if (v.destination, v.free) in index:
                model.add_entries(np.array([rows[index[(v.destination, v.free)]]]),
                                  np.array([c]), 1.0)
        all_voyages.extend(voyages)
        node_cols.append((vessel.id, 0, 0, wcols, zcols))
    z_of = {}
    col = [int(c) for *_, z in node_cols for c in z]
    for v, c in zip(all_voyages, col, strict=True):
        z_of[v.id] = c
    # berths
    use: dict[tuple[str, int], list[int]] = {}
    for v in all_voyages:
        for key in berth_steps(v):
            use.setdefault(key, []).append(z_of[v.id])
    keys = [k for k, cols in use.items() if len(cols) > instance.ports[k[0]].berths]
    brows = model.add_rows(-INF, np.array([float(instance.ports[k[0]].berths) for k in keys]),
                           len(keys))
    for r, k in zip(brows, keys, strict=True):
        model.add_entries(np.full(len(use[k]), r), np.array(use[k]), 1.0)
    # cargo on voyages
    slot_index: dict[tuple[str, str, int], int] = {}
    slots: list[Slot] = []
    arcs: list[Arc] = []
    for v in all_voyages:
        route_at = (v.origin, v.destination, v.departure)
        if route_at not in slot_index:
            slot_index[route_at] = len(slots)
            slots.append(Slot((v.origin, v.destination), grid.hours(v.departure),
                              grid.hours(v.arrival)))
        vessel = vessels[v.vessel]
        arcs.append(Arc(slot_index[route_at], v.id, vessel.capacity, vessel.dangerous_limit,
                        z_of[v.id]))
    cargo = add_cargo(model, instance, slots, arcs)
    start = cargo.start(fifo, model.num_col)
    _vessel_start(start, instance, grid, fifo_voyages, wait_of, z_of)
    out = solve(model.to_lp(), start=start, time_limit=time_limit, mip_gap=mip_gap)
    by_id = {v.id: v for v in all_voyages}
    if out.values is not None:
        chosen = [by_id[vid] for vid, c in z_of.items() if out.values[c] > 0.5]
        sailings = [voyage_sailing(v, vessels[v.vessel], grid) for v in chosen]
        plan = cargo.assignments(out.values)
        figures = evaluate(instance, sailings, plan, count_sailings=True)
    if out.values is None or figures.objective > fifo_figures.objective + 1e-6:
        sailings, plan, figures = fifo_sailings, fifo, fifo_figures
        notes: tuple[str, ...] = ("kept first come, first served (solver found nothing better)",)
    else:
        notes = ()
    bound = min(out.bound, figures.objective)
    gap = max(0.0, figures.objective - bound) / max(abs(figures.objective), 1e-9)
    return CrossingPlan(
        mode="rotation", status=out.status, objective=figures.objective, bound=bound, gap=gap,
        figures=figures, fifo=fifo_figures,
        sailings=tuple(sorted(sailings, key=lambda s: (s.departure, s.id))),
        assignments=tuple(plan), seconds=time.perf_counter() - started, notes=notes,
        extra={"step_h": step_h, "columns": model.num_col, "rows": model.num_row},
    )


def _vessel_start(vec: np.ndarray, instance: CrossingInstance, grid: TimeGrid,
                  voyages: list[Voyage], wait_of: dict[tuple[str, str, int], int],
                  z_of: dict[str, int]) -> None:
    """Write the FIFO vessel movements (voyages and waits in between) into ``vec``."""
    for vessel in instance.vessels:
        mine = sorted((v for v in voyages if v.vessel == vessel.id), key=lambda v: v.start)
        port, t = vessel.available_at, grid.first_step(vessel)
        for v in [*mine, None]:
            until = grid.steps if v is None else v.start
            while t < until:
                vec[wait_of[(vessel.id, port, t)]] = 1.0
                t += 1
            if v is None:
                break
            vec[z_of[v.id]] = 1.0
            port, t = v.destination, v.free
