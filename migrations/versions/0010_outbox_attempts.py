"""Outbox rows say which worker holds them and when an unconfirmed attempt started.

``claimed_by`` names the delivery worker that leased the row (on PostgreSQL, the key of a session
advisory lock that worker holds while it lives), so another worker takes over a dead worker's rows
at once instead of waiting for the lease. ``attempt_started_at`` is written just before a send and
cleared once the send is recorded: a row that still has it when claimed again may have reached the
platform, and is looked for there before being sent again.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("claimed_by", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("attempt_started_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("attempt_started_at")
        batch.drop_column("claimed_by")
