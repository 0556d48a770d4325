"""ETA: recomputed from remaining legs and observed delay, order-free, with history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.service_factories import START, World, event
from midcorridor.service import eta


@dataclass(frozen=True)
class _Leg:
    origin: str
    destination: str
    planned_depart: datetime
    planned_arrive: datetime


T0 = datetime(2026, 1, 1, tzinfo=UTC)
LEGS = [_Leg("AAAAA", "BBBBB", T0, T0 + timedelta(hours=10)),
        _Leg("BBBBB", "CCCCC", T0 + timedelta(hours=12), T0 + timedelta(hours=30)),
        _Leg("CCCCC", "DDDDD", T0 + timedelta(hours=40), T0 + timedelta(hours=60))]
MILESTONES = [("DEPA", "AAAAA"), ("ARRI", "BBBBB"), ("DEPA", "BBBBB"), ("ARRI", "CCCCC"),
              ("DEPA", "CCCCC"), ("ARRI", "DDDDD")]


def _fold(events: list[tuple[str, str, str, datetime]]) -> eta.Estimate:
    progress, seen = None, None
    for code, place, classifier, when in events:
        mark = eta.milestone(LEGS, code, classifier, place, when)
        if mark is not None and eta.better(progress, mark):
            progress = mark
        if classifier == "ACT":
            seen = when if seen is None else max(seen, when)
    return eta.estimate(LEGS, progress, seen)


def test_delay_at_departure_moves_the_eta() -> None:
    """Leaving the second leg 5 h late moves the ETA 5 h past the planned arrival."""
    result = _fold([("DEPA", "BBBBB", "ACT", T0 + timedelta(hours=17))])
    assert result.delay_h == 5
    assert result.eta == LEGS[-1].planned_arrive + timedelta(hours=5)


def test_sighting_past_the_next_milestone_is_a_floor() -> None:
    """A shipment seen after its next milestone's planned time is at least that late."""
    result = _fold([("DEPA", "AAAAA", "ACT", T0),
                    ("GTIN", "BBBBB", "ACT", T0 + timedelta(hours=16))])
    assert result.delay_h == 6  # planned arrival at B was T0+10


@settings(max_examples=60, deadline=None)
@given(delays=st.lists(st.integers(-5, 30), min_size=1, max_size=6), data=st.data())
def test_eta_does_not_depend_on_event_order(delays: list[int], data: st.DataObject) -> None:
    """Any permutation of the same events gives the same ETA, delay and status."""
    events = []
    for (code, place), delay in zip(MILESTONES, delays, strict=False):
        rank = MILESTONES.index((code, place))
        planned = eta.planned_time(LEGS, rank)
        events.append((code, place, "ACT", planned + timedelta(hours=delay)))
    shuffled = data.draw(st.permutations(events))
    assert _fold(list(shuffled)) == _fold(events)


def test_delay_event_changes_eta_and_keeps_history(client: TestClient, world: World) -> None:
    """A late departure from Aktau moves the ETA; the history holds the plan and the change."""
    headers = world.auth("operator")
    sid = world.shipment_id
    before = client.get(f"/shipments/{sid}/eta", headers=headers).json()
    late = START + timedelta(hours=122 + 30)  # planned departure from Aktau + 30 h
    r = client.post("/events", json=event("late-1", sid, "DEPA", "KZAAU", late), headers=headers)
    assert r.status_code == 201
    after = client.get(f"/shipments/{sid}/eta", headers=headers).json()
    assert after["delay_h"] == 30
    assert after["status"] == "in_transit"
    assert datetime.fromisoformat(after["eta"]) - datetime.fromisoformat(before["eta"]) == \
        timedelta(hours=30)
    history = client.get(f"/shipments/{sid}/eta/history", headers=headers).json()
    assert [h["delay_h"] for h in history["data"]] == [0, 30]
    assert history["data"][1]["event_id"] == r.json()["id"]


def test_estimated_arrival_counts_until_the_actual(client: TestClient, world: World) -> None:
    """An EST arrival sets the ETA; the ACT arrival at the same place then overrides it."""
    headers, sid = world.auth("operator"), world.shipment_id
    planned = START + timedelta(hours=144)  # arrival at Alat
    client.post("/events", headers=headers, json=event(
        "est-1", sid, "ARRI", "AZALT", planned + timedelta(hours=48), classifier="EST"))
    assert client.get(f"/shipments/{sid}/eta", headers=headers).json()["delay_h"] == 48
    client.post("/events", headers=headers, json=event(
        "act-1", sid, "ARRI", "AZALT", planned + timedelta(hours=20)))
    assert client.get(f"/shipments/{sid}/eta", headers=headers).json()["delay_h"] == 20


def test_a_planned_sailing_absorbs_delay_that_reaches_the_port_in_time() -> None:
    """With leg 2 fixed on a sailing 10 h after the planned arrival at C, 6 h of delay are
    absorbed and 15 h leave 5 h; once under way on it, its own delay counts again."""
    late6 = eta.Milestone(3, 2, 6.0)  # arrived at C 6 h late; slack to the sailing: 10 h
    assert eta.estimate(LEGS, late6, None, fixed=2).delay_h == 0
    assert eta.estimate(LEGS, eta.Milestone(3, 2, 15.0), None, fixed=2).delay_h == 5
    assert eta.estimate(LEGS, eta.Milestone(4, 2, 3.0), None, fixed=2).delay_h == 3
    assert eta.estimate(LEGS, late6, None).delay_h == 6  # no plan: the delay carries on
