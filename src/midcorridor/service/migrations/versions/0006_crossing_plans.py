# ruff: noqa: E501  (alembic operations, one per line)
"""crossing plans from live bookings; shipment priority

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import midcorridor.service.db.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

_TIME = midcorridor.service.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table('crossing_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', _TIME(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=False),
    sa.Column('start', _TIME(), nullable=False),
    sa.Column('horizon_h', sa.Float(), nullable=False),
    sa.Column('document', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('crossing_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_crossing_plans_job_id'), ['job_id'], unique=False)
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Float(), server_default='1', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_column('priority')
    op.drop_table('crossing_plans')
