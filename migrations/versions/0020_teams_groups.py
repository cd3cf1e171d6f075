"""Microsoft Teams: each team's Microsoft 365 group and tenant (``teams_teams``), to read its owners.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 22:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_teams",
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("aad_group_id", sa.String(64), nullable=False),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("community_id", name=op.f("pk_teams_teams")),
    )


def downgrade() -> None:
    op.drop_table("teams_teams")
