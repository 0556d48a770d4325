"""Feeds: demo data from the simulator, replay over HTTP that posts nothing twice, bad files."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from helpers.service_factories import DemoData
from midcorridor.cli.replay import Caller, _callers, replay
from midcorridor.errors import InputError
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event, Shipment
from midcorridor.service.demo import seed, simulated_feed
from midcorridor.service.feed import Feed, parse_feed, read_feed

NOW = datetime.now(UTC).replace(microsecond=0)


def _count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(model.id))) or 0


def _callers_of(client: TestClient, tokens: dict[str, str]) -> list[Caller]:
    return _callers(client, [(k, v) for k, v in tokens.items() if k != "admin"])


@pytest.mark.demo_data(days=30)
def test_demo_has_cargo_waiting_at_the_caspian_ports(client: TestClient, db: Database,
                                                     demo: DemoData) -> None:
    """Right after the demo data, shipments wait at Aktau or Kuryk as on an ordinary day, and
    every event lies before now, within the simulated window."""
    result, now = demo.result, demo.now
    assert result.shipments > 10
    assert result.events > 10 * result.shipments / 2
    headers = {"Authorization": f"Bearer {result.tokens['Corridor Coordination Committee']}"}
    queues = client.get("/aggregates/port-queues", headers=headers).json()["data"]
    waiting = {q["location"]: q["waiting"] for q in queues}
    assert waiting.get("KZAAU", 0) + waiting.get("KZKUR", 0) > 0, queues
    with db.read() as session:
        times = session.scalars(select(Event.event_time)).all()
    first, last = min(times), max(times)
    if first.tzinfo is None:
        first, last = first.replace(tzinfo=UTC), last.replace(tzinfo=UTC)
    assert last <= now
    assert first >= now - timedelta(days=demo.days, hours=1)


def _calls_stored(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count(Event.id)).where(Event.shipment_id.is_(None))
                              ) or 0


@pytest.mark.demo_data(days=30)
def test_every_demo_vessel_is_where_its_calls_put_it(client: TestClient, db: Database,
                                                     demo: DemoData) -> None:
    """The demo data carries the vessels' own calls: every vessel the baseline sails has a
    status, and one whose own call is its latest event is where that call puts it (anchored,
    at berth or at sea, since the call); the vessels of lines the baseline does not sail
    (Turkmenbashi's) are unknown."""
    from midcorridor.sim.simulate import BASELINE, prepare

    sailed = {ship.name for line in prepare(BASELINE).lines for ship in line.ships}
    headers = {"Authorization": f"Bearer {demo.result.tokens['Corridor Coordination Committee']}"}
    vessels = client.get("/corridor/state", headers=headers).json()["vessels"]
    assert {v["name"] for v in vessels if v["status"] == "unknown"} == (
        {v["name"] for v in vessels} - sailed)
    with db.read() as session:
        events = session.execute(
            select(Event.vehicle, Event.event_time, Event.id, Event.shipment_id,
                   Event.event_code, Event.location, Event.facility)
            .where(Event.event_type == "TRANSPORT", Event.vehicle.in_(sailed))).all()
    latest = {}
    for row in sorted(events, key=lambda r: (r.event_time, r.id)):
        latest[row.vehicle] = row
    called = {name: row for name, row in latest.items() if row.shipment_id is None}
    assert len(called) > len(sailed) / 2, called
    for v in vessels:
        row = called.get(v["name"])
        if row is None:
            continue
        status = ("at_sea" if row.event_code == "DEPA" else
                  "anchored" if row.facility == "anchorage" else "at_berth")
        since = row.event_time.replace(tzinfo=row.event_time.tzinfo or UTC)
        assert (v["status"], v["place"], datetime.fromisoformat(v["since"])) == (
            status, row.location, since), v


def test_replay_posts_everything_once(client: TestClient, db: Database, tmp_path: Path) -> None:
    """A replay creates the feed's shipments and events, the vessels' own calls among them;
    a second one creates nothing."""
    with db.write() as session:
        tokens = seed(session, now=NOW, shipments=2, days=3).tokens
    before = _count(db, Shipment), _count(db, Event), _calls_stored(db)
    feed = simulated_feed(now=NOW, days=4, seed=3)
    calls = sum(not e.shipment for e in feed.events)
    assert calls > 10
    callers = _callers_of(client, tokens)
    first = replay(client, feed, callers, speed=None, now=NOW)
    assert first.shipments_created == len(feed.shipments)
    assert not first.shipments_failed
    assert first.events["created"] == len(feed.events)
    assert first.events["rejected"] == 0
    assert _count(db, Shipment) == before[0] + len(feed.shipments)
    assert _count(db, Event) == before[1] + len(feed.events)
    assert _calls_stored(db) == before[2] + calls
    again = replay(client, feed, callers, speed=None, now=NOW)
    assert again.shipments_created == 0
    assert again.shipments_found == len(feed.shipments)
    assert again.events["created"] == 0
    assert again.events["duplicate"] == len(feed.events)
    assert _count(db, Event) == before[1] + len(feed.events)


def test_demo_creates_both_owners_whatever_the_window(db: Database) -> None:
    """A window too short for a train from China still has the shipper and the forwarder (and
    their tokens), so a feed of other days can be replayed with them."""
    from midcorridor.sim.feed import FORWARDER, SHIPPER

    with db.write() as session:
        result = seed(session, now=NOW, shipments=1, days=2)
    assert {SHIPPER, FORWARDER} <= result.tokens.keys()
    assert result.emails.keys() >= {SHIPPER, FORWARDER}


def test_replay_refuses_what_no_token_may_post(client: TestClient, db: Database) -> None:
    """With only the forwarder's token, the operators' events are rejected, not lost silently;
    events dated after now are left for later."""
    with db.write() as session:
        tokens = seed(session, now=NOW, shipments=1, days=2).tokens
    feed = simulated_feed(now=NOW + timedelta(days=1), days=4, seed=5)
    owners = {s.owner for s in feed.shipments}
    callers = _callers_of(client, {k: v for k, v in tokens.items() if k in owners})
    tally = replay(client, feed, callers, speed=None, now=NOW)
    assert tally.future > 0
    assert tally.events["rejected"] > 0
    assert tally.errors
    posted = sum(tally.events.values())
    assert posted + tally.future == len(feed.events)


def test_feed_problems_name_file_line_and_field(tmp_path: Path) -> None:
    """A feed with a bad line lists every problem with its line and field."""
    good = simulated_feed(now=NOW, days=2, seed=1)
    assert good.events
    path = tmp_path / "bad.jsonl"
    shipment = good.shipments[0].body.model_dump(mode="json")
    shipment |= {"record": "shipment", "owner": "x"}
    bad_box = dict(shipment, reference="B-1",
                   cargo={"units": 1, "teu": 2, "containers": ["CSQU3054384"]})
    event = {"record": "event", "shipment": "NOPE", "event_id": "e1",
             "event_type": "TRANSPORT", "event_code": "LOAD", "event_time": NOW.isoformat(),
             "location": "KZAAU"}
    path.write_text("\n".join([json.dumps(shipment), "{not json", json.dumps(bad_box),
                               json.dumps(event)]) + "\n")
    with pytest.raises(InputError) as info:
        read_feed(path)
    text = str(info.value)
    assert f"{path}:2: not JSON" in text
    assert f"{path}:3: cargo.containers" in text
    assert "check digit 4, expected 3" in text
    assert f"{path}:4: event_code" in text


def test_a_feed_carries_the_vessels_own_calls() -> None:
    """A transport event with a vessel and no shipment is a vessel's own call; an event of
    another kind without its shipment is refused, naming the field."""
    base = {"record": "event", "event_type": "TRANSPORT", "event_code": "DEPA",
            "event_time": NOW.isoformat(), "location": "KZAAU", "vehicle": "Merkuriy-1",
            "reporting_operator": "Port of Aktau"}
    feed = parse_feed([json.dumps(base | {"event_id": "v1", "shipment": ""})])
    [call] = feed.events
    assert (call.shipment, call.operator) == ("", "Port of Aktau")
    assert call.create(None).shipment_id is None
    loading = base | {"event_id": "v2", "event_type": "EQUIPMENT", "event_code": "LOAD"}
    with pytest.raises(InputError, match=r"feed:1: shipment: give the shipment's reference"):
        parse_feed([json.dumps(loading)])


def test_replay_accepts_trucks(client: TestClient, db: Database) -> None:
    """A feed with trucks (plate as vehicle, trailer as equipment) is posted in full: the demo's
    haulier reports the road moves, the ports and ASCO the rest; nothing is rejected."""
    import dataclasses

    from midcorridor.service.feed import parse_feed
    from midcorridor.sim.feed import HAULIER, event_stream
    from midcorridor.sim.processes import simulate_replication
    from midcorridor.sim.simulate import prepare

    with db.write() as session:
        tokens = seed(session, now=NOW, shipments=1, days=2).tokens
    assert HAULIER in tokens
    model = prepare(Path(__file__).resolve().parents[2] / "experiments" / "baseline.yaml")
    model = dataclasses.replace(model, horizon_h=13 * 24.0, warmup_h=12 * 24.0)
    run = simulate_replication(model, 4, 0, trace=True)
    records = list(event_stream(model, run.traces, end=NOW, seed=4, prefix="TRUCKS",
                                trucks=True))
    trucks = {r["reference"] for r in records if r["record"] == "shipment"
              and r["cargo"]["containers"] and r["cargo"]["containers"][0][3] == "Z"}
    keep = set(sorted(trucks)[:25])
    kept = [r for r in records if r.get("reference", r.get("shipment")) in keep]
    feed = parse_feed(json.dumps(r) for r in kept)
    assert len(feed.shipments) == 25
    tally = replay(client, feed, _callers_of(client, tokens), speed=None, now=NOW)
    assert tally.shipments_created == 25
    assert not tally.shipments_failed
    assert tally.events["rejected"] == 0, tally.errors
    assert tally.events["created"] == len(feed.events)
    with db.read() as session:
        vehicles = set(session.scalars(select(Event.vehicle)).all())
    assert any(v.startswith("truck ") for v in vehicles)


def _storm_feed(now: datetime) -> tuple[Feed, tuple[str, datetime, datetime]]:
    """The closure notices of a simulated stormy season, dated so that its last storm closing
    Aktau is halfway through now; that closure (port, start, end)."""
    import dataclasses

    from midcorridor.sim.feed import event_stream
    from midcorridor.sim.processes import simulate_replication
    from midcorridor.sim.simulate import BASELINE, prepare

    model = prepare(BASELINE.with_name("storms.yaml"))
    model = dataclasses.replace(model, horizon_h=240 * 24.0, warmup_h=10 * 24.0)
    run = simulate_replication(model, 3, 0)
    port, from_h, until_h, _cause = [c for c in run.closures
                                     if c[0] == "KZAAU" and c[1] > model.warmup_h][-1]
    end = (now + timedelta(hours=model.horizon_h - (from_h + until_h) / 2)).replace(
        second=0, microsecond=0)  # the feed's clock runs to the minute
    records = event_stream(model, [], end=end, seed=3, closures=run.closures)
    feed = parse_feed((json.dumps(r) for r in records), "storm notices")
    start = end - timedelta(hours=model.horizon_h)
    return feed, (port, start + timedelta(hours=from_h), start + timedelta(hours=until_h))


def test_a_storm_in_the_stream_reaches_the_service_once(client: TestClient,
                                                         db: Database) -> None:
    """The simulator's storm closing Aktau becomes the port's notice; replay posts it with the
    port's token, the service lists it and the corridor state shows Aktau closed until then;
    a second replay posts nothing; the notices already over are not posted."""
    with db.write() as session:
        tokens = seed(session, now=NOW, shipments=1, days=2).tokens
    feed, (port, start, end) = _storm_feed(NOW)
    callers = _callers_of(client, tokens)
    first = replay(client, feed, callers, speed=None, now=NOW)
    holding = [c for c in feed.closures if c.start <= NOW < c.end]
    assert port in {c.body.place for c in holding}
    assert first.closures["created"] == len(holding)
    assert first.closures["ended"] == sum(c.end <= NOW for c in feed.closures)
    assert first.closures["ended"] > 0
    headers = {"Authorization": f"Bearer {tokens['Corridor Coordination Committee']}"}
    listed = client.get("/crossing/closures", headers=headers).json()
    aktau = [c for c in listed if c["place"] == port]
    assert len(aktau) == 1
    for field, expected in (("start", start), ("end", end)):  # notices are to the second
        posted = datetime.fromisoformat(aktau[0][field].replace("Z", "+00:00"))
        assert abs((posted - expected).total_seconds()) < 1
    assert aktau[0]["organization_id"] == next(c.org_id for c in callers
                                               if c.name == "Port of Aktau")
    state = client.get("/corridor/state", headers=headers).json()
    closed = {p["place"]: p["closure"] for p in state["ports"]}
    assert closed[port] is not None
    assert closed[port]["end"] == aktau[0]["end"]
    again = replay(client, feed, callers, speed=None, now=NOW)
    assert again.closures["created"] == 0
    assert again.closures["duplicate"] == len(holding)
    assert len(client.get("/crossing/closures", headers=headers).json()) == len(listed)
