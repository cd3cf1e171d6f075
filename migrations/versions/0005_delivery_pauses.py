"""Add delivery pauses: when a platform says to slow down, every worker waits, not only the one told.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:45:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "delivery_pauses",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("call", sa.String(length=32), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id"],
            ["communities.id"],
            name=op.f("fk_delivery_pauses_communities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("community_id", "call", name=op.f("pk_delivery_pauses")),
    )


def downgrade() -> None:
    op.drop_table("delivery_pauses")
