"""Shipment search: by reference or container number, status and corridor family.

A shipment's *corridor family* is decided from its planned legs with the planner's rules
(``midcorridor.routing.corridors``), on places rather than links because a leg may span
several links:

* **Middle** when a sea or ferry leg has both ends on the Caspian;
* **Northern** otherwise, when a leg has an end in Russia or Belarus;
* **Sea** otherwise, when a sea leg has an end outside the inland waters (the Caspian, the
  Black Sea and the Sea of Marmara);
* **Direct** otherwise.

The same rules run in the database (:func:`where`, for filtering and paging there) and in
Python (:func:`family_of_legs`, for the shape served).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, Protocol

from sqlalchemy import ColumnElement, Select, and_, exists, func, not_, or_, select

from midcorridor.network.model import Sea
from midcorridor.network.seas import WATER_MODES
from midcorridor.routing.corridors import INLAND_WATERS, NORTHERN_COUNTRIES
from midcorridor.service.db.models import Container, Leg, Shipment
from midcorridor.service.planning import network

Family = Literal["Middle", "Northern", "Sea", "Direct"]
FAMILIES: tuple[Family, ...] = ("Middle", "Northern", "Sea", "Direct")
STATUSES = ("planned", "in_transit", "arrived")


class PlannedPlace(Protocol):
    """A planned leg as the rules see it (a stored leg or a leg of a request)."""

    origin: str
    destination: str
    mode: str


@dataclass(frozen=True)
class Places:
    """The node ids each rule looks at."""

    caspian: frozenset[str]
    northern: frozenset[str]
    inland: frozenset[str]


@lru_cache(maxsize=8)
def places(data: str) -> Places:
    """The node ids each rule looks at, in the service's network of the data folder ``data``
    (:attr:`Settings.data <midcorridor.service.settings.Settings.data>`; read once per folder).
    """
    nodes = network(data).nodes.values()
    inland = frozenset().union(*INLAND_WATERS)
    return Places(
        caspian=frozenset(n.id for n in nodes if n.sea is Sea.CASPIAN),
        northern=frozenset(n.id for n in nodes if n.country in NORTHERN_COUNTRIES),
        inland=frozenset(n.id for n in nodes if n.sea in inland),
    )


WATER = tuple(m.value for m in WATER_MODES)


def family_of_legs(legs: Sequence[PlannedPlace], data: str) -> Family:
    """The corridor family of a shipment with these planned legs, on the places of the data
    folder ``data``.
    """
    p = places(data)
    if any(g.mode in WATER and g.origin in p.caspian and g.destination in p.caspian
           for g in legs):
        return "Middle"
    if any(g.origin in p.northern or g.destination in p.northern for g in legs):
        return "Northern"
    if any(g.mode == "sea" and not (g.origin in p.inland and g.destination in p.inland)
           for g in legs):
        return "Sea"
    return "Direct"


def _has_leg(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    return exists(select(Leg.id).where(Leg.shipment_id == Shipment.id, condition))


def _family_conditions(data: str) -> dict[str, ColumnElement[bool]]:
    p = places(data)
    middle = _has_leg(and_(Leg.mode.in_(WATER), Leg.origin.in_(sorted(p.caspian)),
                           Leg.destination.in_(sorted(p.caspian))))
    northern = _has_leg(or_(Leg.origin.in_(sorted(p.northern)),
                            Leg.destination.in_(sorted(p.northern))))
    sea = _has_leg(and_(Leg.mode == "sea", not_(and_(Leg.origin.in_(sorted(p.inland)),
                                                         Leg.destination.in_(sorted(p.inland))))))
    return {
        "Middle": middle,
        "Northern": and_(not_(middle), northern),
        "Sea": and_(not_(middle), not_(northern), sea),
        "Direct": and_(not_(middle), not_(northern), not_(sea)),
    }


@dataclass(frozen=True)
class ShipmentSearch:
    """What the caller looks for; empty fields match everything."""

    q: str = ""
    status: str = ""
    corridor: str = ""


def where(query: Select[Any], search: ShipmentSearch, data: str) -> Select[Any]:
    """``query`` narrowed to the shipments that match ``search`` (corridor families on the
    places of the data folder ``data``).
    """
    text = search.q.strip()
    if text:
        like = f"%{_escape(text.upper())}%"
        in_containers = exists(select(Container.id).where(
            Container.shipment_id == Shipment.id,
            func.upper(Container.number).like(like, escape="\\")))
        query = query.where(or_(func.upper(Shipment.reference).like(like, escape="\\"),
                                in_containers))
    if search.status:
        query = query.where(Shipment.status == search.status)
    if search.corridor:
        query = query.where(_family_conditions(data)[search.corridor])
    return query


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
