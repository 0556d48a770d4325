# ruff: noqa: E501  (alembic operations, one per line)
"""durations observed per segment for the ETA spread; events indexed by place and time;
the port queue index covers the units

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import midcorridor.service.db.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

_TIME = midcorridor.service.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table('step_durations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shipment_id', sa.Integer(), nullable=False),
    sa.Column('segment', sa.String(length=40), nullable=False),
    sa.Column('unit_type', sa.String(length=10), nullable=False),
    sa.Column('ended_at', _TIME(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['shipment_id'], ['shipments.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('step_durations', schema=None) as batch_op:
        batch_op.create_index('ix_step_durations_segment_ended', ['segment', 'ended_at'], unique=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index('ix_events_location_time', ['location', 'event_time'], unique=False)
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_since', _TIME(), nullable=True))
        batch_op.drop_index('ix_shipments_queue')
        batch_op.create_index('ix_shipments_queue_units', ['position_place', 'position_next', 'unit_type', 'position_at', 'unit_count'], unique=False)
    op.execute("UPDATE shipments SET position_since = position_at")


def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_queue_units')
        batch_op.create_index('ix_shipments_queue', ['position_place', 'position_next', 'unit_type', 'position_at'], unique=False)
        batch_op.drop_column('position_since')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_location_time')
    with op.batch_alter_table('step_durations', schema=None) as batch_op:
        batch_op.drop_index('ix_step_durations_segment_ended')
    op.drop_table('step_durations')
