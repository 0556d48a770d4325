"""Units ahead at a Caspian port: the database's sum and the queue read once agree with a
count made here from the rows, for every shipment, ties, other unit types and other crossings
(cargo waiting there for a train or for another port) included."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from helpers.service_factories import make_world
from midcorridor.service import forecast
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Shipment
from midcorridor.service.settings import Settings

NOW = datetime(2026, 3, 2, 12, tzinfo=UTC)
PORTS = ("KZAAU", "AZALT")
ONWARD = ("AZALT", "KZAAU", "TMTKM", "")  # where a standing shipment sails next ("": by land)


def _rows(org_id: int, n: int, rng: random.Random) -> list[dict[str, object]]:
    out = []
    for sid in range(1, n + 1):
        where = rng.choice(["KZAAU", "KZAAU", "AZALT", "on the way", "left"])
        place, following = {"on the way": ("KZDST", "KZAAU"),
                            "left": ("KZAAU", "AZALT")}.get(where, (where, ""))
        # whole hours only, so that many shipments share an arrival time
        at = NOW - timedelta(hours=rng.randrange(0, 12))
        out.append({
            "id": sid, "org_id": org_id, "origin": "CNALS", "destination": "GEPTI",
            "created_at": NOW, "planned_arrival": NOW, "eta": NOW,
            "position_rank": 3, "position_at": at, "position_place": place,
            "position_next": following,
            "position_onward": rng.choice(ONWARD) if not following else "",
            "unit_type": rng.choice(["teu", "teu", "railcar"]),
            "unit_count": rng.randrange(1, 5)})
    return out


def _expected(rows: list[dict[str, object]], port: str, towards: str,
              me: dict[str, object]) -> int:
    """The units of ``me``'s type waiting at ``port`` to sail to ``towards`` before it (all
    when it is elsewhere or bound elsewhere)."""
    def waiting(r: dict[str, object]) -> bool:
        return (r["position_place"] == port and r["position_next"] == ""
                and r["position_onward"] == towards
                and r["unit_type"] == me["unit_type"] and r["id"] != me["id"])
    here = (me["position_place"] == port and me["position_next"] == ""
            and me["position_onward"] == towards)
    total = 0
    for r in rows:
        if not waiting(r):
            continue
        at, mine = r["position_at"], me["position_at"]
        assert isinstance(at, datetime)
        assert isinstance(mine, datetime)
        if not here or (at, r["id"]) < (mine, me["id"]):
            total += int(r["unit_count"])  # type: ignore[call-overload]
    return total


def test_units_ahead_match_a_count_of_the_rows(database_url: str) -> None:
    db = Database(Settings(database_url=database_url))
    try:
        world = make_world(db)
        rng = random.Random(3)
        rows = _rows(world.org_ids["shipper"], 240, rng)
        with db.write() as session:
            session.execute(insert(Shipment), rows)
        by_id = {r["id"]: r for r in rows}
        with db.read() as session:
            shipments = session.scalars(select(Shipment)).all()
            order = list(shipments)
            rng.shuffle(order)
            shared = forecast.Queues(session)  # the second ask per port reads the queue
            for shipment in order:
                for port in PORTS:
                    for towards in ONWARD[:3]:
                        if towards == port:
                            continue
                        want = _expected(rows, port, towards, by_id[shipment.id])
                        assert shared.ahead(port, towards, shipment) == want, (
                            port, towards, shipment.id)
                        # a fresh Queues asks the database for this one shipment
                        assert forecast.Queues(session).ahead(port, towards, shipment) == want
            assert any(shared.ahead("KZAAU", "AZALT", s) > 0 for s in shipments)
    finally:
        db.dispose()
