"""Helpers shared by the tests, imported as ``helpers`` (pytest puts ``tests/`` on the path;
worker subprocesses and the benchmarks put it there too)."""
