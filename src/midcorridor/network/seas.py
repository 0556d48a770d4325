"""Which sea a place is on, and the one answer to "the Caspian ports" for every engine.

The planner, the crossing optimizer and the simulator all ask the same questions: is this port
on the Caspian, is this link a Caspian crossing, how long does a vessel call take when the data
set gives no figure. They are answered here from the ``sea`` column of nodes.csv, so no engine
keeps its own list of countries or box of coordinates.
"""

from __future__ import annotations

from midcorridor.network.model import Link, Mode, Network, Node, NodeKind, Sea

PORT_HANDLING_DEFAULT_H = 20.1
"""Hours of one vessel call at a port whose node gives no ``handling_h``.

The Port of Baku's 2024 average vessel load/unload time, against the 30 h maximum of the TITR
protocol ("Baku port expects container throughput to exceed 100,000 TEU", Trend, 2025-06-03,
https://en.trend.az/business/4052708.html; source S018 of the data set).
"""

WATER_MODES = (Mode.SEA, Mode.FERRY)


def on_caspian(node: Node) -> bool:
    """Whether ``node`` lies on the Caspian Sea (its ``sea`` is ``caspian``)."""
    return node.sea is Sea.CASPIAN


def is_caspian_port(node: Node) -> bool:
    """A seaport on the Caspian shore."""
    return node.kind is NodeKind.SEAPORT and on_caspian(node)


def caspian_ports(network: Network) -> tuple[Node, ...]:
    """The Caspian seaports of ``network``, ordered by id.

    >>> from midcorridor.network import load_network
    >>> [port.id for port in caspian_ports(load_network())][:2]
    ['AZALT', 'KZAAU']
    """
    return tuple(
        sorted((n for n in network.nodes.values() if is_caspian_port(n)), key=lambda n: n.id)
    )


def is_caspian_crossing(network: Network, link: Link) -> bool:
    """A sea or ferry link with both ends on the Caspian."""
    return (
        link.mode in WATER_MODES
        and on_caspian(network.nodes[link.origin])
        and on_caspian(network.nodes[link.destination])
    )


def port_handling_h(node: Node) -> float:
    """Hours of one vessel call at ``node``: its own figure, else the 20.1 h default."""
    return float(node.handling_h) if node.handling_h is not None else PORT_HANDLING_DEFAULT_H
