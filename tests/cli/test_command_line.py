"""The ``unmentor`` console script, run as a newcomer would run it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def unmentor(
    *args: str, stdin: str = "", cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return {"UNMENTOR_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


class TestHelp:
    @pytest.mark.parametrize(
        "command",
        [
            [],
            ["run"],
            ["playground"],
            ["simulate"],
            ["db", "upgrade"],
            ["secrets", "new-key"],
            ["secrets", "rotate"],
        ],
    )
    def test_every_command_has_help(self, command: list[str]) -> None:
        result = unmentor(*command, "--help")
        assert result.returncode == 0
        assert "Usage:" in result.stdout


class TestBadArguments:
    @pytest.mark.parametrize(
        "args",
        [
            ["playground", "--seed", "abc"],
            ["frobnicate"],
            ["simulate", "--members", "-3", "--rounds", "2"],
        ],
    )
    def test_bad_arguments_give_one_line_and_a_non_zero_exit(self, args: list[str]) -> None:
        result = unmentor(*args)
        assert result.returncode != 0
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("error:")

    def test_an_unsupported_database_url_is_one_line(self) -> None:
        result = unmentor("playground", env={"UNMENTOR_DATABASE_URL": "mysql://x@localhost/db"})
        assert result.returncode == 1
        assert result.stderr.strip().startswith("error: Unsupported database URL")
        assert len(result.stderr.strip().splitlines()) == 1


class TestRunWithoutTokens:
    def test_run_says_no_platform_is_configured_and_starts_the_playground(
        self, sqlite_env: dict[str, str], tmp_path: Path
    ) -> None:
        script = "as alice: /unmentor join\nas bob: /unmentor join\nadmin: /unmentor admin round now\nquit\n"
        result = unmentor("run", stdin=script, env=sqlite_env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "starting the local playground" in result.stderr
        assert "Round 1 has started: 1 group, 2 people" in result.stdout
        assert "[group DM @" in result.stdout

    def test_the_playground_keeps_its_data_between_runs(
        self, sqlite_env: dict[str, str], tmp_path: Path
    ) -> None:
        unmentor(
            "playground", stdin="as alice: /unmentor join Devon CC\n", env=sqlite_env, cwd=tmp_path
        )
        result = unmentor(
            "playground", stdin="as alice: /unmentor status\n", env=sqlite_env, cwd=tmp_path
        )
        assert "Organisation: Devon CC" in result.stdout
