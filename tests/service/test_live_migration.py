"""Upgrading a database with shipments and events fills in where each shipment is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from midcorridor.service.db.engine import Database
from midcorridor.service.migrations import upgrade
from midcorridor.service.settings import Settings

T = datetime(2026, 1, 5, 8, tzinfo=UTC)


def _ts(hours: float) -> str:
    return (T + timedelta(hours=hours)).replace(tzinfo=None).isoformat(sep=" ")


def test_positions_of_stored_shipments_are_filled_in(tmp_path: Path) -> None:
    """A shipment stored before the upgrade that arrived at Aktau waits there afterwards."""
    db = Database(Settings(database_url=f"sqlite:///{tmp_path / 'old.sqlite'}"))
    upgrade(db.engine, "0001")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations VALUES (1, 'o', 'operator', 'KZAAU', :t)"),
                      {"t": _ts(0)})
        conn.execute(text(
            "INSERT INTO shipments (id, org_id, reference, origin, destination, cargo_units, "
            "cargo_weight_kg, cargo_teu, created_at, planned_arrival, eta, delay_h, status, "
            "progress_rank, progress_weight, progress_delay_h, alerted_slip_h, "
            "alerted_silent_rank) VALUES (1, 1, '', 'KZDST', 'AZALT', 3, 0, 0, :t, :a, :a, "
            "0, 'in_transit', 1, 2, 0, 0, -2)"), {"t": _ts(0), "a": _ts(200)})
        for seq, (o, d, mode, dep, arr) in enumerate((("KZDST", "KZAAU", "rail", 0, 100),
                                                      ("KZAAU", "AZALT", "ferry", 130, 152))):
            conn.execute(text(
                "INSERT INTO legs (shipment_id, seq, origin, destination, mode, planned_depart,"
                " planned_arrive) VALUES (1, :s, :o, :d, :m, :p, :q)"),
                {"s": seq, "o": o, "d": d, "m": mode, "p": _ts(dep), "q": _ts(arr)})
        conn.execute(text(
            "INSERT INTO events (shipment_id, org_id, client_event_id, payload_hash, event_type,"
            " event_code, classifier, event_time, received_at, location, vehicle, description,"
            " off_route) VALUES (1, 1, 'e1', 'h', 'TRANSPORT', 'ARRI', 'ACT', :t, :t, 'KZAAU',"
            " '', '', 0)"), {"t": _ts(105)})
    upgrade(db.engine)
    with db.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT position_rank, position_place, position_next, unit_type, unit_count "
            "FROM shipments")).one()
    db.dispose()
    assert tuple(row) == (1, "KZAAU", "", "railcar", 3)
