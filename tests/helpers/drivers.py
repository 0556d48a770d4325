"""An oracle for drivers' hours, written apart from the code under test."""

from __future__ import annotations


def walk_a_drivers_day(driving_h: float) -> float:
    """The oracle, written apart from the code: drive in pieces, stopping for a 45 min break
    after 4.5 h at the wheel and for an 11 h rest after 9 h in the day, while driving is left."""
    elapsed, left, today, since_break = 0.0, driving_h, 0.0, 0.0
    while left > 1e-12:
        if today >= 9.0 - 1e-12:
            elapsed, today, since_break = elapsed + 11.0, 0.0, 0.0
        elif since_break >= 4.5 - 1e-12:
            elapsed, since_break = elapsed + 0.75, 0.0
        piece = min(left, 9.0 - today, 4.5 - since_break)
        elapsed, left, today, since_break = (elapsed + piece, left - piece, today + piece,
                                             since_break + piece)
    return elapsed
