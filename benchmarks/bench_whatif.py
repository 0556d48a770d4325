"""What-if speed: 50 replications x 14 days from a corridor with 1,000 shipments under way.

``python -m benchmarks whatif [--quick]``. The aim is under 30 s on 2 cores. Baselines in the
same run: the same what-if in one process, and the empty corridor (no initial state) with the
same replications. ``MIDCORRIDOR_DASK`` (a scheduler address) runs it on a Dask cluster too.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path
from typing import TYPE_CHECKING

from midcorridor.sim.initial import CargoAt, InitialState
from midcorridor.sim.model import LandLeg, SeaLeg, SimModel, TerminalStep
from midcorridor.sim.simulate import prepare
from midcorridor.sim.whatif import parse_changes, whatif

if TYPE_CHECKING:
    from collections.abc import Callable

BASELINE = Path(__file__).resolve().parents[1] / "experiments" / "baseline.yaml"
CHANGES = {"closures": [{"place": "caspian", "hours": 48}]}


def corridor_with(model: SimModel, shipments: int, seed: int = 1) -> InitialState:
    """``shipments`` consignments spread over the places of the streams' paths."""
    rng = random.Random(seed)
    cargo = []
    for i in range(shipments):
        stream = model.streams[i % len(model.streams)]
        steps = rng.choice(stream.variants).steps
        step = rng.choice(steps)
        if isinstance(step, SeaLeg):
            place, eta, waited = step.origin, 0.0, rng.uniform(0, 120)
        elif isinstance(step, TerminalStep):
            place, eta, waited = step.node_id, rng.uniform(0, 24), 0.0
        else:
            assert isinstance(step, LandLeg)
            place, eta, waited = step.head, rng.uniform(0, 48), 0.0
        cargo.append(
            CargoAt(f"S{i}", stream.name, stream.units_per_consignment, place, eta, waited)
        )
    return InitialState(tuple(cargo))


def _median_time(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _row(*cells: object) -> None:
    print("  ".join(f"{c:<40}" if i == 0 else f"{c:>14}" for i, c in enumerate(cells)))


def run(quick: bool = False) -> None:
    n = 10 if quick else 50
    repeats = 1 if quick else 3
    model = prepare(BASELINE)
    state = corridor_with(model, 1000)
    changes = parse_changes(CHANGES)

    def go(start: InitialState, workers: int, dask: str | None = None) -> object:
        return whatif(
            model, start, changes, days=14, replications=n, seed=1, workers=workers, dask=dask
        )

    print(f"what-if: {n} replications x 14 days, Caspian closed 48 h, against doing nothing")
    t_empty = _median_time(lambda: go(InitialState(), 1), repeats)
    t_one = _median_time(lambda: go(state, 1), repeats)
    t_two = _median_time(lambda: go(state, 2), repeats)
    _row("run", "wall s", "vs one process", "vs 30 s aim")
    _row("empty corridor, one process (baseline)", f"{t_empty:.2f}", f"{t_empty / t_one:.2f}x", "")
    _row("1,000 under way, one process (baseline)", f"{t_one:.2f}", "1.00x", f"{t_one / 30:.0%}")
    _row("1,000 under way, 2 local processes", f"{t_two:.2f}", f"{t_one / t_two:.2f}x",
         f"{t_two / 30:.0%}")
    address = os.environ.get("MIDCORRIDOR_DASK")
    if address:
        t_dask = _median_time(lambda: go(state, 1, address), repeats)
        _row(f"1,000 under way, Dask {address}", f"{t_dask:.2f}", f"{t_one / t_dask:.2f}x",
             f"{t_dask / 30:.0%}")


if __name__ == "__main__":
    run()
