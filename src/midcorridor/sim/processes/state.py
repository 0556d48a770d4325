"""The mutable state of one replication: consignments, port queues, ships and the records."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from midcorridor.sim.draw import Diverging, stream
from midcorridor.sim.kernel import Kernel, Resource
from midcorridor.sim.result import Waybill

if TYPE_CHECKING:
    import random
    from collections import deque
    from collections.abc import Generator, Iterable

    from midcorridor.sim.model import SimModel, Variant
    from midcorridor.sim.result import ConsignmentTrace, Milestone

# Milestone codes are the DCSA event codes the service stores (GTIN, ARRI, DEPA, LOAD, DISC,
# GTOT) and, for customs, SUBM and RELS.


@dataclass(slots=True, eq=False)
class Consignment:
    """A block train, wagon group or container moving as one from origin to destination."""

    waybill: Waybill
    proc: Any = None
    waiting: int = 0  # units not yet across the current sea leg
    last_departure: float = 0.0
    waits: dict[str, float] = field(default_factory=dict)
    trace: list[Milestone] | None = None  # kept only when the run records event streams
    at: str = ""  # the place where the consignment stands, while it stands somewhere


def mark(
    c: Consignment, t: float, code: str, place: str, vehicle: str = "", units: int = 0
) -> None:
    """Record a milestone of ``c`` at hour ``t`` if its run keeps event streams."""
    if c.trace is not None:
        c.trace.append((t, code, place, vehicle, units or c.waybill.units))


@dataclass(slots=True, eq=False)
class Part:
    """Some units of a consignment waiting at a port for a ship to ``destination``."""

    consignment: Consignment
    units: int
    since: float


@dataclass(eq=False)
class PortState:
    """Berths, the cargo waiting by destination, ships loading, storm closures, statistics."""

    id: str
    berths: Resource
    ferry_berths: Resource | None = None  # the ferry terminal's berths, if it has its own
    queues: dict[str, deque[Part]] = field(default_factory=dict)
    loading: list[Any] = field(default_factory=list)  # ShipState objects at berth, filling
    anchored: list[Any] = field(default_factory=list)  # idle ShipState objects waiting for cargo
    closed_until: float = 0.0
    closed_hours: float = 0.0
    queued_units: int = 0
    arrived_units: int = 0
    unit_wait_h: float = 0.0  # sum over units of time spent queued (Little's law: W)
    queue_area: float = 0.0  # integral of queued units over time (Little's law: L)
    _last: float = 0.0

    def account(self, now: float) -> None:
        """Add the queue's units times the hours since the last change, up to ``now``."""
        self.queue_area += self.queued_units * (now - self._last)
        self._last = now


class World:
    """One replication's kernel, random streams, places and records."""

    def __init__(
        self, model: SimModel, seed: int, replication: int, *, trace: bool = False,
        diverge: tuple[float, int] | None = None,
    ) -> None:
        self.model = model
        self.trace = trace
        self.seed = seed
        self.replication = replication
        # (hour, future): from that hour on every stream draws from another future, numbered
        self.diverge = diverge
        self.kernel = Kernel()
        self._streams: dict[str, random.Random] = {}
        self.terminals: dict[str, Resource] = {
            t.node_id: Resource(self.kernel, t.servers, t.node_id)
            for t in model.terminals.values()
            if t.servers is not None
        }
        self.ports = {
            p.node_id: PortState(
                p.node_id,
                Resource(self.kernel, p.berths, p.node_id),
                Resource(self.kernel, p.ferry_berths, f"{p.node_id} ferries")
                if p.ferry_berths
                else None,
            )
            for p in model.ports.values()
        }
        self.on_land: dict[int, int] = {}  # consignment id -> units travelling on land
        self.landed: dict[int, int] = {}  # consignment id -> units ashore awaiting the rest
        self.ships: list[Any] = []
        self.live: dict[int, Consignment] = {}
        self.next_id = 0
        self.created_units = 0
        self.delivered_units = 0
        self.records: list[tuple[Any, ...]] = []  # one row per delivered consignment
        self.waits: list[tuple[int, str, float]] = []  # (consignment, place, hours)
        self.samples: list[tuple[float, str, float]] = []  # (hour, place, queued units)
        self.departures: list[tuple[str, str, float, int, int]] = []  # line, port, t, load, slots
        self.finished: list[ConsignmentTrace] = []  # delivered consignments, when tracing
        self.shipments: dict[int, str] = {}  # consignment id -> shipment of the initial state
        # (port, from hour, until hour, cause): each closure as its port's authority announces it
        self.closures: list[tuple[str, float, float, str]] = []
        # (vessel, ARRI/BRTH/DEPA, port, hour): the ships' own movements, when tracing
        self.movements: list[tuple[str, str, str, float]] = []

    def close(self, ports: Iterable[str], until: float, cause: str) -> None:
        """Close ``ports`` from now until hour ``until`` (``cause``: a storm, or a closure the
        experiment or what-if gives); a port closed beyond it already is left as it is.
        """
        now = self.kernel.now
        for port_id in ports:
            port = self.ports.get(port_id)
            if port is not None and until > port.closed_until:
                port.closed_hours += until - max(now, port.closed_until)
                port.closed_until = until
                self.closures.append((port_id, now, until, cause))

    def rng(self, name: str) -> random.Random:
        """The random stream called ``name`` (created on first use)."""
        rng = self._streams.get(name)
        if rng is None:
            rng = stream(self.seed, self.replication, name)
            if self.diverge is not None:
                hour, future = self.diverge
                rng = Diverging(rng, stream(self.seed, self.replication,
                                            f"{name}/future {future}"),
                                lambda: self.kernel.now, hour)
            self._streams[name] = rng
        return rng

    def exponential(self, rng: random.Random, rate: float) -> Generator[Any, Any, None]:
        """Wait an exponential time of ``rate`` per hour drawn from ``rng``. A wait that
        would run past the hour the run diverges at stops there and draws what is left
        afresh (the same distribution: the wait has no memory), so that the future does not
        keep an onset the past drew.
        """
        gap = rng.expovariate(rate)
        now = self.kernel.now
        if self.diverge is not None and now < self.diverge[0] < now + gap:
            yield self.diverge[0] - now
            gap = rng.expovariate(rate)
        yield gap

    def new_consignment(
        self, stream_name: str, variant: Variant, units: int, unit_kind: str, teu: float
    ) -> Consignment:
        """A new consignment of ``stream_name``, counted as created now."""
        self.next_id += 1
        self.created_units += units
        c = Consignment(
            Waybill(self.next_id, stream_name, variant, units, unit_kind, teu, self.kernel.now))
        self.live[self.next_id] = c
        if self.trace:
            c.trace = []
        return c

    def note(
        self, c: Consignment, code: str, place: str, vehicle: str = "", units: int = 0
    ) -> None:
        """Record a milestone of ``c`` now (only when the run keeps event streams)."""
        mark(c, self.kernel.now, code, place, vehicle, units)

    def book_wait(self, consignment: Consignment, place: str, hours: float) -> None:
        """Add waiting hours at ``place`` to the consignment's account."""
        if hours > 0.0:
            consignment.waits[place] = consignment.waits.get(place, 0.0) + hours

    def in_system_units(self) -> int:
        """Units counted where they physically are: on land, queued at ports, aboard ships."""
        land = sum(self.on_land.values())
        queued = sum(
            part.units
            for port in self.ports.values()
            for queue in port.queues.values()
            for part in queue
        )
        aboard = sum(
            units for ship in self.ships for _c, units, _d in (*ship.cargo, *ship.unloading)
        )
        return land + queued + aboard + sum(self.landed.values())
