"""The suggested slot a group booked: ``round_groups.booked_slot_at`` (NULL: none booked).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round_groups") as batch:
        batch.add_column(sa.Column("booked_slot_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round_groups") as batch:
        batch.drop_column("booked_slot_at")
