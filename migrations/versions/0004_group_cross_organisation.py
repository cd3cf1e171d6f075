"""Record on each group whether the matcher mixed organisations in it.

Groups stored before this revision have no value (NULL): nothing then recorded it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 14:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("round_groups") as batch:
        batch.add_column(sa.Column("cross_organisation", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("round_groups") as batch:
        batch.drop_column("cross_organisation")
