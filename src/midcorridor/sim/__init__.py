"""Discrete-event Monte Carlo simulation of the corridor: experiments, replications, KPIs.

:func:`~midcorridor.sim.simulate.simulate` runs an experiment file (an example is in its
docstring); step by step it is ``summarize(run(prepare(experiment), replications=10, seed=1))``.
"""

from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import ExperimentSpec, load_experiment, parse_experiment
from midcorridor.sim.kernel import PASSIVATE, Kernel, Resource
from midcorridor.sim.kpi import compare, summarize
from midcorridor.sim.model import SimModel
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.report import write_report
from midcorridor.sim.result import ReplicationResult
from midcorridor.sim.run import RunResult, run
from midcorridor.sim.simulate import prepare, simulate

__all__ = [
    "PASSIVATE",
    "Kernel",
    "ReplicationResult",
    "Resource",
    "RunResult",
    "ExperimentSpec",
    "SimModel",
    "build_model",
    "compare",
    "load_experiment",
    "parse_experiment",
    "prepare",
    "run",
    "simulate",
    "simulate_replication",
    "summarize",
    "write_report",
]
