"""jobs: long computations run by worker processes; a delivery lease per subscription

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import midcorridor.service.db.types

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    utc = midcorridor.service.db.types.UTCDateTime
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("progress_message", sa.Text(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("created_at", utc(), nullable=False),
        sa.Column("enqueued_at", utc(), nullable=True),
        sa.Column("started_at", utc(), nullable=True),
        sa.Column("heartbeat_at", utc(), nullable=True),
        sa.Column("finished_at", utc(), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organizations.id"]),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_jobs_org_status", "jobs", ["org_id", "status"], unique=False)
    op.create_index("ix_jobs_status", "jobs", ["status"], unique=False)
    op.add_column("subscriptions", sa.Column("delivery_lease_until", utc(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("subscriptions") as batch:
        batch.drop_column("delivery_lease_until")
    op.drop_index("ix_jobs_status", table_name="jobs")
    op.drop_index("ix_jobs_org_status", table_name="jobs")
    op.drop_table("jobs")
