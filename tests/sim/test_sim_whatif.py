"""Runs from a given corridor, and what-if against doing nothing, on a hand-worked tiny case."""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

import pytest

from midcorridor.errors import InputError
from midcorridor.network.model import Network, Spread
from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import parse_experiment
from midcorridor.sim.initial import CargoAt, InitialState, VesselAt
from midcorridor.sim.processes import simulate_replication
from midcorridor.sim.whatif import apply_changes, parse_changes, whatif

if TYPE_CHECKING:
    from midcorridor.sim.model import SimModel


def _exact_model(make_network) -> SimModel:
    network: Network = make_network(1)
    service = dataclasses.replace(network.services[0], crossing_h=Spread(22, 22, 22))
    network = Network(nodes=network.nodes, links=network.links, services=(service,))
    doc = {
        "name": "exact",
        "horizon_days": 10,
        "warmup_days": 0,
        "demand": {
            "streams": [
                {
                    "name": "wagons",
                    "origin": "Beineu",
                    "destination": "Alat",
                    "unit": "wagon",
                    "units_per_year": 1,
                    "units_per_consignment": 5,
                }
            ]
        },
        "ports": {"Aktau": {"handling_h": 0}, "Alat": {"handling_h": 0}},
    }
    return build_model(network, parse_experiment(doc))


# 60 wagons have waited 5 h at Aktau; the ferry is there, empty, at hour 0.
START = InitialState(
    cargo=(CargoAt("S-1", "wagons", 60, "KZAAU", waited_h=5.0),),
    vessels=(VesselAt("Ferry 0", "KZAAU"),),
    demand=False,
)


def test_a_run_from_a_given_state_matches_the_hand_worked_times(make_network) -> None:
    """The ferry takes 40 wagons at once (full: it sails at 0), is at Alat at 22, back at 44,
    takes the other 20 and waits out its 24 h headway for more: sails at 68, Alat at 90.
    The consignment has waited 68 + 5 = 73 h at Aktau and is delivered at 90."""
    model = dataclasses.replace(_exact_model(make_network), start=START)
    r = simulate_replication(model, 1, 0)
    assert r.shipments == {1: "S-1"}
    [delivery] = r.deliveries
    assert delivery[4] == pytest.approx(90.0)
    assert dict(((p, h) for _c, p, h in r.waits)) == {"KZAAU": pytest.approx(73.0)}
    assert [(round(t), units) for _l, _p, t, units, _s in r.departures if units] == [
        (0, 40),
        (68, 20),
    ]


def test_closing_the_caspian_for_48_hours_delays_by_hand(make_network) -> None:
    """Every Caspian port closed for 48 h: the ferry berths at 48, sails full at 48, is back
    at 92, sails with the rest at 116 and lands at 138: 48 h later than doing nothing, and
    48 h more waiting at Aktau."""
    model = _exact_model(make_network)
    changes = parse_changes({"closures": [{"place": "caspian", "hours": 48}]})
    answer = whatif(model, START, changes, days=7, replications=3, seed=4)
    [shipment] = answer.shipments
    assert shipment.base_p50_h == pytest.approx(90.0)
    assert shipment.changed_p50_h == pytest.approx(138.0)
    assert shipment.shift_h == pytest.approx(48.0)
    wait = answer.kpi("caspian_wait_hours")
    assert wait.base.mean == pytest.approx(73.0)
    assert wait.delta.mean == pytest.approx(48.0)
    assert answer.to_dict()["kpis"][0]["delta"]["n"] == 3


def test_a_second_ferry_is_a_change_too(make_network) -> None:
    """An added 40-railcar ferry at Aktau berths beside the first, takes the other 20 wagons
    and waits out its headway: sails at 24, lands at 46, 44 h earlier than doing nothing."""
    model = _exact_model(make_network)
    start = dataclasses.replace(START, vessels=(*START.vessels, VesselAt("Spare", "KZAAU")))
    changes = parse_changes(
        {"vessels_added": [{"line": "FERRY", "name": "Spare", "railcars": 40}]}
    )
    answer = whatif(model, start, changes, days=7, replications=2)
    assert answer.shipments[0].changed_p50_h == pytest.approx(46.0)
    assert answer.shipments[0].shift_h == pytest.approx(46.0 - 90.0)


@pytest.mark.parametrize(
    ("doc", "field"),
    [
        ({"vessels_out": ["Flying Dutchman"]}, "changes.vessels_out[0]"),
        ({"closures": [{"place": "Atlantis", "hours": 5}]}, "changes.closures[0].place"),
        ({"closures": [{"place": "caspian", "hours": 500}]}, "changes.closures[0].hours"),
        ({"berths": {"Nowhere": 2}}, "changes.berths.Nowhere"),
        ({"closures": [{"place": "caspian", "hours": "long"}]}, "changes.closures[0].hours"),
        ({"ferries": []}, "changes.ferries"),
    ],
)
def test_bad_changes_name_the_field(make_network, doc: dict, field: str) -> None:
    """Unknown vessels and places, closures past the horizon and typos name their field."""
    model = dataclasses.replace(_exact_model(make_network), horizon_h=7 * 24.0)
    with pytest.raises(InputError, match=field.replace("[", r"\[").replace("]", r"\]")):
        apply_changes(model, parse_changes(doc))


def test_every_problem_of_a_changes_document_is_named_at_once() -> None:
    """The changes reader lists each field at fault in one error, the first first, and reads
    an added vessel as an experiment's added ship (a deck it must have, no unknown keys)."""
    doc = {
        "closures": [{"place": "caspian", "hours": "long"}, {"hours": 5}],
        "vessels_added": [{"line": "FERRY", "name": "Spare", "railcar": 40},
                          {"line": "FERRY", "name": "Big", "teu": 100}],
        "berths": {"Aktau": 0},
        "ferries": [],
    }
    with pytest.raises(InputError) as info:
        parse_changes(doc)
    fields = re.findall(r"(changes\.\S+): ", str(info.value))
    assert fields == [
        "changes.ferries",
        "changes.vessels_added[0].railcar",
        "changes.vessels_added[0]",
        "changes.closures[0].hours",
        "changes.closures[1].place",
        "changes.berths.Aktau",
    ]
    added = parse_changes({"vessels_added": [{"line": "FERRY", "name": "Big", "teu": 100}]})
    assert [(a.line, a.name, a.deck.teu, a.deck.railcar) for a in added.vessels_added] == [
        ("FERRY", "Big", 100, 0)]
    assert added.vessels_added[0].ship().slots == 50  # 100 TEU: 50 slots of two TEU
