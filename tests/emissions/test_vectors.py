"""Emission test vectors worked by hand from the GLEC factors in emissions.md."""

from __future__ import annotations

import pytest

from midcorridor.emissions import (
    Intensity,
    factors,
    hub_emission,
    link_emission,
    rail,
    transport_emission,
)
from midcorridor.network.model import Link, Mode, Network, Node, NodeKind, Spread


def test_tv9_container_teu_km() -> None:
    """TV-9: 4 TEU (40 t) x 1000 km at 80.4 g/TEU-km (8.04 g/tkm) = 321.6 kg CO2e WTW."""
    e = transport_emission(Intensity(80.4 / 10, 0.0, "TV-9"), tonnes=40, distance_km=1000)
    assert e.wtw_kg == pytest.approx(321.6)


def test_caspian_ferry_wtw_and_ttw() -> None:
    """480 t x 470 km on GLEC Ro-Pax 10-20k gt MDO: 124.8 -> 28,154.88 kg; 106.4 -> 24,003.84."""
    e = transport_emission(factors.FERRY, tonnes=480, distance_km=470)
    assert e.wtw_kg == pytest.approx(28_154.88)
    assert e.ttw_kg == pytest.approx(24_003.84)
    assert e.wtt_kg == pytest.approx(28_154.88 - 24_003.84)


def test_electric_rail_kazakhstan() -> None:
    """Electric KZ: 0.0415 kWh/tkm x 821.4 g/kWh = 34.0881 g/tkm WTW, 0 TTW; 12 t x 100 km."""
    ei = rail("electric", "KZ")
    assert ei.wtw == pytest.approx(34.0881)
    assert ei.ttw == 0.0
    assert transport_emission(ei, 12, 100).wtw_kg == pytest.approx(40.90572)


def test_mixed_rail_georgia() -> None:
    """Mixed GE at 84 % electric: 0.84 x 6.9554 + 0.16 x 34.52 = 11.365736 g/tkm WTW."""
    ei = rail("mixed", "GE")
    assert ei.wtw == pytest.approx(0.84 * 0.0415 * 167.6 + 0.16 * 34.52)
    assert ei.ttw == pytest.approx(0.16 * 27.82)


def test_diesel_rail_and_road() -> None:
    """Diesel rail uses BEIS 34.52/27.82 g/tkm; road GLEC truck 116/89 g/tkm."""
    assert transport_emission(rail("diesel", "TR"), 10, 1000).wtw_kg == pytest.approx(345.2)
    assert transport_emission(factors.ROAD, 10, 1000).ttw_kg == pytest.approx(890.0)


def test_hub_transshipment() -> None:
    """480 t through a transshipment hub at 0.6 kg CO2e/t = 288 kg."""
    assert hub_emission(480).wtw_kg == pytest.approx(288.0)


def test_great_circle_distance_is_adjusted() -> None:
    """A sea link carrying only its great-circle distance is multiplied by the DAF 1.15."""
    a = Node("TRAAA", "A", "TR", 40.0, 28.0, NodeKind.SEAPORT)
    b = Node("TRBBB", "B", "TR", 41.0, 28.0, NodeKind.SEAPORT)
    gcd = 110.95  # 1 degree of latitude at 40.5 N on WGS 84, km
    short = Link("L1", "TRAAA", "TRBBB", Mode.SEA, gcd, Spread(5, 5, 5))
    longer = Link("L2", "TRAAA", "TRBBB", Mode.SEA, 150.0, Spread(5, 5, 5))
    net = Network(nodes={"TRAAA": a, "TRBBB": b}, links=(short, longer))
    deep = factors.SEA_DEEP.wtw
    assert link_emission(net, short, 10).wtw_kg == pytest.approx(10 * gcd * 1.15 * deep / 1000)
    assert link_emission(net, longer, 10).wtw_kg == pytest.approx(10 * 150 * deep / 1000)


def test_unknown_traction_is_an_input_error() -> None:
    """An unknown traction raises InputError naming the allowed values."""
    from midcorridor.errors import InputError

    with pytest.raises(InputError, match="electric, diesel or mixed"):
        rail("steam", "KZ")
