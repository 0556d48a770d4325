"""Who may do what: roles, the principal behind a token, and the access rules.

Rules: shippers and forwarders read only their organization's shipments; an operator reads
shipments whose route touches its places and reports events only at its places (its segment);
a
coordinator reads aggregates but no shipment; the platform admin manages accounts and may read
everything. A Caspian vessel's own call (an event without a shipment) is reported by an
operator whose places include the port (its port authority, the lines calling there), by the
coordinator or by the admin. The live corridor state is for coordinators and the admin, and
for operators limited to their own places. A shipment the caller may not see answers 404 (its
existence is not leaked); an action the caller's role can never do answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from midcorridor.service.db.models import Shipment, User


class Role(StrEnum):
    """What a caller is to the service; it decides what the caller may do."""

    admin = "admin"
    shipper = "shipper"
    forwarder = "forwarder"
    operator = "operator"
    coordinator = "coordinator"


class Action(StrEnum):
    """Something a caller may or may not do."""

    manage_accounts = "manage_accounts"
    create_shipment = "create_shipment"
    read_shipments = "read_shipments"
    post_event = "post_event"
    post_call = "post_call"
    subscribe = "subscribe"
    read_aggregates = "read_aggregates"
    scan_alerts = "scan_alerts"
    plan = "plan"
    read_corridor = "read_corridor"


# The role-level table; visibility of a particular shipment is decided by ``can_see``.
ALLOWED: dict[Role, frozenset[Action]] = {
    Role.admin: frozenset(
        {Action.manage_accounts, Action.read_shipments, Action.read_aggregates,
         Action.scan_alerts, Action.plan, Action.read_corridor, Action.post_call}
    ),
    Role.shipper: frozenset(
        {Action.create_shipment, Action.read_shipments, Action.post_event, Action.subscribe,
         Action.plan}
    ),
    Role.forwarder: frozenset(
        {Action.create_shipment, Action.read_shipments, Action.post_event, Action.subscribe,
         Action.plan}
    ),
    Role.operator: frozenset(
        {Action.read_shipments, Action.post_event, Action.subscribe, Action.plan,
         Action.read_corridor, Action.post_call}
    ),
    Role.coordinator: frozenset({Action.read_aggregates, Action.plan, Action.read_corridor,
                                 Action.post_call}),
}

# Shippers and forwarders report only shipment (document/customs) events on their own cargo.
SHIPPER_EVENT_TYPES = frozenset({"SHIPMENT"})


@dataclass(frozen=True)
class Principal:
    """The caller: user, organization, role and (for operators) the places of its segment."""

    user_id: int
    org_id: int
    role: Role
    places: frozenset[str] = frozenset()

    @classmethod
    def of(cls, user: User) -> Principal:
        """The principal of a signed-in user."""
        role = Role.admin if user.is_admin else Role(user.org.kind)
        return cls(user.id, user.org_id, role, frozenset(user.org.place_ids))

    def may(self, action: Action) -> bool:
        """Whether this principal may do ``action``."""
        return action in ALLOWED[self.role]


def route_places(shipment: Shipment) -> set[str]:
    """Every place on a shipment's planned route."""
    places = {shipment.origin, shipment.destination}
    for leg in shipment.legs:
        places.add(leg.origin)
        places.add(leg.destination)
    return places


def can_see(principal: Principal, shipment: Shipment, places: set[str] | None = None) -> bool:
    """Whether the caller may read this shipment (and so know that it exists).

    ``places`` may pass the shipment's :func:`route_places` when already computed.
    """
    if principal.role is Role.admin:
        return True
    if principal.role in (Role.shipper, Role.forwarder):
        return shipment.org_id == principal.org_id
    if principal.role is Role.operator:
        return not principal.places.isdisjoint(places or route_places(shipment))
    return False


def can_post(
    principal: Principal, shipment: Shipment, event_type: str, places: set[str] | None = None
) -> bool:
    """Whether the caller may report an event of ``event_type`` on this shipment."""
    if not principal.may(Action.post_event) or not can_see(principal, shipment, places):
        return False
    return principal.role is Role.operator or event_type in SHIPPER_EVENT_TYPES


# Who may run the crossing optimizer: beyond the coordinator and the admin, only operators
# whose segment includes a Caspian port (port authorities and the shipping lines calling there).
OPTIMIZER_ROLES = frozenset({Role.admin, Role.coordinator})


def may_optimize(principal: Principal, caspian_ports: frozenset[str]) -> bool:
    """Whether the caller may run the crossing optimizer."""
    if principal.role in OPTIMIZER_ROLES:
        return True
    return principal.role is Role.operator and not principal.places.isdisjoint(caspian_ports)


def can_see_job(principal: Principal, job_org_id: int) -> bool:
    """Whether the caller may read a job: its organization's, or any for coordinator/admin."""
    return principal.role in OPTIMIZER_ROLES or principal.org_id == job_org_id


def can_report_at(principal: Principal, location: str) -> bool:
    """Whether the caller may report an event at ``location``: operators only in their segment.

    An operator reporting elsewhere could close another operator's legs (a port posting an
    arrival at the far end of the corridor), so such an event is refused, not stored.
    """
    return principal.role is not Role.operator or location in principal.places


def can_post_call(principal: Principal, port: str) -> bool:
    """Whether the caller may report a vessel's own call at ``port``: an operator only at its
    own places (the port's authority, a line calling there), the coordinator and the admin
    anywhere.
    """
    return principal.may(Action.post_call) and can_report_at(principal, port)


def segment_error(principal: Principal, location: str) -> str:
    """Why :func:`can_report_at` refused, naming the place and the caller's places."""
    places = ", ".join(sorted(principal.places)) or "none"
    return (f"location {location} is outside your organization's segment (its places: "
            f"{places}); report events only at your own places")


def visible_org_ids(principal: Principal) -> Iterable[int] | None:
    """Organizations whose shipments the caller lists (None = no filter by owner)."""
    if principal.role in (Role.shipper, Role.forwarder):
        return (principal.org_id,)
    return None
