"""The front door: optimize a crossing instance in either mode."""

from __future__ import annotations

from typing import TYPE_CHECKING

from midcorridor.crossing.assignment import optimize_assignment
from midcorridor.crossing.rotation import optimize_rotation
from midcorridor.errors import InputError

if TYPE_CHECKING:
    from midcorridor.crossing.model import CrossingInstance
    from midcorridor.crossing.result import CrossingPlan

MODES = ("assignment", "rotation")


def optimize_crossing(instance: CrossingInstance, *, mode: str = "assignment",
                      time_limit: float = 60.0, mip_gap: float = 1e-3,
                      step_h: float = 6.0) -> CrossingPlan:
    """Solve ``instance`` with HiGHS in ``mode``; FIFO is computed alongside and never beaten
    by a worse plan. ``step_h`` is the time step of rotation mode.

    >>> from midcorridor.crossing import GeneratorParams, generate_instance
    >>> from midcorridor.network import load_network
    >>> instance = generate_instance(load_network(), GeneratorParams(days=3, seed=2))
    >>> plan = optimize_crossing(instance, time_limit=10)
    >>> plan.mode, plan.status
    ('assignment', 'Optimal')
    >>> sorted(plan.figures.to_dict())  # the same figures as plan.fifo, FIFO's plan
    ['assigned_units', 'left_behind_units', 'mean_wait_hours', 'objective',
     'p95_wait_hours', 'sailings']
    """
    if time_limit <= 0:
        raise InputError(f"time limit must be > 0 seconds, got {time_limit:g}")
    if not 0 <= mip_gap < 1:
        raise InputError(f"MIP gap must be in [0, 1), got {mip_gap:g}")
    if mode == "assignment":
        if not instance.sailings:
            raise InputError("assignment mode needs sailings; list them in fleet.yaml or use "
                             "--mode rotation")
        return optimize_assignment(instance, time_limit=time_limit, mip_gap=mip_gap)
    if mode == "rotation":
        if step_h <= 0:
            raise InputError(f"time step must be > 0 hours, got {step_h:g}")
        return optimize_rotation(instance, step_h=step_h, time_limit=time_limit,
                                 mip_gap=mip_gap)
    raise InputError(f"unknown mode {mode!r}; use {' or '.join(MODES)}")
