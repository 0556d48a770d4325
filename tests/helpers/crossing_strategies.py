"""Hypothesis strategies for the crossing tests: small random fleets, bookings and ports."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from midcorridor.crossing import Booking, Capacity, CrossingInstance, Port, Sailing, Vessel
from midcorridor.crossing.model import CARRIES, UNIT_TYPES, Closure

START = datetime(2026, 3, 2, tzinfo=UTC)
PORTS = ("A", "B")
SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def vessels(draw: st.DrawFn, n: int) -> tuple[Vessel, ...]:
    out = []
    for i in range(n):
        kind = draw(st.sampled_from(sorted(CARRIES, key=str)))
        caps = {u.value: draw(st.integers(1, 30)) if u in CARRIES[kind] and draw(st.booleans())
                else 0 for u in UNIT_TYPES}
        if not any(caps.values()):
            caps[sorted(CARRIES[kind])[0].value] = 10
        out.append(Vessel(f"V{i}", f"V{i}", kind, Capacity(**caps), 12.0,
                          draw(st.sampled_from(PORTS)), float(draw(st.integers(0, 12))),
                          draw(st.one_of(st.none(), st.integers(0, 5)))))
    return tuple(out)


@st.composite
def bookings(draw: st.DrawFn, horizon: float) -> tuple[Booking, ...]:
    out = []
    for i in range(draw(st.integers(1, 12))):
        origin = draw(st.sampled_from(PORTS))
        ready = float(draw(st.integers(0, int(horizon) - 1)))
        due = draw(st.one_of(st.none(), st.integers(0, 48)))
        out.append(Booking(
            f"b{i}", draw(st.integers(1, 25)), draw(st.sampled_from(UNIT_TYPES)), origin,
            "B" if origin == "A" else "A", ready, None if due is None else ready + due,
            float(draw(st.sampled_from([1, 2, 3]))), draw(st.booleans()), draw(st.booleans())))
    return tuple(out)


def ports(draw: st.DrawFn, horizon: float) -> dict[str, Port]:
    out = {}
    for p in PORTS:
        closures: tuple[Closure, ...] = ()
        if draw(st.booleans()):
            start = float(draw(st.integers(0, int(horizon) - 12)))
            closures = (Closure(p, start, start + 12.0),)
        out[p] = Port(p, p, draw(st.integers(1, 2)), float(draw(st.sampled_from([4, 6, 10]))),
                      closures)
    return out


@st.composite
def assignment_instances(draw: st.DrawFn) -> CrossingInstance:
    horizon = 96.0
    fleet = draw(vessels(draw(st.integers(1, 3))))
    sailings = []
    for i in range(draw(st.integers(1, 6))):
        v = draw(st.sampled_from(fleet))
        origin = draw(st.sampled_from(PORTS))
        dep = float(draw(st.integers(0, 90)))
        sailings.append(Sailing(f"S{i}", v.id, origin, "B" if origin == "A" else "A", dep,
                                dep + 20.0, v.capacity, v.dangerous_limit))
    return CrossingInstance(START, horizon, draw(bookings(horizon)), fleet, ports(draw, horizon),
                            tuple(sailings), {("A", "B"): 240.0})


@st.composite
def rotation_instances(draw: st.DrawFn) -> CrossingInstance:
    horizon = 72.0
    return CrossingInstance(START, horizon, draw(bookings(horizon)),
                            draw(vessels(draw(st.integers(1, 2)))), ports(draw, horizon), (),
                            {("A", "B"): 144.0})


@st.composite
def twin_rotation_instances(draw: st.DrawFn) -> CrossingInstance:
    """Two or three identical vessels (one class) starting at different ports and times."""
    horizon = 72.0
    (first,) = draw(vessels(1))
    twins = tuple(
        Vessel(f"V{i}", f"V{i}", first.kind, first.capacity, first.speed_kn,
               draw(st.sampled_from(PORTS)), float(draw(st.integers(0, 12))),
               first.dangerous_limit)
        for i in range(draw(st.integers(2, 3))))
    return CrossingInstance(START, horizon, draw(bookings(horizon)), twins,
                            ports(draw, horizon), (), {("A", "B"): 144.0})
