"""GET /shipments/{id}/eta: P10/P50/P90 and the remaining steps, reacting to the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers.service_factories import World, event, shipment_body

# Times near today: the spread is conditioned on the time already spent at the position.
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=130)
AT_AKTAU = BASE + timedelta(hours=118)  # planned arrival at Aktau: BASE + 116 h


def _new(client: TestClient, w: World, teu: float = 2) -> int:
    r = client.post("/shipments", json=shipment_body(BASE, cargo={"teu": teu}),
                    headers=w.auth("shipper"))
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _post(client: TestClient, w: World, role: str, *events: dict[str, Any]) -> None:
    r = client.post("/events/bulk", json={"events": list(events)}, headers=w.auth(role))
    assert r.status_code == 200, r.text
    assert r.json()["rejected"] == 0, r.text


def _eta(client: TestClient, w: World, sid: int) -> Any:
    r = client.get(f"/shipments/{sid}/eta", headers=w.auth("shipper"))
    assert r.status_code == 200, r.text
    return r.json()


def _customs(sid: int, n: int) -> dict[str, Any]:
    return event(f"c-{sid}-{n}", sid, "SUBM", "KZAAU", AT_AKTAU + timedelta(hours=n),
                 event_type="SHIPMENT", document_type="CUS")


def test_spread_is_ordered_with_reasons(client: TestClient, world: World) -> None:
    """A new shipment has ordered quantiles and a reason for every remaining step; ``eta``
    keeps its meaning (planned arrival plus delay)."""
    sid = _new(client, world)
    e = _eta(client, world, sid)
    assert e["eta"] == e["planned_arrival"]
    assert e["eta_p10"] <= e["eta_p50"] <= e["eta_p90"]
    # whether the eta lies before the spread is said, and why only when it does
    assert e["eta_before_p10"] == (e["eta"] < e["eta_p10"])
    assert (e["eta_note"] is None) == (not e["eta_before_p10"])
    assert [s["segment"] for s in e["segments"]] == [
        "CNALS-KZDST", "at KZDST", "KZDST-KZAAU", "at KZAAU", "KZAAU-AZALT", "at AZALT",
        "AZALT-GEPTI"]
    assert all(s["reason"] and s["p50_h"] <= s["p90_h"] for s in e["segments"])
    assert "waiting for the ferry at Aktau" in e["segments"][3]["reason"]


def test_queue_ahead_at_aktau_moves_the_p50(client: TestClient, world: World) -> None:
    """Recomputed on its next event, a shipment with 800 TEU arrived ahead of it at Aktau
    expects a later ferry than it did with the port empty (P50 and P90 later), and says why;
    the history keeps both spreads."""
    sid = _new(client, world)
    _post(client, world, "operator", event("arr", sid, "ARRI", "KZAAU", AT_AKTAU))
    alone = _eta(client, world, sid)
    wait_alone = alone["segments"][0]
    assert wait_alone["segment"] == "at KZAAU"
    assert "0 TEU ahead" in wait_alone["reason"]

    others = [_new(client, world, teu=200) for _ in range(4)]
    _post(client, world, "operator",
          *[event(f"arr-{o}", o, "ARRI", "KZAAU", AT_AKTAU - timedelta(hours=5))
            for o in others])
    _post(client, world, "shipper", _customs(sid, 1))
    queued = _eta(client, world, sid)
    assert "800 TEU ahead" in queued["segments"][0]["reason"]
    hours = (datetime.fromisoformat(queued["eta_p50"])
             - datetime.fromisoformat(alone["eta_p50"])).total_seconds() / 3600
    assert hours > 30  # three full sailings of 225 TEU, 22 h apart, before ours
    assert queued["eta_p90"] > alone["eta_p90"]
    assert queued["eta"] == alone["eta"]  # the plan-plus-delay ETA ignores the queue

    # among equal arrival times the queue goes by shipment id
    first, last = (_eta(client, world, o)["segments"][0]["reason"] for o in (others[0],
                                                                           others[-1]))
    assert ": 0 TEU ahead" in first
    assert ": 600 TEU ahead" in last
    history = client.get(f"/shipments/{sid}/eta/history", headers=world.auth("shipper"))
    p50s = [h["p50"] for h in history.json()["data"]]
    assert len(p50s) == 3
    assert p50s[-1] == queued["eta_p50"]


def test_durations_observed_lately_set_the_spread(client: TestClient, world: World,
                                                  monkeypatch) -> None:
    """Twelve shipments that each spent 40 h at Dostyk (arrival to departure) make the next
    one expect about 40 h there, saying so; a shipment that skips a milestone records
    nothing."""
    from midcorridor.service import forecast

    monkeypatch.setattr(forecast, "RECENT_TTL_S", 0.0)
    at_dostyk = BASE + timedelta(hours=3)
    for _k in range(12):
        o = _new(client, world)
        _post(client, world, "operator",
              event(f"d-{o}", o, "DEPA", "CNALS", BASE),
              event(f"a-{o}", o, "ARRI", "KZDST", at_dostyk),
              event(f"l-{o}", o, "DEPA", "KZDST", at_dostyk + timedelta(hours=40)))
    skipper = _new(client, world)  # leaves Dostyk without a reported arrival: no dwell known
    _post(client, world, "operator",
          event(f"l-{skipper}", skipper, "DEPA", "KZDST", at_dostyk + timedelta(hours=1)))
    sid = _new(client, world)
    dwell = next(s for s in _eta(client, world, sid)["segments"] if s["segment"] == "at KZDST")
    assert "typically 40 h (12 observed)" in dwell["reason"], dwell
    assert 39.0 <= dwell["p50_h"] <= 41.0


def test_the_sweep_moves_those_behind_when_someone_leaves(client: TestClient, world: World,
                                                          db) -> None:
    """B waits behind A's 600 TEU at Aktau; once A's departure is reported and the sweep has
    run, B's spread says nothing is ahead, its P50 comes earlier, and the history keeps it.
    Shipments elsewhere are left alone."""
    from midcorridor.service import ingest

    a, b = _new(client, world, teu=600), _new(client, world)
    elsewhere = _new(client, world)
    _post(client, world, "operator",
          event(f"arr-{a}", a, "ARRI", "KZAAU", AT_AKTAU - timedelta(hours=2)),
          event(f"arr-{b}", b, "ARRI", "KZAAU", AT_AKTAU),
          event(f"dos-{elsewhere}", elsewhere, "ARRI", "KZDST", BASE + timedelta(hours=3)))
    with db.write() as session:
        seen = ingest.refresh_behind_departures(session, after_id=0, now=datetime.now(UTC))
    before = _eta(client, world, b)
    assert "600 TEU ahead" in before["segments"][0]["reason"]
    _post(client, world, "operator",
          event(f"dep-{a}", a, "DEPA", "KZAAU", AT_AKTAU + timedelta(hours=1)))
    assert _eta(client, world, b) == before  # not on the event's own request
    history = client.get(f"/shipments/{elsewhere}/eta/history", headers=world.auth("shipper"))
    with db.write() as session:
        assert ingest.refresh_behind_departures(session, after_id=seen,
                                                now=datetime.now(UTC)) > seen
    after = _eta(client, world, b)
    assert ": 0 TEU ahead" in after["segments"][0]["reason"]
    assert after["eta_p50"] < before["eta_p50"]
    p50s = [h["p50"] for h in client.get(f"/shipments/{b}/eta/history",
                                         headers=world.auth("shipper")).json()["data"]]
    assert p50s[-1] == after["eta_p50"]
    assert client.get(f"/shipments/{elsewhere}/eta/history",
                      headers=world.auth("shipper")).json() == history.json()


def _hours(a: str, b: str) -> float:
    return (datetime.fromisoformat(a) - datetime.fromisoformat(b)).total_seconds() / 3600


def test_an_estimated_late_arrival_moves_the_spread_with_the_eta(client: TestClient,
                                                                world: World) -> None:
    """An operator's estimate that the train reaches Aktau four days late moves ``eta`` and
    the spread alike: the quantiles stay ordered, ``eta`` is no later than the P90 as served
    and as kept in the history, and the P50 moves by about the delay announced."""
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    r = client.post("/shipments", json=shipment_body(start, cargo={"teu": 2}),
                    headers=world.auth("shipper"))
    assert r.status_code == 201, r.text
    sid = int(r.json()["id"])
    _post(client, world, "operator", event("dep", sid, "DEPA", "CNALS", start))
    before = _eta(client, world, sid)
    late = start + timedelta(hours=116 + 96)  # planned at Aktau 116 h after the start
    _post(client, world, "operator",
          event("est", sid, "ARRI", "KZAAU", late, classifier="EST"))
    after = _eta(client, world, sid)
    assert _hours(after["eta"], before["eta"]) == 96
    for served in (before, after):
        assert served["eta_p10"] <= served["eta_p50"] <= served["eta_p90"]
        assert served["eta"] <= served["eta_p90"]
    assert 48 < _hours(after["eta_p50"], before["eta_p50"]) < 144
    assert after["segments"][0]["segment"] == "CNALS-KZAAU"
    assert "estimated" in after["segments"][0]["reason"]

    r = client.get(f"/shipments/{sid}/eta/history", headers=world.auth("shipper"))
    assert r.status_code == 200, r.text
    for record in r.json()["data"]:
        assert record["p10"] <= record["p50"] <= record["p90"]
        assert record["eta"] <= record["p90"]


def test_durations_of_long_ago_count_when_lately_there_were_few(client: TestClient,
                                                                world: World,
                                                                monkeypatch) -> None:
    """Twelve shipments spent 40 h at Dostyk three months ago and none since: a segment few
    shipments take keeps its own past rather than falling back on the plan."""
    from midcorridor.service import forecast

    monkeypatch.setattr(forecast, "RECENT_TTL_S", 0.0)
    long_ago = BASE - timedelta(days=90)
    for k in range(12):
        r = client.post("/shipments", json=shipment_body(long_ago, cargo={"teu": 2}),
                        headers=world.auth("shipper"))
        assert r.status_code == 201, r.text
        o = int(r.json()["id"])
        _post(client, world, "operator",
              event(f"old-d-{k}", o, "DEPA", "CNALS", long_ago),
              event(f"old-a-{k}", o, "ARRI", "KZDST", long_ago + timedelta(hours=3)),
              event(f"old-l-{k}", o, "DEPA", "KZDST", long_ago + timedelta(hours=43)))
    sid = _new(client, world)
    dwell = next(s for s in _eta(client, world, sid)["segments"] if s["segment"] == "at KZDST")
    assert "typically 40 h (12 observed)" in dwell["reason"], dwell


@pytest.mark.parametrize("reported", ["with cargo", "empty"])
def test_a_vessel_event_moves_the_wait_and_the_stay_after_the_crossing(
        client: TestClient, world: World, db, reported: str) -> None:
    """B (100 TEU) waits at Aktau behind A's 200 TEU. Nothing is known of the ships, so its
    wait says nothing of them. Then the container ship Turkestan (225 TEU, 22 h crossing) is
    reported sailing from Alat, with another shipment's cargo or empty (its own call, no
    shipment): once the sweep has run, B's wait names Turkestan's call at
    Aktau 22 h later, where 25 TEU of B fit; the other 75 TEU load on its next call, a cycle
    later (6 h loading, 2 x 22 h at sea, half its 22 h headway at Alat: 61 h), so B cannot
    leave Alat before they land at least 20 h after that, and its P50 moves later."""
    from midcorridor.service import ingest

    a, b, other = _new(client, world, teu=200), _new(client, world, teu=100), _new(client, world)
    _post(client, world, "operator",
          event(f"arr-{a}", a, "ARRI", "KZAAU", AT_AKTAU - timedelta(hours=2)),
          event(f"arr-{b}", b, "ARRI", "KZAAU", AT_AKTAU))
    with db.write() as session:
        seen = ingest.refresh_behind_departures(session, after_id=0, now=datetime.now(UTC))
    before = _eta(client, world, b)
    assert "200 TEU ahead" in before["segments"][0]["reason"]
    assert "Turkestan" not in before["segments"][0]["reason"]

    sailed = AT_AKTAU + timedelta(hours=1)
    sailing = event(f"ship-{other}", other, "DEPA", "AZALT", sailed, vehicle="Turkestan",
                    mode="sea")
    if reported == "empty":
        del sailing["shipment_id"]
    _post(client, world, "operator", sailing)
    with db.write() as session:
        ingest.refresh_behind_departures(session, after_id=seen, now=datetime.now(UTC))
    after = _eta(client, world, b)
    wait = after["segments"][0]["reason"]
    call = (sailed + timedelta(hours=22)).strftime("%a %d %b %H:%M")
    last = (sailed + timedelta(hours=22 + 61)).strftime("%a %d %b %H:%M")
    assert f"next sailing with space {call} (Turkestan)" in wait, wait
    assert f"the last units on Turkestan {last}" in wait, wait
    stay = next(s for s in after["segments"] if s["segment"] == "at AZALT")
    assert "the last units cross on a later ship" in stay["reason"]
    assert datetime.fromisoformat(after["eta_p50"]) > sailed + timedelta(hours=22 + 61 + 20)
    assert after["eta_p50"] > before["eta_p50"]
    history = client.get(f"/shipments/{b}/eta/history", headers=world.auth("shipper"))
    assert history.json()["data"][-1]["p50"] == after["eta_p50"]


def test_what_was_counted_lately_holds_for_the_moment_it_was_counted_at(
        client: TestClient, world: World, db: Any) -> None:
    """The leaving pace at Aktau, counted for one moment, is reused a minute of state time
    later, and counted afresh for a moment a month on (no ferry left in the window before it)
    or before it, however little time passed on the clock."""
    from midcorridor.service import forecast

    left = AT_AKTAU + timedelta(hours=10)
    for k in range(3):
        sid = _new(client, world)
        _post(client, world, "operator", event(f"p-{k}", sid, "DEPA", "KZAAU", left))
    pace = {}
    for label, hours in (("then", 1), ("a minute on", 1 + 1 / 60), ("a month on", 24 * 30),
                         ("before", -9)):
        with db.read() as session:
            pace[label] = forecast.Queues(session).leaving_per_h(
                "KZAAU", "AZALT", "teu", left + timedelta(hours=hours))
    assert pace["then"] > 0
    assert pace["a minute on"] == pace["then"]
    assert pace["a month on"] == 0
    assert pace["before"] == 0
