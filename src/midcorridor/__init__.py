"""midcorridor: planning, optimization, simulation and tracking for the Middle Corridor."""

from midcorridor.errors import (
    DataError,
    InfeasibleError,
    InputError,
    MidcorridorError,
    NoRouteError,
    Problem,
    UnknownPlaceError,
    UnknownScenarioError,
)
from midcorridor.network import Network, find_place, load_network

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "InfeasibleError",
    "InputError",
    "MidcorridorError",
    "Network",
    "NoRouteError",
    "Problem",
    "UnknownPlaceError",
    "UnknownScenarioError",
    "__version__",
    "find_place",
    "load_network",
]
