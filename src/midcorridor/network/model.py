"""The immutable core data model: sources, nodes, links, services, scenarios, the network."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

K = TypeVar("K")
V = TypeVar("V")


class NodeKind(StrEnum):
    """What a node of the network is."""

    SEAPORT = "seaport"
    RAIL_TERMINAL = "rail_terminal"
    BORDER_CROSSING = "border_crossing"
    INLAND_HUB = "inland_hub"
    CITY = "city"
    SEA_WAYPOINT = "sea_waypoint"


class Mode(StrEnum):
    """How a link is travelled."""

    RAIL = "rail"
    ROAD = "road"
    SEA = "sea"
    FERRY = "ferry"


class Sea(StrEnum):
    """The sea or ocean a port or sea waypoint lies on (the ``sea`` column of nodes.csv)."""

    CASPIAN = "caspian"
    BLACK = "black"
    MARMARA = "marmara"
    MEDITERRANEAN = "mediterranean"
    RED = "red"
    ARABIAN = "arabian"
    INDIAN = "indian"
    SOUTH_CHINA = "south_china"
    EAST_CHINA = "east_china"
    YELLOW = "yellow"
    NORTH = "north"
    BALTIC = "baltic"
    ATLANTIC = "atlantic"


class CapacityUnit(StrEnum):
    """The unit of a published capacity figure."""

    TEU_PER_YEAR = "teu_per_year"
    TEU_PER_DAY = "teu_per_day"
    MT_PER_YEAR = "mt_per_year"
    TRAINS_PER_DAY = "trains_per_day"
    WAGONS_PER_DAY = "wagons_per_day"
    VESSELS_PER_DAY = "vessels_per_day"


class TariffUnit(StrEnum):
    """What a tariff is charged per."""

    TEU = "teu"
    FEU = "feu"
    TONNE = "tonne"
    WAGON = "wagon"
    TRUCK = "truck"


class ServiceKind(StrEnum):
    """What kind of scheduled service runs on a link."""

    FERRY = "ferry"
    CONTAINER_SHIP = "container_ship"
    BLOCK_TRAIN = "block_train"


class VesselKind(StrEnum):
    """What kind of vessel a fleet entry is."""

    RAIL_FERRY = "rail_ferry"
    RO_PAX = "ro_pax"
    RO_RO = "ro_ro"
    CONTAINER_SHIP = "container_ship"
    TRAIN = "train"


@dataclass(frozen=True)
class Source:
    """A published source that figures in the data set cite by ``id``."""

    id: str
    title: str
    url: str
    date: str
    publisher: str = ""
    note: str = ""


class ProvenanceKind(StrEnum):
    """How a figure came to be: stated by a source, computed from sources, or assumed."""

    PUBLISHED = "published"
    DERIVED = "derived"
    ASSUMED = "assumed"


@dataclass(frozen=True)
class Provenance:
    """Where one figure comes from.

    *Published*: ``sources`` state it. *Derived*: ``formula`` computes it from inputs, each
    naming its source among ``sources`` (or another figure of the same row). *Assumed*: no
    source; ``assumption`` gives the reason.
    """

    sources: tuple[str, ...] = ()
    assumption: str = ""
    formula: str = ""

    @property
    def kind(self) -> ProvenanceKind:
        """Published, derived or assumed."""
        if self.formula:
            return ProvenanceKind.DERIVED
        return ProvenanceKind.PUBLISHED if self.sources else ProvenanceKind.ASSUMED

    @property
    def is_assumption(self) -> bool:
        """True when no source backs the figure (neither published nor derived)."""
        return not self.sources and not self.formula


ProvenanceKey = tuple[str, str, str]  # (table, row id, field)


@dataclass(frozen=True)
class Spread:
    """A duration in hours as minimum, typical and maximum."""

    min: float
    typ: float
    max: float

    def __post_init__(self) -> None:
        if not (0 <= self.min <= self.typ <= self.max):
            raise ValueError(f"need 0 <= min <= typ <= max, got {self.min}, {self.typ}, {self.max}")

    def __add__(self, other: Spread) -> Spread:
        return Spread(self.min + other.min, self.typ + other.typ, self.max + other.max)


ZERO = Spread(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class Quantity:
    """A number with its unit, e.g. a capacity of 760 ``teu_per_day``."""

    value: float
    unit: str


@dataclass(frozen=True)
class Node:
    """A place in the network: a port, terminal, border station, hub, city or sea waypoint."""

    id: str
    name: str
    country: str
    lat: float
    lon: float
    kind: NodeKind
    aliases: tuple[str, ...] = ()
    gauges: frozenset[int] = frozenset()
    handling_h: float | None = None
    capacity: Quantity | None = None
    transshipment: bool = False
    locode: bool = False
    sea: Sea | None = None
    notes: str = ""


@dataclass(frozen=True)
class Link:
    """A rail, road, sea or ferry connection between two nodes, usable both ways by default."""

    id: str
    origin: str
    destination: str
    mode: Mode
    distance_km: float
    hours: Spread
    dwell: Spread = ZERO
    border: bool = False
    gauge_change: bool = False
    tariff: Quantity | None = None
    capacity: Quantity | None = None
    traction: str = ""
    operator: str = ""
    bidirectional: bool = True
    notes: str = ""

    def other_end(self, node_id: str) -> str:
        """The end of the link that is not ``node_id``."""
        return self.destination if node_id == self.origin else self.origin


@dataclass(frozen=True)
class Arc:
    """A link travelled in one direction; ``reverse`` is true against the link's from/to."""

    tail: str
    head: str
    link: Link
    reverse: bool = False


class UnitType(StrEnum):
    """A kind of unit that crosses on a vessel's deck: how cargo counts there."""

    RAILCAR = "railcar"
    TEU = "teu"
    TRUCK = "truck"


@dataclass(frozen=True)
class Capacity:
    """Deck capacity per unit type when the deck carries only that type (0 = cannot carry).

    A mixed load shares the deck: ``railcars/56 + trucks/50 <= 1`` on a Ro-Pax that takes
    "56 wagons or 50 trucks".
    """

    railcar: int = 0
    teu: int = 0
    truck: int = 0

    def of(self, unit: UnitType) -> int:
        """The deck's capacity in ``unit`` when it carries only that type."""
        return int(getattr(self, unit.value))

    def carries(self, unit: UnitType) -> bool:
        """Whether the deck can carry ``unit`` at all."""
        return self.of(unit) > 0


@dataclass(frozen=True)
class ServiceVessel:
    """A vessel (or train set) deployed on a service, with its capacity per unit type."""

    name: str
    kind: VesselKind
    deck: Capacity = Capacity()


@dataclass(frozen=True)
class Departures:
    """When a service leaves its first stop: on weekdays at a time, or every ``headway_h``."""

    weekdays: tuple[int, ...] = ()  # 0 = Monday
    time: str = "00:00"
    utc_offset: str = "+00:00"
    headway_h: float | None = None


@dataclass(frozen=True)
class Service:
    """A scheduled or regular sailing line or block-train service."""

    id: str
    name: str
    operator: str
    kind: ServiceKind
    route: tuple[str, ...]
    departures: Departures
    crossing_h: Spread | None = None
    vessels: tuple[ServiceVessel, ...] = ()
    bidirectional: bool = True
    notes: str = ""


@dataclass(frozen=True)
class Scenario:
    """A planned change to the network that can be switched on."""

    id: str
    name: str
    status: str
    expected: str
    sources: tuple[str, ...]
    add_nodes: tuple[Node, ...] = ()
    add_links: tuple[Link, ...] = ()
    replace_nodes: tuple[Node, ...] = ()
    replace_links: tuple[Link, ...] = ()
    add_services: tuple[Service, ...] = ()
    provenance: Mapping[ProvenanceKey, Provenance] = field(default_factory=dict)
    notes: str = ""


def _frozen_map(items: Mapping[K, V]) -> Mapping[K, V]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class Network:
    """The validated corridor network. Build it with :func:`midcorridor.network.load_network`.

    Changes are copies: use :meth:`replace` or :meth:`with_scenarios`.
    """

    nodes: Mapping[str, Node]
    links: tuple[Link, ...]
    services: tuple[Service, ...] = ()
    scenarios: Mapping[str, Scenario] = field(default_factory=dict)
    sources: Mapping[str, Source] = field(default_factory=dict)
    provenance: Mapping[ProvenanceKey, Provenance] = field(default_factory=dict)
    active_scenarios: tuple[str, ...] = ()
    version: str = ""
    _arcs_from: Mapping[str, tuple[Arc, ...]] = field(init=False, repr=False, compare=False)
    _links_by_id: Mapping[str, Link] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        setattr_ = object.__setattr__
        setattr_(self, "nodes", _frozen_map(self.nodes))
        setattr_(self, "scenarios", _frozen_map(self.scenarios))
        setattr_(self, "sources", _frozen_map(self.sources))
        setattr_(self, "provenance", _frozen_map(self.provenance))
        setattr_(self, "links", tuple(self.links))
        setattr_(self, "services", tuple(self.services))
        arcs: dict[str, list[Arc]] = {node_id: [] for node_id in self.nodes}
        for link in self.links:
            arcs.setdefault(link.origin, []).append(Arc(link.origin, link.destination, link))
            if link.bidirectional:
                arcs.setdefault(link.destination, []).append(
                    Arc(link.destination, link.origin, link, reverse=True)
                )
        setattr_(self, "_arcs_from", _frozen_map({k: tuple(v) for k, v in arcs.items()}))
        setattr_(self, "_links_by_id", _frozen_map({link.id: link for link in self.links}))

    def arcs_from(self, node_id: str) -> tuple[Arc, ...]:
        """The directed arcs leaving ``node_id``."""
        return self._arcs_from.get(node_id, ())

    def arcs(self) -> Iterable[Arc]:
        """Every directed arc of the network."""
        for arcs in self._arcs_from.values():
            yield from arcs

    def link(self, link_id: str) -> Link:
        """The link with id ``link_id``."""
        return self._links_by_id[link_id]

    def node(self, node_id: str) -> Node:
        """The node with id ``node_id``."""
        return self.nodes[node_id]

    def service(self, service_id: str) -> Service:
        """The service with id ``service_id``."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def provenance_of(self, table: str, row_id: str, field_name: str) -> Provenance | None:
        """The provenance of one figure, e.g. ``("links", "KZAAU-AZALT-ferry", "distance_km")``."""
        return self.provenance.get((table, row_id, field_name))

    def replace(self, **changes: Any) -> Network:
        """A copy with some fields replaced."""
        return dataclasses.replace(self, **changes)

    def with_scenarios(self, scenario_ids: Iterable[str]) -> Network:
        """A copy with the named scenarios switched on, in the order given."""
        from midcorridor.errors import UnknownScenarioError

        nodes = dict(self.nodes)
        links = {link.id: link for link in self.links}
        services = {service.id: service for service in self.services}
        provenance = dict(self.provenance)
        active = list(self.active_scenarios)
        for scenario_id in scenario_ids:
            if scenario_id not in self.scenarios:
                raise UnknownScenarioError(scenario_id, list(self.scenarios))
            scenario = self.scenarios[scenario_id]
            for node in (*scenario.add_nodes, *scenario.replace_nodes):
                nodes[node.id] = node
            for link in (*scenario.add_links, *scenario.replace_links):
                links[link.id] = link
            for service in scenario.add_services:
                services[service.id] = service
            provenance.update(scenario.provenance)
            if scenario_id not in active:
                active.append(scenario_id)
        return self.replace(
            nodes=nodes,
            links=tuple(links.values()),
            services=tuple(services.values()),
            provenance=provenance,
            active_scenarios=tuple(active),
        )
