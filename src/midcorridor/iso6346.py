"""ISO 6346 container numbers: owner code, category, serial number and check digit."""

from __future__ import annotations

import re

from midcorridor.errors import InputError

_PATTERN = re.compile(r"^[A-Z]{3}[UJZR][0-9]{6}[0-9]$")


def _letter_values() -> dict[str, int]:
    # Letters count from 10 upwards, skipping multiples of 11 (11, 22, 33).
    values: dict[str, int] = {}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


_VALUES = _letter_values()


def check_digit(first_ten: str) -> int:
    """The check digit of the first ten characters (owner, category, serial).

    >>> check_digit("CSQU305438")
    3
    """
    total = sum(
        (_VALUES[c] if c.isalpha() else int(c)) << i for i, c in enumerate(first_ten.upper())
    )
    return total % 11 % 10


def is_valid(number: str) -> bool:
    """Whether ``number`` is a well-formed container number with the right check digit."""
    number = number.strip().upper()
    return bool(_PATTERN.match(number)) and check_digit(number[:10]) == int(number[10])


def normalize(number: str) -> str:
    """The number in upper case without spaces, or :class:`InputError` saying what is wrong."""
    cleaned = number.replace(" ", "").replace("-", "").upper()
    if not _PATTERN.match(cleaned):
        raise InputError(
            f"container number {number!r} must be 3 letters, a category letter (U, J, Z or R) "
            "and 7 digits, e.g. CSQU3054383"
        )
    expected = check_digit(cleaned[:10])
    if expected != int(cleaned[10]):
        raise InputError(
            f"container number {number!r} has check digit {cleaned[10]}, expected {expected}"
        )
    return cleaned
