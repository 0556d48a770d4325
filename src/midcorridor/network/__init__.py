"""The corridor network: immutable model, loading with validation, place look-up, export."""

from midcorridor.network.export import link_record, node_record, to_geojson
from midcorridor.network.geo import great_circle_km, sea_distance_km
from midcorridor.network.load import check_data, load_network, packaged_data_dir
from midcorridor.network.model import (
    Arc,
    Departures,
    Link,
    Mode,
    Network,
    Node,
    NodeKind,
    Provenance,
    Quantity,
    Scenario,
    Sea,
    Service,
    ServiceKind,
    Source,
    Spread,
    Vessel,
    VesselKind,
)
from midcorridor.network.places import PlaceMatch, find_place, normalize, search_places
from midcorridor.network.seas import (
    PORT_HANDLING_DEFAULT_H,
    caspian_ports,
    is_caspian_crossing,
    is_caspian_port,
    on_caspian,
    port_handling_h,
)
from midcorridor.network.summary import NetworkSummary, summarize

__all__ = [
    "PORT_HANDLING_DEFAULT_H",
    "Arc",
    "Departures",
    "Link",
    "Mode",
    "Network",
    "NetworkSummary",
    "Node",
    "NodeKind",
    "PlaceMatch",
    "Provenance",
    "Quantity",
    "Scenario",
    "Sea",
    "Service",
    "ServiceKind",
    "Source",
    "Spread",
    "Vessel",
    "VesselKind",
    "caspian_ports",
    "check_data",
    "find_place",
    "great_circle_km",
    "is_caspian_crossing",
    "is_caspian_port",
    "link_record",
    "load_network",
    "node_record",
    "normalize",
    "on_caspian",
    "packaged_data_dir",
    "port_handling_h",
    "sea_distance_km",
    "search_places",
    "summarize",
    "to_geojson",
]
