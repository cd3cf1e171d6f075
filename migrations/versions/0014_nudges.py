"""Per-programme reminders and quiet-member pauses: ``nudge_days`` and ``quiet_after``.

Both default to what a programme gets when made (a reminder 2 days after the check-in, a pause
after 3 quiet rounds); NULL turns the feature off.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 18:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(sa.Column("nudge_days", sa.Integer(), nullable=True, server_default="2"))
        batch.add_column(sa.Column("quiet_after", sa.Integer(), nullable=True, server_default="3"))


def downgrade() -> None:
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("quiet_after")
        batch.drop_column("nudge_days")
