"""Fixtures shared by every test package: small named corridors."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from midcorridor.network import Network, load_network

if TYPE_CHECKING:
    from collections.abc import Callable

FIXTURES = Path(__file__).parent / "fixtures"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Helper modules beside the tests are imported by the tests, never collected: collecting
    their docstring examples (``--doctest-modules``, meant for src/midcorridor) would import
    them a second time under another name."""
    name = collection_path.name
    if collection_path.suffix == ".py" and not name.startswith("test_") and name != "conftest.py":
        return True
    return None


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


def assert_one_line_error(result: Any, needle: str) -> None:
    """A CLI run ended as a user mistake should: exit status 1 through ``typer.Exit`` (so no
    exception escaped; under CliRunner an escaped one also exits 1 but prints nothing), one
    line on standard error, containing ``needle``."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert needle in lines[0], lines[0]


@pytest.fixture(scope="session")
def one_line_error() -> Callable[[Any, str], None]:
    """:func:`assert_one_line_error`, for tests of the command line."""
    return assert_one_line_error
