"""Discrete-event Monte Carlo simulation of the corridor: scenarios, replications, KPIs.

:func:`~midcorridor.sim.simulate.simulate` runs a scenario file (an example is in its
docstring); step by step it is ``summarize(run(prepare(scenario), replications=10, seed=1))``.
"""

from midcorridor.sim.build import build_model
from midcorridor.sim.kernel import PASSIVATE, Kernel, Resource
from midcorridor.sim.kpi import compare, summarize
from midcorridor.sim.model import SimModel
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.report import write_report
from midcorridor.sim.result import ReplicationResult
from midcorridor.sim.run import RunResult, run
from midcorridor.sim.scenario import ScenarioSpec, load_scenario, parse_scenario
from midcorridor.sim.simulate import prepare, simulate

__all__ = [
    "PASSIVATE",
    "Kernel",
    "ReplicationResult",
    "Resource",
    "RunResult",
    "ScenarioSpec",
    "SimModel",
    "build_model",
    "compare",
    "load_scenario",
    "parse_scenario",
    "prepare",
    "run",
    "simulate",
    "simulate_replication",
    "summarize",
    "write_report",
]
