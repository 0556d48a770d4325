"""Folding near-duplicate options: hand-worked cases and invariants over random option sets."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from midcorridor.routing import Leg, RouteOption
from midcorridor.routing.distinct import MAX_OPTIONS, fold, fold_beside

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def _option(hours: float, usd: float, co2: float, way: tuple[str, ...] = ("A", "B"),
            mode: str = "rail", service: str | None = None) -> RouteOption:
    legs = tuple(Leg(a, b, mode, T0, T0, 1.0, 0.0, 0.0, 0.0, 0.0, f"{a}-{b}", service)
                 for a, b in zip(way, way[1:], strict=False))
    return RouteOption("x", hours, usd, co2, 0, 0, legs)


def test_same_way_with_another_train_is_folded() -> None:
    """The same places by the same mode on another train: one row standing for two."""
    a = _option(100, 1000, 500, service="T1")
    b = _option(130, 900, 520, service="T2")
    kept, hidden = fold([a, b])
    assert len(kept) == 1
    assert kept[0].alternatives == 1
    assert hidden == 0
    assert kept[0].total_hours == 100  # the better-ranked one is kept


def test_same_places_by_another_mode_is_not_folded() -> None:
    """Road and rail between the same places are two ways."""
    kept, _ = fold([_option(100, 1000, 500), _option(50, 2000, 900, mode="road")])
    assert len(kept) == 2


def test_within_two_percent_on_all_three_is_folded() -> None:
    """1.9 % apart on every criterion folds; 2.5 % on one of them does not."""
    a = _option(100, 1000, 500, way=("A", "B"))
    close = _option(101.9, 1019, 509.5, way=("A", "C", "B"))
    apart = _option(101.9, 1025, 509.5, way=("A", "D", "B"))
    kept, _ = fold([a, close, apart])
    assert [k.alternatives for k in kept] == [1, 0]


def test_six_at_most_keeping_the_extremes() -> None:
    """Ten distinct options: six shown, four hidden, the cheapest and cleanest among them."""
    options = [_option(100 + 10 * i, 5000 - 100 * i * i, 900 - (50 if i == 7 else 0) - i,
                       way=("A", f"N{i}", "B")) for i in range(10)]
    kept, hidden = fold(options)
    assert len(kept) == MAX_OPTIONS
    assert hidden == 4
    assert min(options, key=lambda o: o.cost_usd) in kept
    assert min(options, key=lambda o: o.co2e_kg) in kept
    assert kept[0] is options[0]


def test_family_rows_count_within_the_six() -> None:
    """Six distinct Middle options and a dominated Sea row beside them: five are kept, one is
    hidden, and the plan's rows stay at six; without the Sea row all six are kept."""
    options = [replace(_option(100 + 10 * i, 5000 - 100 * i * i, 900 - i,
                               way=("A", f"N{i}", "B")), family="Middle") for i in range(6)]
    sea = replace(_option(900, 9000, 990, way=("A", "S", "B"), mode="sea"), family="Sea",
                  pareto=False)
    kept, hidden = fold_beside(options, [options[0], sea])
    assert len(kept) == MAX_OPTIONS - 1
    assert hidden == 1
    assert min(options, key=lambda o: o.cost_usd) in kept
    assert min(options, key=lambda o: o.co2e_kg) in kept
    kept, hidden = fold_beside(options, [options[0]])
    assert len(kept) == MAX_OPTIONS
    assert hidden == 0


values = st.floats(10.0, 1000.0)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(values, values, values, st.integers(0, 3)), min_size=1, max_size=15))
def test_every_option_is_shown_or_accounted_for(rows: list) -> None:
    """Rows + folded + hidden = options; nothing shown nearly repeats an earlier row; at most
    six rows; with no limit, nothing is hidden."""
    options = [_option(h, c, e, way=("A", f"N{w}", "B")) for h, c, e, w in rows]
    for limit in (MAX_OPTIONS, None):
        kept, hidden = fold(options, limit)
        assert len(kept) + sum(k.alternatives for k in kept) + hidden == len(options)
        assert limit is None and hidden == 0 or len(kept) <= MAX_OPTIONS
        for i, k in enumerate(kept):
            for earlier in kept[:i]:
                same_way = [leg.destination for leg in k.legs] == [
                    leg.destination for leg in earlier.legs]
                close = all(abs(x - y) <= 0.02 * max(x, y) for x, y in (
                    (k.total_hours, earlier.total_hours), (k.cost_usd, earlier.cost_usd),
                    (k.co2e_kg, earlier.co2e_kg)))
                assert not same_way
                assert not close
