"""The planner's front door: ``plan(network, origin, destination, cargo=..., depart=...)``."""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from midcorridor.errors import InputError, NoRouteError
from midcorridor.network.model import Arc, Link, Mode, Network, Service
from midcorridor.network.places import find_place
from midcorridor.routing import corridors
from midcorridor.routing.cargo import Cargo
from midcorridor.routing.costs import Tariffs, load_tariffs, road_load, trucks
from midcorridor.routing.distinct import MAX_OPTIONS, fold_beside
from midcorridor.routing.graph import SearchGraph, search_graph
from midcorridor.routing.result import Leg, RouteOption, RoutePlan
from midcorridor.routing.rules import DEFAULT_RULES, Guard, Rules
from midcorridor.routing.rules import guard as route_guard
from midcorridor.routing.search import Found, earliest_arrival, pareto_search
from midcorridor.routing.timetable import from_hours, to_hours

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    from pathlib import Path

OBJECTIVES = ("time", "cost", "co2")
Objective = str | Mapping[str, float]


def plan(
    network: Network,
    origin: str,
    destination: str,
    *,
    cargo: Cargo,
    depart: datetime,
    objective: Objective = "time",
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    avoid_modes: Iterable[str] = (),
    via: Iterable[str] = (),
    max_transshipments: int | None = None,
    arrive_by: datetime | None = None,
    tariffs: Tariffs | Path | str | None = None,
    distinct: bool = True,
) -> RoutePlan:
    """Door-to-door route options from ``origin`` to ``destination``.

    Returns the Pareto-optimal options over (arrival time, cost, CO2e) ranked by
    ``objective`` (``"time"``, ``"cost"``, ``"co2"`` or weights such as
    ``{"time": 1, "cost": 1}``), and the best option of each corridor family.
    Every option keeps the route rules (:mod:`midcorridor.routing.rules`); when the
    constraints leave no such route, the rules are relaxed and the plan's notes say so.
    With ``distinct`` (the default) near-duplicates are folded into one option
    (:func:`midcorridor.routing.distinct.fold`) and at most six are returned; without it,
    every Pareto option. Places are ids, names or aliases. Raises
    :class:`UnknownPlaceError`, :class:`NoRouteError` or :class:`InputError`.

    >>> from datetime import UTC, datetime
    >>> from midcorridor.network import load_network
    >>> depart = datetime(2026, 3, 2, tzinfo=UTC)
    >>> result = plan(load_network(), "Aktau", "Baku", cargo=Cargo(teu=2), depart=depart)
    >>> best = result.options[0]
    >>> best.legs[0].origin, best.legs[-1].destination
    ('KZAAU', 'AZBAK')
    >>> best.legs[0].depart >= depart
    True
    """
    weights, depart_h, arrive_by_h = _checked(cargo, objective, depart, arrive_by,
                                              max_transshipments)
    if not isinstance(tariffs, Tariffs | None):
        tariffs = load_tariffs(tariffs)
    src = find_place(network, origin).id
    dst = find_place(network, destination).id
    if src == dst:
        raise InputError(f"origin and destination are the same place ({src})")
    graph = search_graph(network, tariffs, road_load(cargo.teu))
    countries = {c.strip().upper() for c in avoid_countries}
    places = {find_place(network, p).id for p in avoid_places}
    modes = _modes(avoid_modes)
    vias = [find_place(network, p).id for p in via]
    _check_not_avoided(network, (src, dst), vias, countries, places)
    banned = _banned(graph, countries, places, modes)
    passing = [v for v in vias if v != src]  # one required set each, in this order
    required = [_arriving(graph, v) for v in passing]
    s, t = graph.index[src], graph.index[dst]
    found, guard, notes = _search(graph, s, t, depart_h, banned, required,
                                  max_transshipments, arrive_by_h,
                                  [graph.index[v] for v in passing])
    if not found:
        raise NoRouteError(_why(graph, src, dst, depart_h, banned, countries, places, modes,
                                vias, max_transshipments, arrive_by_h))
    options = _rank([_option(graph, f, cargo, depart_h) for f in found], weights)
    best_by_family = []
    for family in corridors.FAMILIES:
        fam_found = _family_search(network, graph, family, s, t, depart_h, banned, required,
                                   max_transshipments, arrive_by_h, guard)
        fam_options = _rank([o for o in (_option(graph, f, cargo, depart_h) for f in fam_found)
                             if o.family == family.name], weights)
        if fam_options:
            pareto = not any(o.dominates(fam_options[0]) for o in options)
            best_by_family.append(_with_pareto(fam_options[0], pareto))
    hidden = 0
    if distinct:
        options, hidden = fold_beside(options, best_by_family, MAX_OPTIONS)
    return RoutePlan(
        origin=src, destination=dst, cargo=cargo, depart=from_hours(depart_h),
        objective=_objective_text(objective), options=tuple(options),
        by_corridor=tuple(best_by_family), notes=tuple(notes), hidden=hidden,
    )


def _checked(cargo: Cargo, objective: Objective, depart: datetime, arrive_by: datetime | None,
             max_transshipments: int | None) -> tuple[dict[str, float], float, float | None]:
    """The objective's weights and the departure and arrive-by times in hours, once the
    arguments are checked (:class:`InputError` names the first one at fault).
    """
    if not isinstance(cargo, Cargo):
        raise InputError(f"cargo must be a Cargo, e.g. Cargo(40); got {cargo!r}")
    weights = _weights(objective)
    depart_h = to_hours(depart)
    arrive_by_h = to_hours(arrive_by) if arrive_by is not None else None
    if arrive_by_h is not None and arrive_by_h <= depart_h:
        raise InputError(f"arrive_by {arrive_by} is not after the departure {depart}")
    if max_transshipments is not None and (
        isinstance(max_transshipments, bool) or not isinstance(max_transshipments, int)
        or max_transshipments < 0
    ):
        raise InputError(f"max_transshipments must be a whole number >= 0, got "
                         f"{max_transshipments!r}")
    return weights, depart_h, arrive_by_h


def _check_not_avoided(network: Network, ends: Iterable[str], vias: Iterable[str],
                       countries: Collection[str], places: Collection[str]) -> None:
    """An error when an end of the route or a via place is to be avoided (itself or its
    country).
    """
    wanted = [(end, "an end of the route", "", "") for end in ends]
    wanted += [(v, "a --via place", ", a place to pass via,", " or drop the via place")
               for v in vias]
    for place, role, aside, fix in wanted:
        if place in places:
            raise InputError(f"{place} is both {role} and a place to avoid")
        node = network.nodes[place]
        if node.country in countries:
            raise NoRouteError(f"{node.name} ({place}){aside} is in {node.country}, a country "
                               f"to avoid; remove it from the avoided countries{fix}")


def _family_search(network: Network, graph: SearchGraph, family: corridors.Family, s: int,
                   t: int, depart_h: float, banned: frozenset[int],
                   required: list[frozenset[int]],
                   max_transshipments: int | None, arrive_by_h: float | None,
                   guard: Guard | None) -> list[Found]:
    """The Pareto routes of one corridor family: through its required arcs, off its excluded
    ones and its avoided countries (none when the network has no arc it requires).
    """
    fam_banned = banned | _banned(graph, set(family.avoid_countries), set(), set())
    signature = {a for a, arc in enumerate(graph.arcs)
                 if corridors.requirement(network, family, arc.link)}
    # a route is named Middle if it crosses the Caspian, then Northern, then Sea
    fam_banned |= {a for a, arc in enumerate(graph.arcs)
                   if corridors.excluded(network, family, arc.link)}
    if not signature:
        return []
    return pareto_search(
        graph, s, t, depart_h, banned=fam_banned, required=[*required, signature],
        max_transshipments=max_transshipments, arrive_by_h=arrive_by_h, guard=guard,
    )


#: The route rules, then weaker ones when the user's constraints leave no route keeping them.
#: With via places the third step is skipped: rule 1 in full without rule 3's limit would
#: compare partial routes by every place they passed (docs/routing.md).
RULE_STEPS: tuple[tuple[Rules, str], ...] = (
    (DEFAULT_RULES, ""),
    (DEFAULT_RULES.turning_at_via(), "no route avoids passing a place twice with these "
     "constraints; these routes turn back at a --via place off the way and pass again places "
     "they passed before it"),
    (DEFAULT_RULES.relaxed(), "no route keeps the rules against passing the destination, "
     "long detours and boarding again a train or vessel left, with these constraints; these "
     "routes break them"),
    (DEFAULT_RULES.relaxed().turning_at_via(), "no route keeps the route rules with these "
     "constraints (no place twice, no passing the destination, no long detour); these break "
     "them"),
)


def _search(graph: SearchGraph, s: int, t: int, depart_h: float, banned: frozenset[int],
            required: list[frozenset[int]], max_transshipments: int | None = None,
            arrive_by_h: float | None = None, vias: Sequence[int] = (),
            ) -> tuple[list[Found], Guard | None, list[str]]:
    """The Pareto routes under the first rule step that leaves any, its guard and note.
    ``vias`` are the nodes of the first required sets, in order.
    """
    guard: Guard | None = None
    for rules, note in RULE_STEPS:
        if rules.turn_at_via and not vias:
            continue  # the same search as the step before
        if vias and rules.detour is None and not rules.turn_at_via:
            continue  # via places without rule 3: turning back is given way too (docs)
        guard = route_guard(graph, s, t, rules, vias)
        found = pareto_search(
            graph, s, t, depart_h, banned=banned, required=required,
            max_transshipments=max_transshipments, arrive_by_h=arrive_by_h, guard=guard,
        )
        if found:
            return found, guard, [note] if note else []
    return [], guard, []


def fastest_path(
    network: Network,
    origin: str,
    destination: str,
    *,
    depart: datetime,
    via: Iterable[str] = (),
    allowed: Callable[[Link, Service | None], bool] | None = None,
    tariffs: Tariffs | None = None,
) -> tuple[Arc, ...]:
    """The arcs of the route :func:`plan` ranks first by time, for engines on fixed paths.

    The same search as :func:`plan` with ``objective="time"``: the route rules, ``via``
    places, and only the links ``allowed(link, service)`` accepts (``service`` is the
    timetabled train or vessel the route takes the link on, ``None`` for a link without
    one). Places are ids, names or aliases. Raises :class:`NoRouteError` when no route is
    left.

    >>> from datetime import UTC, datetime
    >>> from midcorridor.network import load_network
    >>> arcs = fastest_path(load_network(), "Kuryk", "Alat",
    ...                     depart=datetime(2024, 1, 1, tzinfo=UTC))
    >>> arcs[0].tail, arcs[-1].head
    ('KZKUR', 'AZALT')
    >>> all(arcs[i].head == arcs[i + 1].tail for i in range(len(arcs) - 1))
    True
    """
    src = find_place(network, origin).id
    dst = find_place(network, destination).id
    vias = [find_place(network, p).id for p in via]
    graph = search_graph(network, tariffs)
    banned = frozenset(a for a, arc in enumerate(graph.arcs)
                       if allowed is not None and not allowed(arc.link, arc.service))
    passing = [v for v in vias if v != src]
    required = [_arriving(graph, v) for v in passing]
    depart_h = to_hours(depart)
    found, _, _ = _search(graph, graph.index[src], graph.index[dst], depart_h, banned, required,
                          vias=[graph.index[v] for v in passing])
    if not found:
        via_text = f" via {', '.join(vias)}" if vias else ""
        raise NoRouteError(f"no route from {src} to {dst}{via_text} on the links allowed")
    options = [_option(graph, f, _ONE_TEU, depart_h) for f in found]
    best = found[_order(options, {"time": 1.0})[0]]
    path = []
    for step in best.steps:
        arc = graph.arcs[step.arc]
        tail = graph.ids[arc.tail]
        path.append(Arc(tail, graph.ids[arc.head], arc.link, reverse=tail != arc.link.origin))
    return tuple(path)


_ONE_TEU = Cargo(teu=1)


def _with_pareto(option: RouteOption, pareto: bool) -> RouteOption:
    from dataclasses import replace

    return replace(option, pareto=pareto)


def _weights(objective: Objective) -> dict[str, float]:
    if isinstance(objective, str):
        if objective in OBJECTIVES:
            return {objective: 1.0}
        try:
            pairs = dict(part.split("=") for part in objective.split(",") if part.strip())
            objective = {k.strip(): float(v) for k, v in pairs.items()}
        except ValueError:
            raise InputError(f"unknown objective {objective!r}; use time, cost, co2 or weights "
                             "like 'time=1,cost=0.5'") from None
    weights = {str(k): float(v) for k, v in dict(objective).items()}
    bad = [k for k in weights if k not in OBJECTIVES]
    if bad or not weights or any(not math.isfinite(w) or w < 0 for w in weights.values()) \
            or sum(weights.values()) <= 0:
        raise InputError(f"bad objective weights {weights}; use keys time, cost, co2 with "
                         "non-negative numbers, not all zero")
    return weights


def _objective_text(objective: Objective) -> str:
    if isinstance(objective, str):
        return objective
    return ",".join(f"{k}={v:g}" for k, v in objective.items())


def _modes(avoid_modes: Iterable[str]) -> set[Mode]:
    out = set()
    for mode in avoid_modes:
        try:
            out.add(Mode(str(mode).lower()))
        except ValueError:
            raise InputError(f"unknown mode {mode!r}; use one of "
                             f"{', '.join(m.value for m in Mode)}") from None
    return out


def _banned(graph: SearchGraph, countries: Collection[str], places: Collection[str],
            modes: Collection[Mode]) -> frozenset[int]:
    if not (countries or places or modes):
        return frozenset()
    nodes = graph.network.nodes
    banned = set()
    for a, arc in enumerate(graph.arcs):
        ends = (graph.ids[arc.tail], graph.ids[arc.head])
        if (arc.link.mode in modes or any(e in places for e in ends)
                or any(nodes[e].country in countries for e in ends)):
            banned.add(a)
    return frozenset(banned)


def _arriving(graph: SearchGraph, node_id: str) -> frozenset[int]:
    v = graph.index[node_id]
    return frozenset(a for a, arc in enumerate(graph.arcs) if arc.head == v)


def _why(graph: SearchGraph, src: str, dst: str, depart_h: float, banned: frozenset[int],
         countries: set[str], places: set[str], modes: set[Mode], vias: list[str],
         max_k: int | None, arrive_by_h: float | None) -> str:
    """Why no route was found and what to change. Avoided countries, places and modes are
    named whenever the avoidance is what cuts the route (or makes it arrive too late).
    """
    s, t = graph.index[src], graph.index[dst]
    avoided = _avoided(countries, places, modes)
    free = earliest_arrival(graph, s, t, depart_h)
    if math.isinf(free):
        even = f", not even without avoiding {', '.join(avoided)}" if avoided else ""
        return f"{src} and {dst} are not connected in the network{even}; check the data set"
    constrained = earliest_arrival(graph, s, t, depart_h, banned=banned)
    if math.isinf(constrained):
        return (f"no route from {src} to {dst} avoids {', '.join(avoided)}: "
                + _avoid_less(graph, s, t, depart_h, countries, places, modes))
    parts = []
    if arrive_by_h is not None and constrained > arrive_by_h:
        late = (f"the earliest arrival is {from_hours(constrained):%Y-%m-%d %H:%M} UTC, "
                f"after arrive-by {from_hours(arrive_by_h):%Y-%m-%d %H:%M}")
        if avoided and free <= arrive_by_h:
            late = (f"avoiding {', '.join(avoided)}, {late} (without avoiding, "
                    f"{from_hours(free):%Y-%m-%d %H:%M} UTC); avoid fewer countries, places or "
                    "modes, or")
        else:
            late += ";"
        parts.append(f"{late} allow a later arrival or depart earlier")
    if max_k is not None:
        parts.append(f"at most {max_k} transshipments may be too few; allow more")
    if vias:
        parts.append(f"passing via {', '.join(vias)} may be impossible with these constraints; "
                     "drop or change --via")
    return f"no route from {src} to {dst}: " + ("; ".join(parts) or "constraints too tight")


def _avoided(countries: Collection[str], places: Collection[str],
             modes: Collection[Mode]) -> list[str]:
    """What the user avoids, in words: ``country AZ``, ``place KZAAU``, ``mode ferry``."""
    return [*(f"country {c}" for c in sorted(countries)),
            *(f"place {p}" for p in sorted(places)),
            *(f"mode {m.value}" for m in sorted(modes))]


#: How every route needs an avoided item, by its kind.
_NEEDS = {"country": "crosses", "place": "passes", "mode": "takes"}


def _avoid_less(graph: SearchGraph, s: int, t: int, depart_h: float, countries: set[str],
                places: set[str], modes: set[Mode]) -> str:
    """What to stop avoiding for a route: each avoided item whose dropping alone leaves one."""
    freeing = []
    for c in sorted(countries):
        if _reaches(graph, s, t, depart_h, countries - {c}, places, modes):
            freeing.append(f"country {c}")
    for p in sorted(places):
        if _reaches(graph, s, t, depart_h, countries, places - {p}, modes):
            freeing.append(f"place {p}")
    for m in sorted(modes):
        if _reaches(graph, s, t, depart_h, countries, places, modes - {m}):
            freeing.append(f"mode {m.value}")
    if len(countries) + len(places) + len(modes) == 1 and freeing:
        (item,) = freeing
        return f"every route {_NEEDS[item.split()[0]]} it; stop avoiding {item}"
    if freeing:
        alone = "that alone" if len(freeing) == 1 else "any one of them alone"
        return f"stop avoiding {' or '.join(freeing)} ({alone} leaves a route)"
    return "dropping one of them alone leaves none; avoid fewer countries, places or modes"


def _reaches(graph: SearchGraph, s: int, t: int, depart_h: float, countries: set[str],
             places: set[str], modes: set[Mode]) -> bool:
    """Whether some route from ``s`` to ``t`` avoids all these."""
    banned = _banned(graph, countries, places, modes)
    return not math.isinf(earliest_arrival(graph, s, t, depart_h, banned=banned))


def _option(graph: SearchGraph, found: Found, cargo: Cargo, depart_h: float) -> RouteOption:
    network = graph.network
    teu = cargo.teu
    legs = []
    notes: dict[str, None] = {}
    borders = 0
    links = []
    path = [graph.ids[graph.arcs[found.steps[0].arc].tail]] if found.steps else []
    for step in found.steps:
        arc = graph.arcs[step.arc]
        tail, head = graph.ids[arc.tail], graph.ids[arc.head]
        link = arc.link
        links.append(link)
        path.append(head)
        borders += int(link.border)
        cost = arc.cost + (graph.handling_cost[arc.tail] if step.transship else 0.0)
        co2 = arc.co2 + (graph.hub_co2 if step.transship else 0.0)
        ttw = arc.ttw + (graph.hub_ttw if step.transship else 0.0)
        if step.unloaded:
            cost += graph.handling_cost[arc.head]
            co2 += graph.hub_co2
            ttw += graph.hub_ttw
        legs.append(Leg(
            origin=tail, destination=head, mode=link.mode.value,
            depart=from_hours(step.depart_h), arrive=from_hours(step.arrive_h),
            distance_km=link.distance_km, dwell_h=step.pre_h, wait_h=step.wait_h,
            cost_usd=cost * teu, co2e_kg=co2 * teu, link_id=link.id,
            service_id=arc.service.id if arc.service else None,
            transshipment=step.transship, co2e_ttw_kg=ttw * teu,
            unload_h=graph.handling_h[arc.head] if step.unloaded else 0.0,
            trucks=trucks(teu) if link.mode is Mode.ROAD else 0,
        ))
        for note in _leg_notes(graph, step.arc, step.transship):
            notes.setdefault(note)
        if step.unloaded:
            for note in graph.handling_notes[arc.head]:
                notes.setdefault(note)
    return RouteOption(
        corridor=corridors.label(network, path, links),
        total_hours=found.arrive_h - depart_h,
        cost_usd=found.cost * teu,
        co2e_kg=found.co2 * teu,
        transshipments=found.transshipments,
        borders=borders,
        legs=tuple(legs),
        assumptions=tuple(notes),
        co2e_ttw_kg=found.ttw * teu,
        family=corridors.family_of(network, links, path),
    )


_LINK_FIGURES = ("hours_typ", "dwell_h_typ", "distance_km")


def _leg_notes(graph: SearchGraph, a: int, transship: bool) -> list[str]:
    network = graph.network
    arc = graph.arcs[a]
    notes = list(arc.notes)
    for figure in _LINK_FIGURES:
        if figure == "dwell_h_typ" and arc.dwell_h == 0:
            continue
        prov = network.provenance_of("links", arc.link.id, figure)
        if prov is not None and prov.is_assumption:
            notes.append(f"{arc.link.id} {figure}: {prov.assumption}")
    if arc.service is not None:
        for figure in ("departures", "headway_h", "crossing_h"):
            prov = network.provenance_of("services", arc.service.id, figure)
            if prov is not None and prov.is_assumption:
                notes.append(f"service {arc.service.id} {figure}: {prov.assumption}")
        if arc.direction < 0:
            notes.append(f"service {arc.service.id}: return sailings assumed on the same "
                         "weekdays and time as the outbound ones")
    if transship and graph.handling_assumed[arc.tail]:
        node_id = graph.ids[arc.tail]
        prov = network.provenance_of("nodes", node_id, "handling_h")
        reason = prov.assumption if prov is not None else "default by kind of place"
        notes.append(f"{node_id} handling {graph.handling_h[arc.tail]:g} h: {reason}")
    if transship:
        notes.extend(graph.handling_notes[arc.tail])
    return notes


def _rank(options: list[RouteOption], weights: Mapping[str, float]) -> list[RouteOption]:
    return [options[i] for i in _order(options, weights)]


def _order(options: list[RouteOption], weights: Mapping[str, float]) -> list[int]:
    """Indices of ``options``, best first by the weighted objective."""
    if not options:
        return []
    values = {
        "time": [o.total_hours for o in options],
        "cost": [o.cost_usd for o in options],
        "co2": [o.co2e_kg for o in options],
    }
    best = {k: max(min(v), 1e-9) for k, v in values.items()}

    def score(i: int) -> tuple[float, float, float, float, str]:
        total = sum(w * values[k][i] / best[k] for k, w in weights.items())
        o = options[i]
        return (round(total, 9), o.total_hours, o.cost_usd, o.co2e_kg, o.corridor)

    return sorted(range(len(options)), key=score)
