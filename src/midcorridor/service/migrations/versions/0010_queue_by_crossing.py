# ruff: noqa: E501  (alembic operations, one per line)
"""the port a shipment standing at a Caspian port sails to next: queues per crossing

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('position_onward', sa.String(length=10), server_default='', nullable=False))
        batch_op.drop_index('ix_shipments_queue_units')
        batch_op.create_index('ix_shipments_queue_units', ['position_place', 'position_next', 'position_onward', 'unit_type', 'position_at', 'unit_count'], unique=False)
    # standing at the end of leg i (rank 2i + 1), the next leg is seq i + 1: its destination
    # when it goes by water
    op.execute(
        "UPDATE shipments SET position_onward = COALESCE((SELECT legs.destination FROM legs "
        "WHERE legs.shipment_id = shipments.id AND legs.seq = (shipments.position_rank + 1) / 2 "
        "AND legs.mode IN ('ferry', 'sea')), '') "
        "WHERE shipments.position_rank >= 0 AND shipments.position_rank % 2 = 1 "
        "AND shipments.position_next = ''")


def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_queue_units')
        batch_op.create_index('ix_shipments_queue_units', ['position_place', 'position_next', 'unit_type', 'position_at', 'unit_count'], unique=False)
        batch_op.drop_column('position_onward')
