"""The Caspian fleet of the data set, the Caspian ports, and each vessel's last known status."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.crossing.generate import caspian_services
from midcorridor.crossing.model import Vessel
from midcorridor.crossing.ports import CaspianPorts
from midcorridor.live.position import ARRIVAL_CODES, DEPARTURE_CODES, Mark
from midcorridor.live.state import VesselState
from midcorridor.network.model import Network, VesselKind
from midcorridor.network.seas import caspian_ports

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

DANGEROUS_LIMIT = 10  # units per sailing: the crossing generator's assumption


def caspian_port_ids(network: Network) -> tuple[str, ...]:
    """The node ids of the Caspian seaports, sorted."""
    return tuple(node.id for node in caspian_ports(network))


def dataset_fleet(network: Network) -> tuple[Vessel, ...]:
    """Every vessel of the data set's Caspian services, id ``<service>-<n>`` as the crossing
    generator names them, first available at the service's first port.
    """
    vessels: list[Vessel] = []
    ports = CaspianPorts(network)
    for service in caspian_services(network):
        a, b = service.route[0], service.route[-1]
        crossing = service.crossing_h.typ if service.crossing_h else 22.0
        speed = round(ports.distance_nm(a, b) / crossing, 1)
        fleet = [v for v in service.vessels if v.kind is not VesselKind.TRAIN]
        for i, v in enumerate(fleet):
            vessels.append(Vessel(
                f"{service.id}-{i + 1}", v.name, v.kind, v.deck,
                speed, a if i % 2 == 0 else b, 0.0,
                None if v.kind is VesselKind.CONTAINER_SHIP else DANGEROUS_LIMIT))
    return tuple(vessels)


def vessel_names(fleet: Iterable[Vessel]) -> dict[str, str]:
    """How an event's ``vehicle`` may name each vessel (its id or its name, any case) -> id."""
    names: dict[str, str] = {}
    for v in fleet:
        names.setdefault(v.name.casefold(), v.id)
        names[v.id.casefold()] = v.id
    return names


ANCHORAGE = "anchorage"
"""The ``facility`` of an arrival at a port's anchorage (waiting for a berth)."""


@dataclass(frozen=True)
class VesselMark(Mark):
    """A vessel's last actual transport event (its own call or one of its cargo's): the
    :class:`Mark`, and where it arrived when the event says (``anchorage``, ``berth``, "").
    """

    facility: str = ""


def vessel_states(fleet: Iterable[Vessel], last: Mapping[str, Mark]) -> tuple[VesselState, ...]:
    """Each vessel's status from its last transport event (keyed by vessel id): ``anchored``
    after an arrival at the anchorage, ``at_berth`` after any other arrival, ``at_sea`` after
    a departure.
    """
    out = []
    for v in fleet:
        mark = last.get(v.id)
        if mark is None:
            out.append(VesselState(v.id, v.name, "unknown"))
        elif mark.code in ARRIVAL_CODES:
            anchored = isinstance(mark, VesselMark) and mark.facility == ANCHORAGE
            out.append(VesselState(v.id, v.name, "anchored" if anchored else "at_berth",
                                   mark.location, mark.time))
        elif mark.code in DEPARTURE_CODES:
            out.append(VesselState(v.id, v.name, "at_sea", mark.location, mark.time))
        else:
            out.append(VesselState(v.id, v.name, "unknown", mark.location, mark.time))
    return tuple(out)
