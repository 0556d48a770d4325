"""Field types, enums and codes the resources share, and how a validation error is told."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    Strict,
    StringConstraints,
    ValidationError,
)

from midcorridor import iso6346
from midcorridor.errors import InputError

# UN/LOCODE-like place ids: country + three letters/digits (e.g. KZAAU Aktau, AZBAK Baku).
Locode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}[A-Z0-9]{3}$")]
# Planned legs may pass through network nodes that are not LOCODEs (e.g. sea waypoints).
NodeId = Annotated[str, StringConstraints(pattern=r"^[A-Z0-9][A-Za-z0-9_.-]{1,9}$")]
Text100 = Annotated[str, StringConstraints(max_length=100)]


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first problem of a failed validation: the field's dotted path (may be empty) and
    what is wrong with it.
    """
    first = exc.errors()[0]
    return ".".join(str(p) for p in first["loc"]), first["msg"]



def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("holds a NUL character (%00), which no stored text can match; remove it")
    return value


# Text searched for in the database (PostgreSQL text can never hold a NUL character).
SearchText = Annotated[str, StringConstraints(max_length=100), AfterValidator(_no_nul)]
# Numbers are JSON numbers: ``true`` is not 1 and ``"5"`` is not 5 (strict, no coercion).
# Database ids fit a 32-bit signed integer on every backend.
Id = Annotated[int, Strict(), Field(ge=1, le=2**31 - 1)]
Flag = Annotated[bool, Strict()]

# Every timestamp the service stores or plans with lies in these years (UTC): enough for any
# real shipment, and far from the ends of the datetime range, so offsets and delays added to
# it can never overflow.
FIRST_YEAR, LAST_YEAR = 2000, 2099


def _in_service_years(value: datetime) -> datetime:
    try:
        year = value.astimezone(UTC).year
    except OverflowError:  # e.g. 0001-01-01T00:00:00+14:00 is before year 1 in UTC
        year = 0
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"must be between the years {FIRST_YEAR} and {LAST_YEAR} (UTC)")
    return value


Instant = Annotated[AwareDatetime, AfterValidator(_in_service_years)]
# A planned route longer than this is a typing error, not a plan.
MAX_PLAN_DAYS = 366
ClientEventId = Annotated[
    str, StringConstraints(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:/-]+$")
]


class OrgKind(StrEnum):
    """What kind of organization an account belongs to."""

    shipper = "shipper"
    forwarder = "forwarder"
    operator = "operator"
    coordinator = "coordinator"


class EventType(StrEnum):
    """The event classes of the track-and-trace feed."""

    TRANSPORT = "TRANSPORT"
    EQUIPMENT = "EQUIPMENT"
    SHIPMENT = "SHIPMENT"


# DCSA Track & Trace event type codes per event type.
EVENT_CODES: dict[EventType, frozenset[str]] = {
    EventType.TRANSPORT: frozenset({"ARRI", "DEPA"}),
    EventType.EQUIPMENT: frozenset({"LOAD", "DISC", "GTIN", "GTOT", "STUF", "STRP", "INSP"}),
    # SUBM = lodged/submitted, HOLD, RELS = released, ISSU = issued, RECE = received.
    EventType.SHIPMENT: frozenset({"RECE", "SUBM", "HOLD", "RELS", "ISSU", "CONF"}),
}
DOCUMENT_TYPES = frozenset({"CUS", "BOL", "SMG", "CIM", "CMR", "INV", "PKL", "SWB"})
MODES = ("rail", "road", "sea", "ferry")


def normalize_container(value: str) -> str:
    """A container number in its ISO 6346 form, or a validation error saying what is wrong."""
    try:
        return iso6346.normalize(value)
    except InputError as exc:
        raise ValueError(str(exc)) from None


