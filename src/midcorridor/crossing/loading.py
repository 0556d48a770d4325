"""The cargo part of both MILPs: which class of cargo leaves on which departure and vessel.

A *slot* is one departure time and arrival time on one route (the arrival sets a unit's
lateness); a *carrier* is one vessel on a slot (in assignment mode each given sailing is a
slot with one carrier). Columns: ``x[k, slot]`` units of class ``k`` leaving on the slot (a
0/1 choice for a whole booking), and ``load[carrier, group]`` units of each (unit type,
dangerous) group on each vessel. Rows: a class carries at most its units; per slot and group
what classes load equals what vessels carry; per carrier the mixed load fits the deck
(``sum units / capacity <= 1``, or ``<= z`` when the carrier is a decision) and the dangerous-goods
limit. The objective counts, per unit, the cost of its departure minus the cost of leaving it
behind; the constant ``sum left-behind cost`` is the model's offset, so the objective is the
total cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from midcorridor.crossing.classes import CargoClass, Route, group_bookings, split_class
from midcorridor.crossing.model import UNIT_TYPES, Capacity, CrossingInstance
from midcorridor.crossing.objective import left_behind_cost, left_behind_time, unit_cost
from midcorridor.crossing.result import Assignment
from midcorridor.crossing.solver import INF, SparseModel

if TYPE_CHECKING:
    from collections.abc import Sequence


@dataclass(frozen=True)
class Slot:
    """One departure and arrival on one route, in hours."""

    route: Route
    departure: float
    arrival: float


@dataclass(frozen=True)
class Carrier:
    """Vessels on one slot; ``z`` is the column of the decision (how many of ``copies``
    identical vessels make it), or -1 when the sailing is given.
    """

    slot: int
    sailing: str
    capacity: Capacity
    dangerous_limit: int | None
    z: int = -1
    copies: int = 1


def group_of(unit_index: int, dangerous: bool) -> int:
    """The index of a unit type's group of cargo, dangerous goods apart from the rest."""
    return 2 * unit_index + int(dangerous)


@dataclass
class CargoColumns:
    """Where the cargo columns sit in the model, to read a solution or write a start."""

    classes: list[CargoClass]
    slots: Sequence[Slot]
    carriers: Sequence[Carrier]
    x: np.ndarray  # column per (class, slot) pair
    x_class: np.ndarray
    x_slot: np.ndarray
    x_mult: np.ndarray
    load: np.ndarray  # column per (carrier, group) pair
    load_carrier: np.ndarray
    load_group: np.ndarray

    def divisible(self) -> np.ndarray:
        """Columns that may be fractional in a relaxation: divisible classes' units and loads.

        For fixed voyages the cargo part is a transportation problem, integral except on
        mixed decks, so relaxing these columns loses little and the bound stays valid.
        """
        whole = np.array([c.whole for c in self.classes], dtype=bool)
        x_div = self.x[~whole[self.x_class]] if len(self.x) else self.x
        return np.concatenate([x_div, self.load]).astype(np.int64)

    def start(self, assignments: Sequence[Assignment], size: int) -> np.ndarray:
        """A start vector (length ``size``) reproducing ``assignments`` on the cargo columns."""
        vec = np.zeros(size)
        class_of = {b.id: k for k, c in enumerate(self.classes) for b in c.members}
        arc_of = {a.sailing: i for i, a in enumerate(self.carriers)}
        x_at = {(int(k), int(s)): int(c) for k, s, c in
                zip(self.x_class, self.x_slot, self.x, strict=True)}
        l_at = {(int(a), int(g)): int(c) for a, g, c in
                zip(self.load_carrier, self.load_group, self.load, strict=True)}
        for a in assignments:
            k, i = class_of[a.booking], arc_of[a.sailing]
            head = self.classes[k].head
            col = x_at[(k, self.carriers[i].slot)]
            vec[col] += 1.0 if head.whole else a.units
            g = group_of(UNIT_TYPES.index(head.unit_type), head.dangerous)
            vec[l_at[(i, g)]] += a.units
        return vec

    def assignments(self, values: np.ndarray) -> list[Assignment]:
        """Read per-booking assignments from a solution."""
        units = np.rint(values[self.x] * self.x_mult).astype(np.int64)
        loads = np.rint(values[self.load]).astype(np.int64)
        room: dict[tuple[int, int], list[list[int]]] = {}
        for a, g, n in zip(self.load_carrier, self.load_group, loads, strict=True):
            if n > 0:
                room.setdefault((self.carriers[a].slot, int(g)), []).append([int(a), int(n)])
        per_class: dict[int, list[tuple[str, float, int]]] = {}
        for k, s, n in zip(self.x_class, self.x_slot, units, strict=True):
            if n <= 0:
                continue
            head = self.classes[k].head
            g = group_of(UNIT_TYPES.index(head.unit_type), head.dangerous)
            rest = int(n)
            for entry in room.get((int(s), g), []):
                take = min(rest, entry[1])
                if take > 0:
                    per_class.setdefault(int(k), []).append(
                        (self.carriers[entry[0]].sailing, self.slots[s].departure, take))
                    entry[1] -= take
                    rest -= take
                if rest == 0:
                    break
        out: list[Assignment] = []
        for k, loads_k in per_class.items():
            out.extend(Assignment(b, s, n) for b, s, n in split_class(self.classes[k], loads_k))
        return out


def add_cargo(model: SparseModel, instance: CrossingInstance, slots: Sequence[Slot],
              carriers: Sequence[Carrier]) -> CargoColumns:
    """Add the cargo columns and rows of ``instance`` on ``slots`` and ``carriers``."""
    costs, horizon = instance.costs, instance.horizon_h
    t_left = left_behind_time(horizon, costs)
    by_route: dict[Route, list[int]] = {}
    for i in sorted(range(len(slots)), key=lambda i: (slots[i].departure, i)):
        by_route.setdefault(slots[i].route, []).append(i)
    departures = {r: [slots[i].departure for i in idx] for r, idx in by_route.items()}
    classes = group_bookings(instance.bookings, departures)
    carriers_of: dict[int, list[int]] = {}
    for i, carrier in enumerate(carriers):
        carriers_of.setdefault(carrier.slot, []).append(i)
    xk, xs = _options(classes, by_route, carriers, carriers_of)
    x_class = np.asarray(xk, dtype=np.int64)
    x_slot = np.asarray(xs, dtype=np.int64)
    mult = np.array([c.units if c.whole else 1 for c in classes], dtype=float)
    x_mult = mult[x_class] if len(x_class) else np.zeros(0)
    cost = np.empty(len(x_class))
    for j, (k, s) in enumerate(zip(xk, xs, strict=True)):  # against being left behind
        head, slot = classes[k].head, slots[s]
        cost[j] = mult[k] * (unit_cost(head, slot.departure, slot.arrival, costs)
                             - unit_cost(head, t_left, t_left, costs))
    upper = np.array([1.0 if c.whole else c.units for c in classes])
    x = model.add_columns(cost, 0.0, upper[x_class] if len(x_class) else np.zeros(0))
    model.offset += sum(b.units * left_behind_cost(b, horizon, costs) for b in instance.bookings)
    # each class carries at most its units
    rows = model.add_rows(-INF, np.array([c.units for c in classes], dtype=float), len(classes))
    model.add_entries(rows[x_class], x, x_mult)
    la, lg, lcap, lmax = _loads(carriers)
    load_carrier = np.asarray(la, dtype=np.int64)
    load_group = np.asarray(lg, dtype=np.int64)
    load = model.add_columns(np.zeros(len(la)), 0.0, np.asarray(lmax))
    # balance per (slot, group): classes loaded == vessels' loads
    class_group = np.array(
        [group_of(UNIT_TYPES.index(c.head.unit_type), c.head.dangerous) for c in classes],
        dtype=np.int64)
    slot_of_carrier = np.array([a.slot for a in carriers], dtype=np.int64)
    keys_x = x_slot * 6 + class_group[x_class] if len(x_class) else np.zeros(0, dtype=np.int64)
    keys_l = (slot_of_carrier[load_carrier] * 6 + load_group if len(la)
              else np.zeros(0, dtype=np.int64))
    uniq, inv = np.unique(np.concatenate([keys_x, keys_l]), return_inverse=True)
    bal = model.add_rows(0.0, 0.0, len(uniq))
    model.add_entries(bal[inv[: len(keys_x)]], x, x_mult)
    model.add_entries(bal[inv[len(keys_x):]], load, -1.0)
    # deck per carrier: sum load/cap <= 1 (or <= z)
    z_arc = np.array([a.z for a in carriers], dtype=np.int64)
    deck_hi = np.where(z_arc >= 0, 0.0, 1.0)
    deck = model.add_rows(-INF, deck_hi, len(carriers))
    model.add_entries(deck[load_carrier], load, 1.0 / np.asarray(lcap))
    decided = np.nonzero(z_arc >= 0)[0]
    model.add_entries(deck[decided], z_arc[decided], -1.0)
    _dangerous_rows(model, carriers, z_arc, la, lg, load)
    if len(decided):
        _strengthen(model, classes, carriers, carriers_of, x, x_class, x_slot, x_mult)
    return CargoColumns(classes, slots, carriers, x, x_class, x_slot, x_mult, load, load_carrier,
                        load_group)


def _options(
    classes: Sequence[CargoClass], by_route: dict[Route, list[int]], carriers: Sequence[Carrier],
    carriers_of: dict[int, list[int]],
) -> tuple[list[int], list[int]]:
    """The (class, slot) pairs a cargo class may load on: a slot of its route from its first
    departure on, with a carrier that takes its unit (a whole booking at once, and within the
    dangerous-goods limit if it is dangerous).
    """

    def usable(slot: int, cargo: CargoClass) -> bool:
        head = cargo.head
        need = head.units if head.whole else 1
        for a in carriers_of.get(slot, ()):
            limit = carriers[a].dangerous_limit
            if carriers[a].capacity.of(head.unit_type) >= need and (
                    not head.dangerous or limit is None or limit >= need):
                return True
        return False

    xk: list[int] = []
    xs: list[int] = []
    for k, cargo in enumerate(classes):
        for s in by_route.get(cargo.route, [])[cargo.first_departure:]:
            if usable(s, cargo):
                xk.append(k)
                xs.append(s)
    return xk, xs


def _loads(
    carriers: Sequence[Carrier],
) -> tuple[list[int], list[int], list[float], list[float]]:
    """The load columns: per carrier and group (unit type, dangerous or not) it can take, the
    carrier, the group, the deck's capacity in that unit and the most all its copies take.
    """
    la: list[int] = []
    lg: list[int] = []
    lcap: list[float] = []
    lmax: list[float] = []
    for i, carrier in enumerate(carriers):
        for u, unit in enumerate(UNIT_TYPES):
            cap = carrier.capacity.of(unit)
            if cap <= 0:
                continue
            for dangerous in (False, True):
                if dangerous and carrier.dangerous_limit == 0:
                    continue
                la.append(i)
                lg.append(group_of(u, dangerous))
                lcap.append(cap)
                lmax.append(cap * carrier.copies)
    return la, lg, lcap, lmax


def _dangerous_rows(
    model: SparseModel, carriers: Sequence[Carrier], z_arc: np.ndarray, la: list[int],
    lg: list[int], load: np.ndarray,
) -> None:
    """Dangerous goods per carrier within its limit (times its sailing decision ``z``)."""
    limited = [i for i, a in enumerate(carriers) if a.dangerous_limit is not None]
    if not limited:
        return
    lim = np.array([float(carriers[i].dangerous_limit or 0) for i in limited])
    zl = z_arc[limited]
    drow = model.add_rows(-INF, np.where(zl >= 0, 0.0, lim), len(limited))
    row_of = {a: r for a, r in zip(limited, drow, strict=True)}
    sel = [j for j, (a, g) in enumerate(zip(la, lg, strict=True)) if g % 2 == 1 and a in row_of]
    model.add_entries(np.array([row_of[la[j]] for j in sel], dtype=np.int64), load[sel], 1.0)
    dz = [(row_of[i], carriers[i].z, float(carriers[i].dangerous_limit or 0))
          for i in limited if carriers[i].z >= 0]
    if dz:
        r_, c_, v_ = zip(*dz, strict=True)
        model.add_entries(np.array(r_), np.array(c_), -np.array(v_))


def _strengthen(model: SparseModel, classes: list[CargoClass], carriers: Sequence[Carrier],
                carriers_of: dict[int, list[int]], x: np.ndarray, x_class: np.ndarray,
                x_slot: np.ndarray, x_mult: np.ndarray) -> None:
    """``units(k, slot) <= sum over voyages of min(units_k, capacity) * z``.

    Implied by the deck rows for integer ``z`` but much tighter in the LP relaxation (as in
    the strong formulation of facility location), which is what lets rotation mode close.
    """
    rows = model.add_rows(-INF, 0.0, len(x))
    model.add_entries(rows, x, x_mult)
    r_: list[int] = []
    c_: list[int] = []
    v_: list[float] = []
    for row, k, s in zip(rows, x_class, x_slot, strict=True):
        head = classes[k].head
        for a in carriers_of.get(int(s), ()):
            cap = carriers[a].capacity.of(head.unit_type)
            if cap > 0:
                r_.append(int(row))
                c_.append(carriers[a].z)
                v_.append(-float(min(classes[k].units, cap)))
    model.add_entries(np.asarray(r_, dtype=np.int64), np.asarray(c_, dtype=np.int64),
                      np.asarray(v_))
