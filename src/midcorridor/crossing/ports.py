"""The Caspian ports of the network: resolving names, handling times, crossing distances."""

from __future__ import annotations

from itertools import permutations

from midcorridor.errors import UnknownPlaceError
from midcorridor.network.geo import great_circle_km
from midcorridor.network.model import Mode, Network, Node, NodeKind
from midcorridor.network.places import find_place

# The Caspian Sea lies within these bounds (degrees); no other sea's port does.
CASPIAN_LAT = (36.5, 47.5)
CASPIAN_LON = (46.5, 55.5)
KM_PER_NM = 1.852
DETOUR = 1.10  # sailing distance over great-circle distance where no link is published
DEFAULT_HANDLING_H = 20.1  # Baku 2024 average vessel handling (Trend, 2025-06-03)


def is_caspian_port(node: Node) -> bool:
    """A seaport on the Caspian shore."""
    return (node.kind is NodeKind.SEAPORT
            and CASPIAN_LAT[0] <= node.lat <= CASPIAN_LAT[1]
            and CASPIAN_LON[0] <= node.lon <= CASPIAN_LON[1])


class CaspianPorts:
    """Looks places up in ``network`` and accepts only Caspian ports."""

    def __init__(self, network: Network):
        self.network = network

    def all(self) -> list[Node]:
        return sorted((n for n in self.network.nodes.values() if is_caspian_port(n)),
                      key=lambda n: n.id)

    def resolve(self, text: str) -> str:
        """The node id of a Caspian port; ``ValueError`` with a hint otherwise."""
        known = ", ".join(f"{n.name} ({n.id})" for n in self.all())
        try:
            node = find_place(self.network, text)
        except UnknownPlaceError as exc:
            raise ValueError(f"{exc}; Caspian ports are {known}") from None
        if not is_caspian_port(node):
            raise ValueError(
                f"{node.name} ({node.id}) is not a Caspian port; Caspian ports are {known}")
        return node.id

    def name(self, port: str) -> str:
        return self.network.nodes[port].name

    def handling_h(self, port: str) -> float:
        node = self.network.nodes[port]
        return float(node.handling_h) if node.handling_h is not None else DEFAULT_HANDLING_H

    def distance_nm(self, a: str, b: str) -> float:
        """Published ferry or sea link distance, else great-circle times ``DETOUR``."""
        for link in self.network.links:
            if link.mode in (Mode.FERRY, Mode.SEA) and {link.origin, link.destination} == {a, b}:
                return link.distance_km / KM_PER_NM
        na, nb = self.network.nodes[a], self.network.nodes[b]
        return great_circle_km(na.lat, na.lon, nb.lat, nb.lon) * DETOUR / KM_PER_NM

    def distances_nm(self, ports: list[str]) -> dict[tuple[str, str], float]:
        return {(a, b): self.distance_nm(a, b) for a, b in permutations(ports, 2)}
