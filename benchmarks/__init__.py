"""Benchmarks: each module ``bench_*.py`` defines ``run(quick=False)`` and prints ratios
against a named baseline measured in the same run. ``make bench`` runs them all."""
