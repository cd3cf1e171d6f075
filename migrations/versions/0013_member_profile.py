"""A person's about line, time zone and working hours, on the community's ``members`` table.

``about`` and ``timezone`` start empty (the programme's zone is used); existing people get the
default working hours, 09:00-17:00. Downgrading drops the four columns and what they held.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("members") as batch:
        batch.add_column(sa.Column("about", sa.String(), nullable=True))
        batch.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))
        batch.add_column(
            sa.Column("work_start", sa.Time(), server_default="09:00:00", nullable=False)
        )
        batch.add_column(
            sa.Column("work_end", sa.Time(), server_default="17:00:00", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("members") as batch:
        for column in ("work_end", "work_start", "timezone", "about"):
            batch.drop_column(column)
