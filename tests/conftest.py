"""Fixtures shared by every test package: small named corridors."""

from __future__ import annotations

from pathlib import Path

import pytest

from midcorridor.network import Network, load_network

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def corridor_minimal_dir() -> Path:
    """Five places from Alashankou to Poti with one ferry line: the smallest real corridor."""
    return FIXTURES / "corridor_minimal"


@pytest.fixture(scope="session")
def corridor_minimal(corridor_minimal_dir: Path) -> Network:
    """The minimal corridor loaded on its own, without the packaged data set."""
    return load_network(corridor_minimal_dir, packaged=False)


@pytest.fixture(scope="session")
def corridor() -> Network:
    """The packaged corridor data set."""
    return load_network()
