"""The rules every route option keeps, enforced inside the Pareto search (docs/routing.md).

1. **No place twice.** A route never returns to a place it has passed, and never boards again
   a train or vessel (a service) it has left: no leaving a block train to rejoin it further
   down the line. When the user's constraints leave no such route, the planner lets a route
   turn back at a ``via`` place (:meth:`Rules.turning_at_via`): between the origin, each via
   place and the destination no place twice, but after a via place the places passed (and the
   services left) before it may be passed again (a via place on a spur, driven to and back).
2. **No passing the destination.** Once a route has come within :attr:`Rules.near_km` (100 km)
   of the destination, it never again goes more than :attr:`Rules.far_km` (150 km) from it.
3. **No long detour.** The distance a route travels on land and on inland seas (every leg but
   its ocean legs) is at most :attr:`Rules.detour` (2x) the great-circle distance from origin
   to destination. For a route without an ocean leg that is its whole length; ocean voyages are
   exempt because a ship has to go round the continents. The same holds for the rest of the
   route from every place it passes, with :attr:`Rules.leeway_km` (100 km) more: from a place,
   at most twice its great-circle distance to the destination plus 100 km on land.

The search keeps them by pruning: a label that would revisit a place, or leave the destination's
neighbourhood, is not made, and one whose land distance plus the least land distance still
needed (:attr:`Guard.lb_km`, a backward Dijkstra with ocean legs free) exceeds what the places
it passed leave it is dropped. Rules 2 and 3 are part of a label's state (the "near" flag is
part of its bag key; the land distance a label may still travel, the least any place it passed
leaves, is a fourth criterion in dominance), so the search stays exact for them. So are the
services a label has left (a bit each): a label beats another only if it left none the other
did not, since a way on may board it again.

Rule 1 needs no part of the state without via places: when one partial route beats another at
a place, a way on that passes a place the better one passed can start from that place instead,
and is no worse. Via places break that: the cut-short way may skip a via place (the one the
better route passed since, or one the way on passes before coming back). So under rule 1 in
full with via places, two partial routes are also compared by the places they passed, but only
by the places a way on could still need after a via place (:class:`ViaReach`): those within
the land distance rule 3 leaves. Without rule 3 that is every place.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from midcorridor.network.geo import haversine_km
from midcorridor.routing import corridors
from midcorridor.routing.timeindex import dijkstra_all

if TYPE_CHECKING:
    from collections.abc import Sequence

    from midcorridor.routing.graph import SearchGraph


@dataclass(frozen=True)
class Rules:
    """Thresholds of the route rules; ``None`` switches rules 2 or 3 off; ``turn_at_via``
    keeps rule 1 only between via places.
    """

    near_km: float | None = 100.0
    far_km: float = 150.0
    detour: float | None = 2.0
    turn_at_via: bool = False  # after a via place, the places before it may be passed again
    #: from a place passed, the rest may travel ``detour`` x its great circle + this on land
    leeway_km: float = 100.0
    rejoin: bool = False  # a route may board again a train or vessel it has left

    def relaxed(self) -> Rules:
        """Without rules 2 and 3, and a route may board again a service it left: for when
        the user's constraints leave nothing else.
        """
        return Rules(near_km=None, far_km=self.far_km, detour=None,
                     turn_at_via=self.turn_at_via, leeway_km=self.leeway_km, rejoin=True)

    def turning_at_via(self) -> Rules:
        """Rule 1 between via places only: a route may turn back at a ``via`` place (on a
        spur, left the way it was reached) and pass again the places it passed before it.
        """
        return Rules(self.near_km, self.far_km, self.detour, turn_at_via=True,
                     leeway_km=self.leeway_km, rejoin=self.rejoin)


DEFAULT_RULES = Rules()


@dataclass(frozen=True)
class ViaReach:
    """The land distances around one via place that say which places a route may still pass
    after it within rule 3's limit.
    """

    node: int  # the via place
    to_via: list[float]  # least land km from each node to the via place
    from_via: list[float]  # least land km from the via place to each node
    km_on: list[float]  # ascending: least land km from the via place through a node on to
    #                     the target
    nodes_on: list[int]  # nodes_on[i]: the bits of the nodes of the i lowest km_on

    def within(self, km: float) -> int:
        """The bits of the nodes a route leaving the via place can pass with at most ``km``
        of land travel from the via place to the target.
        """
        return self.nodes_on[bisect_right(self.km_on, km * (1.0 + 1e-9) + 1e-6)]


def via_reach(forward: list[list[tuple[int, float]]], back: list[list[tuple[int, float]]],
              via: int, lb_km: list[float]) -> ViaReach:
    """The :class:`ViaReach` of node ``via`` over the land-km arcs ``forward`` (per node, its
    heads) and ``back`` (per node, its tails), ``lb_km`` to the target.
    """
    to_via = [d * (1.0 - 1e-9) for d in dijkstra_all(back, via)]
    from_via = [d * (1.0 - 1e-9) for d in dijkstra_all(forward, via)]
    order = sorted(range(len(from_via)), key=lambda w: from_via[w] + lb_km[w])
    nodes_on = [0]
    for w in order:
        nodes_on.append(nodes_on[-1] | (1 << w))
    return ViaReach(via, to_via, from_via, [from_via[w] + lb_km[w] for w in order], nodes_on)


@dataclass(frozen=True)
class Guard:
    """The rules compiled for one target: per node and per arc, as flat lists."""

    near: list[bool]  # node within near_km of the target
    far: list[bool]  # node more than far_km from the target (barred once near)
    arc_km: list[float]  # land and inland-sea km of each arc (0 for an ocean leg)
    lb_km: list[float]  # least land km still needed from each node to the target
    limit_km: float  # most land km a route may travel (inf: no limit)
    #: per node, the most land km a route may travel on from it (inf: no limit); a label
    #: carries the least of these less what it travelled since, and of ``limit_km`` less all
    rest_km: list[float] | None = None
    #: per node, whether a route may turn back there: after it, the places passed before it
    #: may be passed again (the via places under :meth:`Rules.turning_at_via`; else none)
    turn: list[bool] | None = None
    #: under rule 1 in full, per via place in the order of the search's first required sets
    #: (one per via place), how far a route may get from it: partial routes are then also
    #: compared by the places they passed (see the module's docstring)
    vias: tuple[ViaReach, ...] = ()
    rejoin: bool = False  # a route may board again a train or vessel it has left


def guard(graph: SearchGraph, source: int, target: int, rules: Rules,
          vias: Sequence[int] = ()) -> Guard:
    """Compile ``rules`` for routes from ``source`` to ``target`` on ``graph`` passing the
    nodes ``vias`` (in the order of the search's first required sets).
    """
    nodes = graph.network.nodes
    t = nodes[graph.ids[target]]
    to_target = [haversine_km(nodes[i].lat, nodes[i].lon, t.lat, t.lon) for i in graph.ids]
    at = set(vias) if rules.turn_at_via else set()
    turn = [v in at for v in range(len(graph.ids))] if at else None
    if rules.near_km is None:
        near = far = [False] * len(to_target)
    else:
        near = [d <= rules.near_km for d in to_target]
        far = [d > rules.far_km for d in to_target]
    network = graph.network
    ocean = {}
    arc_km = []
    for arc in graph.arcs:
        key = id(arc.link)
        if key not in ocean:
            ocean[key] = corridors.is_ocean(network, arc.link)
        arc_km.append(0.0 if ocean[key] else arc.link.distance_km)
    if rules.detour is None:
        n = len(to_target)
        reach = () if at else tuple(
            ViaReach(v, [0.0] * n, [0.0] * n, [0.0] * n, [0] * n + [(1 << n) - 1]) for v in vias)
        return Guard(near, far, arc_km, [0.0] * n, math.inf, None, turn, reach, rules.rejoin)
    forward: list[list[tuple[int, float]]] = [[] for _ in graph.ids]
    back: list[list[tuple[int, float]]] = [[] for _ in graph.ids]
    for a, arc in enumerate(graph.arcs):
        forward[arc.tail].append((arc.head, arc_km[a]))
        back[arc.head].append((arc.tail, arc_km[a]))
    lb = [d * (1.0 - 1e-9) for d in dijkstra_all(back, target)]
    reach = () if at else tuple(via_reach(forward, back, v, lb) for v in vias)
    rest = [rules.detour * max(d, least) + rules.leeway_km
            for d, least in zip(to_target, lb, strict=True)]
    # twice the great circle from the origin; where the network has no way on land that
    # short (Bishkek to Almaty: 197 km apart, 602 km by rail), the limit from every other
    # place holds for the origin too, rather than no limit at all
    limit = rules.detour * to_target[source]
    if lb[source] > limit:
        limit = rest[source]
    return Guard(near, far, arc_km, lb, limit, rest, turn, reach, rules.rejoin)
