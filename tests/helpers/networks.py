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


# -- networks the property tests found, kept as fixed examples ---------------------------

def clocks_that_round_apart() -> Network:
    """Rail K-A 2 h, then road A-G-T-Z of 2.1015625, 2.109375 and 2 h driving; beside it a
    Monday 08:00 ferry K-T (2 h). The road hours have seven decimals, so a driver's clock kept
    to six after each link (2.101562 + 2.109375 = 4.210937) and one kept to six only at the
    end (4.2109375 -> 4.210938) differ in the last place. A random network of the property
    tests found it."""
    ids = ("KZN00", "AZN01", "GEN02", "TRN03", "KZN04")
    nodes = {n: node(n, n[:2], 40.0 + i) for i, n in enumerate(ids)}
    links = (
        link("KZN00", "AZN01", Mode.RAIL, 100.0, 2.0, border=True),
        link("AZN01", "GEN02", Mode.ROAD, 100.0, 2.1015625, border=True),
        link("GEN02", "TRN03", Mode.ROAD, 100.0, 2.109375, border=True),
        link("KZN00", "TRN03", Mode.FERRY, 100.0, 2.0, border=True),
        link("TRN03", "KZN04", Mode.ROAD, 100.0, 2.0, border=True),
    )
    line = ferry_line("KZN00", "TRN03", weekdays=(0,), time="08:00")
    return Network(nodes=nodes, links=links, services=(line,))


def only_through_az() -> Network:
    """Road KZN00-AZN01-GEN02-TRN03 (2.9921875, 2.953125 and 2 h driving) and nothing else:
    avoiding AZ leaves no route from KZN00 to TRN03. A random network of the property tests
    found that the planner called them not connected, without naming the avoided country."""
    ids = ("KZN00", "AZN01", "GEN02", "TRN03")
    nodes = {n: node(n, n[:2], 40.0 + i) for i, n in enumerate(ids)}
    links = (
        link("KZN00", "AZN01", Mode.ROAD, 100.0, 2.9921875, border=True),
        link("AZN01", "GEN02", Mode.ROAD, 100.0, 2.953125, border=True),
        link("GEN02", "TRN03", Mode.ROAD, 100.0, 2.0, border=True),
    )
    return Network(nodes=nodes, links=links)


def road_grid(side: int, seed: int = 0) -> Network:
    """A dense road network: ``side`` x ``side`` places half a degree apart, each joined by
    road to its four neighbours (40-55 km, 0.6-1.1 h at the wheel, drawn from ``seed``), and
    a spur place ``KZSPUR`` 30 km off the middle one by a single 0.5 h road. Ids ``KZrrcc``."""
    import random

    from midcorridor.network.geo import haversine_km

    rng = random.Random(seed)
    nodes = {f"KZ{r:02d}{c:02d}": node(f"KZ{r:02d}{c:02d}", "KZ", 60.0 + 0.5 * c,
                                        lat=40.0 + 0.4 * r)
             for r in range(side) for c in range(side)}
    links = []
    for r in range(side):
        for c in range(side):
            for r2, c2 in ((r, c + 1), (r + 1, c)):
                if r2 < side and c2 < side:
                    a, b = nodes[f"KZ{r:02d}{c:02d}"], nodes[f"KZ{r2:02d}{c2:02d}"]
                    km = haversine_km(a.lat, a.lon, b.lat, b.lon)
                    links.append(link(a.id, b.id, Mode.ROAD, km, km / rng.uniform(50.0, 70.0)))
    middle = f"KZ{side // 2:02d}{side // 2:02d}"
    nodes["KZSPUR"] = node("KZSPUR", "KZ", nodes[middle].lon, lat=nodes[middle].lat + 0.27)
    links.append(link(middle, "KZSPUR", Mode.ROAD, 30.0, 0.5))
    return Network(nodes=nodes, links=tuple(links))


def a_way_back_through_the_via_place() -> Network:
    """From KZN00 to TRN03 via AZN01, eastward in that order: a Monday 08:00 ferry
    KZN00-AZN01 (312 km), rail AZN01-GEN02, KZN00-GEN02 and GEN02-TRN03 (100 km, 2 h each).
    The one route passing no place twice is the ferry, then rail through GEN02 (512 km, within
    twice the 298 km great circle); rail KZN00-GEN02-AZN01 reaches AZN01 sooner, cheaper and
    shorter but has passed GEN02, which the way on needs. A random network of the property
    tests found the planner missing the ferry route (labels were not compared by the places
    they passed); the places are moved so that the route keeps rules 2 and 3."""
    nodes = {n: node(n, n[:2], lon) for n, lon in
             (("KZN00", 40.0), ("AZN01", 41.0), ("GEN02", 41.2), ("TRN03", 43.5))}
    links = (
        link("KZN00", "AZN01", Mode.FERRY, 312.0, 2.0, border=True),
        link("AZN01", "GEN02", Mode.RAIL, 100.0, 2.0, border=True),
        link("KZN00", "GEN02", Mode.RAIL, 100.0, 2.0, border=True, tariff=50.0),
        link("GEN02", "TRN03", Mode.RAIL, 100.0, 2.0, border=True),
    )
    return Network(nodes=nodes, links=links,
                   services=(ferry_line("KZN00", "AZN01", weekdays=(0,), time="08:00"),))


def sums_that_round_apart() -> Network:
    """From KZN00 to KZN04 via AZN01: road (895 km) and a Monday 08:00 ferry (655 km)
    KZN00-AZN01, both with 6 h dwell; rail AZN01-GEN02-TRN03-KZN04 and road KZN00-KZN04. Out by
    road and back by ferry costs and emits the same as out by ferry and back by road, 160 h
    later, but the sums of the same figures in another order differ in the last place. A
    random network of the property tests found the planner giving both."""
    ids = ("KZN00", "AZN01", "GEN02", "TRN03", "KZN04")
    nodes = {n: node(n, n[:2], 40.0 + i) for i, n in enumerate(ids)}
    links = (
        link("KZN00", "AZN01", Mode.ROAD, 895.0, 2.0, dwell=6.0, border=True, tariff=50.0),
        link("KZN00", "AZN01", Mode.FERRY, 655.0, 2.0, dwell=6.0, border=True),
        link("AZN01", "GEN02", Mode.RAIL, 100.0, 2.0, border=True),
        link("GEN02", "TRN03", Mode.RAIL, 100.0, 2.0, border=True),
        link("TRN03", "KZN04", Mode.RAIL, 100.0, 2.0, border=True),
        link("KZN00", "KZN04", Mode.ROAD, 100.0, 2.0),
    )
    return Network(nodes=nodes, links=links,
                   services=(ferry_line("KZN00", "AZN01", weekdays=(0,), time="08:00"),))


def arrivals_seconds_apart() -> Network:
    """From KZN00 to TRN03 via GEN02: rail KZN00-AZN01 (2 h), a Monday 08:00 ferry
    AZN01-GEN02 (2 h), rail GEN02-TRN03 (2.00001 h), and rail KZN00-TRN03 (2 h, 6 h dwell).
    By the ferry the route arrives at 12.00001 h and costs more; out to GEN02 by rail and back
    (turning at the via place) it arrives at 12.00002 h and costs less: two options, 0.036 s
    apart. A margin relative to the hours since the epoch (1e-9 of about 500,000 h) took them
    as one arrival and dropped the dearer. A random network of the property tests found it."""
    ids = ("KZN00", "AZN01", "GEN02", "TRN03")
    nodes = {n: node(n, n[:2], 40.0 + i) for i, n in enumerate(ids)}
    links = (
        link("KZN00", "AZN01", Mode.RAIL, 100.0, 2.0, border=True),
        link("AZN01", "GEN02", Mode.FERRY, 100.0, 2.0, border=True),
        link("GEN02", "TRN03", Mode.RAIL, 312.0, 2.00001, border=True),
        link("KZN00", "TRN03", Mode.RAIL, 100.0, 2.0, dwell=6.0, border=True, tariff=50.0),
    )
    return Network(nodes=nodes, links=links,
                   services=(ferry_line("AZN01", "GEN02", weekdays=(0,), time="08:00"),))


def a_place_needed_after_the_via_place() -> Network:
    """From KZN00 to TRN04 via AZN03, eastward, all by rail: KZN00-GEN02 (300 km, 12 h, 1200
    USD), KZN00-AZN01-GEN02, GEN02-AZN03, AZN03-AZN01 and AZN01-TRN04 (100 km, 2 h each). The
    one route passing no place twice is KZN00-GEN02-AZN03-AZN01-TRN04 (600 km, within twice the
    341 km great circle): it passes AZN01 after the via place. Through AZN01 the train reaches
    GEN02 sooner, cheaper and shorter, but then has no way on."""
    nodes = {n: node(n, n[:2], lon) for n, lon in
             (("KZN00", 40.0), ("AZN01", 41.0), ("GEN02", 41.5), ("AZN03", 42.0),
              ("TRN04", 44.0))}
    links = (
        link("KZN00", "GEN02", Mode.RAIL, 300.0, 12.0, border=True, tariff=1200.0),
        link("KZN00", "AZN01", Mode.RAIL, 100.0, 2.0, border=True),
        link("AZN01", "GEN02", Mode.RAIL, 100.0, 2.0, border=True),
        link("GEN02", "AZN03", Mode.RAIL, 100.0, 2.0, border=True),
        link("AZN03", "AZN01", Mode.RAIL, 100.0, 2.0),
        link("AZN01", "TRN04", Mode.RAIL, 100.0, 2.0, border=True),
    )
    return Network(nodes=nodes, links=links)
