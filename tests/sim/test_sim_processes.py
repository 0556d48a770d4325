"""Corridor processes: conservation, Little's law, determinism, fleet size under CRN."""

from __future__ import annotations

import statistics
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from midcorridor.sim.kpi import replication_kpis
from midcorridor.sim.processes import simulate_replication


@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    demand=st.floats(2_000, 60_000),
    per=st.integers(1, 30),
    storms=st.floats(0, 12),
)
def test_cargo_is_conserved(make_model, seed, demand, per, storms):
    """Units created equal units delivered plus units counted where they are, at the end."""
    model = make_model(ships=2, teu_per_year=demand, days=60, storms=storms, per_consignment=per)
    r = simulate_replication(model, seed, 0)
    assert r.created_units > 0
    assert r.created_units == r.delivered_units + r.in_system_units


def test_littles_law_holds_at_the_ports(aktau_alat_two_ferries):
    """At every port the time-average queue equals arrival rate times mean wait (L = lambda W)."""
    r = simulate_replication(aktau_alat_two_ferries, 3, 0)
    port = r.places["KZAAU"]
    assert port["arrived_units"] > 100
    area = port["queue_area"]
    assert abs(area - (port["unit_wait_h"] + port["residual_wait_h"])) <= 1e-6 * max(area, 1.0)
    span = r.horizon_h
    big_l = area / span
    lam = port["arrived_units"] / span
    w = (port["unit_wait_h"] + port["residual_wait_h"]) / port["arrived_units"]
    assert abs(big_l - lam * w) <= 1e-6 * max(big_l, 1.0)


def test_same_seed_same_result_and_other_seed_differs(aktau_alat_two_ferries):
    """A replication is a pure function of (model, seed, replication number)."""
    a = simulate_replication(aktau_alat_two_ferries, 11, 2)
    b = simulate_replication(aktau_alat_two_ferries, 11, 2)
    c = simulate_replication(aktau_alat_two_ferries, 12, 2)
    assert a.deliveries == b.deliveries
    assert a.waits == b.waits
    assert a.samples == b.samples
    assert a.deliveries != c.deliveries


def test_more_ferries_never_increase_caspian_waiting_under_crn(make_model):
    """Adding ferries does not raise mean Caspian waiting over a fixed set of seeds."""
    seeds = range(6)
    means = []
    for ships in (1, 2, 3, 5):
        model = make_model(ships=ships, teu_per_year=30_000, days=90, storms=3.0)
        waits = [
            replication_kpis(model, simulate_replication(model, s, 0))["caspian_wait_hours"]
            for s in seeds
        ]
        means.append(statistics.fmean(waits))
    assert all(later <= earlier for earlier, later in zip(means, means[1:], strict=False))
    assert means[-1] < means[0]


def test_storms_close_ports_and_delay_cargo(make_model):
    """With storms on, the ports record closed hours and Caspian waiting rises on the same seeds."""
    calm = make_model(ships=2, storms=0.0)
    stormy = make_model(ships=2, storms=12.0)
    w_calm = [
        replication_kpis(calm, simulate_replication(calm, s, 0))["caspian_wait_hours"]
        for s in range(4)
    ]
    runs = [simulate_replication(stormy, s, 0) for s in range(4)]
    w_storm = [replication_kpis(stormy, r)["caspian_wait_hours"] for r in runs]
    assert all(r.places["KZAAU"]["closed_hours"] > 0 for r in runs)
    assert statistics.fmean(w_storm) > statistics.fmean(w_calm)


def test_border_dwell_is_booked_where_it_happens(aktau_alat_two_ferries):
    """Consignments crossing the Alat-Tbilisi border book its dwell there, within its spread."""
    r = simulate_replication(aktau_alat_two_ferries, 5, 0)
    dwell = [h for _c, place, h in r.waits if place == "AZALT-GETBS-rail"]
    assert dwell
    assert all(4.0 <= h <= 40.0 for h in dwell)


def test_a_diverging_run_keeps_the_past_and_draws_another_future(
        aktau_alat_two_ferries: Any) -> None:
    """Diverging at hour H: every milestone before H is the base run's, and the futures after
    it differ from the base run's and from each other (a storm onset drawn before H is drawn
    afresh, so storms differ too). Diverging after the horizon changes nothing."""
    model = aktau_alat_two_ferries
    hour = model.horizon_h / 2

    def milestones(diverge: tuple[float, int] | None) -> set[tuple[int, float, str, str]]:
        r = simulate_replication(model, 5, 0, trace=True, diverge=diverge)
        return {(t.id, m[0], m[1], m[2]) for t in r.traces for m in t.milestones}

    base = milestones(None)
    futures = [milestones((hour, k)) for k in range(2)]
    for future in futures:
        assert {m for m in future if m[1] < hour} == {m for m in base if m[1] < hour}
        assert {m for m in future if m[1] > hour} != {m for m in base if m[1] > hour}
    assert futures[0] != futures[1]
    assert milestones((model.horizon_h + 1, 0)) == base
