# ruff: noqa: E501  (alembic operations, one per line)
"""shipment positions for the live corridor state

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27

Adds where each shipment is (furthest actual milestone), its next Caspian port and how its
cargo counts on a deck, and fills them in for the shipments already stored.
"""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import sqlalchemy as sa
from alembic import context, op

import midcorridor.service.db.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_TIME = midcorridor.service.db.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_rank', sa.Integer(), server_default='-1', nullable=False))
        batch_op.add_column(sa.Column('position_at', _TIME(), nullable=True))
        batch_op.add_column(sa.Column('position_place', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('position_next', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_port', sa.String(length=10), server_default='', nullable=False))
        batch_op.add_column(sa.Column('next_port_eta', _TIME(), nullable=True))
        batch_op.add_column(sa.Column('unit_type', sa.String(length=10), server_default='teu', nullable=False))
        batch_op.add_column(sa.Column('unit_count', sa.Integer(), server_default='1', nullable=False))
        batch_op.create_index(batch_op.f('ix_shipments_position_place'), ['position_place'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_vehicle_time', ['vehicle', 'event_time'], unique=False)
    _fill_positions()


def _fill_positions() -> None:
    """Compute the new columns of stored shipments from their legs and events."""
    from midcorridor.service import corridor
    from midcorridor.service.migrations import service_settings

    conn = op.get_bind()
    shipments = sa.table('shipments', sa.column('id'), sa.column('cargo_teu'),
                         sa.column('cargo_units'), sa.column('delay_h'))
    legs = sa.table('legs', sa.column('shipment_id'), sa.column('seq'), sa.column('origin'),
                    sa.column('destination'), sa.column('mode'),
                    sa.column('planned_depart', _TIME()), sa.column('planned_arrive', _TIME()))
    events = sa.table('events', sa.column('shipment_id'), sa.column('event_code'),
                      sa.column('classifier'), sa.column('location'),
                      sa.column('event_time', _TIME()))
    rows = conn.execute(sa.select(shipments)).all()
    if not rows:
        return
    legs_of: dict[int, list[SimpleNamespace]] = {}
    for leg in conn.execute(sa.select(legs).order_by(legs.c.shipment_id, legs.c.seq)):
        legs_of.setdefault(leg.shipment_id, []).append(SimpleNamespace(**leg._mapping))
    marks_of: dict[int, list[tuple[str, str, datetime]]] = {}
    for e in conn.execute(sa.select(events).where(events.c.classifier == 'ACT')):
        marks_of.setdefault(e.shipment_id, []).append((e.event_code, e.location, e.event_time))
    target = sa.table('shipments', *(sa.column(c) for c in (
        'id', 'position_rank', 'position_place', 'position_next', 'next_port', 'unit_type',
        'unit_count')), sa.column('position_at', _TIME()), sa.column('next_port_eta', _TIME()))
    # The Caspian ports of the service's data folder, from the settings upgrade() was given.
    ports = corridor.caspian_ports(service_settings(context.config).data)
    for row in rows:
        values = corridor.position_columns(
            legs_of.get(row.id, []), marks_of.get(row.id, []), cargo_teu=row.cargo_teu,
            cargo_units=row.cargo_units, delay_h=row.delay_h, ports=ports)
        # only the columns this revision has (later ones fill in their own)
        conn.execute(sa.update(target).where(target.c.id == row.id).values(
            **{k: v for k, v in values.items() if k in target.c}))


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_vehicle_time')
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shipments_position_place'))
        for name in ('unit_count', 'unit_type', 'next_port_eta', 'next_port', 'position_next',
                     'position_place', 'position_at', 'position_rank'):
            batch_op.drop_column(name)
