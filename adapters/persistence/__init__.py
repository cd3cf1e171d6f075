"""Storage on SQLite or PostgreSQL through SQLAlchemy, with Alembic migrations."""

from adapters.persistence.dashboard_rows import DashboardSessionRow
from adapters.persistence.engine import create_engine, session_factory
from adapters.persistence.migrate import head_revision, upgrade, upgrade_sync
from adapters.persistence.rows import metadata
from adapters.persistence.slack_rows import (
    SlackBotRow,
    SlackInstallationRow,
    SlackOAuthStateRow,
)
from adapters.persistence.teams_rows import TeamsChannelRow, TeamsMemberRow, TeamsSentCardRow
from adapters.persistence.unit_of_work import SqlAlchemyUnitOfWork

# The Slack, Teams and dashboard tables are imported so that they are on `metadata`, which the
# migrations are compared against.
__all__ = [
    "DashboardSessionRow",
    "SlackBotRow",
    "SlackInstallationRow",
    "SlackOAuthStateRow",
    "SqlAlchemyUnitOfWork",
    "TeamsChannelRow",
    "TeamsMemberRow",
    "TeamsSentCardRow",
    "create_engine",
    "head_revision",
    "metadata",
    "session_factory",
    "upgrade",
    "upgrade_sync",
]
