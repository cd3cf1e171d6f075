"""Remember signed Slack requests for as long as their signature is accepted, to refuse replays.

Slack accepts a request's signature for five minutes either side of its timestamp; a copy sent
again within that time verifies as well as the first. Every replica records the signatures it
accepts here, so a replay is refused whichever replica it reaches.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_seen_requests",
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("expire_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("digest", name=op.f("pk_slack_seen_requests")),
    )
    op.create_index(
        op.f("ix_slack_seen_requests_expire_at"),
        "slack_seen_requests",
        ["expire_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_slack_seen_requests_expire_at"), table_name="slack_seen_requests")
    op.drop_table("slack_seen_requests")
