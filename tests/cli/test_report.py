"""``unmentor report`` on a database the playground filled, as a newcomer would run it."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from bot.bootstrap import open_storage, services_for
from bot.config import Settings
from pairing_core.community import CommunitySettings
from pairing_core.member import Member
from pairing_core.programme import GENERAL, Programme
from pairing_core.services.community_setup import ensure_community
from pairing_core.services.round_calendar import run_round_now
from tests.cli.test_command_line import unmentor
from tests.integration.conftest import BACKENDS, POSTGRES_URL, fresh_postgres_database
from tests.unit.fakes import FakeClock

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
        table, experiment = result.stdout.split("\n\n")
        assert experiment.splitlines()[:2] == [
            "Did the conversation challenge their thinking? Mean rating 1-5 [95% interval] "
            "(ratings):",
            "  overall: – (1)",
        ]
        assert "Not enough answers yet: 1 of 1 groups rated" in experiment
        assert table.splitlines() == [
            "round active groups  met refl rating x-org rep join left nudged n-met paused skipped"
            " slot met|slot met|none",
            "    1      2      1 100% 100%   4.00  100%   0    2    0      0     0      0       0"
            "    0        –     100%",
            "  all      2      1 100% 100%   4.00  100%   0    2    0      0     0      0       0"
            "    0        –     100%",
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
        experiment = data["experiment"]
        assert experiment["overall"] == {"mean": None, "low": None, "high": None, "n": 1}
        assert experiment["by_round"] == [
            {"round": 1, "mean": None, "low": None, "high": None, "n": 1}
        ]
        assert experiment["comparisons"][0]["name"] == "mixed organisations vs same organisation"
        assert experiment["comparisons"][0]["difference"] is None

    def test_the_experiment_alone_has_a_csv_row_per_comparison(
        self, played: tuple[dict[str, str], str]
    ) -> None:
        args = ("report", "--community", "playground", "--experiment", "--format", "csv")
        result = unmentor(*args, env=played[0])
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["figure"], r["a_n"], r["b_n"], r["a_mean"]) for r in rows] == [
            ("overall", "1", "", ""),
            ("mixed organisations vs same organisation", "1", "0", ""),
            ("met vs did not meet", "1", "0", ""),
            ("pairs vs groups of 3 or more", "1", "0", ""),
            ("first meetings vs repeats", "1", "0", ""),
            ("round 1", "1", "", ""),
        ]
        assert "not enough answers yet" in rows[1]["sentence"]

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
        assert "Not enough answers yet: 1 of 1 groups rated how much" in stdout
        # "-2", "-3"... when an earlier run wrote a chart at the same simulated minute
        line = next(
            x for x in stdout.splitlines() if "unmentor-outcomes" in x and x.endswith(".png)")
        )
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


# --- several programmes, on SQLite and PostgreSQL ---------------------------------------------

PROGRAMMES_COMMUNITY = "http:R1"
# who takes part in each programme: alice is in both
PEOPLE = {GENERAL: ["alice", "bob"], "data": ["alice", "carol", "dan", "erin"]}


async def _seed_programmes(url: str) -> None:
    """Store a community with two programmes, each with round 1 introduced."""
    now = datetime(2026, 3, 4, 12, 0, tzinfo=UTC)
    async with open_storage(Settings(database_url=url)) as storage:
        await ensure_community(
            storage.uow,
            now,
            PROGRAMMES_COMMUNITY,
            "http",
            "Report network",
            community_settings=CommunitySettings(admins=frozenset({"admin"})),
        )
        async with storage.uow as uow:
            later = now + timedelta(minutes=1)  # programmes are listed oldest first
            assert await uow.programmes.add(Programme(PROGRAMMES_COMMUNITY, "data", "data", later))
            for programme_id, people in PEOPLE.items():
                for n, person in enumerate(people):
                    member = Member(
                        PROGRAMMES_COMMUNITY,
                        person,
                        person.title(),
                        now,
                        organisation=f"org{n % 2}",
                        programme_id=programme_id,
                    )
                    assert await uow.members.add(member)
            await uow.commit()
        services = services_for(storage, FakeClock(now), seed=1)
        for programme_id in PEOPLE:
            await run_round_now(services, PROGRAMMES_COMMUNITY, programme_id)


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=BACKENDS)
async def programmes_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, str]]:
    """Yield the environment of a database with two programmes, on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('programmes') / 'report.db'}"
        await _seed_programmes(url)
        yield {"UNMENTOR_DATABASE_URL": url}
        return
    async with fresh_postgres_database(POSTGRES_URL) as url:
        await _seed_programmes(url)
        yield {"UNMENTOR_DATABASE_URL": url}


def _report(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return unmentor("report", "--community", PROGRAMMES_COMMUNITY, *args, env=env)


class TestReportOfSeveralProgrammes:
    def test_one_programme_named_prints_as_a_community_with_one_programme_does(
        self, programmes_db: dict[str, str]
    ) -> None:
        result = _report(programmes_db, "--programme", "data")
        assert result.returncode == 0, result.stderr
        head, first, total = result.stdout.split("\n\n")[0].splitlines()
        assert (
            head == "round active groups  met refl rating x-org rep join left nudged n-met paused"
            " skipped slot met|slot met|none"
        )
        assert first.split()[:3] == ["1", "4", "2"]
        assert total.split()[:3] == ["all", "4", "2"]

    def test_the_name_is_read_without_case(self, programmes_db: dict[str, str]) -> None:
        assert (
            _report(programmes_db, "--programme", "DATA").stdout
            == _report(programmes_db, "--programme", "data").stdout
        )

    def test_without_a_programme_every_row_is_named_in_a_first_column(
        self, programmes_db: dict[str, str]
    ) -> None:
        result = _report(programmes_db)
        assert result.returncode == 0, result.stderr
        table, *experiments = result.stdout.split("\n\n")
        assert [e.splitlines()[0] for e in experiments] == [
            "programme general:",
            "programme data:",
        ]
        head, *rows = table.splitlines()
        assert head.split()[:2] == ["programme", "round"]
        assert [row.split()[:4] for row in rows] == [
            ["general", "1", "2", "1"],
            ["general", "all", "2", "1"],
            ["data", "1", "4", "2"],
            ["data", "all", "4", "2"],
        ]
        # each programme's figures read exactly as its own report prints them
        for name in PEOPLE:
            printed = _report(programmes_db, "--programme", name).stdout
            alone = printed.split("\n\n")[0].splitlines()[1:]
            assert [row.split(None, 1)[1] for row in rows if row.startswith(name)] == [
                line.lstrip() for line in alone
            ]

    def test_csv_has_a_programme_column(self, programmes_db: dict[str, str]) -> None:
        result = _report(programmes_db, "--format", "csv")
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["programme"], r["round"], r["active"], r["groups"]) for r in rows] == [
            ("general", "1", "2", "1"),
            ("general", "all", "2", "1"),
            ("data", "1", "4", "2"),
            ("data", "all", "4", "2"),
        ]

    def test_json_lists_each_programme_with_its_rounds_and_total(
        self, programmes_db: dict[str, str]
    ) -> None:
        result = _report(programmes_db, "--format", "json")
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["community"] == {"id": PROGRAMMES_COMMUNITY, "name": "Report network"}
        assert [
            (p["programme"], len(p["rounds"]), p["cumulative"]["groups"])
            for p in data["programmes"]
        ] == [("general", 1, 1), ("data", 1, 2)]
        alone = json.loads(_report(programmes_db, "--programme", "data", "--format", "json").stdout)
        assert data["programmes"][1]["rounds"] == alone["rounds"]
        assert data["programmes"][1]["experiment"] == alone["experiment"]

    def test_the_experiment_alone_names_each_programme(self, programmes_db: dict[str, str]) -> None:
        result = _report(programmes_db, "--experiment", "--format", "csv")
        assert result.returncode == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert [(r["programme"], r["figure"]) for r in rows if r["figure"] == "overall"] == [
            ("general", "overall"),
            ("data", "overall"),
        ]
        as_json = json.loads(_report(programmes_db, "--experiment", "--format", "json").stdout)
        assert [p["programme"] for p in as_json["programmes"]] == ["general", "data"]

    def test_each_programme_gets_its_own_chart(
        self, programmes_db: dict[str, str], tmp_path: Path
    ) -> None:
        result = _report(programmes_db, "--chart", str(tmp_path / "outcomes.png"))
        assert result.returncode == 0, result.stderr
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            "outcomes-data.png",
            "outcomes-general.png",
        ]

    def test_an_unknown_programme_is_one_line_listing_the_programmes_and_exit_2(
        self, programmes_db: dict[str, str]
    ) -> None:
        result = _report(programmes_db, "--programme", "nope")
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"error: there is no programme 'nope' in '{PROGRAMMES_COMMUNITY}' "
            "(its programmes: general, data)\n"
        )

    def test_a_programme_without_a_community_is_refused(
        self, programmes_db: dict[str, str]
    ) -> None:
        result = unmentor("report", "--programme", "data", env=programmes_db)
        assert result.returncode == 2
        assert result.stderr == "error: --programme needs --community ID\n"
