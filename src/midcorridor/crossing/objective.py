"""The objective: priority-weighted waiting hours, lateness and cargo left behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from midcorridor.crossing.model import Booking, Costs


def unit_cost(booking: Booking, departure: float, arrival: float, costs: Costs) -> float:
    """Cost of carrying one unit of ``booking`` on a sailing leaving and arriving at these hours."""
    late = 0.0 if booking.due is None else max(0.0, arrival - booking.due)
    return booking.priority * ((departure - booking.ready) + costs.lateness_weight * late)


def left_behind_time(horizon_h: float, costs: Costs) -> float:
    """The virtual departure (and arrival) of a unit left behind at the end of the horizon."""
    return horizon_h + costs.left_behind_h


def left_behind_cost(booking: Booking, horizon_h: float, costs: Costs) -> float:
    """Cost of one unit of ``booking`` left behind: it leaves ``left_behind_h`` after the end."""
    t = left_behind_time(horizon_h, costs)
    return unit_cost(booking, t, t, costs)
