"""Event streams of simulated consignments: shape, places, units, dates and the CLI."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from typer.testing import CliRunner

from midcorridor.cli import app
from midcorridor.sim.feed import event_stream, port_operator, write_events
from midcorridor.sim.processes import simulate_replication

if TYPE_CHECKING:
    from midcorridor.sim.model import SimModel
    from midcorridor.sim.result import ReplicationResult

EXPERIMENTS = Path(__file__).resolve().parents[2] / "experiments"
END = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def _check_digit(first_ten: str) -> int:
    """ISO 6346 check digit, written out here as the standard states it (an oracle)."""
    values, v = {}, 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if v in (11, 22, 33):
            v += 1
        values[letter] = v
        v += 1
    total = sum((values[c] if c.isalpha() else int(c)) * 2**i for i, c in enumerate(first_ten))
    return total % 11 % 10


@pytest.fixture(scope="module")
def traced(aktau_alat_two_ferries: SimModel) -> ReplicationResult:
    """One traced replication of the two-port corridor."""
    return simulate_replication(aktau_alat_two_ferries, 4, 0, trace=True)


@pytest.fixture(scope="module")
def records(aktau_alat_two_ferries: SimModel, traced: ReplicationResult) -> list[dict[str, Any]]:
    """The feed of the traced replication, ending at END."""
    return list(event_stream(aktau_alat_two_ferries, traced.traces, end=END, seed=4))


def _split(records: list[dict[str, Any]]) -> tuple[dict[str, Any], dict[str, list[Any]]]:
    shipments = {r["reference"]: r for r in records if r["record"] == "shipment"}
    events: dict[str, list[Any]] = defaultdict(list)
    for r in records:
        if r["record"] == "event":
            events[r["shipment"]].append(r)
    return shipments, events


def test_records_are_what_the_service_accepts(records: list[dict[str, Any]]) -> None:
    """Every shipment and event validates against the service's request bodies."""
    from midcorridor.service.schemas import EventCreate, ShipmentCreate

    shipments, events = _split(records)
    assert len(shipments) > 20
    for ref, s in shipments.items():
        ShipmentCreate(**{k: s[k] for k in ("reference", "origin", "destination", "cargo", "legs")})
        for e in events[ref]:
            body = {
                k: v for k, v in e.items() if k not in ("record", "shipment", "reporting_operator")
            }
            EventCreate(shipment_id=1, **body)
            assert e["reporting_operator"]


def test_every_event_is_on_the_planned_route_and_in_time_order(records: list[dict]) -> None:
    """Events happen at places of the planned legs, in order, before the end of the run."""
    shipments, events = _split(records)
    for ref, s in shipments.items():
        places = {s["origin"], s["destination"]}
        places |= {leg[k] for leg in s["legs"] for k in ("origin", "destination")}
        times = [e["event_time"] for e in events[ref]]
        assert times == sorted(times)
        assert all(e["location"] in places for e in events[ref])
        assert all(datetime.fromisoformat(t) <= END for t in times)
        assert events[ref][0]["event_code"] == "GTIN"
        assert events[ref][0]["location"] == s["origin"]


def test_container_numbers_have_valid_check_digits(records: list[dict[str, Any]]) -> None:
    """Boxes carry distinct ISO 6346 numbers; equipment events name one of them."""
    shipments, events = _split(records)
    boxes = [n for s in shipments.values() for n in s["cargo"]["containers"]]
    assert boxes
    assert len(set(boxes)) == len(boxes)
    assert all(_check_digit(n[:10]) == int(n[10]) for n in boxes)
    for ref, s in shipments.items():
        for e in events[ref]:
            if e.get("equipment_reference"):
                assert e["equipment_reference"] in s["cargo"]["containers"]


def test_units_loaded_are_units_discharged(records: list[dict[str, Any]]) -> None:
    """A delivered consignment loads and discharges all its units once per sea leg, on named
    vessels, and sails before it arrives."""
    shipments, events = _split(records)
    delivered = 0
    for ref, s in shipments.items():
        codes = [e["event_code"] for e in events[ref]]
        if codes[-1] != "GTOT" or events[ref][-1]["location"] != s["destination"]:
            continue
        delivered += 1
        units = Counter()
        for e in events[ref]:
            if e["event_code"] in ("LOAD", "DISC"):
                assert e["vehicle"].startswith("Ferry")
                units[e["event_code"]] += int(e["description"].split()[0])
        assert units["LOAD"] == units["DISC"] == s["cargo"]["units"]
        vessel = [e for e in events[ref] if e.get("mode") == "ferry"]
        assert [e["event_code"] for e in vessel][:1] == ["DEPA"]
    assert delivered > 10


def test_tracing_does_not_change_the_run(aktau_alat_two_ferries: SimModel) -> None:
    """Keeping milestones draws no random numbers: the deliveries are the same."""
    plain = simulate_replication(aktau_alat_two_ferries, 9, 1)
    traced = simulate_replication(aktau_alat_two_ferries, 9, 1, trace=True)
    assert plain.deliveries == traced.deliveries
    assert not plain.traces
    assert {t.id for t in traced.traces if t.delivered_h is not None} == {
        d[0] for d in traced.deliveries
    }


def test_cli_writes_the_event_file(tmp_path: Path) -> None:
    """`simulate X --events F.jsonl` writes shipments then events in time order, dated so the
    run ends at --until, with cargo under way at the end and the vessels' own calls."""
    experiment = tmp_path / "short.yaml"
    experiment.write_text(
        f"name: short\nbase: {EXPERIMENTS / 'baseline.yaml'}\nhorizon_days: 50\nwarmup_days: 20\n"
    )
    out = tmp_path / "feed.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "simulate",
            str(experiment),
            "-n",
            "1",
            "--events",
            str(out),
            "--until",
            "2025-06-01T12:00:00",
        ],
    )
    assert result.exit_code == 0, result.output
    lines = [json.loads(x) for x in out.read_text().splitlines()]
    kinds = [x["record"] for x in lines]
    assert kinds == sorted(kinds, key=lambda k: k != "shipment")
    times = [x["event_time"] for x in lines if x["record"] == "event"]
    assert times == sorted(times)
    assert max(times) <= "2025-06-01T12:00:00Z"
    assert min(times) >= (END - timedelta(days=30)).isoformat().replace("+00:00", "Z")
    at_aktau = {x["shipment"] for x in lines if x.get("location") == "KZAAU"} - {""}
    assert at_aktau
    # the vessels' own calls by default: no shipment, the vessel as vehicle
    calls = [x for x in lines if x["record"] == "event" and not x["shipment"]]
    assert {(c["event_type"], c["event_code"]) for c in calls} == {
        ("TRANSPORT", "ARRI"), ("TRANSPORT", "DEPA")}
    assert {c["vehicle"] for c in calls} >= {"Merkuriy-1", "Turkestan"}


def test_write_events_counts(tmp_path: Path, records: list[dict[str, Any]]) -> None:
    """write_events reports how many shipments and events it wrote."""
    shipments, _closures, events = write_events(tmp_path / "f.jsonl", records)
    assert shipments + events == len(records)
    assert len((tmp_path / "f.jsonl").read_text().splitlines()) == len(records)


@pytest.fixture(scope="module")
def truck_records() -> list[dict[str, Any]]:
    """Twenty days of the baseline's feed with its trucks, ending at END."""
    import dataclasses

    from midcorridor.sim.simulate import prepare

    model = prepare(EXPERIMENTS / "baseline.yaml")
    model = dataclasses.replace(model, horizon_h=30 * 24.0, warmup_h=10 * 24.0)
    r = simulate_replication(model, 2, 0, trace=True)
    return list(event_stream(model, r.traces, end=END, seed=2, trucks=True))


def test_trucks_are_reported_by_plate_with_their_trailer(truck_records: list[dict]) -> None:
    """A truck is one shipment whose cargo is its trailer (ISO 6346 category Z, valid check
    digit); the haulier reports its road moves with the plate as the vehicle and mode road,
    the ports its gates, loading and discharge with the trailer as the equipment, the line its
    sailing; each truck loads and lands once, and every record is what the service accepts."""
    from midcorridor.service.schemas import EventCreate, ShipmentCreate

    shipments, events = _split(truck_records)
    trucks = {ref: s for ref, s in shipments.items() if s["origin"] in ("KZKUR", "AZBAK")
              and s["destination"] in ("KZKUR", "AZBAK")}
    assert len(trucks) > 500  # 24,780 a year: about 68 a day for 20 days
    landed = 0
    for ref, s in trucks.items():
        ShipmentCreate(**{k: s[k] for k in ("reference", "origin", "destination", "cargo", "legs")})
        (trailer,) = s["cargo"]["containers"]
        assert trailer[3] == "Z"
        assert _check_digit(trailer[:10]) == int(trailer[10])
        assert s["cargo"]["units"] == 1
        assert {leg["mode"] for leg in s["legs"]} == {"road", "ferry"}
        plates = set()
        codes = [e["event_code"] for e in events[ref]]
        gates = [e["location"] for e in events[ref] if e["event_code"] == "GTIN"]
        assert codes[0] == "GTIN"
        assert len(gates) == len(set(gates))  # once at each gate
        assert codes.count("LOAD") <= 1
        assert codes.count("DISC") <= 1
        landed += codes.count("DISC")
        for e in events[ref]:
            EventCreate(shipment_id=1, **{k: v for k, v in e.items()
                                          if k not in ("record", "shipment", "reporting_operator")})
            if e.get("mode") == "road":
                assert e["vehicle"].startswith("truck ")
                assert e["reporting_operator"] == "Caspian TIR Carriers"
                plates.add(e["vehicle"])
            elif e.get("mode") == "ferry":
                assert e["reporting_operator"] == "ASCO"
            if e["event_code"] in ("LOAD", "DISC"):
                assert e["equipment_reference"] == trailer
                assert e["reporting_operator"].startswith("Port of ")
                assert e["description"] == "1 of 1 trucks"
        assert len(plates) <= 1
    assert landed > 400


def test_trucks_are_in_the_feed_unless_left_out() -> None:
    """The feed carries the trucks by default; ``trucks=False`` keeps it to trains and wagon
    groups."""
    import dataclasses

    from midcorridor.sim.simulate import prepare

    model = prepare(EXPERIMENTS / "baseline.yaml")
    model = dataclasses.replace(model, horizon_h=14 * 24.0, warmup_h=10 * 24.0)
    r = simulate_replication(model, 2, 0, trace=True)
    plain = [x for x in event_stream(model, r.traces, end=END, seed=2, trucks=False)
             if x["record"] == "shipment"]
    both = [x for x in event_stream(model, r.traces, end=END, seed=2)
            if x["record"] == "shipment"]
    assert plain
    assert not any(c[3] == "Z" for s in plain for c in s["cargo"]["containers"])
    assert len(both) > 5 * len(plain)


def test_storms_become_the_ports_closure_notices() -> None:
    """Each storm closes the Caspian ports listed in the experiment, and each port's authority
    posts a notice for it: a Caspian port, from the storm's onset to its reopening, dated on the
    feed's clock. No vessel sails from a port inside one of its notices' windows, and per port
    the hours the notices cover (their union) are the hours the run counts that port closed."""
    import dataclasses

    from midcorridor.sim.feed import closure_records
    from midcorridor.sim.simulate import prepare

    model = prepare(EXPERIMENTS / "storms.yaml")
    model = dataclasses.replace(model, horizon_h=200 * 24.0, warmup_h=0.0)
    run = simulate_replication(model, 5, 0)
    start = END - timedelta(hours=model.horizon_h)
    notices = closure_records(model, run.closures, start=start, prefix="T")
    assert {n["place"] for n in notices} == set(model.storms.ports)
    assert len({n["notice_id"] for n in notices}) == len(notices)
    windows: dict[str, list[tuple[float, float]]] = {}
    for n in notices:
        assert model.ports[n["place"]].caspian
        assert n["reporting_operator"] == port_operator(model, n["place"])
        assert n["reason"].startswith("storm")
        lo = (datetime.fromisoformat(n["start"].replace("Z", "+00:00")) - start)
        hi = (datetime.fromisoformat(n["end"].replace("Z", "+00:00")) - start)
        windows.setdefault(n["place"], []).append((lo.total_seconds() / 3600,
                                                   hi.total_seconds() / 3600))
    for port, spans in windows.items():
        assert all(2 * 24 - 0.01 <= hi - lo <= 8 * 24 + 0.01 for lo, hi in spans)
        sailed = [t for _line, p, t, _load, _slots in run.departures if p == port]
        assert not [t for t in sailed for lo, hi in spans if lo + 0.01 < t < hi - 0.01]
        union, reach = 0.0, -1.0
        for lo, hi in sorted(spans):
            union += max(0.0, hi - max(lo, reach))
            reach = max(reach, hi)
        assert union == pytest.approx(run.places[port]["closed_hours"], abs=0.1)


def test_the_vessels_own_movements_are_their_call_reports(
        aktau_alat_two_ferries: SimModel, traced: ReplicationResult) -> None:
    """Each ferry's calls are reported, laden or empty: arrival at anchorage, berthing and
    sailing, in that order per call; one sailing per departure the run counts, each cargo
    sailing at the moment of its vessel's, and some calls with no cargo to land at all."""
    from midcorridor.service.schemas import EventCreate

    r = traced
    assert r.movements
    assert len([m for m in r.movements if m[1] == "DEPA"]) == len(r.departures)
    records = list(event_stream(aktau_alat_two_ferries, r.traces, end=END, seed=4,
                                movements=r.movements))
    own = [e for e in records if e["record"] == "event" and not e["shipment"]]
    cargo = [e for e in records if e["record"] == "event" and e["shipment"]
             and e.get("mode") in ("ferry", "sea")]
    assert len(own) == len([m for m in r.movements
                            if m[3] >= aktau_alat_two_ferries.warmup_h])
    calls: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for e in own:
        body = {k: v for k, v in e.items() if k not in ("record", "shipment",
                                                         "reporting_operator")}
        assert EventCreate(**body).shipment_id is None  # the service takes it as a call
        facility = next((f for f in ("anchorage", "berth")
                         if e["description"].endswith(f"at {f}")), None)
        assert e.get("facility") == facility
        calls[e["vehicle"]].append((e["event_code"], e["location"], e["description"]))
    for seq in calls.values():
        for (code, place, _), (then, there, what) in zip(seq, seq[1:], strict=False):
            if then == "DEPA" or what.endswith("at berth"):  # sails or berths where it came
                assert (code, place) == ("ARRI", there)
            else:  # arrives at anchorage after sailing from the other port
                assert (code, then) == ("DEPA", "ARRI")
                assert place != there
    sailed = {(e["vehicle"], e["location"], e["event_time"]) for e in own
              if e["event_code"] == "DEPA"}
    assert {(e["vehicle"], e["location"], e["event_time"]) for e in cargo
            if e["event_code"] == "DEPA"} <= sailed
    landed = {(e["vehicle"], e["location"], e["event_time"]) for e in cargo
              if e["event_code"] == "ARRI"}
    arrived = [(e["vehicle"], e["location"], e["event_time"]) for e in own
               if e["event_code"] == "ARRI" and "anchorage" in e["description"]]
    assert set(landed) <= set(arrived)
    assert len(set(arrived) - landed) > 0  # empty arrivals: no cargo event shows them
