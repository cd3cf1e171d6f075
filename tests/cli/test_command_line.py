"""The ``unmentor`` console script, run as a newcomer would run it."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
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
        env={**clean_environment(), **(env or {})},
    )


def clean_environment() -> dict[str, str]:
    """This process's environment without platform settings, as on a fresh machine."""
    return {
        k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DISCORD_", "TEAMS_"))
    }


@pytest.fixture
def sqlite_env(tmp_path: Path) -> dict[str, str]:
    return {"UNMENTOR_PLAYGROUND_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}


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
        result = unmentor(
            "playground", env={"UNMENTOR_PLAYGROUND_DATABASE_URL": "mysql://x@localhost/db"}
        )
        assert result.returncode == 1
        assert result.stderr.strip().startswith("error: Unsupported database URL")
        assert len(result.stderr.strip().splitlines()) == 1


class TestRunWithoutTokens:
    def test_run_without_a_terminal_says_what_to_set_and_exits_2(self, tmp_path: Path) -> None:
        result = unmentor("run", stdin="as alice: /unmentor join\n", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith("error: no platform is configured: set SLACK_BOT_TOKEN")
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stdout == ""
        assert list(tmp_path.iterdir()) == []  # no database, no playground

    def test_run_at_a_terminal_starts_the_playground_in_its_own_file(self, tmp_path: Path) -> None:
        # `make run` on a fresh machine: stdin is a terminal, so the playground starts
        screen = run_in_terminal(
            ["run"], ["as alice: /unmentor join", "quit"], cwd=tmp_path, until="You're in the pot"
        )
        assert "starting the local playground" in screen
        assert "You're in the pot" in screen
        assert (tmp_path / "unmentor-playground.db").is_file()
        assert not (tmp_path / "unmentor.db").exists()

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

    def test_the_playground_never_uses_the_bots_database(self, tmp_path: Path) -> None:
        bot_db = tmp_path / "bot.db"
        env = {"UNMENTOR_DATABASE_URL": f"sqlite+aiosqlite:///{bot_db}"}
        result = unmentor("playground", stdin="as alice: /unmentor join\n", env=env, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert "data in sqlite+aiosqlite:///unmentor-playground.db" in result.stdout
        assert (tmp_path / "unmentor-playground.db").is_file()
        assert not bot_db.exists()


class TestHalfSetConfiguration:
    @pytest.mark.parametrize(
        ("env", "missing"),
        [
            ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
            ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN"),
            ({"SLACK_APP_TOKEN": "xapp-1", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
            ({"SLACK_CLIENT_ID": "1.2", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_SECRET"),
            ({"SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}, "SLACK_CLIENT_ID"),
            ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c"}, "SLACK_SIGNING_SECRET"),
            ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
            ({"SLACK_REDIRECT_URI": "https://x.example/r"}, "SLACK_CLIENT_ID"),
            (
                {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "SLACK_CLIENT_ID": "1"},
                "SLACK_CLIENT_ID",
            ),
            ({"DISCORD_GUILD_IDS": "123"}, "DISCORD_TOKEN"),
            # a whole Discord setup does not hide a half-set Slack one
            ({"DISCORD_TOKEN": "t", "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
            ({"TEAMS_APP_ID": "a"}, "TEAMS_APP_PASSWORD"),
            ({"TEAMS_APP_PASSWORD": "p"}, "TEAMS_APP_ID"),
            ({"TEAMS_TENANT_ID": "t"}, "TEAMS_APP_ID"),
            ({"TEAMS_CERTIFICATE_PATH": "bot.pem"}, "TEAMS_APP_ID"),
            (
                {"TEAMS_APP_ID": "a", "TEAMS_CERTIFICATE_PATH": "absent.pem"},
                "TEAMS_CERTIFICATE_PATH",
            ),
            (
                {"TEAMS_APP_ID": "a", "TEAMS_APP_PASSWORD": "p", "TEAMS_CERTIFICATE_PATH": "b.pem"},
                "TEAMS_CERTIFICATE_PATH",
            ),
            # a whole Discord setup does not hide a half-set Teams one
            ({"DISCORD_TOKEN": "t", "TEAMS_APP_ID": "a"}, "TEAMS_APP_PASSWORD"),
        ],
    )
    def test_run_stops_with_exit_2_naming_the_missing_variable(
        self, env: dict[str, str], missing: str, tmp_path: Path
    ) -> None:
        result = unmentor("run", env=env, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert result.stderr.startswith("error: ") and missing in result.stderr
        assert list(tmp_path.iterdir()) == []

    def test_an_empty_variable_counts_as_unset(self, tmp_path: Path) -> None:
        # .env.example copied as it is: every platform variable there, and empty
        example = Path(__file__).resolve().parents[2] / ".env.example"
        (tmp_path / ".env").write_text(example.read_text())
        result = unmentor("run", cwd=tmp_path)
        assert result.returncode == 2
        assert result.stderr.startswith("error: no platform is configured")

    @pytest.mark.parametrize(
        ("command", "env", "expected"),
        [
            (
                ["run"],
                {"UNMENTOR_PORT": "abc"},
                "error: UNMENTOR_PORT: Input should be a valid integer, "
                "unable to parse string as an integer\n",
            ),
            (
                ["report"],
                {"UNMENTOR_RETENTION_DAYS": "0"},
                "error: UNMENTOR_RETENTION_DAYS: Input should be greater than or equal to 1\n",
            ),
            (
                ["run"],
                {"DISCORD_TOKEN": "t", "DISCORD_GUILD_IDS": "abc"},
                "error: DISCORD_GUILD_IDS: Value error, invalid literal for int() with base 10: "
                "'abc'\n",
            ),
        ],
    )
    def test_a_setting_with_a_bad_value_is_named_in_one_line(
        self, command: list[str], env: dict[str, str], expected: str, tmp_path: Path
    ) -> None:
        result = unmentor(*command, env=env, cwd=tmp_path)
        assert (result.returncode, result.stderr) == (1, expected)


def run_in_terminal(args: list[str], lines: list[str], cwd: Path, until: str) -> str:
    """Run the command with a pseudo-terminal as stdin and stdout; type ``lines`` once the
    prompt shows and return the screen once ``until`` appears and the command has ended."""
    leader, follower = pty.openpty()
    env = clean_environment()
    process = subprocess.Popen(
        [sys.executable, "-c", "from bot.cli import main; main()", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        cwd=cwd,
        env=env,
    )
    os.close(follower)
    screen, typed = b"", False
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 1)
            if ready:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the command ended and closed the terminal
                    break
                if not chunk:
                    break
                screen += chunk
            if not typed and b"> " in screen:
                for line in lines:
                    os.write(leader, line.encode() + b"\n")
                typed = True
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(leader)
    text = screen.decode(errors="replace").replace("\r\n", "\n")
    assert until in text, text
    return text


class TestSimulate:
    def test_json_is_indented_one_key_a_line(self) -> None:
        result = unmentor("simulate", "--members", "6", "--rounds", "2", "--seed", "1", "--json")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith('{\n  "members": {\n')
        assert max(len(line) for line in result.stdout.splitlines()) < 100

    @pytest.mark.parametrize("command", [["simulate"], ["report"], ["run"], ["playground"]])
    def test_help_shows_flags_without_a_value(self, command: list[str]) -> None:
        result = unmentor(*command, "--help")
        assert "<bool>" not in result.stdout
        assert "  --help " in result.stdout

    @pytest.mark.parametrize("size", ["1", "5", "10"])
    def test_a_group_size_outside_2_to_4_is_refused_in_one_line(self, size: str) -> None:
        result = unmentor("simulate", "--members", "8", "--rounds", "1", "--group-size", size)
        assert result.returncode == 2
        assert result.stderr == "error: --group-size must be 2 to 4, as in a community\n"


class TestPlaygroundTime:
    def test_the_simulated_time_survives_a_restart(
        self, sqlite_env: dict[str, str], tmp_path: Path
    ) -> None:
        first = unmentor("playground", stdin="advance 400d\n", env=sqlite_env, cwd=tmp_path)
        moved = next(x for x in first.stdout.splitlines() if x.startswith("  (time is now "))
        stored = moved.removeprefix("  (time is now ").removesuffix(")")
        again = unmentor("playground", stdin="time\n", env=sqlite_env, cwd=tmp_path)
        assert f"  It is {stored}." in again.stdout.splitlines()
