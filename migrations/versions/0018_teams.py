"""Microsoft Teams: how to reach each person (``teams_members``) and channel (``teams_channels``),
and which member's card of a group message Teams accepted (``teams_sent_cards``).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 21:15:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "teams_members",
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("upn", sa.Text(), nullable=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("service_url", sa.Text(), nullable=False),
        sa.Column("chat_id", sa.Text(), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "member_id", name=op.f("pk_teams_members")),
    )
    op.create_table(
        "teams_channels",
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("alias", sa.String(64), nullable=False),
        sa.Column("conversation_id", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("service_url", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("community_id", "alias", name=op.f("pk_teams_channels")),
    )
    op.create_table(
        "teams_sent_cards",
        sa.Column("community_id", sa.String(64), nullable=False),
        sa.Column("outbox_key", sa.Text(), nullable=False),
        sa.Column("member_id", sa.String(64), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "community_id", "outbox_key", "member_id", name=op.f("pk_teams_sent_cards")
        ),
    )


def downgrade() -> None:
    op.drop_table("teams_sent_cards")
    op.drop_table("teams_channels")
    op.drop_table("teams_members")
