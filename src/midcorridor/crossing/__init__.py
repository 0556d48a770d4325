"""The Caspian crossing optimizer: bookings to sailings and vessel rotations, with HiGHS.

Front door: :func:`optimize_crossing`. Inputs are read with :func:`load_instance`; instances
can be generated from the data set with :func:`generate_instance`.
"""

from __future__ import annotations

from midcorridor.crossing.assignment import optimize_assignment
from midcorridor.crossing.baseline import fifo_assignment
from midcorridor.crossing.generate import GeneratorParams, generate_instance, write_instance
from midcorridor.crossing.io import load_instance
from midcorridor.crossing.model import (
    Booking,
    Capacity,
    Closure,
    Costs,
    CrossingInstance,
    Port,
    Sailing,
    UnitType,
    Vessel,
)
from midcorridor.crossing.optimize import optimize_crossing
from midcorridor.crossing.result import Assignment, CrossingPlan, PlanFigures, evaluate
from midcorridor.crossing.rotation import optimize_rotation

__all__ = [
    "Assignment", "Booking", "Capacity", "Closure", "Costs", "CrossingInstance", "CrossingPlan",
    "GeneratorParams", "PlanFigures", "Port", "Sailing", "UnitType", "Vessel", "evaluate",
    "fifo_assignment", "generate_instance", "load_instance", "optimize_assignment",
    "optimize_crossing", "optimize_rotation", "write_instance",
]
