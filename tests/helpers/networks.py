"""Small hand-built networks for the planner tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from midcorridor.network.model import (
    ZERO,
    Departures,
    Link,
    Mode,
    Network,
    Node,
    NodeKind,
    Quantity,
    Sea,
    Service,
    ServiceKind,
    Spread,
)

if TYPE_CHECKING:
    from midcorridor.routing.result import Leg


def node(nid: str, country: str, lon: float, *, kind: NodeKind = NodeKind.RAIL_TERMINAL,
         handling: float | None = 0.0, lat: float = 40.0, sea: Sea | None = None) -> Node:
    return Node(nid, nid.title(), country, lat, lon, kind, handling_h=handling, sea=sea)


def link(a: str, b: str, mode: Mode, km: float, hours: float, *, dwell: float = 0.0,
         border: bool = False, gauge: bool = False, tariff: float | None = None,
         traction: str = "diesel") -> Link:
    return Link(
        f"{a}-{b}-{mode.value}", a, b, mode, km, Spread(hours, hours, hours),
        dwell=Spread(dwell, dwell, dwell) if dwell else ZERO, border=border, gauge_change=gauge,
        tariff=Quantity(tariff, "teu") if tariff is not None else None,
        traction=traction if mode is Mode.RAIL else "",
    )


def ferry_line(a: str, b: str, *, weekdays: tuple[int, ...] = (0,), time: str = "20:00",
               crossing: float | None = None, headway: float | None = None) -> Service:
    return Service(
        f"LINE-{a}-{b}", "line", "op", ServiceKind.FERRY, (a, b),
        Departures(weekdays=weekdays, time=time, headway_h=headway),
        crossing_h=Spread(crossing, crossing, crossing) if crossing is not None else None,
    )


def port_network() -> Network:
    """Rail A->P (10 h) then a Monday 20:00 UTC ferry P->Q (22 h); P handles in 5 h."""
    nodes = {
        "AAAAA": node("AAAAA", "KZ", 50.0),
        "PPPPP": node("PPPPP", "KZ", 51.0, kind=NodeKind.SEAPORT, handling=5.0,
                          sea=Sea.CASPIAN),
        "QQQQQ": node("QQQQQ", "AZ", 53.0, kind=NodeKind.SEAPORT, handling=5.0,
                          sea=Sea.CASPIAN),
    }
    links = (
        link("AAAAA", "PPPPP", Mode.RAIL, 100.0, 10.0, tariff=100.0),
        link("PPPPP", "QQQQQ", Mode.FERRY, 300.0, 30.0, border=True, tariff=500.0),
    )
    return Network(nodes=nodes, links=links,
                   services=(ferry_line("PPPPP", "QQQQQ", crossing=22.0),))


#: Waters no ocean joins: a sea leg within one of them is an inland-sea leg.
INLAND = ({Sea.CASPIAN}, {Sea.BLACK, Sea.MARMARA})


def ocean_leg(net: Network, leg: Leg) -> bool:
    """Whether a route leg sails an ocean (a sea leg not within one inland water)."""
    seas = {net.nodes[leg.origin].sea, net.nodes[leg.destination].sea}
    return leg.mode == "sea" and not any(seas <= waters for waters in INLAND)
