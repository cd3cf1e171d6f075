"""Heads-up before a round and per-round choices: ``heads_up_days`` and ``mode`` on programmes,
``announced_at`` on rounds, and the ``round_choices`` table.

Programmes get a heads-up a day before matching and keep matching every active member (mode
``always``), as a new programme does; NULL ``heads_up_days`` turns the heads-up off. Existing
rounds count as not yet announced. Downgrading drops the columns and every choice stored.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 19:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programmes") as batch:
        batch.add_column(
            sa.Column("heads_up_days", sa.Integer(), nullable=True, server_default="1")
        )
        batch.add_column(
            sa.Column("mode", sa.String(length=16), nullable=False, server_default="always")
        )
    with op.batch_alter_table("rounds") as batch:
        batch.add_column(sa.Column("announced_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "round_choices",
        sa.Column("community_id", sa.String(), nullable=False),
        sa.Column("programme_id", sa.String(length=40), nullable=False),
        sa.Column("round_number", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("choice", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["community_id", "programme_id", "round_number"],
            ["rounds.community_id", "rounds.programme_id", "rounds.number"],
            name="fk_round_choices_rounds",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "community_id", "programme_id", "round_number", "member_id", name="pk_round_choices"
        ),
    )


def downgrade() -> None:
    op.drop_table("round_choices")
    with op.batch_alter_table("rounds") as batch:
        batch.drop_column("announced_at")
    with op.batch_alter_table("programmes") as batch:
        batch.drop_column("mode")
        batch.drop_column("heads_up_days")
