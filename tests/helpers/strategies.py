"""Hypothesis strategies for the planner tests: small random corridors and departure times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import strategies as st

from helpers.networks import ferry_line, link, node
from midcorridor.network.model import Mode, Network

COUNTRIES = ("KZ", "AZ", "GE", "TR")
MODES = (Mode.RAIL, Mode.ROAD, Mode.FERRY)


@st.composite
def networks(draw: st.DrawFn, max_nodes: int = 5) -> Network:
    n = draw(st.integers(3, max_nodes))
    ids = [f"{COUNTRIES[i % 4]}N{i:02d}" for i in range(n)]
    nodes = {nid: node(nid, nid[:2], 40.0 + i, handling=draw(st.sampled_from([0.0, 3.0, 12.0])))
             for i, nid in enumerate(ids)}
    links, services, seen = [], [], set()
    for i in range(1, n):  # a spanning path keeps the network connected
        pairs = [(ids[i - 1], ids[i])]
        if draw(st.booleans()):
            pairs.append((ids[draw(st.integers(0, i - 1))], ids[i]))
        for a, b in pairs:
            mode = draw(st.sampled_from(MODES))
            if (a, b, mode) in seen:
                continue
            seen.add((a, b, mode))
            km = draw(st.floats(100.0, 900.0))
            lk = link(a, b, mode, km, draw(st.floats(2.0, 40.0)),
                      dwell=draw(st.sampled_from([0.0, 6.0])), border=a[:2] != b[:2],
                      tariff=draw(st.sampled_from([None, 50.0, 300.0])))
            links.append(lk)
            if mode is Mode.FERRY:
                day = draw(st.integers(0, 6))
                svc = ferry_line(a, b, weekdays=(day,), time="08:00")
                services.append(svc.__class__(**{**svc.__dict__, "id": f"S-{lk.id}"}))
    return Network(nodes=nodes, links=tuple(links), services=tuple(services))


departs = st.integers(0, 24 * 14).map(lambda h: datetime(2026, 11, 30, tzinfo=UTC)
                                       + timedelta(hours=h))
