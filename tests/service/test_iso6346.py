"""ISO 6346 container numbers: check digits, normalization and errors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from midcorridor import iso6346
from midcorridor.errors import InputError


@pytest.mark.parametrize("number", ["CSQU3054383", "MSKU9070323", "CSQU 305438 3"])
def test_published_numbers_are_valid(number: str) -> None:
    """Container numbers printed on real boxes pass, with spaces tolerated."""
    assert iso6346.normalize(number) == number.replace(" ", "")


@pytest.mark.parametrize(("number", "hint"), [
    ("CSQU3054384", "expected 3"), ("CSQ3054383", "3 letters"), ("CSQX3054383", "category"),
])
def test_bad_numbers_say_what_is_wrong(number: str, hint: str) -> None:
    """A wrong check digit or shape raises InputError naming the problem."""
    with pytest.raises(InputError, match=hint):
        iso6346.normalize(number)


@settings(max_examples=200, deadline=None)
@given(owner=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3),
       category=st.sampled_from("UJZ"), serial=st.integers(0, 999_999),
       wrong=st.integers(1, 9))
def test_check_digit_round_trip(owner: str, category: str, serial: int, wrong: int) -> None:
    """A number completed with its check digit is valid; any other last digit is not."""
    first = f"{owner}{category}{serial:06d}"
    digit = iso6346.check_digit(first)
    assert iso6346.is_valid(first + str(digit))
    assert not iso6346.is_valid(first + str((digit + wrong) % 10))
