from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from adapters.persistence import create_engine, upgrade
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


class TestSqliteFileMode:
    async def test_a_new_database_and_its_wal_files_are_readable_by_their_owner_only(
        self, tmp_path: Path
    ) -> None:
        path = tmp_path / "bot.db"
        old_umask = os.umask(0o022)  # the usual umask, which made the file 0644 before
        try:
            await upgrade(f"sqlite+aiosqlite:///{path}")
            engine = create_engine(f"sqlite+aiosqlite:///{path}")
            try:
                async with engine.connect() as connection:
                    await connection.exec_driver_sql("SELECT count(*) FROM communities")
                    modes = {
                        name: stat.S_IMODE(os.stat(tmp_path / name).st_mode)
                        for name in ("bot.db", "bot.db-wal", "bot.db-shm")
                    }
            finally:
                await engine.dispose()
        finally:
            os.umask(old_umask)
        assert modes == {"bot.db": 0o600, "bot.db-wal": 0o600, "bot.db-shm": 0o600}

    async def test_an_existing_files_mode_is_left_alone_but_a_loose_one_is_warned_about(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        path = tmp_path / "shared.db"
        path.touch()
        path.chmod(0o644)
        with caplog.at_level(logging.WARNING, logger="adapters.persistence.engine"):
            for _ in range(2):
                engine = create_engine(f"sqlite+aiosqlite:///{path}")
                async with engine.connect():
                    pass
                await engine.dispose()
        assert stat.S_IMODE(path.stat().st_mode) == 0o644
        [warning] = [r.getMessage() for r in caplog.records if str(path) in r.getMessage()]
        assert "mode 644" in warning and "chmod 600" in warning

    async def test_sql_parameters_stay_out_of_error_messages(self, tmp_path: Path) -> None:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
        try:
            async with engine.connect() as connection:
                with pytest.raises(DBAPIError) as failure:
                    await connection.exec_driver_sql(
                        "SELECT * FROM no_such_table WHERE name = ?", ("personal-detail",)
                    )
        finally:
            await engine.dispose()
        assert "personal-detail" not in str(failure.value)
