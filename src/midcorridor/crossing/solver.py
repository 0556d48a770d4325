"""A sparse MILP built column by column with numpy and solved with HiGHS (highspy).

Large models are assembled as coordinate triplets and handed to ``passModel`` in one go:
building them through Python expressions would be far too slow.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import highspy
import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

INF = highspy.kHighsInf


@contextlib.contextmanager
def _stdout_to_stderr() -> Iterator[None]:
    """HiGHS prints its banner on stdout once per process; keep stdout clean for JSON."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        os.dup2(2, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


_banner_done = False


def silence_banner() -> None:
    """Create the process's first HiGHS instance with stdout sent to stderr.

    HiGHS prints its banner ("Running HiGHS ...") on stdout when the first instance of a
    process is created; doing that here keeps stdout clean for tables and JSON. Call it
    before anything else creates a ``highspy.Highs``.
    """
    global _banner_done
    if _banner_done:
        return
    try:
        with _stdout_to_stderr():
            highspy.Highs()
    except OSError:  # no real file descriptors (e.g. captured streams): nothing to protect
        highspy.Highs()
    _banner_done = True


def new_highs() -> highspy.Highs:
    """A quiet HiGHS instance."""
    silence_banner()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h


class SparseModel:
    """Columns, rows and coefficients of a MILP ``min c.x  s.t.  lo <= A x <= hi``."""

    def __init__(self) -> None:
        self._cost: list[np.ndarray] = []
        self._lo: list[np.ndarray] = []
        self._hi: list[np.ndarray] = []
        self._int: list[np.ndarray] = []
        self._rlo: list[np.ndarray] = []
        self._rhi: list[np.ndarray] = []
        self._r: list[np.ndarray] = []
        self._c: list[np.ndarray] = []
        self._v: list[np.ndarray] = []
        self.num_col = 0
        self.num_row = 0
        self.offset = 0.0

    def add_columns(self, cost: np.ndarray, lower: np.ndarray | float, upper: np.ndarray | float,
                    integer: bool = True) -> np.ndarray:
        """Add ``len(cost)`` columns; returns their indices."""
        n = len(cost)
        self._cost.append(np.asarray(cost, dtype=float))
        self._lo.append(np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy())
        self._hi.append(np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy())
        self._int.append(np.full(n, integer, dtype=bool))
        idx = np.arange(self.num_col, self.num_col + n)
        self.num_col += n
        return idx

    def add_rows(self, lower: np.ndarray | float, upper: np.ndarray | float, n: int) -> np.ndarray:
        """Add ``n`` rows with these bounds; returns their indices."""
        self._rlo.append(np.broadcast_to(np.asarray(lower, dtype=float), (n,)).copy())
        self._rhi.append(np.broadcast_to(np.asarray(upper, dtype=float), (n,)).copy())
        idx = np.arange(self.num_row, self.num_row + n)
        self.num_row += n
        return idx

    def copy(self) -> SparseModel:
        """A model with the same columns and rows; rows added to either stay its own."""
        other = SparseModel()
        for name in ("_cost", "_lo", "_hi", "_int", "_rlo", "_rhi", "_r", "_c", "_v"):
            setattr(other, name, list(getattr(self, name)))  # the arrays are never changed
        other.num_col, other.num_row, other.offset = self.num_col, self.num_row, self.offset
        return other

    def add_entries(self, rows: np.ndarray, cols: np.ndarray, values: np.ndarray | float) -> None:
        """Add coefficients at (``rows``, ``cols``) of the constraint matrix."""
        rows = np.asarray(rows, dtype=np.int64)
        self._r.append(rows)
        self._c.append(np.asarray(cols, dtype=np.int64))
        self._v.append(np.broadcast_to(np.asarray(values, dtype=float), rows.shape).copy())

    @property
    def cost(self) -> np.ndarray:
        """The objective coefficient of every column."""
        return np.concatenate(self._cost) if self._cost else np.zeros(0)

    def value(self, x: np.ndarray) -> float:
        """The objective of column values ``x`` (the offset included)."""
        return float(self.cost @ x) + self.offset

    @property
    def upper(self) -> np.ndarray:
        """The upper bound of every column."""
        return np.concatenate(self._hi) if self._hi else np.zeros(0)

    @property
    def lower(self) -> np.ndarray:
        """The lower bound of every column."""
        return np.concatenate(self._lo) if self._lo else np.zeros(0)

    def to_lp(self, relax: bool = False, fixed: np.ndarray | None = None,
              fixed_values: np.ndarray | None = None,
              continuous: np.ndarray | None = None) -> highspy.HighsLp:
        """The model as a HiGHS LP; ``fixed`` columns get both bounds set to ``fixed_values``;
        ``continuous`` columns lose their integrality (``relax``: all columns do).
        """
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = self.num_col, self.num_row
        lp.offset_ = self.offset
        lp.col_cost_ = self.cost
        lo, hi = self.lower, self.upper
        if fixed is not None and fixed_values is not None:
            lo[fixed] = fixed_values
            hi[fixed] = fixed_values
        lp.col_lower_, lp.col_upper_ = lo, hi
        lp.row_lower_ = np.concatenate(self._rlo) if self._rlo else np.zeros(0)
        lp.row_upper_ = np.concatenate(self._rhi) if self._rhi else np.zeros(0)
        r = np.concatenate(self._r) if self._r else np.zeros(0, dtype=np.int64)
        c = np.concatenate(self._c) if self._c else np.zeros(0, dtype=np.int64)
        v = np.concatenate(self._v) if self._v else np.zeros(0)
        order = np.lexsort((r, c))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.concatenate(
            [[0], np.cumsum(np.bincount(c, minlength=self.num_col))]).astype(np.int32)
        lp.a_matrix_.index_ = r[order].astype(np.int32)
        lp.a_matrix_.value_ = v[order]
        if not relax:
            integer = np.concatenate(self._int) if self._int else np.zeros(0, dtype=bool)
            if continuous is not None:
                integer[continuous] = False
            lp.integrality_ = [
                highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous
                for i in integer
            ]
        return lp


@dataclass(frozen=True)
class Outcome:
    """What HiGHS reported: status, objective, best bound, column values, time."""

    status: str
    objective: float
    bound: float
    values: np.ndarray | None
    seconds: float

    @property
    def has_solution(self) -> bool:
        """Whether HiGHS returned column values."""
        return self.values is not None


class Relaxation:
    """An LP kept in HiGHS: rows are added and it is solved again from its last basis."""

    def __init__(self, lp: highspy.HighsLp, method: str | None = None) -> None:
        self._h = new_highs()
        if method:
            self._h.setOptionValue("solver", method)
        self._h.passModel(lp)
        self.rows = 0

    def run(self, time_limit: float) -> Outcome:
        """Solve (the first time with ``method``, then by simplex from the last basis)."""
        started = time.perf_counter()
        self._h.setOptionValue("time_limit", float(max(time_limit, 0.1)))
        self._h.run()
        self._h.setOptionValue("solver", "simplex")
        status = self._h.modelStatusToString(self._h.getModelStatus())
        info = self._h.getInfo()
        has = info.primal_solution_status == 2
        values = np.asarray(self._h.getSolution().col_value, dtype=float) if has else None
        objective = float(info.objective_function_value) if has else float("inf")
        bound = objective if status == "Optimal" else -float("inf")
        return Outcome(status, objective, bound, values, time.perf_counter() - started)

    def add_row(self, upper: float, columns: np.ndarray, coefs: np.ndarray) -> None:
        """Add the row ``sum coefs * columns <= upper``."""
        self._h.addRow(-INF, float(upper), len(columns), np.asarray(columns, dtype=np.int32),
                       np.asarray(coefs, dtype=float))
        self.rows += 1


def _subscribe(h: highspy.Highs, num_col: int,
               offers: Callable[[], np.ndarray | None] | None,
               found: Callable[[np.ndarray], None] | None,
               interrupt: Callable[[], bool] | None) -> None:
    """Connect a MILP solve's callbacks: solutions offered from elsewhere, each better
    incumbent found, and the question whether to stop.
    """
    if offers is not None:
        def offer(event: highspy.HighsCallbackEvent) -> None:
            found = offers()
            if found is not None and event.data_in is not None:
                event.data_in.setSolution(np.asarray(found, dtype=float))
        h.cbMipUserSolution.subscribe(offer)
    if found is not None:
        def improved(event: highspy.HighsCallbackEvent) -> None:
            values = np.asarray(event.data_out.mip_solution, dtype=float)
            if len(values) == num_col:
                found(values.copy())
        h.cbMipImprovingSolution.subscribe(improved)
    if interrupt is not None:
        def stop(event: highspy.HighsCallbackEvent) -> None:
            if interrupt():
                event.interrupt()
        h.cbMipInterrupt.subscribe(stop)


def solve(lp: highspy.HighsLp, *, start: np.ndarray | None = None, time_limit: float = 60.0,
          mip_gap: float = 1e-4, threads: int | None = None,
          method: str | None = None, heuristic_effort: float | None = None,
          offers: Callable[[], np.ndarray | None] | None = None,
          found: Callable[[np.ndarray], None] | None = None,
          interrupt: Callable[[], bool] | None = None) -> Outcome:
    """Solve ``lp`` (an LP or MILP) with HiGHS, warm-started from ``start`` when given;
    ``method`` picks HiGHS's LP solver ("simplex", "ipm"), ``heuristic_effort`` the share
    of a MILP's work HiGHS gives its primal heuristics (its default: 0.05). While a MILP
    is solved, HiGHS
    asks ``offers`` from time to time for a solution found elsewhere (``None``: nothing
    new) and takes it as its incumbent when it is feasible and better; each better
    incumbent it finds goes to ``found`` (column values of ``lp``) as it comes. When
    ``interrupt()`` says so, HiGHS stops (status "Interrupted by user") with the best
    solution it has.
    """
    started = time.perf_counter()
    h = new_highs()
    h.setOptionValue("time_limit", float(max(time_limit, 0.1)))
    h.setOptionValue("mip_rel_gap", float(mip_gap))
    if threads:
        h.setOptionValue("threads", int(threads))
    if method:
        h.setOptionValue("solver", method)
    if heuristic_effort is not None:
        h.setOptionValue("mip_heuristic_effort", float(heuristic_effort))
    h.passModel(lp)
    is_mip = len(lp.integrality_) > 0
    if start is not None and is_mip:
        solution = highspy.HighsSolution()
        solution.col_value = list(map(float, start))
        solution.value_valid = True
        h.setSolution(solution)
    if is_mip:
        _subscribe(h, lp.num_col_, offers, found, interrupt)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    has = info.primal_solution_status == 2  # kSolutionStatusFeasible
    values = np.asarray(h.getSolution().col_value, dtype=float) if has else None
    objective = float(info.objective_function_value) if has else float("inf")
    if is_mip:
        bound = float(info.mip_dual_bound)
    else:
        bound = objective if status == "Optimal" else -float("inf")
    return Outcome(status, objective, bound, values, time.perf_counter() - started)
