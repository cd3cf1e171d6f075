"""When a person's time zone was last taken from the platform: ``members.timezone_synced_at``.

NULL when the person set their zone by command (theirs wins for good) or it was never taken from
the platform; Slack's profile zone is taken again when this is over a day old.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 19:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("timezone_synced_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.drop_column("timezone_synced_at")
