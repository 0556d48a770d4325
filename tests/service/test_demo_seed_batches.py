"""The demo stores its events in one transaction, the booked shipments held by the session
from one reporter's batch to the next; each batch read afresh from the database, as a post of
its own would read them, stores the same rows."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from midcorridor.service import demo, ingest
from midcorridor.service.db.engine import Database
from midcorridor.service.settings import Settings

NOW = datetime(2026, 5, 4, 10, tzinfo=UTC)
TABLES = ("shipments", "legs", "events", "step_durations", "eta_history", "alerts",
          "port_closures")


def _seeded(template: Path, path: Path) -> dict[str, list[Any]]:
    shutil.copy(template, path)
    db = Database(Settings(database_url=f"sqlite:///{path}"))
    with db.write() as session:
        result = demo.seed(session, now=NOW, shipments=40, days=3)
    assert result.events > 100
    with db.engine.connect() as conn:
        rows = {table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
                for table in TABLES}
    db.dispose()
    return rows


def test_holding_the_shipments_stores_what_reading_them_afresh_stores(
        sqlite_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    held = _seeded(sqlite_template, tmp_path / "held.sqlite")

    original = ingest.ingest

    def afresh(session, *args, **kwargs):  # type: ignore[no-untyped-def]
        session.flush()
        session.expunge_all()  # every shipment, its legs and positions read again
        return original(session, *args, **kwargs)

    monkeypatch.setattr(ingest, "ingest", afresh)
    apart = _seeded(sqlite_template, tmp_path / "apart.sqlite")
    assert len(held["eta_history"]) > len(held["shipments"])
    for table in TABLES:
        assert held[table] == apart[table], table
