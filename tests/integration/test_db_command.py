from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from adapters.persistence import head_revision


def run_cli(*args: str) -> Result:
    from bot.cli.db import register

    app = typer.Typer()
    register(app)

    @app.callback()
    def root() -> None:
        """Keep ``db`` a sub-command even though it is the only one."""

    return CliRunner().invoke(app, list(args))


def tables_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


class TestDbUpgradeCommand:
    def test_migrates_a_new_sqlite_file(self, tmp_path: Path) -> None:
        path = tmp_path / "bot.db"
        result = run_cli("db", "upgrade", "--database-url", f"sqlite+aiosqlite:///{path}")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [
            f"Database sqlite+aiosqlite:///{path} is up to date (revision {head_revision()})."
        ]
        assert {"communities", "members", "rounds", "outbox", "alembic_version"} <= tables_in(path)

    def test_running_it_again_is_harmless(self, tmp_path: Path) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        assert run_cli("db", "upgrade", "--database-url", url).exit_code == 0
        assert run_cli("db", "upgrade", "--database-url", url).exit_code == 0

    def test_uses_the_configured_database_url_by_default(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.chdir(tmp_path)  # away from any .env file
        monkeypatch.setenv("UNMENTOR_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'env.db'}")
        assert run_cli("db", "upgrade").exit_code == 0
        assert "members" in tables_in(tmp_path / "env.db")

    @pytest.mark.parametrize(
        "url",
        [
            "mysql://root@localhost/unmentor",
            "not a url",
            "postgresql+asyncpg://postgres:secret@127.0.0.1:1/unmentor",
            "sqlite+aiosqlite:////no/such/directory/bot.db",
        ],
    )
    def test_a_bad_or_unreachable_database_gives_one_line_and_exit_code_1(self, url: str) -> None:
        result = run_cli("db", "upgrade", "--database-url", url)
        assert result.exit_code == 1
        assert result.stdout == ""
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.stderr
        assert "secret" not in result.stderr


class TestDbDowngradeCommand:
    def test_goes_back_to_the_revision_named(self, tmp_path: Path) -> None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        assert run_cli("db", "upgrade", "--database-url", url).exit_code == 0
        result = run_cli("db", "downgrade", "0011", "--database-url", url)
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines() == [f"Database {url} is at revision 0011."]
        assert "programmes" not in tables_in(tmp_path / "bot.db")

    def test_refuses_in_one_line_when_data_would_be_lost(self, tmp_path: Path) -> None:
        path = tmp_path / "bot.db"
        url = f"sqlite+aiosqlite:///{path}"
        assert run_cli("db", "upgrade", "--database-url", url).exit_code == 0
        with sqlite3.connect(path) as connection:
            connection.execute(
                "INSERT INTO communities (id, platform, name, created_at, admin_role, "
                "shared_history) VALUES ('T1', 'slack', 'T', '2026-01-01 00:00:00', NULL, 0)"
            )
            for programme in ("general", "data"):
                connection.execute(
                    "INSERT INTO programmes (community_id, id, name, name_key, created_at, "
                    "cadence, weekday, local_time, timezone, group_size, prefer_cross_org) "
                    f"VALUES ('T1', '{programme}', '{programme}', '{programme}', "
                    "'2026-01-01 00:00:00', 'fortnightly', 0, '09:30:00', 'Europe/London', 2, 1)"
                )
        result = run_cli("db", "downgrade", "0011", "--database-url", url)
        assert result.exit_code == 1
        assert result.stderr.startswith(
            "error: Cannot downgrade below revision 0012: 1 programme(s) other than 'general'"
        )
        assert "programmes" in tables_in(path)
