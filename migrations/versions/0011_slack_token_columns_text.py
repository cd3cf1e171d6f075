"""Widen the Slack token columns to TEXT: an encrypted token outgrows VARCHAR(255).

With ``UNMENTOR_SECRET_KEY`` set, tokens are stored as ``fernet:`` and a Fernet token, about 1.4
times the token's length plus 100 characters; a 255-character token would need 427. Downgrading
narrows them again, which fails on PostgreSQL while a longer (encrypted) value is stored.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOKEN_COLUMNS = {
    "slack_installations": (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
    ),
    "slack_bots": ("bot_token", "bot_refresh_token"),
}


def _retype(old: sa.types.TypeEngine[str], new: sa.types.TypeEngine[str]) -> None:
    for table, columns in _TOKEN_COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.alter_column(column, existing_type=old, type_=new)


def upgrade() -> None:
    _retype(sa.String(length=255), sa.Text())


def downgrade() -> None:
    _retype(sa.Text(), sa.String(length=255))
