# ruff: noqa: E501  (alembic operations, one per line)
"""ETA spread: P10/P50/P90 and the remaining steps on shipments and in the ETA history;
the sailing a published plan gives a leg

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import midcorridor.service.db.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_TIME = midcorridor.service.db.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        for name in ('eta_p10', 'eta_p50', 'eta_p90'):
            batch_op.add_column(sa.Column(name, _TIME(), nullable=True))
        batch_op.add_column(sa.Column('eta_segments', sa.Text(), server_default='[]', nullable=False))
        # the queue at a port in arrival order, for the units ahead of a shipment
        batch_op.drop_index(batch_op.f('ix_shipments_position_place'))
        batch_op.create_index('ix_shipments_queue', ['position_place', 'position_next', 'unit_type', 'position_at'], unique=False)
    with op.batch_alter_table('eta_history', schema=None) as batch_op:
        for name in ('p10', 'p50', 'p90'):
            batch_op.add_column(sa.Column(name, _TIME(), nullable=True))
    with op.batch_alter_table('legs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sailing', sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('vessel', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('legs', schema=None) as batch_op:
        for name in ('vessel', 'sailing', 'plan_id'):
            batch_op.drop_column(name)
    with op.batch_alter_table('eta_history', schema=None) as batch_op:
        for name in ('p90', 'p50', 'p10'):
            batch_op.drop_column(name)
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_queue')
        batch_op.create_index(batch_op.f('ix_shipments_position_place'), ['position_place'], unique=False)
        for name in ('eta_segments', 'eta_p90', 'eta_p50', 'eta_p10'):
            batch_op.drop_column(name)
