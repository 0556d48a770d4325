# ruff: noqa: E501  (alembic operations, one per line)
"""posted closures of the Caspian ports

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import midcorridor.service.db.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

_TIME = midcorridor.service.db.types.UTCDateTime


def upgrade() -> None:
    op.create_table('port_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place', sa.String(length=20), nullable=False),
    sa.Column('starts_at', _TIME(), nullable=False),
    sa.Column('ends_at', _TIME(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('created_at', _TIME(), nullable=False),
    sa.Column('cancelled_at', _TIME(), nullable=True),
    sa.Column('cancelled_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organizations.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['cancelled_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('port_closures', schema=None) as batch_op:
        batch_op.create_index('ix_port_closures_ends', ['ends_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('port_closures', schema=None) as batch_op:
        batch_op.drop_index('ix_port_closures_ends')
    op.drop_table('port_closures')
