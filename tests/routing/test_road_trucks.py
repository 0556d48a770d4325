"""Road legs are paid and counted per truck: two TEU to a truck, a part-load a whole truck."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from rich.console import Console

from helpers.networks import link, node
from midcorridor.cli.route import legs_table
from midcorridor.network.model import Mode, Network
from midcorridor.routing import Cargo, plan
from midcorridor.routing.costs import road_load, trucks

MONDAY = datetime(2026, 11, 30, tzinfo=UTC)
#: Published inputs, read here apart from the code: CAREC CPMM 2022 road, 945 USD per 500 km
#: per 20 t truckload and 208 USD per border crossing; ICCT/TU Graz 32.6 l/100 km; DESNZ diesel
#: 2.51 kg CO2e/l TTW; the GLEC truck row's WTW/TTW 116/89; 20.2% of vehicle-km run empty.
USD_PER_TRUCK_KM = 945 / 500
USD_PER_TRUCK_BORDER = 208.0
KG_WTW_PER_TRUCK_KM = 0.326 * 2.51 / (1 - 0.202) * 116 / 89


def _road(border: bool = False) -> Network:
    """A 100 km road from A to B (the great circle is 85 km, so no distance adjustment)."""
    nodes = {"AAAAA": node("AAAAA", "AZ", 50.0), "BBBBB": node("BBBBB", "GE", 51.0)}
    return Network(nodes=nodes,
                   links=(link("AAAAA", "BBBBB", Mode.ROAD, 100.0, 2.0, border=border),))


@pytest.mark.parametrize(("teu", "count"), [(1, 1), (2, 1), (3, 2), (40, 20), (41, 21),
                                            (0.5, 1), (2.5, 2)])
def test_trucks_are_two_teu_each_and_a_part_load_takes_a_whole_one(teu: float,
                                                                    count: int) -> None:
    assert trucks(teu) == count
    assert road_load(teu) == pytest.approx(count * 2 / teu)


@pytest.mark.parametrize(("teu", "count"), [(40, 20), (3, 2), (1, 1)])
def test_a_road_leg_costs_and_emits_per_truck(teu: int, count: int) -> None:
    """Worked by hand: 100 km at 1.89 USD and 1.34 kg CO2e WTW per truck-km, for each truck;
    40 TEU take 20 trucks, 3 TEU two (the second half empty), 1 TEU one."""
    (leg,) = plan(_road(), "AAAAA", "BBBBB", cargo=Cargo(teu), depart=MONDAY).options[0].legs
    assert leg.trucks == count
    assert leg.cost_usd == pytest.approx(count * 100 * USD_PER_TRUCK_KM)
    assert leg.co2e_kg == pytest.approx(count * 100 * KG_WTW_PER_TRUCK_KM)


def test_a_road_border_is_paid_per_truck_at_the_road_rate() -> None:
    """A road border crossing costs CAREC's 208 USD per truck, not the rail border fee."""
    (leg,) = plan(_road(border=True), "AAAAA", "BBBBB", cargo=Cargo(4),
                  depart=MONDAY).options[0].legs
    assert leg.cost_usd == pytest.approx(2 * (100 * USD_PER_TRUCK_KM + USD_PER_TRUCK_BORDER))


def test_a_truck_emits_what_a_40_t_truck_burns() -> None:
    """A loaded truck-km of the road links comes to 1.0-1.5 kg CO2e WTW (30-35 l/100 km of
    diesel and the empty return share), not the 2.8 kg of the <34 t average-load factor."""
    (leg,) = plan(_road(), "AAAAA", "BBBBB", cargo=Cargo(2), depart=MONDAY).options[0].legs
    assert 1.0 <= leg.co2e_kg / 100 <= 1.5


def test_the_legs_table_says_how_many_trucks(corridor: Network) -> None:
    """A forwarder reads a road stretch of 40 TEU as 20 trucks."""
    result = plan(corridor, "Baku", "Tbilisi", cargo=Cargo(40), depart=MONDAY,
                  avoid_modes=["rail"])
    out = Console(file=io.StringIO(), width=200, color_system=None)
    out.print(legs_table(result, 0, corridor))
    assert "20 trucks" in out.file.getvalue()  # type: ignore[attr-defined]


def test_graphs_for_part_loads_are_not_kept_without_bound() -> None:
    """Planning many odd TEU counts keeps a few part-load graphs, not one per count."""
    from midcorridor.routing import graph as graphs

    net = _road()
    for teu in range(1, 40, 2):
        plan(net, "AAAAA", "BBBBB", cargo=Cargo(teu), depart=MONDAY)
    kept = [k for k in graphs._CACHE if k[0] == id(net)]
    assert len([k for k in kept if k[2] != 1.0]) <= graphs._PART_LOADS_KEPT
