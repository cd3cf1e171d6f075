"""Slack's ``AsyncInstallationStore`` on the project's database: OAuth installs, bot tokens.

Each save adds rows; the newest bot row of a workspace is the token in use, so a reinstall (new
scopes, a new token) takes over without touching the old row until the workspace is deleted.
Tokens (and the incoming webhook URL, which lets anyone post) are sealed by the ``TokenCipher``:
encrypted when ``UNMENTOR_SECRET_KEY`` is set, else stored as given.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy import ColumnElement, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from adapters.persistence.slack_rows import SlackBotRow, SlackInstallationRow
from adapters.persistence.token_cipher import TokenCipher

__all__ = ["SECRET_COLUMNS", "SqlSlackInstallationStore", "reseal_stored_tokens"]

# The columns whose values let someone act as the bot (or post to a channel), per table.
SECRET_COLUMNS: dict[type[SlackBotRow] | type[SlackInstallationRow], tuple[str, ...]] = {
    SlackInstallationRow: (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    SlackBotRow: ("bot_token", "bot_refresh_token"),
}


def _moment(epoch: float | int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def _epoch(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp())


def _scopes(scopes: Sequence[str] | None) -> str:
    # slack_sdk keeps scopes as a list; Slack's own form, and the stored one, is comma-separated
    if scopes is None:
        return ""
    return scopes if isinstance(scopes, str) else ",".join(scopes)


def _team(team_id: str | None, is_enterprise_install: bool | None) -> str | None:
    # An org-wide install belongs to the enterprise, whichever workspace the request came from.
    return None if is_enterprise_install else team_id


class SqlSlackInstallationStore(AsyncInstallationStore):
    """Installations and bots of one Slack app (``client_id``), each call in its own transaction."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        client_id: str,
        logger: logging.Logger | None = None,
        cipher: TokenCipher | None = None,
    ) -> None:
        self._sessions = sessions
        self.client_id = client_id
        self.cipher = cipher or TokenCipher()
        self._logger = logger or logging.getLogger(__name__)

    @property
    def logger(self) -> logging.Logger:
        return self._logger

    async def async_save(self, installation: Installation) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                insert(SlackInstallationRow).values(self._installation(installation))
            )
            await session.execute(insert(SlackBotRow).values(self._bot(installation.to_bot())))

    async def async_save_bot(self, bot: Bot) -> None:
        async with self._sessions.begin() as session:
            await session.execute(insert(SlackBotRow).values(self._bot(bot)))

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        statement = (
            select(SlackBotRow)
            .where(
                *self._workspace(SlackBotRow, enterprise_id, _team(team_id, is_enterprise_install))
            )
            .order_by(SlackBotRow.installed_at.desc(), SlackBotRow.id.desc())
            .limit(1)
        )
        async with self._sessions() as session:
            row = (await session.execute(statement)).scalar_one_or_none()
        return None if row is None else _to_bot(row, self.cipher)

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        team = _team(team_id, is_enterprise_install)
        conditions = self._workspace(SlackInstallationRow, enterprise_id, team)
        if user_id is not None:
            conditions.append(SlackInstallationRow.user_id == user_id)
        statement = (
            select(SlackInstallationRow)
            .where(*conditions)
            .order_by(SlackInstallationRow.installed_at.desc(), SlackInstallationRow.id.desc())
            .limit(1)
        )
        async with self._sessions() as session:
            row = (await session.execute(statement)).scalar_one_or_none()
        if row is None:
            return None
        installation = _to_installation(row, self.cipher)
        # The installer's row may be older than the workspace's newest bot token: use the newest.
        bot = await self.async_find_bot(enterprise_id=enterprise_id, team_id=team)
        if bot is not None and bot.bot_token != installation.bot_token:
            installation.bot_id = bot.bot_id
            installation.bot_user_id = bot.bot_user_id
            installation.bot_token = bot.bot_token
            installation.bot_scopes = bot.bot_scopes
            installation.bot_refresh_token = bot.bot_refresh_token
            installation.bot_token_expires_at = bot.bot_token_expires_at
        return installation

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                delete(SlackBotRow).where(*self._workspace(SlackBotRow, enterprise_id, team_id))
            )

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        conditions = self._workspace(SlackInstallationRow, enterprise_id, team_id)
        if user_id is not None:
            conditions.append(SlackInstallationRow.user_id == user_id)
        async with self._sessions.begin() as session:
            await session.execute(delete(SlackInstallationRow).where(*conditions))

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        async with self._sessions.begin() as session:
            for row_type in (SlackBotRow, SlackInstallationRow):
                await session.execute(
                    delete(row_type).where(*self._workspace(row_type, enterprise_id, team_id))
                )

    async def bot_token(self, team_id: str) -> str | None:
        """Return the newest bot token for a workspace (a community's id), whatever its org."""
        statement = (
            select(SlackBotRow.bot_token)
            .where(SlackBotRow.client_id == self.client_id, SlackBotRow.team_id == team_id)
            .order_by(SlackBotRow.installed_at.desc(), SlackBotRow.id.desc())
            .limit(1)
        )
        async with self._sessions() as session:
            return self.cipher.open((await session.execute(statement)).scalar_one_or_none())

    async def check_readable(self) -> int:
        """Open every stored secret of every app; return how many there are.

        Raises ``SecretKeyError`` (naming the setting) when the configured keys cannot read one,
        so a wrong key stops the bot at start-up rather than failing workspace by workspace.
        """
        count = 0
        async with self._sessions() as session:
            for row_type, columns in SECRET_COLUMNS.items():
                statement = select(*(getattr(row_type, column) for column in columns))
                for values in await session.execute(statement):
                    for value in values:
                        if value is not None:
                            self.cipher.open(value)
                            count += 1
        return count

    # -- rows ----------------------------------------------------------------------------------

    def _workspace(
        self,
        row_type: type[SlackBotRow] | type[SlackInstallationRow],
        enterprise_id: str | None,
        team_id: str | None,
    ) -> list[ColumnElement[bool]]:
        # `== None` renders IS NULL: a workspace outside any org has no enterprise id
        return [
            row_type.client_id == self.client_id,
            row_type.enterprise_id == enterprise_id,
            row_type.team_id == team_id,
        ]

    def _installation(self, i: Installation) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "app_id": i.app_id,
            "enterprise_id": i.enterprise_id,
            "enterprise_name": i.enterprise_name,
            "enterprise_url": i.enterprise_url,
            "team_id": i.team_id,
            "team_name": i.team_name,
            "bot_token": self.cipher.seal(i.bot_token),
            "bot_id": i.bot_id,
            "bot_user_id": i.bot_user_id,
            "bot_scopes": _scopes(i.bot_scopes),
            "bot_refresh_token": self.cipher.seal(i.bot_refresh_token),
            "bot_token_expires_at": _moment(i.bot_token_expires_at),
            "user_id": i.user_id,
            "user_token": self.cipher.seal(i.user_token),
            "user_scopes": _scopes(i.user_scopes),
            "user_refresh_token": self.cipher.seal(i.user_refresh_token),
            "user_token_expires_at": _moment(i.user_token_expires_at),
            "incoming_webhook_url": self.cipher.seal(i.incoming_webhook_url),
            "incoming_webhook_channel": i.incoming_webhook_channel,
            "incoming_webhook_channel_id": i.incoming_webhook_channel_id,
            "incoming_webhook_configuration_url": i.incoming_webhook_configuration_url,
            "is_enterprise_install": bool(i.is_enterprise_install),
            "token_type": i.token_type,
            "installed_at": _moment(i.installed_at),
        }

    def _bot(self, b: Bot) -> dict[str, Any]:
        return {
            "client_id": self.client_id,
            "app_id": b.app_id,
            "enterprise_id": b.enterprise_id,
            "enterprise_name": b.enterprise_name,
            "team_id": b.team_id,
            "team_name": b.team_name,
            "bot_token": self.cipher.seal(b.bot_token),
            "bot_id": b.bot_id,
            "bot_user_id": b.bot_user_id,
            "bot_scopes": _scopes(b.bot_scopes),
            "bot_refresh_token": self.cipher.seal(b.bot_refresh_token),
            "bot_token_expires_at": _moment(b.bot_token_expires_at),
            "is_enterprise_install": bool(b.is_enterprise_install),
            "installed_at": _moment(b.installed_at),
        }


def _to_bot(row: SlackBotRow, cipher: TokenCipher) -> Bot:
    return Bot(
        app_id=row.app_id,
        enterprise_id=row.enterprise_id,
        enterprise_name=row.enterprise_name,
        team_id=row.team_id,
        team_name=row.team_name,
        bot_token=cipher.open(row.bot_token),
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.bot_scopes,
        bot_refresh_token=cipher.open(row.bot_refresh_token),
        bot_token_expires_at=_epoch(row.bot_token_expires_at),
        is_enterprise_install=row.is_enterprise_install,
        installed_at=row.installed_at.timestamp(),
    )


def _to_installation(row: SlackInstallationRow, cipher: TokenCipher) -> Installation:
    return Installation(
        app_id=row.app_id,
        enterprise_id=row.enterprise_id,
        enterprise_name=row.enterprise_name,
        enterprise_url=row.enterprise_url,
        team_id=row.team_id,
        team_name=row.team_name,
        bot_token=cipher.open(row.bot_token),
        bot_id=row.bot_id,
        bot_user_id=row.bot_user_id,
        bot_scopes=row.bot_scopes,
        bot_refresh_token=cipher.open(row.bot_refresh_token),
        bot_token_expires_at=_epoch(row.bot_token_expires_at),
        user_id=row.user_id,
        user_token=cipher.open(row.user_token),
        user_scopes=row.user_scopes,
        user_refresh_token=cipher.open(row.user_refresh_token),
        user_token_expires_at=_epoch(row.user_token_expires_at),
        incoming_webhook_url=cipher.open(row.incoming_webhook_url),
        incoming_webhook_channel=row.incoming_webhook_channel,
        incoming_webhook_channel_id=row.incoming_webhook_channel_id,
        incoming_webhook_configuration_url=row.incoming_webhook_configuration_url,
        is_enterprise_install=row.is_enterprise_install,
        token_type=row.token_type,
        installed_at=row.installed_at.timestamp(),
    )


async def reseal_stored_tokens(
    sessions: async_sessionmaker[AsyncSession], cipher: TokenCipher
) -> int:
    """Encrypt every stored secret of every app with the newest key; return how many changed.

    Values sealed with an older listed key, and values stored in plain text before a key was
    set, are rewritten; all of it in one transaction, so a failure leaves everything as it was.
    """
    changed = 0
    async with sessions.begin() as session:
        for row_type, columns in SECRET_COLUMNS.items():
            rows = await session.execute(
                select(row_type.id, *(getattr(row_type, column) for column in columns))
            )
            for row_id, *values in rows:
                sealed = {
                    column: cipher.reseal(value)
                    for column, value in zip(columns, values, strict=True)
                    if value is not None
                }
                if sealed:
                    await session.execute(
                        update(row_type).where(row_type.id == row_id).values(**sealed)
                    )
                    changed += len(sealed)
    return changed
