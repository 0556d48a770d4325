# ruff: noqa: E501  (alembic operations, one per line)
"""events without a shipment: a Caspian vessel's own call, and where it arrived

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('shipment_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('facility', sa.String(length=10), nullable=True))


def downgrade() -> None:
    # a vessel's own call has no shipment to keep it under: such events go
    op.execute("DELETE FROM events WHERE shipment_id IS NULL")
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('facility')
        batch_op.alter_column('shipment_id', existing_type=sa.Integer(), nullable=False)
