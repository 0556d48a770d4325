"""The one definition of the Caspian: ports and crossings from the nodes' ``sea`` column."""

from __future__ import annotations

import csv

from midcorridor.network import (
    PORT_HANDLING_DEFAULT_H,
    Mode,
    Network,
    Node,
    NodeKind,
    Sea,
    caspian_ports,
    is_caspian_crossing,
    packaged_data_dir,
    port_handling_h,
)


def test_caspian_ports_of_the_data_set(corridor: Network) -> None:
    """Exactly the four Caspian seaports the fact sheet names, and no Black Sea port."""
    assert [n.id for n in caspian_ports(corridor)] == ["AZALT", "KZAAU", "KZKUR", "TMKRW"]


def test_caspian_ports_read_from_the_file_itself(corridor: Network) -> None:
    """Oracle: the seaports whose sea cell in nodes.csv says caspian, read with the csv module."""
    with (packaged_data_dir() / "nodes.csv").open(newline="", encoding="utf-8") as handle:
        expected = sorted(
            row["id"]
            for row in csv.DictReader(handle)
            if row["sea"] == "caspian" and row["kind"] == "seaport"
        )
    assert [n.id for n in caspian_ports(corridor)] == expected


def test_every_port_and_waypoint_lies_on_a_sea(corridor: Network) -> None:
    """Seaports and sea waypoints carry their sea; places on land carry none."""
    for node in corridor.nodes.values():
        on_water = node.kind in (NodeKind.SEAPORT, NodeKind.SEA_WAYPOINT)
        assert (node.sea is not None) == on_water, node.id


def test_caspian_crossings(corridor: Network) -> None:
    """Aktau-Alat is a Caspian crossing; a Black Sea sailing and a rail link are not."""
    assert is_caspian_crossing(corridor, corridor.link("KZAAU-AZALT-ferry"))
    assert is_caspian_crossing(corridor, corridor.link("TMKRW-AZALT-ferry"))
    assert not is_caspian_crossing(corridor, corridor.link("GEBUS-BGBOJ-ferry"))
    crossings = {lk.id for lk in corridor.links if is_caspian_crossing(corridor, lk)}
    assert all(corridor.link(i).mode in (Mode.SEA, Mode.FERRY) for i in crossings)
    black_sea = [lk for lk in corridor.links if corridor.nodes[lk.origin].sea is Sea.BLACK]
    assert black_sea
    assert not any(lk.id in crossings for lk in black_sea)


def test_port_handling_default(corridor: Network) -> None:
    """A port's own handling time wins; without one a call takes Baku's 20.1 h average."""
    kuryk = corridor.nodes["KZKUR"]
    assert kuryk.handling_h is not None
    assert port_handling_h(kuryk) == kuryk.handling_h
    bare = Node("KZXXX", "Nowhere", "KZ", 43.0, 51.0, NodeKind.SEAPORT, sea=Sea.CASPIAN)
    assert port_handling_h(bare) == PORT_HANDLING_DEFAULT_H == 20.1
