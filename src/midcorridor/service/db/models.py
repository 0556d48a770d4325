"""SQLAlchemy 2 ORM models of the service (tables only; API shapes live in ``schemas``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from midcorridor.service.db.types import UTCDateTime


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Organization(Base):
    """A shipper, forwarder, operator or coordinator; operators cover ``places`` (node ids)."""

    __tablename__ = "organizations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    places: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    @property
    def place_ids(self) -> list[str]:
        """The node ids of the places the organization covers."""
        return self.places.split() if self.places else []


class User(Base):
    """A person or system account of one organization; ``is_admin`` runs the platform."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # An argon2 hash for signing in to the web app; None: the user signs in with tokens only.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    org: Mapped[Organization] = relationship(lazy="joined")


class ApiToken(Base):
    """An API token, stored only as its SHA-256 hash; revoked tokens keep their row."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    user: Mapped[User] = relationship(lazy="joined")


class WebSession(Base):
    """A signed-in browser: the cookie's SHA-256 hash, its CSRF token and its expiry."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    user: Mapped[User] = relationship(lazy="joined")


class Shipment(Base):
    """A consignment with its planned legs, the ETA state and alert bookkeeping."""

    __tablename__ = "shipments"
    __table_args__ = (
        # covering: the units ahead at a port are summed from the index alone
        Index("ix_shipments_queue_units", "position_place", "position_next", "position_onward",
              "unit_type", "position_at", "unit_count"),
        # covering: the units due at each port within a window are counted from it alone
        Index("ix_shipments_due", "next_port", "next_port_eta", "unit_type", "unit_count"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    reference: Mapped[str] = mapped_column(String(100), default="")
    origin: Mapped[str] = mapped_column(String(10))
    destination: Mapped[str] = mapped_column(String(10))
    cargo_units: Mapped[int] = mapped_column(Integer, default=0)
    cargo_weight_kg: Mapped[float] = mapped_column(Float, default=0.0)
    cargo_teu: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    planned_arrival: Mapped[datetime] = mapped_column(UTCDateTime())
    eta: Mapped[datetime] = mapped_column(UTCDateTime())
    delay_h: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    # The furthest milestone seen (rank = 2*leg + 0 depart / 1 arrive) and its weight: an
    # actual beats an estimate at the same rank; both are max-aggregates, so order-free.
    progress_rank: Mapped[int] = mapped_column(Integer, default=-1)
    progress_weight: Mapped[int] = mapped_column(Integer, default=0)
    progress_delay_h: Mapped[float] = mapped_column(Float, default=0.0)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    alert_threshold_h: Mapped[float | None] = mapped_column(Float, nullable=True)
    alerted_slip_h: Mapped[float] = mapped_column(Float, default=0.0)
    alerted_silent_rank: Mapped[int] = mapped_column(Integer, default=-2)
    # Where the actual events put it (see midcorridor.live.position): the furthest milestone
    # (rank, time), the place it stands at (odd rank) or left from (even rank) and the leg's
    # end when under way; standing at a port, the port its next leg sails to (its crossing;
    # empty when that leg is not by water); the next Caspian port ahead and when it is due
    # there; how its cargo counts on a Caspian deck.
    position_rank: Mapped[int] = mapped_column(Integer, default=-1, server_default="-1")
    position_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # when the current milestone was first reached (position_at is the latest event there)
    position_since: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    position_place: Mapped[str] = mapped_column(String(10), default="", server_default="")
    position_next: Mapped[str] = mapped_column(String(10), default="", server_default="")
    position_onward: Mapped[str] = mapped_column(String(10), default="", server_default="")
    next_port: Mapped[str] = mapped_column(String(10), default="", server_default="")
    next_port_eta: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    unit_type: Mapped[str] = mapped_column(String(10), default="teu", server_default="teu")
    unit_count: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    # 1 (normal) to 3 (urgent): weighs the shipment's waiting hours in a crossing plan.
    priority: Mapped[float] = mapped_column(Float, default=1.0, server_default="1")
    # The arrival's spread (see midcorridor.live.eta) and the remaining steps as JSON.
    eta_p10: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    eta_p50: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    eta_p90: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    eta_segments: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    legs: Mapped[list[Leg]] = relationship(
        order_by="Leg.seq", lazy="selectin", cascade="all, delete-orphan"
    )
    containers: Mapped[list[Container]] = relationship(cascade="all, delete-orphan")


class Container(Base):
    """A container (ISO 6346 number) travelling in a shipment."""

    __tablename__ = "containers"
    __table_args__ = (UniqueConstraint("shipment_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    number: Mapped[str] = mapped_column(String(11))


class Leg(Base):
    """One planned leg of a shipment's route, with planned departure and arrival."""

    __tablename__ = "legs"
    __table_args__ = (UniqueConstraint("shipment_id", "seq"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(10), index=True)
    destination: Mapped[str] = mapped_column(String(10), index=True)
    mode: Mapped[str] = mapped_column(String(10))
    planned_depart: Mapped[datetime] = mapped_column(UTCDateTime())
    planned_arrive: Mapped[datetime] = mapped_column(UTCDateTime())
    distance_km: Mapped[float | None] = mapped_column(Float, nullable=True)
    link_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # Set when a published crossing plan put this leg on a sailing (times are the sailing's).
    plan_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    sailing: Mapped[str | None] = mapped_column(String(100), nullable=True)
    vessel: Mapped[str | None] = mapped_column(String(100), nullable=True)


class Event(Base):
    """A DCSA-shaped event, unique per reporting organization and client event id: on a
    shipment, or (``shipment_id`` None) a Caspian vessel's own call, its ``vehicle`` the
    vessel and ``facility`` where it arrived (``anchorage`` or ``berth``) when told.
    """

    __tablename__ = "events"
    __table_args__ = (
        UniqueConstraint("org_id", "client_event_id", name="uq_events_org_client_id"),
        Index("ix_events_shipment_time", "shipment_id", "event_time"),
        Index("ix_events_vehicle_time", "vehicle", "event_time"),
        Index("ix_events_location_time", "location", "event_time"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"), nullable=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    client_event_id: Mapped[str] = mapped_column(String(100))
    payload_hash: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(20))
    event_code: Mapped[str] = mapped_column(String(10))
    classifier: Mapped[str] = mapped_column(String(3))
    event_time: Mapped[datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
    location: Mapped[str] = mapped_column(String(10))
    vehicle: Mapped[str] = mapped_column(String(100), default="")
    mode: Mapped[str | None] = mapped_column(String(10), nullable=True)
    equipment_reference: Mapped[str | None] = mapped_column(String(11), nullable=True)
    document_type: Mapped[str | None] = mapped_column(String(10), nullable=True)
    description: Mapped[str] = mapped_column(Text, default="")
    off_route: Mapped[bool] = mapped_column(Boolean, default=False)
    facility: Mapped[str | None] = mapped_column(String(10), nullable=True)


class StepDuration(Base):
    """How long one shipment took over one segment (a leg, or the dwell before one), recorded
    when its events reach the segment's end right after its start; the ETA spread takes the
    durations of the last weeks from here.
    """

    __tablename__ = "step_durations"
    __table_args__ = (Index("ix_step_durations_segment_ended", "segment", "ended_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    segment: Mapped[str] = mapped_column(String(40))
    unit_type: Mapped[str] = mapped_column(String(10))
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime())
    hours: Mapped[float] = mapped_column(Float)


class EtaRecord(Base):
    """One value in a shipment's ETA history, with the event that caused it."""

    __tablename__ = "eta_history"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    eta: Mapped[datetime] = mapped_column(UTCDateTime())
    delay_h: Mapped[float] = mapped_column(Float)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), nullable=True)
    p10: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    p50: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    p90: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Alert(Base):
    """An alert on a shipment: the ETA slipped past a threshold, or it went silent."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    message: Mapped[str] = mapped_column(Text)
    slip_h: Mapped[float | None] = mapped_column(Float, nullable=True)


class Subscription(Base):
    """A callback URL that receives a shipment's events, signed with ``secret``."""

    __tablename__ = "subscriptions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"), index=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    callback_url: Mapped[str] = mapped_column(String(2000))
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # While set and in the future, one worker is delivering to this subscription.
    delivery_lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Delivery(Base):
    """One event to deliver to one subscription, with its attempts (the delivery log)."""

    __tablename__ = "deliveries"
    __table_args__ = (Index("ix_deliveries_due", "status", "next_attempt_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("subscriptions.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    last_status_code: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Job(Base):
    """A long computation run by a worker process: its kind, inputs, progress and outcome.

    ``status`` moves queued → running → succeeded | failed; a job whose worker stopped goes
    back to queued until ``attempts`` reaches the limit (see ``midcorridor.service.jobs``).
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_org_status", "org_id", "status"),
                      Index("ix_jobs_status", "status"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(50))
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    progress_message: Mapped[str] = mapped_column(Text, default="")
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    worker: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    enqueued_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class CrossingPlanRecord(Base):
    """A published Caspian crossing plan (its id is its version); ``document`` is its JSON."""

    __tablename__ = "crossing_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    job_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    mode: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(40))
    start: Mapped[datetime] = mapped_column(UTCDateTime())
    horizon_h: Mapped[float] = mapped_column(Float)
    document: Mapped[str] = mapped_column(Text)


class PortClosureRecord(Base):
    """A posted closure of a Caspian port (``place``: its node id) or of the whole sea
    (``caspian``) from ``starts_at`` to ``ends_at``; a cancelled one keeps its row.
    """

    __tablename__ = "port_closures"
    __table_args__ = (Index("ix_port_closures_ends", "ends_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    place: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    reason: Mapped[str] = mapped_column(Text)
    org_id: Mapped[int] = mapped_column(ForeignKey("organizations.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
