"""Upgrading a database with shipments and events fills in where each shipment is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from midcorridor.network.load import packaged_data_dir
from midcorridor.service.db.engine import Database
from midcorridor.service.migrations import upgrade
from midcorridor.service.settings import Settings

T = datetime(2026, 1, 5, 8, tzinfo=UTC)


def _ts(hours: float) -> str:
    return (T + timedelta(hours=hours)).replace(tzinfo=None).isoformat(sep=" ")


def _old_database(path: Path, legs: list[tuple[str, str, str, int, int]],
                  arrived_at: str) -> Database:
    """A database at revision 0001 holding one shipment with ``legs`` that arrived at
    ``arrived_at`` (hour 105)."""
    db = Database(Settings(database_url=f"sqlite:///{path}"))
    upgrade(db.engine, "0001")
    with db.engine.begin() as conn:
        conn.execute(text("INSERT INTO organizations VALUES (1, 'o', 'operator', 'KZAAU', :t)"),
                      {"t": _ts(0)})
        conn.execute(text(
            "INSERT INTO shipments (id, org_id, reference, origin, destination, cargo_units, "
            "cargo_weight_kg, cargo_teu, created_at, planned_arrival, eta, delay_h, status, "
            "progress_rank, progress_weight, progress_delay_h, alerted_slip_h, "
            "alerted_silent_rank) VALUES (1, 1, '', :o, :d, 3, 0, 0, :t, :a, :a, "
            "0, 'in_transit', 1, 2, 0, 0, -2)"),
            {"o": legs[0][0], "d": legs[-1][1], "t": _ts(0), "a": _ts(200)})
        for seq, (o, d, mode, dep, arr) in enumerate(legs):
            conn.execute(text(
                "INSERT INTO legs (shipment_id, seq, origin, destination, mode, planned_depart,"
                " planned_arrive) VALUES (1, :s, :o, :d, :m, :p, :q)"),
                {"s": seq, "o": o, "d": d, "m": mode, "p": _ts(dep), "q": _ts(arr)})
        conn.execute(text(
            "INSERT INTO events (shipment_id, org_id, client_event_id, payload_hash, event_type,"
            " event_code, classifier, event_time, received_at, location, vehicle, description,"
            " off_route) VALUES (1, 1, 'e1', 'h', 'TRANSPORT', 'ARRI', 'ACT', :t, :t, :p,"
            " '', '', 0)"), {"t": _ts(105), "p": arrived_at})
    return db


def _position(db: Database) -> tuple:
    with db.engine.connect() as conn:
        row = conn.execute(text(
            "SELECT position_rank, position_place, position_next, unit_type, unit_count "
            "FROM shipments")).one()
    db.dispose()
    return tuple(row)


def test_positions_of_stored_shipments_are_filled_in(tmp_path: Path) -> None:
    """A shipment stored before the upgrade that arrived at Aktau waits there afterwards."""
    db = _old_database(tmp_path / "old.sqlite", [("KZDST", "KZAAU", "rail", 0, 100),
                                                 ("KZAAU", "AZALT", "ferry", 130, 152)], "KZAAU")
    upgrade(db.engine)
    assert _position(db) == (1, "KZAAU", "", "railcar", 3)


def _data_with_a_new_port(folder: Path) -> Path:
    """A data folder adding KZNEW, a Caspian seaport (Aktau's row under a new id) linked by
    rail to Mangystau."""
    folder.mkdir()
    for name, old, new in (("nodes.csv", "KZAAU,", "KZNEW,"),
                           ("links.csv", "KZMNG-KZAAU-rail,KZMNG,KZAAU,",
                            "KZMNG-KZNEW-rail,KZMNG,KZNEW,")):
        header, *rows = (packaged_data_dir() / name).read_text(encoding="utf-8").splitlines()
        [row] = [r for r in rows if r.startswith(old)]
        (folder / name).write_text(f"{header}\n{new}{row.removeprefix(old)}\n", encoding="utf-8")
    return folder


# Trucked to Mangystau, railed to the new port, then the ferry: on a deck it counts as railcars
# only where KZNEW is a Caspian port (else as the trucks it set out in).
VIA_NEW_PORT = [("KZDST", "KZMNG", "road", 0, 50), ("KZMNG", "KZNEW", "rail", 50, 100),
                ("KZNEW", "AZALT", "ferry", 130, 152)]


def test_the_migration_reads_the_data_folder_of_the_settings_it_is_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Caspian ports come from the data folder of the settings handed to upgrade(), not
    from the environment (which names a folder that does not exist here)."""
    data = _data_with_a_new_port(tmp_path / "data")
    monkeypatch.setenv("MIDCORRIDOR_DATA", str(tmp_path / "nowhere"))
    db = _old_database(tmp_path / "a.sqlite", VIA_NEW_PORT, "KZNEW")
    upgrade(db.engine, settings=db.settings.replace(data=str(data)))
    assert _position(db)[1:] == ("KZNEW", "", "railcar", 3)
    packaged = _old_database(tmp_path / "b.sqlite", VIA_NEW_PORT, "KZNEW")
    upgrade(packaged.engine, settings=packaged.settings.replace(data=""))
    assert _position(packaged)[3:] == ("truck", 3)


def test_without_settings_the_migration_reads_the_environments(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run as Alembic alone would run it (no settings handed over), the migration reads the
    service's settings from the environment."""
    monkeypatch.setenv("MIDCORRIDOR_DATA", str(_data_with_a_new_port(tmp_path / "data")))
    db = _old_database(tmp_path / "a.sqlite", VIA_NEW_PORT, "KZNEW")
    upgrade(db.engine)
    assert _position(db)[3:] == ("railcar", 3)
