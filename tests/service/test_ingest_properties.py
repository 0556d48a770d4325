"""Properties of ingestion on the real database: replays store once, order does not matter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from helpers.service_factories import START, World, event, shipment_body
from midcorridor.service import access, accounts, ingest
from midcorridor.service.db.engine import Database
from midcorridor.service.db.models import Event, Shipment
from midcorridor.service.schemas import EventCreate, ShipmentCreate
from midcorridor.service.shipments import create_shipment

# (code, place, planned hours from START) of the minimal corridor's milestones.
MILESTONES = [("DEPA", "CNALS", 0), ("ARRI", "KZDST", 2), ("DEPA", "KZDST", 8),
              ("ARRI", "KZAAU", 116), ("DEPA", "KZAAU", 122), ("ARRI", "AZALT", 144)]

pool = st.lists(
    st.tuples(st.integers(0, len(MILESTONES) - 1), st.integers(-6, 48)),
    min_size=1, max_size=6, unique_by=lambda t: t[0],
)


def _new_shipment(db: Database, world: World) -> int:
    with db.write() as session:
        shipment = create_shipment(session=session, org_id=world.org_ids["shipper"],
                                   shipment_in=ShipmentCreate(**shipment_body()),
                                   now=datetime.now(UTC))
        return shipment.id


def _principal(db: Database, world: World) -> access.Principal:
    with db.read() as session:
        user = accounts.user_for_token(session=session, token=world.tokens["operator"])
        assert user is not None
        return access.Principal.of(user)


def _events(sid: int, chosen: list[tuple[int, int]], tag: str) -> list[EventCreate]:
    out = []
    for k, delay in chosen:
        code, place, hours = MILESTONES[k]
        when = START + timedelta(hours=hours + delay)
        out.append(EventCreate(**event(f"{tag}-{k}", sid, code, place, when)))
    return out


@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
@given(chosen=pool, data=st.data())
def test_replays_and_shuffles_change_nothing(
    db: Database, world: World, chosen: list[tuple[int, int]], data: st.DataObject
) -> None:
    """Posting events shuffled, in random batches, with replays, stores each once and gives
    the same ETA as posting them once in order."""
    principal = _principal(db, world)
    ordered_sid, shuffled_sid = _new_shipment(db, world), _new_shipment(db, world)
    in_order = _events(ordered_sid, sorted(chosen), f"a{ordered_sid}")
    noisy = _events(shuffled_sid, chosen, f"b{shuffled_sid}")
    noisy = data.draw(st.permutations(noisy + data.draw(st.lists(st.sampled_from(noisy),
                                                                 max_size=4))))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(noisy)), max_size=3)))
    batches = [noisy[a:b] for a, b in zip([0, *cuts], [*cuts, len(noisy)], strict=True)]
    now = datetime.now(UTC)
    with db.write() as session:
        ingest.ingest(session, principal, in_order, now=now, slip_threshold_h=24)
    for batch in filter(None, batches):
        with db.write() as session:
            ingest.ingest(session, principal, batch, now=now, slip_threshold_h=24)
    with db.read() as session:
        stored = session.scalar(
            select(func.count(Event.id)).where(Event.shipment_id == shuffled_sid))
        a, b = session.get(Shipment, ordered_sid), session.get(Shipment, shuffled_sid)
        assert a is not None
        assert b is not None
        assert stored == len(chosen)
        assert (a.eta, a.delay_h, a.status) == (b.eta, b.delay_h, b.status)
