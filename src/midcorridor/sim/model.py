"""The compiled simulation model: plain, picklable values that one replication runs on.

A :class:`SimModel` is built once from a network and an experiment (see :mod:`.build`) and shipped
as is to worker processes or Dask workers; it holds no network objects, only numbers and ids.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from midcorridor.sim.initial import Closure, InitialState

if TYPE_CHECKING:
    from midcorridor.network.model import Capacity

CONTAINER = "container"  # one 40-ft box (2 TEU): one railcar, truck or two TEU slots aboard
WAGON = "wagon"  # a loaded rail wagon: needs a railcar slot on a rail ferry
TRUCK = "truck"  # a road truck (TIR): needs a truck slot on a Ro-Ro deck
UNIT_KINDS = (CONTAINER, WAGON, TRUCK)
# A Ro-Pax deck takes 56 rail wagons or 50 trucks (S050); rail ferries whose truck figure is not
# published take trucks at the same ratio (assumption: road vehicles ride the rail deck, as on the
# Turkmenbashi and Kuryk lines, which carried 59,900 trucks through Baku in 2025).
TRUCKS_PER_RAILCAR = 50 / 56


@dataclass(frozen=True, slots=True)
class Dist:
    """A duration in hours: PERT on ``low``/``mode``/``high`` (see :mod:`.draw`), triangular
    when ``kind`` is ``"triangular"``, or exponential of mean ``mode`` when ``"exponential"``.
    """

    low: float
    mode: float
    high: float
    kind: str = "pert"

    @property
    def mean(self) -> float:
        """The mean duration in hours."""
        if self.kind == "exponential":
            return self.mode
        if self.kind == "triangular":
            return (self.low + self.mode + self.high) / 3.0
        return (self.low + 4.0 * self.mode + self.high) / 6.0

    def scaled(self, factor: float) -> Dist:
        """The distribution with every hour multiplied by ``factor``."""
        return Dist(self.low * factor, self.mode * factor, self.high * factor, self.kind)


@dataclass(frozen=True, slots=True)
class LandLeg:
    """Travel along one rail or road link, then its border or gauge-change dwell, if any.

    On a road link (``by_truck``) ``hours`` are driving hours; the journey turns them into
    elapsed hours with the drivers' hours rule (:mod:`midcorridor.network.driving`).
    """

    link_id: str
    tail: str
    head: str
    hours: Dist
    dwell: Dist | None = None
    place: str = ""  # where the dwell is booked, e.g. "border KZDOS-CNALK"
    by_truck: bool = False


@dataclass(frozen=True, slots=True)
class TerminalStep:
    """Handling at a terminal, gauge-change station or inland hub, with a queue if finite."""

    node_id: str


@dataclass(frozen=True, slots=True)
class SeaLeg:
    """Waiting at ``origin`` port for a sailing to ``destination`` and the crossing itself."""

    origin: str
    destination: str


Step = LandLeg | TerminalStep | SeaLeg


@dataclass(frozen=True, slots=True)
class Variant:
    """One path of a demand stream, chosen with probability proportional to ``share``."""

    label: str
    steps: tuple[Step, ...]
    share: float = 1.0


@dataclass(frozen=True, slots=True)
class Stream:
    """Consignments of one kind entering at ``origin`` at a seasonal Poisson rate."""

    name: str
    origin: str
    destination: str
    units_per_year: float
    units_per_consignment: int
    unit_kind: str
    teu_per_unit: float
    variants: tuple[Variant, ...]
    seasonality: float = 0.0  # relative amplitude of the yearly cycle
    peak_day: float = 300.0  # day of year with the highest rate


@dataclass(frozen=True, slots=True)
class Terminal:
    """A place that handles each consignment: ``servers`` at once (None: no queue)."""

    node_id: str
    name: str
    handling: Dist
    servers: int | None


@dataclass(frozen=True, slots=True)
class SimPort:
    """A port where vessels berth: ``berths`` at once, ``handling`` per vessel call.

    Ferries (Ro-Ro lines) berth at ``ferry_berths`` of their own when the port has a ferry
    terminal (0: they share the cargo berths) and take ``ferry_handling`` per call (None: the
    port's ``handling``).
    """

    node_id: str
    name: str
    berths: int
    handling: Dist
    caspian: bool = False
    ferry_berths: int = 0
    ferry_handling: Dist | None = None

    def call(self, ro_ro: bool) -> Dist:
        """The handling time of one vessel call: a ferry's or a cargo ship's."""
        return self.ferry_handling if ro_ro and self.ferry_handling is not None else self.handling


@dataclass(frozen=True, slots=True)
class Ship:
    """A vessel: deck slots for containers, of which ``railcars`` may take wagons and
    ``trucks`` may take trucks.
    """

    name: str
    slots: int
    railcars: int
    trucks: int = 0

    @classmethod
    def on_deck(cls, name: str, deck: Capacity) -> Ship:
        """The deck-slot rule: one slot per railcar, truck or 40-ft box (two TEU); a rail deck
        without a published truck figure takes trucks at the Ro-Pax ratio.
        """
        railcars, teu, trucks = deck.railcar, deck.teu, deck.truck
        if not trucks and railcars:
            trucks = int(railcars * TRUCKS_PER_RAILCAR)
        return cls(name, max(railcars, teu // 2, trucks), railcars, trucks)


@dataclass(frozen=True, slots=True)
class Line:
    """A sailing line shuttling its ships along ``stops``; waits at most ``headway_h`` to fill."""

    id: str
    name: str
    stops: tuple[str, ...]
    sailing: tuple[Dist, ...]  # between consecutive stops
    headway_h: float
    ships: tuple[Ship, ...]
    operator: str = ""  # who runs the line (reports its vessels' departures and arrivals)
    ro_ro: bool = False  # a ferry line: berths at ferry terminals, ferry turnaround times


@dataclass(frozen=True, slots=True)
class Storms:
    """Storms closing the listed ports: Poisson arrivals, durations in hours."""

    ports: tuple[str, ...] = ()
    per_year: float = 0.0
    duration: Dist = Dist(0.0, 0.0, 0.0)


@dataclass(frozen=True)
class SimModel:
    """Everything one replication needs."""

    name: str
    horizon_h: float
    warmup_h: float
    streams: tuple[Stream, ...]
    terminals: dict[str, Terminal]
    ports: dict[str, SimPort]
    lines: tuple[Line, ...]
    storms: Storms = Storms()
    sample_every_h: float = 24.0
    growth: float = 1.0
    places: dict[str, str] = field(default_factory=dict)  # place id -> kind (border, port, ...)
    place_names: dict[str, str] = field(default_factory=dict)  # place id -> name for people
    start: InitialState = InitialState()  # the corridor at hour 0 (empty by default)
    closures: tuple[Closure, ...] = ()  # ports closed at given hours, beside random storms

    @property
    def streams_by_name(self) -> dict[str, Stream]:
        """The demand streams by name."""
        return {s.name: s for s in self.streams}
