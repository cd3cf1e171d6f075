"""``unmentor report`` on a database the playground filled, as a newcomer would run it."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_command_line import unmentor

SCRIPT = """as alice: /unmentor join Devon CC
as bob: /unmentor join Leeds CC
admin: /unmentor admin round now
advance 7d
as bob: press 1
as alice: /unmentor reflect --rating 4 Councils share more problems than we think
admin: /unmentor admin stats
quit
"""


@pytest.fixture(scope="module")
def played(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], str]:
    where = tmp_path_factory.mktemp("report")
    url = f"sqlite+aiosqlite:///{where / 'report.db'}"
    env = {"UNMENTOR_DATABASE_URL": url}
    result = unmentor("playground", "--seed", "3", "--database-url", url, stdin=SCRIPT, cwd=where)
    assert result.returncode == 0, result.stderr
    return env, result.stdout


class TestReport:
    def test_it_has_help(self) -> None:
        result = unmentor("report", "--help")
        assert result.returncode == 0
        assert "--community" in result.stdout

    def test_the_text_table_has_the_round_and_the_total(
        self, played: tuple[dict[str, str], str]
    ) -> None:
        result = unmentor("report", "--community", "playground", env=played[0])
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            "round active groups  met refl rating x-org rep join left",
            "    1      2      1 100% 100%   4.00  100%   0    2    0",
            "  all      2      1 100% 100%   4.00  100%   0    2    0",
        ]

    def test_csv_and_json_carry_the_same_figures(self, played: tuple[dict[str, str], str]) -> None:
        as_csv = unmentor("report", "--community", "playground", "--format", "csv", env=played[0])
        rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
        assert [(r["round"], r["met"], r["mean_rating"]) for r in rows] == [
            ("1", "1", "4.0000"),
            ("all", "1", "4.0000"),
        ]
        as_json = unmentor("report", "--community", "playground", "--format", "json", env=played[0])
        data = json.loads(as_json.stdout)
        assert data["cumulative"]["rating_total"] == 4
        assert data["rounds"][0]["cross_org_share"] == 1.0

    def test_the_chart_is_a_png(self, played: tuple[dict[str, str], str], tmp_path: Path) -> None:
        chart = tmp_path / "outcomes.png"
        result = unmentor(
            "report", "--community", "playground", "--chart", str(chart), env=played[0]
        )
        assert result.returncode == 0, result.stderr
        assert chart.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    def test_admin_stats_in_the_playground_says_where_the_chart_is(
        self, played: tuple[dict[str, str], str]
    ) -> None:
        stdout = played[1]
        assert "  all      2      1 100% 100%   4.00  100%   0    2    0" in stdout
        line = next(x for x in stdout.splitlines() if "unmentor-outcomes.png" in x)
        path = Path(line.split(" written to ")[1].rstrip(")"))
        assert path.read_bytes().startswith(b"\x89PNG")

    def test_an_unknown_community_is_one_line_and_exit_1(
        self, played: tuple[dict[str, str], str]
    ) -> None:
        result = unmentor("report", "--community", "nowhere", env=played[0])
        assert result.returncode == 1
        assert result.stderr == (
            "error: there is no community 'nowhere' in this database "
            "(`unmentor report` without --community lists them)\n"
        )

    def test_an_unknown_format_is_one_line(self, played: tuple[dict[str, str], str]) -> None:
        result = unmentor("report", "--community", "playground", "--format", "xml", env=played[0])
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("error:")


class TestReportFindsItsData:
    def test_without_a_community_it_lists_the_communities_with_platform_and_name(
        self, played: tuple[dict[str, str], str]
    ) -> None:
        result = unmentor("report", env=played[0])
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            "Communities (pass one with --community ID):",
            "  playground  console   the playground",
        ]

    def test_a_database_that_does_not_exist_is_named_and_not_created(self, tmp_path: Path) -> None:
        missing = tmp_path / "nothing-here.db"
        for args in (["report"], ["report", "--community", "playground"]):
            result = unmentor(
                *args, "--database-url", f"sqlite+aiosqlite:///{missing}", cwd=tmp_path
            )
            assert result.returncode == 1
            assert result.stderr == (
                f"error: there is no database at {missing} (give --database-url or "
                "UNMENTOR_DATABASE_URL; the playground's is unmentor-playground.db)\n"
            )
            assert result.stdout == ""
        assert list(tmp_path.iterdir()) == []
