"""The Caspian ports of the network: resolving names, handling times, crossing distances."""

from __future__ import annotations

from itertools import permutations

from midcorridor.errors import UnknownPlaceError
from midcorridor.network.geo import great_circle_km
from midcorridor.network.model import Mode, Network, Node
from midcorridor.network.places import find_place
from midcorridor.network.seas import caspian_ports, is_caspian_port, port_handling_h

KM_PER_NM = 1.852
DETOUR = 1.10  # sailing distance over great-circle distance where no link is published


class CaspianPorts:
    """Looks places up in ``network`` and accepts only Caspian ports."""

    def __init__(self, network: Network):
        self.network = network

    def all(self) -> list[Node]:
        """Every Caspian port of the network."""
        return list(caspian_ports(self.network))

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
        """The port's name."""
        return self.network.nodes[port].name

    def handling_h(self, port: str) -> float:
        """Hours a vessel spends at the port per call."""
        return port_handling_h(self.network.nodes[port])

    def distance_nm(self, a: str, b: str) -> float:
        """Published ferry or sea link distance, else great-circle times ``DETOUR``."""
        for link in self.network.links:
            if link.mode in (Mode.FERRY, Mode.SEA) and {link.origin, link.destination} == {a, b}:
                return link.distance_km / KM_PER_NM
        na, nb = self.network.nodes[a], self.network.nodes[b]
        return great_circle_km(na.lat, na.lon, nb.lat, nb.lon) * DETOUR / KM_PER_NM

    def distances_nm(self, ports: list[str]) -> dict[tuple[str, str], float]:
        """Sea distances in nautical miles between every ordered pair of ``ports``."""
        return {(a, b): self.distance_nm(a, b) for a, b in permutations(ports, 2)}
