"""Corridor behaviour on top of the kernel: demand, journeys, terminals, sailings, storms."""

from midcorridor.sim.processes.replicate import simulate_replication

__all__ = ["simulate_replication"]
