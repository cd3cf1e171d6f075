"""Slack's OAuth stores on SQLite and PostgreSQL: installations and one-time OAuth states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.oauth.installation_store.models.installation import Installation
from sqlalchemy.ext.asyncio import AsyncEngine

from adapters.persistence import session_factory
from adapters.persistence.repositories.slack_installations import SqlSlackInstallationStore
from adapters.persistence.repositories.slack_oauth_states import SqlSlackOAuthStateStore


@pytest.fixture
def store(engine: AsyncEngine) -> SqlSlackInstallationStore:
    return SqlSlackInstallationStore(session_factory(engine), client_id="111.222")


def an_installation(
    team_id: str = "T1",
    token: str = "xoxb-1",
    installed_at: float = 1_780_000_000.0,
    user_id: str = "UINSTALLER",
    enterprise_id: str | None = None,
) -> Installation:
    return Installation(
        app_id="A1",
        enterprise_id=enterprise_id,
        team_id=team_id,
        team_name="Local gov",
        bot_token=token,
        bot_id="B1",
        bot_user_id="UBOT",
        bot_scopes=["commands", "chat:write"],
        user_id=user_id,
        user_scopes="",
        token_type="bot",
        installed_at=installed_at,
    )


class TestSaveAndFind:
    async def test_a_saved_installation_is_found_with_its_bot(
        self, store: SqlSlackInstallationStore
    ) -> None:
        await store.async_save(an_installation())
        found = await store.async_find_installation(enterprise_id=None, team_id="T1")
        assert found is not None
        assert (found.team_id, found.bot_token, found.user_id) == ("T1", "xoxb-1", "UINSTALLER")
        assert found.bot_scopes == ["commands", "chat:write"]
        assert found.installed_at == 1_780_000_000.0
        bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
        assert bot is not None and (bot.bot_token, bot.bot_id) == ("xoxb-1", "B1")

    async def test_the_newest_bot_of_a_workspace_is_the_one_in_use(
        self, store: SqlSlackInstallationStore
    ) -> None:
        await store.async_save(an_installation(token="xoxb-old", installed_at=1_780_000_000.0))
        await store.async_save(
            an_installation(token="xoxb-new", installed_at=1_780_000_100.0, user_id="U2")
        )
        bot = await store.async_find_bot(enterprise_id=None, team_id="T1")
        assert bot is not None and bot.bot_token == "xoxb-new"
        older = await store.async_find_installation(
            enterprise_id=None, team_id="T1", user_id="UINSTALLER"
        )
        assert older is not None and older.bot_token == "xoxb-new"
        assert await store.bot_token("T1") == "xoxb-new"

    async def test_workspaces_do_not_see_each_others_tokens(
        self, store: SqlSlackInstallationStore
    ) -> None:
        await store.async_save(an_installation("T1", "xoxb-1"))
        await store.async_save(an_installation("T2", "xoxb-2"))
        assert await store.bot_token("T1") == "xoxb-1"
        assert await store.bot_token("T2") == "xoxb-2"
        assert await store.bot_token("T3") is None
        assert await store.async_find_bot(enterprise_id=None, team_id="T3") is None

    async def test_a_workspace_in_an_org_is_found_by_its_enterprise_and_team(
        self, store: SqlSlackInstallationStore
    ) -> None:
        await store.async_save(an_installation("T1", "xoxb-grid", enterprise_id="E1"))
        assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
        bot = await store.async_find_bot(enterprise_id="E1", team_id="T1")
        assert bot is not None and bot.bot_token == "xoxb-grid"
        assert await store.bot_token("T1") == "xoxb-grid"

    async def test_another_apps_installations_are_invisible(
        self, store: SqlSlackInstallationStore, engine: AsyncEngine
    ) -> None:
        await store.async_save(an_installation())
        other = SqlSlackInstallationStore(session_factory(engine), client_id="999.999")
        assert await other.async_find_bot(enterprise_id=None, team_id="T1") is None
        assert await other.bot_token("T1") is None


class TestDelete:
    async def test_delete_all_forgets_the_workspace_only(
        self, store: SqlSlackInstallationStore
    ) -> None:
        await store.async_save(an_installation("T1", "xoxb-1"))
        await store.async_save(an_installation("T2", "xoxb-2"))
        await store.async_delete_all(enterprise_id=None, team_id="T1")
        assert await store.async_find_installation(enterprise_id=None, team_id="T1") is None
        assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
        assert await store.bot_token("T2") == "xoxb-2"

    async def test_a_revoked_bot_leaves_the_installers_row(
        self, store: SqlSlackInstallationStore
    ) -> None:
        await store.async_save(an_installation())
        await store.async_delete_bot(enterprise_id=None, team_id="T1")
        assert await store.bot_token("T1") is None
        found = await store.async_find_installation(enterprise_id=None, team_id="T1")
        assert found is not None and found.user_id == "UINSTALLER"


class TestOAuthStates:
    async def test_an_issued_state_is_accepted_once(self, engine: AsyncEngine) -> None:
        states = SqlSlackOAuthStateStore(session_factory(engine))
        state = await states.async_issue()
        assert await states.async_consume(state) is True
        assert await states.async_consume(state) is False

    async def test_a_state_from_another_replica_is_accepted(self, engine: AsyncEngine) -> None:
        state = await SqlSlackOAuthStateStore(session_factory(engine)).async_issue()
        assert await SqlSlackOAuthStateStore(session_factory(engine)).async_consume(state)

    async def test_an_unknown_or_expired_state_is_refused(self, engine: AsyncEngine) -> None:
        now = [datetime(2026, 3, 4, 12, 0, tzinfo=UTC)]
        states = SqlSlackOAuthStateStore(
            session_factory(engine), expiration_seconds=600, now=lambda: now[0]
        )
        state = await states.async_issue()
        assert await states.async_consume("made-up") is False
        now[0] += timedelta(seconds=601)
        assert await states.async_consume(state) is False
