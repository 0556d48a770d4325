"""Refit the waits for a ferry at Aktau, and the stays there after crossing from Alat, on
simulated years: ``python -m benchmarks.fit_waits``.

For each experiment of :data:`EXPERIMENTS` and seed of :data:`SEEDS` one year is simulated
(one replication, traced), its event stream (with the vessels' own calls) replayed by the ETA
calibration with the rules alone, and at each shipment's arrival at Aktau what its wait for
the ferry (westbound) or its stay there (eastbound) read and the hours it took are kept
(:func:`midcorridor.live.calibration.wait_rows`).
A linear quantile regression per crossing of :data:`CROSSINGS` and level is fitted on them
(:func:`midcorridor.live.waits.fit_models`); the rows and the fit are written to the package's
data (``ferry_waits_rows.csv``, ``ferry_waits.json``, which says what it was fitted on).
``--spread`` instead replays the same years with the packaged fit and prints the factor
:data:`midcorridor.live.eta.FITTED_SPREAD` that makes the calibration's forecasts holding a
fitted step cover 80% on them, per kind of that step (:func:`spread_factors`).
The validation seed 7 of the calibration benchmark is not among them.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from midcorridor.crossing.model import UnitType
from midcorridor.live.calibration import conformal_scale, replay_forecasts, wait_rows
from midcorridor.live.eta import FITTED_SPREAD, LegTimes
from midcorridor.live.fleet import caspian_port_ids
from midcorridor.live.waits import (
    NO_FIT,
    STAY,
    WAIT,
    data_path,
    fit_models,
    read_rows,
    write_fit,
    write_rows,
)
from midcorridor.network import load_network

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Mapping, Sequence

    from midcorridor.live.calibration import Forecast
    from midcorridor.live.waits import WaitInputs
    from midcorridor.network.model import Network

EXPERIMENTS = ("baseline", "storms")
SEEDS = (1, 2)
END = datetime(2026, 6, 1, tzinfo=UTC)
CHECKPOINT = {"Aktau": "KZAAU"}
CROSSINGS = (("KZAAU", "AZALT", "teu", WAIT),
             *(("KZAAU", towards, unit, STAY) for towards in ("CNKHO", "KZBEY")
                for unit in ("teu", "railcar")))
"""The waits fitted: the container trains' at Aktau for Alat (the railcars' there, on the two
rail ferries, gained their wait's error but lost the arrival's on the fit seeds); and the
stays at Aktau after crossing from Alat before the train east."""


def rows_of(records: Iterable[Mapping[str, Any]], network: Network
            ) -> list[tuple[WaitInputs, float]]:
    """The waits at Aktau of one event stream (rules alone) and the hours they took."""
    forecasts = replay_forecasts(records, times=LegTimes(network, waits=NO_FIT),
                                 ports=frozenset(caspian_port_ids(network)),
                                 checkpoints=CHECKPOINT,
                                 units=(UnitType.RAILCAR, UnitType.TEU))
    return wait_rows(forecasts)


def fit_years(network: Network) -> Iterator[tuple[str, int, list[dict[str, Any]]]]:
    """The event stream of every experiment and seed fitted on, simulated afresh."""
    from midcorridor.sim.feed import event_stream
    from midcorridor.sim.run import run as simulate
    from midcorridor.sim.simulate import BASELINE, prepare

    for experiment in EXPERIMENTS:
        model = prepare(BASELINE.parent / f"{experiment}.yaml", network=network)
        for seed in SEEDS:
            first = simulate(model, replications=1, seed=seed, trace=True).replications[0]
            yield experiment, seed, list(event_stream(
                model, first.traces, end=END, seed=seed, closures=first.closures,
                movements=first.movements))


def simulated_rows(network: Network) -> list[tuple[WaitInputs, float]]:
    """The rows of every experiment and seed, simulated afresh."""
    rows: list[tuple[WaitInputs, float]] = []
    started = time.perf_counter()
    for experiment, seed, records in fit_years(network):
        found = rows_of(records, network)
        print(f"{experiment} seed {seed}: {len(found)} waits "
              f"({time.perf_counter() - started:.0f} s)", flush=True)
        rows.extend(found)
        started = time.perf_counter()
    return rows


def fitted_forecasts(records: Iterable[Mapping[str, Any]], network: Network
                     ) -> list[Forecast]:
    """The calibration's forecasts of one event stream (rail cargo, the packaged fit) that
    hold a fitted wait or stay."""
    times = LegTimes(network)
    forecasts = replay_forecasts(records, times=times,
                                 ports=frozenset(caspian_port_ids(network)),
                                 units=(UnitType.RAILCAR, UnitType.TEU))
    return [f for f in forecasts
            if any(s.wait is not None and times.waits.of(s.wait) is not None
                   for s in f.steps)]


def spread_factors(years: Iterable[tuple[str, int, Sequence[Mapping[str, Any]]]],
                   network: Network) -> dict[str, float]:
    """:data:`midcorridor.live.eta.FITTED_SPREAD` from the fit seeds: per kind of the fitted
    step a forecast holds, the packaged factor times the conformal scale that makes those
    forecasts cover 80%."""
    times = LegTimes(network)
    by_kind: dict[str, list[Forecast]] = {}
    for experiment, seed, records in years:
        mine = fitted_forecasts(records, network)
        covered = sum(f.covered for f in mine) / max(1, len(mine))
        print(f"{experiment} seed {seed}: {len(mine)} forecasts with a fitted step, "
              f"{covered:.1%} covered", flush=True)
        for f in mine:
            kind = next(s.wait.kind for s in f.steps
                        if s.wait is not None and times.waits.of(s.wait) is not None)
            by_kind.setdefault(kind, []).append(f)
    return {kind: FITTED_SPREAD.get(kind, 1.0) * conformal_scale(forecasts)
            for kind, forecasts in sorted(by_kind.items())}


def refit(rows: list[tuple[WaitInputs, float]], today: date) -> None:
    """Write the rows and the fit on them (read back as written, so the fit reproduces)."""
    rows_path, fit_path = data_path("ferry_waits_rows.csv"), data_path("ferry_waits.json")
    write_rows(rows_path, rows)
    models = fit_models(read_rows(rows_path), CROSSINGS)
    write_fit(fit_path, models, {
        "what": "linear quantile regression of the hours a shipment standing at the port "
                "waits for the ferry (wait), or stays there after crossing to it until its "
                "train leaves (stay), from its arrival there",
        "experiments": list(EXPERIMENTS), "seeds": list(SEEDS),
        "stream": f"one replication each, events up to {END.date()} with the vessels' own "
                  "calls, replayed by the ETA calibration with the rules alone",
        "rows": rows_path.name, "date": today.isoformat(),
        "command": "python -m benchmarks.fit_waits"})
    for m in models:
        print(f"{m.kind} at {m.port} for {m.towards}, {m.unit}: {m.rows} rows", flush=True)


def main(argv: list[str]) -> None:
    network = load_network(None)
    if "--spread" in argv:
        factors = spread_factors(fit_years(network), network)
        print(f"FITTED_SPREAD = {factors} (packaged {FITTED_SPREAD})")
        return
    refit(simulated_rows(network), datetime.now(UTC).date())


if __name__ == "__main__":
    main(sys.argv[1:])
