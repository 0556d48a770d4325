"""GET /shipments/{id}/eta: P10/P50/P90 and the remaining steps, reacting to the queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

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
    assert [s["segment"] for s in e["segments"]] == [
        "CNALS-KZDST", "at KZDST", "KZDST-KZAAU", "at KZAAU", "KZAAU-AZALT", "at AZALT",
        "AZALT-GEPTI"]
    assert all(s["reason"] and s["p50_h"] <= s["p90_h"] for s in e["segments"])
    assert "waiting for the ferry at Aktau" in e["segments"][3]["reason"]


def test_queue_ahead_at_aktau_moves_the_p50(client: TestClient, world: World) -> None:
    """Recomputed on its next event, a shipment with 800 TEU arrived ahead of it at Aktau
    expects a later ferry than it did with the port empty, and says why; the history keeps
    both spreads."""
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
