"""Backlog inequalities: cargo that whole voyages cannot carry in time waits.

On one route and one unit type, take the route's departures in time order and a window of
them, from the ``i``-th to the ``j``-th. The ``D`` units ready for a departure in the window
can leave by the ``j``-th departure only on the window's voyages, each carrying at most its
deck ``cap`` of that type; cargo ready earlier can only take room from them. So the backlog
after the ``j``-th departure (units ready by then and not yet gone) obeys

    backlog_j + sum over the window's class voyages of cap * z >= D,

with ``z`` the whole number of vessels making each voyage. The LP relaxation meets it with a
fraction of a voyage, which is how it lets cargo leave the moment it is ready (a lot-sizing
relaxation). The mixed-integer rounding of the row, for a divisor ``delta`` (a deck size of
the route), with ``beta = D / delta`` and ``f`` its fractional part, is valid for whole
voyages and cuts that off:

    backlog_j / delta + sum F(cap / delta) * z >= f * ceil(beta),
    F(a) = f * floor(a) + min(a - floor(a), f)

(Marchand and Wolsey's MIR for a row ``s + sum a_k y_k >= b`` with ``s >= 0`` continuous and
``y`` whole). With one deck size it reads: the backlog is at least ``r * (ceil(D / cap) - z)``
with ``r`` the units of the last, partial deck. The backlog is written with the cargo
columns (``ready by j`` minus ``left by j``), so a cut is one row of the model. Cuts are
separated from an LP solution: the most violated window per last departure and divisor.

Mixing cuts: the windows ending at the same departure ``j`` share one backlog, and each
rounds up on its own. Counting each voyage as ``w = ceil(cap / delta)`` decks of the divisor
(at least what it carries), window ``k`` needs ``y_k = sum w * z`` whole decks against
``beta_k = D_k / delta``: ``backlog_j / delta + y_k >= beta_k``. For a chain of windows taken
by rising fractional part ``f_k``, Günlük and Pochet's mixing inequality

    backlog_j / delta >= sum over the chain of (f_k - f_(k-1)) * (ceil(beta_k) - y_k),
    f_0 = 0,

holds for whole voyages. A chain of one window is the MIR cut above; a longer chain adds up
what each window's rounding leaves out, which one window alone cannot: on the generated
14-day instance of seed 4 the backlog cuts raise the LP from 299,149 to 301,194, the two
families together to 303,878. The chain cutting an LP solution off most is a longest path
over the windows sorted by ``f``.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from midcorridor.crossing.model import UNIT_TYPES, UnitType

if TYPE_CHECKING:
    from collections.abc import Sequence

    from midcorridor.crossing.loading import CargoColumns

TOLERANCE = 1e-3  # units of violation below which a cut is not worth a row


@dataclass(frozen=True)
class Series:
    """Cargo and voyages of one route and unit type, by position of its departures."""

    x: np.ndarray  # cargo columns of the route's classes of this type
    x_mult: np.ndarray  # units per unit of column
    x_pos: np.ndarray  # position of each column's departure
    ready: np.ndarray  # units whose first possible departure is at each position
    z: np.ndarray  # class-voyage columns able to carry the type
    z_cap: np.ndarray  # the deck (units of this type) of one vessel of each
    z_pos: np.ndarray  # position of each voyage's departure


@dataclass(frozen=True)
class Cut:
    """A row ``sum coef * column <= upper``."""

    columns: np.ndarray
    coefs: np.ndarray
    upper: float
    violation: float  # in units, at the solution it was separated from


def mir_coefficient(a: float, f: float) -> float:
    """``F(a) = f * floor(a) + min(frac(a), f)``: the MIR coefficient of a whole variable."""
    fl = math.floor(a + 1e-9)
    return f * fl + min(max(a - fl, 0.0), f)


def series_of(cargo: CargoColumns) -> list[Series]:
    """The series of every route that has cargo and voyages able to carry it.

    One series per unit type, and one per deck that carries several unit types the route has
    cargo of, counting in shares of that deck (a unit of type ``u`` weighs ``1 / cap_u``; a
    voyage then carries at most ``max_u cap'_u / cap_u`` decks, ``cap'`` its own deck), which
    sees the batching of a mixed deck that the single types miss.
    """
    by_route: dict[tuple[str, str], list[int]] = {}
    for i in sorted(range(len(cargo.slots)), key=lambda i: (cargo.slots[i].departure, i)):
        by_route.setdefault(cargo.slots[i].route, []).append(i)
    carrier_slot = np.array([a.slot for a in cargo.carriers], dtype=np.int64)
    out: list[Series] = []
    for route, slots in by_route.items():
        on_route = {a.slot for a in cargo.carriers} & set(slots)
        types = {c.head.unit_type for c in cargo.classes if c.route == route}
        weightings = [{u: 1.0} for u in UNIT_TYPES if u in types]
        decks = {a.capacity for a in cargo.carriers if a.slot in on_route and a.z >= 0}
        for deck in sorted(decks, key=lambda d: (d.railcar, d.teu, d.truck)):
            mixed = {u: 1.0 / deck.of(u) for u in UNIT_TYPES if u in types and deck.carries(u)}
            if len(mixed) > 1 and mixed not in weightings:
                weightings.append(mixed)
        for weights in weightings:
            series = _series(cargo, route, slots, carrier_slot, weights)
            if series is not None:
                out.append(series)
    return out


def _series(cargo: CargoColumns, route: tuple[str, str], slots: list[int],
            carrier_slot: np.ndarray, weights: dict[UnitType, float]) -> Series | None:
    """The series of ``route`` counting a unit of type ``u`` as ``weights[u]``."""
    pos_of = np.full(len(cargo.slots), -1, dtype=np.int64)
    pos_of[slots] = np.arange(len(slots))
    departures = [cargo.slots[i].departure for i in slots]
    caps = np.array([max((w * a.capacity.of(u) for u, w in weights.items()), default=0.0)
                     if a.z >= 0 else 0.0 for a in cargo.carriers])
    carriers = np.nonzero((pos_of[carrier_slot] >= 0) & (caps > 0))[0]
    weight = np.array([weights.get(c.head.unit_type, 0.0) if c.route == route else 0.0
                       for c in cargo.classes])
    mine = np.nonzero(weight > 0)[0]
    if not len(carriers) or not len(mine):
        return None
    ready = np.zeros(len(slots))
    for k in mine:
        first = bisect.bisect_left(departures, cargo.classes[k].head.ready - 1e-9)
        if first < len(slots):
            ready[first] += weight[k] * cargo.classes[k].units
    cols = np.nonzero(weight[cargo.x_class] > 0)[0]
    return Series(cargo.x[cols], cargo.x_mult[cols] * weight[cargo.x_class[cols]],
                  pos_of[cargo.x_slot[cols]], ready,
                  np.array([cargo.carriers[int(a)].z for a in carriers]),
                  caps[carriers], pos_of[carrier_slot[carriers]])


def _backlogs(s: Series, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per position of ``s``: the units ready by then, and those of them not yet gone."""
    left = np.cumsum(np.bincount(s.x_pos, weights=values[s.x] * s.x_mult,
                                 minlength=len(s.ready)))
    ready = np.cumsum(s.ready)
    return ready, np.maximum(ready - left, 0.0)


def _row(columns: np.ndarray, coefs: np.ndarray, upper: float, violation: float) -> Cut:
    """The cut ``sum coefs * columns <= upper``, a column listed twice counted once."""
    uniq, inv = np.unique(columns.astype(np.int64), return_inverse=True)
    return Cut(uniq, np.bincount(inv, weights=coefs, minlength=len(uniq)), upper, violation)


def separate(series: Sequence[Series], values: np.ndarray, *, limit: int = 2000) -> list[Cut]:
    """Backlog cuts violated by ``values``, the ``limit`` most violated.

    Per series and last departure, the most violated window and divisor.
    """
    cuts: list[Cut] = []
    for s in series:
        n = len(s.ready)
        ready, backlog = _backlogs(s, values)
        sizes = np.unique(s.z_cap)
        # voyages of each deck size made up to each position (prefix sums), per size
        made = np.zeros((len(sizes), n + 1))
        for i, cap in enumerate(sizes):
            sel = s.z_cap == cap
            made[i, 1:] = np.cumsum(np.bincount(s.z_pos[sel], weights=values[s.z[sel]],
                                                minlength=n))
        for j in range(n):
            if s.ready[: j + 1].sum() <= 0:
                continue
            # D for the windows i..j, i = 0..j: units ready in the window
            demand = ready[j] - np.concatenate([[0.0], ready[:j]])
            window = made[:, j + 1][:, None] - made[:, : j + 1]  # sizes x windows
            best: tuple[float, int, float, float] | None = None
            for delta in sizes:
                beta = demand / delta
                f = beta - np.floor(beta)
                ok = (demand > 0) & (f > 1e-3)
                if not ok.any():
                    continue
                a = sizes / delta
                fl = np.floor(a + 1e-9)
                coef = f[None, :] * fl[:, None] + np.minimum((a - fl)[:, None], f[None, :])
                lhs = backlog[j] / delta + (coef * window).sum(axis=0)
                viol = np.where(ok, (f * np.ceil(beta) - lhs) * delta, -np.inf)
                i = int(np.argmax(viol))
                if viol[i] > TOLERANCE and (best is None or viol[i] > best[0]):
                    best = (float(viol[i]), i, float(delta), float(f[i]))
            if best is None:
                continue
            violation, i, delta, f = best
            beta = (ready[j] - (ready[i - 1] if i else 0.0)) / delta
            cuts.append(_cut(s, i, j, delta, f, math.ceil(beta - 1e-9), ready[j], violation))
    cuts.sort(key=lambda c: -c.violation)
    return cuts[:limit]


def _cut(s: Series, i: int, j: int, delta: float, f: float, ceil_beta: int, ready: float,
         violation: float) -> Cut:
    """``left by j - delta * sum F(cap / delta) z <= ready by j - delta * f * ceil(beta)``."""
    xs = s.x_pos <= j
    zs = (s.z_pos >= i) & (s.z_pos <= j)
    zcoef = np.array([-delta * mir_coefficient(c / delta, f) for c in s.z_cap[zs]])
    return _row(np.concatenate([s.x[xs], s.z[zs]]), np.concatenate([s.x_mult[xs], zcoef]),
                float(ready - delta * f * ceil_beta), violation)


def separate_mixing(series: Sequence[Series], values: np.ndarray, *,
                    limit: int = 2000) -> list[Cut]:
    """Mixing cuts violated by ``values`` (the ``limit`` most violated): per series, last
    departure and divisor, the chain of windows that cuts ``values`` off most, if it has
    at least two windows (one window is the MIR cut, which :func:`separate` finds).
    """
    cuts: list[Cut] = []
    for s in series:
        n = len(s.ready)
        ready, backlog = _backlogs(s, values)
        for delta in np.unique(s.z_cap):
            weight = np.ceil(s.z_cap / delta - 1e-9)
            made = np.zeros(n + 1)
            made[1:] = np.cumsum(np.bincount(s.z_pos, weights=values[s.z] * weight,
                                             minlength=n))
            for j in range(n):
                demand = ready[j] - np.concatenate([[0.0], ready[:j]])
                beta = demand / delta
                need = np.ceil(beta - 1e-9)
                f = beta - np.floor(beta)
                short = need - (made[j + 1] - made[: j + 1])
                windows = np.nonzero((demand > 0) & (f > 1e-3) & (short > 1e-6))[0]
                if len(windows) < 2:
                    continue
                chain, gain = best_chain(f[windows], short[windows])
                violation = (gain - backlog[j] / delta) * delta
                if len(chain) < 2 or violation <= TOLERANCE:
                    continue
                picked = windows[chain]
                cuts.append(_mixing_cut(s, picked, j, float(delta), f[picked], need[picked],
                                        weight, ready[j], float(violation)))
    cuts.sort(key=lambda c: -c.violation)
    return cuts[:limit]


def best_chain(f: np.ndarray, short: np.ndarray) -> tuple[list[int], float]:
    """The windows (indices, by rising ``f``) maximising ``sum (f_k - f_(k-1)) * short_k``
    (``f_0 = 0``), and that sum: a longest path over the windows sorted by ``f``.
    """
    order = np.argsort(f, kind="stable")
    fs, us = f[order], short[order]
    best = fs * us
    before = np.full(len(fs), -1)
    for k in range(1, len(fs)):
        steps = best[:k] + (fs[k] - fs[:k]) * us[k]
        steps[fs[:k] >= fs[k]] = -np.inf
        i = int(np.argmax(steps))
        if steps[i] > best[k]:
            best[k], before[k] = steps[i], i
    k = int(np.argmax(best))
    gain = float(best[k])
    chain: list[int] = []
    while k >= 0:
        chain.append(int(order[k]))
        k = int(before[k])
    return chain[::-1], gain


def _mixing_cut(s: Series, windows: np.ndarray, j: int, delta: float, f: np.ndarray,
                need: np.ndarray, weight: np.ndarray, ready: float, violation: float) -> Cut:
    """``left by j - delta * sum_k (f_k - f_(k-1)) * sum over window k of w * z
    <= ready by j - delta * sum_k (f_k - f_(k-1)) * need_k``, windows ``i_k..j`` by rising
    ``f``, ``w = ceil(cap / delta)``.
    """
    rise = np.diff(np.concatenate([[0.0], f]))
    xs = s.x_pos <= j
    zs = s.z_pos <= j
    # a voyage at position p lies in every window starting at or before p
    share = np.array([rise[windows <= p].sum() for p in s.z_pos[zs]])
    zcoef = -delta * weight[zs] * share
    keep = zcoef < 0
    return _row(np.concatenate([s.x[xs], s.z[zs][keep]]),
                np.concatenate([s.x_mult[xs], zcoef[keep]]),
                float(ready - delta * float(rise @ need)), violation)
