"""Experiment files: base chains, validation messages, building on a network."""

from __future__ import annotations

import re

import pytest

from midcorridor.errors import DataError, InputError, UnknownPlaceError
from midcorridor.sim.build import build_model
from midcorridor.sim.experiment import load_experiment, parse_experiment
from midcorridor.sim.model import LandLeg, SeaLeg, TerminalStep


def test_base_chain_merges_mappings_and_replaces_values(tmp_path):
    """An experiment with a base changes only what it names."""
    (tmp_path / "base.yaml").write_text(
        "name: base\nhorizon_days: 100\nstorms: {per_year: 2, duration_days: {typ: 3}}\n"
        "demand: {streams: [{name: s, origin: A, destination: B, teu_per_year: 10}]}\n"
    )
    (tmp_path / "change.yaml").write_text("name: change\nbase: base.yaml\nstorms: {per_year: 5}\n")
    spec = load_experiment(tmp_path / "change.yaml")
    assert spec.name == "change"
    assert spec.horizon_days == 100
    assert spec.storms_per_year == 5
    assert spec.storm_days == (3, 3, 3)
    assert spec.streams[0].origin == "A"


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"horizon_days": "x"}, "horizon_days: 'x' is not a number"),
        ({"fleet": {"add": [{"line": "FERRY"}]}}, "fleet.add[0]"),
        ({"colour": "red"}, "colour: unknown setting"),
        ({"warmup_days": 500}, "warmup_days"),
        ({"demand": {"streams": []}}, "demand.streams"),
    ],
)
def test_invalid_settings_name_the_field(doc, change, where):
    """Each invalid setting is a problem naming the file and field."""
    doc = {**doc, **change}
    with pytest.raises(DataError, match=re.escape(f"my.yaml:-:{where}")) as caught:
        parse_experiment(doc, "my.yaml")
    assert len(caught.value.problems) == 1, caught.value.problems


def test_every_problem_of_a_experiment_is_listed(doc):
    """An experiment with four mistakes in different sections reports all four at once."""
    doc = {
        **doc,
        "horizon_days": "a year",
        "colour": "red",
        "storms": {"per_year": -1},
        "fleet": {"add": [{"line": "FERRY", "name": "New"}]},
    }
    with pytest.raises(DataError) as caught:
        parse_experiment(doc, "my.yaml")
    found = {(p.file, p.field) for p in caught.value.problems}
    assert found == {
        ("my.yaml", "horizon_days"),
        ("my.yaml", "colour"),
        ("my.yaml", "storms.per_year"),
        ("my.yaml", "fleet.add[0]"),
    }
    assert "4 problems in the data" in str(caught.value)


def test_missing_and_broken_files_are_input_errors(tmp_path):
    """A missing file or broken YAML is reported with the path, not a traceback."""
    with pytest.raises(InputError, match="no such experiment file"):
        load_experiment(tmp_path / "nope.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n")
    with pytest.raises(InputError, match="not valid YAML"):
        load_experiment(bad)


def test_unknown_place_suggests_names(doc, make_network):
    """A misspelt origin raises UnknownPlaceError suggesting the place meant."""
    doc["demand"]["streams"][0]["origin"] = "Beinue"
    with pytest.raises(UnknownPlaceError) as caught:
        build_model(make_network(), parse_experiment(doc))
    assert any("KZBEY" in s for s in caught.value.suggestions), caught.value.suggestions


def test_build_compiles_route_fleet_and_added_ships(doc, make_network):
    """The route becomes rail, sea leg, rail with border dwell, terminal; added ships join."""
    doc["fleet"] = {
        "add": [{"line": "FERRY", "name": "New", "railcars": 56}],
        "remove": ["Ferry 0"],
    }
    doc["ports"] = {"Aktau": {"berths": 4}}
    model = build_model(make_network(ships=2), parse_experiment(doc))
    steps = model.streams[0].variants[0].steps
    assert [type(s) for s in steps] == [LandLeg, SeaLeg, LandLeg, TerminalStep]
    assert steps[2].dwell is not None
    assert model.places[steps[2].place] == "border"
    assert [s.name for s in model.lines[0].ships] == ["Ferry 1", "New"]
    assert model.ports["KZAAU"].berths == 4
    assert model.ports["KZAAU"].caspian


def test_unknown_line_in_fleet_change_is_an_input_error(doc, make_network):
    """Adding a ship to a line that does not exist names the known lines."""
    doc["fleet"] = {"add": [{"line": "NOPE", "name": "New", "railcars": 56}]}
    with pytest.raises(InputError, match="unknown line 'NOPE'.*FERRY"):
        build_model(make_network(), parse_experiment(doc))
