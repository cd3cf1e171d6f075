from __future__ import annotations

from pathlib import Path

import pytest

from adapters.persistence import create_engine
from adapters.persistence.engine import parse_url


class TestCreateEngine:
    async def test_sets_up_every_sqlite_connection(self, tmp_path: Path) -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        try:
            async with engine.connect() as first, engine.connect() as second:
                for connection in (first, second):
                    pragma = connection.exec_driver_sql
                    assert (await pragma("PRAGMA foreign_keys")).scalar() == 1
                    assert (await pragma("PRAGMA journal_mode")).scalar() == "wal"
                    assert (await pragma("PRAGMA busy_timeout")).scalar() == 5000
        finally:
            await engine.dispose()

    async def test_checks_postgresql_connections_before_use(self) -> None:
        engine = create_engine("postgresql+asyncpg://postgres@127.0.0.1/unmentor")
        try:
            assert engine.pool._pre_ping
        finally:
            await engine.dispose()

    @pytest.mark.parametrize(
        ("url", "expected"),
        [
            ("sqlite:///bot.db", "sqlite+aiosqlite:///bot.db"),
            ("postgresql://u@h/db", "postgresql+asyncpg://u@h/db"),
            ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
            ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ],
    )
    def test_runs_each_backend_on_its_async_driver(self, url: str, expected: str) -> None:
        assert parse_url(url).render_as_string() == expected

    @pytest.mark.parametrize(
        "url",
        [
            "mysql://root@h/db",
            "postgresql+psycopg2://u@h/db",
            "",
            "nonsense",
            "sqlite+aiosqlite:////no/such/directory/bot.db",
        ],
    )
    def test_refuses_an_unsupported_url_with_a_sentence(self, url: str) -> None:
        with pytest.raises(ValueError, match=r"\.$"):
            create_engine(url)
